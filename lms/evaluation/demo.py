"""Demo data of evaluation (hook "demo_data", idempotent): the online course "Etika dan Nilai BerAKHLAK ASN"
gets a question bank (brought in as GIFT, as trainers bring theirs), a pre-test and a post-test from the same
blueprint, and a few learners' attempts of both, so that the gain and the item analysis have something to show."""

from __future__ import annotations

import datetime as dt
import random

from django.db import transaction
from django.utils import timezone

from content.models import CoursePage
from shell.people.models import User

from ..models import Enrollment
from ..services import enrollment_create
from .formats import gift_read
from .models import Category, Quiz, QuizSlot
from .scoring import correct_response
from .services import answer_save, attempt_start, attempt_submit, bank_import

COURSE_TITLE = "Etika dan Nilai BerAKHLAK ASN"

GIFT = """$CATEGORY: $course$/top/Nilai dasar BerAKHLAK

// [tag:berakhlak] [tag:tingkat:easy]
::Kepanjangan A::Huruf A pertama dalam BerAKHLAK adalah... {=Akuntabel ~Adaptif ~Aman ~Amanah}

// [tag:berakhlak]
::Berorientasi pelayanan::Warga datang 5 menit sebelum loket tutup. Sikap yang sesuai nilai Berorientasi Pelayanan? {=Tetap melayani sampai selesai ~Meminta datang besok ~Mengarahkan ke loket lain yang sudah tutup}

// [tag:berakhlak]
::Harmonis::Nilai Harmonis berarti saling peduli dan menghargai perbedaan. {T}

// [tag:berakhlak] [tag:tingkat:hard]
::Dua nilai::Pilih dua perilaku Kompeten: {~%50%Meningkatkan kompetensi diri ~%50%Membantu orang lain belajar ~%-100%Menolak tugas baru}

// [tag:berakhlak]
::Jumlah nilai::Berapa jumlah nilai dasar dalam BerAKHLAK? {#7}

$CATEGORY: $course$/top/Kode etik

// [tag:etika]
::Gratifikasi::Hadiah dari warga setelah dilayani harus... {=Ditolak atau dilaporkan ~Diterima bila kecil ~Dibagi dengan rekan}

// [tag:etika]
::Media sosial::ASN boleh membagikan data pribadi warga di grup percakapan bila untuk koordinasi. {F}

// [tag:etika] [tag:tingkat:easy]
::Singkatan ASN::Tulis kepanjangan ASN. {=Aparatur Sipil Negara}

// [tag:etika]
::Pasangan::Jodohkan nilai dengan perilakunya. {=Loyal -> Menjaga nama baik instansi =Adaptif -> Cepat menyesuaikan diri =Kolaboratif -> Membuka kesempatan kerja sama}
"""


def evaluation_demo_load() -> str | None:
    course = CoursePage.objects.filter(title=COURSE_TITLE).first()
    if course is None or Quiz.objects.filter(course=course).exists():
        return None
    rng = random.Random(18)
    with transaction.atomic():
        bank_import(course=course, drafts=gift_read(GIFT.encode()))
        categories = list(Category.objects.filter(course=course).order_by("name"))
        pre = Quiz.objects.create(
            course=course, kind=Quiz.Kind.PRETEST, title="Pre-test BerAKHLAK", time_limit_minutes=15, pass_mark=0
        )
        for order, category in enumerate(categories):
            QuizSlot.objects.create(quiz=pre, category=category, count=3, order=order)
        post = Quiz.objects.create(
            course=course,
            kind=Quiz.Kind.POSTTEST,
            title="Post-test BerAKHLAK",
            blueprint_from=pre,
            time_limit_minutes=15,
            attempts_allowed=2,
            pass_mark=70,
        )
        learners = list(
            User.objects.filter(is_active=True, is_superuser=False, nip__isnull=False).order_by("username")[:8]
        )
        start = timezone.now() - dt.timedelta(days=10)
        for i, user in enumerate(learners):
            enrollment = Enrollment.objects.filter(user=user, course=course).first() or enrollment_create(
                user=user, course=course, source="self", notify=False
            )
            for quiz, skill, day in ((pre, 0.35, 0), (post, 0.8, 3)):
                when = start + dt.timedelta(days=day, hours=i)
                attempt = attempt_start(
                    quiz=quiz, user=user, registration=enrollment.registration, now=when, seed=i * 10 + day
                )
                for aq in attempt.questions.select_related("version__question"):
                    kind, data = aq.version.question.kind, aq.version.data
                    response = correct_response(kind, data) if rng.random() < skill else None
                    if response is not None:
                        answer_save(attempt=attempt, position=aq.position, response=response, now=when)
                attempt_submit(attempt=attempt, now=when + dt.timedelta(minutes=8))
    return f"Evaluasi: bank soal, pre-test dan post-test untuk {COURSE_TITLE} ({len(learners)} peserta)."
