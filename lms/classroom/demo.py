"""Demo data of the classroom, claims and yearly rules (hook "demo_data", idempotent): rooms at Grha
Bhakti Karya, a class today (to try the check-in) and one next month, credit rules for the year's
non-classical forms, and a claim waiting for the demo supervisor."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from content.models import CoursePage
from lms.hours.models import CreditRule
from lms.hours.selectors import JAKARTA
from shell.people.models import User

from .models import ClassSession, Room, SessionDay
from .services import check_registration_create

# The demo's named accounts (fixtures/demo.py), kept out of the colleagues who fill a class.
DEMO_ACCOUNTS = ("pembelajar", "pelatih", "peninjau", "atasan", "sdm", "admin")

DEMO_RULES = [
    # form, unit, JP per unit, yearly cap
    ("coaching", CreditRule.Unit.SESSION, Decimal("2"), Decimal("10")),
    ("mentoring", CreditRule.Unit.SESSION, Decimal("2"), Decimal("10")),
    ("belajar_mandiri", CreditRule.Unit.HOUR, Decimal("1"), Decimal("6")),
    ("komunitas_belajar", CreditRule.Unit.EVENT, Decimal("2"), Decimal("8")),
]


def classroom_demo_load() -> str | None:
    if Room.objects.filter(name="Ruang Kelas 1", building="Grha Bhakti Karya").exists():
        return None
    trainer = User.objects.filter(username="pelatih").first()
    learner = User.objects.filter(username="pembelajar").first()
    rooms = [
        Room.objects.create(name="Ruang Kelas 1", capacity=30),
        Room.objects.create(name="Ruang Kelas 2", capacity=24),
        Room.objects.create(name="Laboratorium Komputer", capacity=20),
    ]
    now = timezone.now()
    today = now.astimezone(JAKARTA).date()
    for form, unit, per_unit, cap in DEMO_RULES:
        CreditRule.objects.get_or_create(
            year=today.year, form=form, defaults={"unit": unit, "jp_per_unit": per_unit, "max_jp_per_year": cap}
        )
    courses = list(CoursePage.objects.live().filter(delivery_mode__in=["classroom", "blended"]).order_by("pk"))
    sessions = 0
    for course, room, days, title in (
        (courses[:1], rooms[2], [today], "Angkatan I (hari ini)"),
        (courses[:1], rooms[0], [today + dt.timedelta(days=30), today + dt.timedelta(days=31)], "Angkatan II"),
    ):
        if not course:
            continue
        session = ClassSession.objects.create(course=course[0], room=room, capacity=min(room.capacity, 25), title=title)
        for day in days:
            SessionDay.objects.create(
                session=session,
                date=day,
                starts_at=dt.time(0, 0) if day == today else dt.time(8),
                ends_at=dt.time(23, 59) if day == today else dt.time(16),
            )
        if trainer:
            session.trainers.add(trainer)
        # Two cohorts of one course: the demo learner is in the first (to try the check-in today); a few
        # colleagues booked the second. One person never holds two cohorts of a course.
        if title.startswith("Angkatan I ") and learner:
            check_registration_create(user=learner, session_id=session.pk, now=now - dt.timedelta(days=1))
        elif title == "Angkatan II":
            for colleague in (
                User.objects.filter(is_active=True, unit__isnull=False)
                .exclude(username__in=DEMO_ACCOUNTS)
                .order_by("pk")[:3]
            ):
                check_registration_create(user=colleague, session_id=session.pk, now=now - dt.timedelta(days=1))
        sessions += 1
    if learner and learner.supervisor_id:
        from lms.claims.services import check_claim_submit

        check_claim_submit(
            user=learner,
            data={
                "title": "Seminar Pelayanan Publik Inklusif",
                "organiser": "Kementerian PANRB",
                "form": "seminar",
                "category": "sosial_kultural",
                "start_date": today - dt.timedelta(days=7),
                "end_date": today - dt.timedelta(days=7),
                "quantity": Decimal("1"),
                "jp_requested": Decimal("4"),
                "certificate_number": "DEMO-PANRB-0001",
            },
            evidence=SimpleUploadedFile(
                "sertifikat-seminar.pdf", b"%PDF-1.4\n% demo\n%%EOF\n", content_type="application/pdf"
            ),
        )
    return f"Kelas: {len(rooms)} ruang, {sessions} sesi (pelatih: pelatih; presensi hari ini di /belajar/kelas/); 1 klaim menunggu atasan."
