"""Demo data of the service module: the holiday calendar, the catalogue and a few requests."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from shell.people.models import Unit, User
from shell.people.services import roles_setup, user_add_roles

from .models import Holiday, ServiceRequest, ServiceType
from .roles import OFFICER

# National holidays and collective leave of 2026 as published by the government (an admin keeps the
# calendar in /django-admin/; it is data, not code).
HOLIDAYS_2026 = [
    ("2026-01-01", "Tahun Baru Masehi"),
    ("2026-01-16", "Isra Mikraj Nabi Muhammad SAW"),
    ("2026-02-17", "Tahun Baru Imlek"),
    ("2026-03-19", "Hari Suci Nyepi"),
    ("2026-03-20", "Idul Fitri 1447 H"),
    ("2026-03-21", "Idul Fitri 1447 H"),
    ("2026-04-03", "Wafat Yesus Kristus"),
    ("2026-05-01", "Hari Buruh Internasional"),
    ("2026-05-14", "Kenaikan Yesus Kristus"),
    ("2026-05-27", "Idul Adha 1447 H"),
    ("2026-05-31", "Hari Raya Waisak"),
    ("2026-06-01", "Hari Lahir Pancasila"),
    ("2026-06-16", "Tahun Baru Islam 1448 H"),
    ("2026-08-17", "Hari Kemerdekaan RI"),
    ("2026-08-25", "Maulid Nabi Muhammad SAW"),
    ("2026-12-25", "Hari Raya Natal"),
]

ADMINDUK_FREE = "Tidak dipungut biaya (UU 24/2013)."

# code, name, category, unit code, SLA (working days), fee, product, requirements, complaint?
SERVICES = [
    (
        "ktp-el-rekam",
        "Perekaman KTP-el",
        "adminduk",
        "DUKCAPIL.DAFDUK",
        1,
        0,
        "Data biometrik terekam",
        "Fotokopi KK\nBerusia 17 tahun atau sudah/pernah kawin",
        False,
    ),
    (
        "ktp-el-cetak",
        "Pencetakan KTP-el",
        "adminduk",
        "DUKCAPIL.DAFDUK",
        1,
        0,
        "KTP-el",
        "Sudah melakukan perekaman\nKTP-el lama (jika rusak/ganti data)\nSurat kehilangan dari kepolisian (jika hilang)",
        False,
    ),
    (
        "kk-perubahan",
        "Perubahan Kartu Keluarga",
        "adminduk",
        "DUKCAPIL.DAFDUK",
        3,
        0,
        "Kartu Keluarga",
        "KK lama\nDokumen pendukung perubahan (akta, surat nikah, dll.)",
        False,
    ),
    (
        "kia",
        "Kartu Identitas Anak (KIA)",
        "adminduk",
        "DUKCAPIL.DAFDUK",
        3,
        0,
        "KIA",
        "Fotokopi akta kelahiran\nKK orang tua\nPas foto anak (usia 5 tahun ke atas)",
        False,
    ),
    (
        "pindah-keluar",
        "Surat Pindah Keluar",
        "adminduk",
        "DUKCAPIL.DAFDUK",
        1,
        0,
        "SKPWNI",
        "KK\nKTP-el\nAlamat tujuan pindah",
        False,
    ),
    (
        "akta-lahir",
        "Akta Kelahiran",
        "adminduk",
        "DUKCAPIL.CAPIL",
        3,
        0,
        "Kutipan akta kelahiran",
        "Surat keterangan lahir dari bidan/rumah sakit\nKK orang tua\nBuku nikah/akta perkawinan orang tua",
        False,
    ),
    (
        "akta-mati",
        "Akta Kematian",
        "adminduk",
        "DUKCAPIL.CAPIL",
        3,
        0,
        "Kutipan akta kematian",
        "Surat keterangan kematian\nKK dan KTP-el almarhum\nKTP-el pelapor",
        False,
    ),
    (
        "laksa-pengaduan",
        "Pengaduan layanan (LAKSA)",
        "pengaduan",
        "DUKCAPIL",
        5,
        0,
        "Tanggapan pengaduan",
        "Uraian pengaduan\nBukti pendukung (jika ada)",
        True,
    ),
]


@transaction.atomic
def load_demo() -> str:
    for date, name in HOLIDAYS_2026:
        Holiday.objects.get_or_create(date=dt.date.fromisoformat(date), defaults={"name": name})
    units = {u.code: u for u in Unit.objects.filter(code__startswith="DUKCAPIL")}
    if not units:
        return "Layanan: the demo city is missing (run load_demo on an empty database)."
    for code, name, category, unit, sla, fee, product, requirements, complaint in SERVICES:
        ServiceType.objects.get_or_create(
            code=code,
            defaults=dict(
                name=name,
                category=category,
                unit=units[unit],
                sla_days=sla,
                fee=fee,
                product=product,
                requirements=requirements,
                is_complaint=complaint,
                procedure="Pemohon datang ke loket atau mendaftar melalui petugas; berkas diverifikasi, diproses, "
                "dan produk diserahkan.",
                complaint_handling="Pengaduan melalui LAKSA, SMS/WA pengaduan, atau kotak saran di loket.",
            ),
        )
    roles_setup()
    officer = User.objects.filter(username="pembelajar").first()
    if officer is None or ServiceRequest.objects.exists():
        return "Layanan: catalogue and holiday calendar ready."
    user_add_roles(user=officer, role_names=[OFFICER])
    # A second officer of the same unit, so assignment has someone to choose.
    colleague = User.objects.filter(unit=officer.unit).exclude(pk=officer.pk).order_by("pk").first()
    if colleague:
        user_add_roles(user=colleague, role_names=[OFFICER])
    from .services import request_assign, request_register, request_transition

    citizens = [
        ("3671014501900001", "Nur Aisyah", "ktp-el-cetak"),
        ("3671012002850003", "Joko Susilo", "kk-perubahan"),
        ("3671016607150002", "Rizky Pratama", "kia"),
        ("3671015003800004", "Maria Ulfa", "akta-lahir"),
    ]
    made = []
    for nik, name, code in citizens:
        request, _ = request_register(
            service=ServiceType.objects.get(code=code),
            citizen_nik=nik,
            citizen_name=name,
            citizen_contact="0812-0000-0000",
            registered_by=officer,
        )
        made.append(request)
    request_assign(request_id=made[0].pk, actor=officer, assignee=officer)
    request_transition(request_id=made[0].pk, actor=officer, to_status="verification")
    request_assign(request_id=made[1].pk, actor=officer, assignee=officer)
    # One older request past its deadline, to show the overdue flag.
    late = made[2]
    ServiceRequest.objects.filter(pk=late.pk).update(
        submitted_at=timezone.now() - dt.timedelta(days=14), due_date=timezone.localdate() - dt.timedelta(days=5)
    )
    request_assign(request_id=late.pk, actor=officer, assignee=officer)
    return f"Layanan: {len(made)} demo requests (officer: {officer.username})."
