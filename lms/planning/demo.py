"""The demo's planning: a small dictionary, the standards of the demo positions, the courses tagged, and one
employee (pembelajar, Siti) with a validated profile and a plan proposed to her supervisor (atasan)."""

from __future__ import annotations

from django.db import transaction

from content.models import CoursePage
from shell.people.models import User

from . import selectors, services
from .models import BehaviourIndicator, Competency, CourseCompetency, Position, PositionStandard

# code, name, type, {level: [indicators]}
DICTIONARY = (
    (
        "PEL",
        "Pelayanan Publik",
        "sosial_kultural",
        {
            1: ["Melayani warga dengan ramah sesuai prosedur"],
            2: ["Menjelaskan persyaratan layanan dengan jelas kepada warga"],
            3: ["Menangani keluhan warga sampai tuntas", "Mengusulkan perbaikan prosedur layanan"],
            4: ["Membina rekan kerja dalam standar pelayanan"],
            5: ["Merancang standar pelayanan unit"],
        },
    ),
    (
        "DATA",
        "Pengelolaan Data",
        "teknis",
        {
            1: ["Memasukkan data dengan benar dan tepat waktu"],
            2: ["Merapikan dan memeriksa data dengan spreadsheet"],
            3: ["Menganalisis data untuk laporan pimpinan"],
            4: ["Merancang dasbor dan alur data unit"],
            5: ["Menetapkan tata kelola data perangkat daerah"],
        },
    ),
    (
        "INT",
        "Integritas",
        "manajerial",
        {
            1: ["Bertindak sesuai kode etik ASN"],
            2: ["Mengingatkan rekan yang melanggar kode etik"],
            3: ["Menjadi teladan integritas di unit"],
            4: ["Membangun budaya integritas di unit"],
            5: ["Menjadi rujukan integritas perangkat daerah"],
        },
    ),
    (
        "KEP",
        "Kepemimpinan",
        "manajerial",
        {
            1: ["Mengatur pekerjaan sendiri"],
            2: ["Membagi tugas dalam tim kecil"],
            3: ["Memimpin tim mencapai target seksi"],
            4: ["Memimpin beberapa tim lintas seksi"],
            5: ["Memimpin perubahan perangkat daerah"],
        },
    ),
    (
        "KEAM",
        "Keamanan Informasi",
        "teknis",
        {
            1: ["Menjaga kata sandi dan perangkat kerja"],
            2: ["Mengenali dan melaporkan upaya phishing"],
            3: ["Menerapkan klasifikasi informasi di unit"],
            4: ["Mengelola risiko keamanan informasi unit"],
            5: ["Menetapkan kebijakan keamanan informasi"],
        },
    ),
)

POSITIONS = (
    ("PK-ADM", "Pengadministrasi Kependudukan", "pelaksana", {"PEL": 3, "DATA": 2, "INT": 2, "KEAM": 2}),
    ("KASI-IDP", "Kepala Seksi Identitas Penduduk", "struktural", {"PEL": 3, "DATA": 3, "INT": 3, "KEP": 3}),
    ("ANL-SDM", "Analis SDM Aparatur", "fungsional", {"DATA": 3, "INT": 2, "KEAM": 2}),
    ("WI-AM", "Widyaiswara Ahli Muda", "fungsional", {"KEP": 2, "INT": 3}),
)

COURSE_TAGS = (
    ("Pelayanan Publik Prima", "PEL", 3),
    ("Etika dan Nilai BerAKHLAK ASN", "INT", 2),
    ("Kepemimpinan Pengawas", "KEP", 3),
    ("Analisis Data dengan Spreadsheet", "DATA", 3),
    ("Keamanan Informasi untuk Pegawai", "KEAM", 2),
)

# Siti meets levels 1-2 of Pelayanan Publik and level 1 of Pengelolaan Data; her supervisor agrees.
SITI_MEETS = {"PEL": 2, "DATA": 1, "INT": 2, "KEAM": 2}


def planning_demo_load() -> str | None:
    siti = User.objects.filter(username="pembelajar").first()
    atasan = User.objects.filter(username="atasan").first()
    if siti is None or atasan is None or Competency.objects.filter(code="PEL").exists():
        return None
    with transaction.atomic():
        for code, name, kind, levels in DICTIONARY:
            competency = Competency.objects.create(code=code, name=name, type=kind)
            for level, texts in levels.items():
                for order, text in enumerate(texts):
                    BehaviourIndicator.objects.create(competency=competency, level=level, text=text, order=order)
        by_code = {c.code: c for c in Competency.objects.all()}
        for code, name, kind, standard in POSITIONS:
            position = Position.objects.create(code=code, name=name, type=kind)
            for competency, level in standard.items():
                PositionStandard.objects.create(position=position, competency=by_code[competency], required_level=level)
        for title, code, level in COURSE_TAGS:
            course = CoursePage.objects.filter(title=title).first()
            if course is not None:
                CourseCompetency.objects.get_or_create(
                    course=course, competency=by_code[code], defaults={"level": level}
                )

    year = selectors.planning_year()
    assessment = services.assessment_get_or_create(user=siti, year=year)
    indicators = selectors.indicators_for(
        competency_ids=[s.competency_id for s in selectors.standards_of(position=assessment.position)]
    )
    answers = {}
    for competency_id, group in indicators.items():
        met_up_to = SITI_MEETS.get(next(c for c, k in by_code.items() if k.pk == competency_id), 0)
        for indicator in group:
            answers[indicator.pk] = (
                indicator.level <= met_up_to,
                "Contoh dari pekerjaan sehari-hari" if indicator.level <= met_up_to else "",
            )
    services.check_self_assessment_save(user=siti, year=year, answers=answers, submit=True)
    services.check_assessment_validate(
        supervisor=atasan,
        assessment_id=assessment.pk,
        answers={pk: meets for pk, (meets, _example) in answers.items()},
        note="Sesuai pengamatan saya. Fokus pada penanganan keluhan dan analisis data.",
    )
    service = CoursePage.objects.filter(title="Pelayanan Publik Prima").live().first()
    if service is not None:
        services.check_plan_item_add(
            user=siti, year=year, competency_id=by_code["PEL"].pk, course_id=service.pk, priority=1, quarter=2
        )
    services.check_plan_item_add(
        user=siti,
        year=year,
        competency_id=by_code["DATA"].pk,
        external_title="Coaching analisis data oleh Kepala Seksi",
        form="coaching",
        jp="4",
        priority=2,
        quarter=3,
    )
    services.check_plan_propose(user=siti, year=year)
    return (
        "planning: 5 competencies, 4 positions with standards, Siti's validated profile and a plan proposed to atasan"
    )
