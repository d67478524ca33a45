"""Questions of every kind, and a course bank holding them."""

from __future__ import annotations

import copy
from decimal import Decimal

from content.tests.factories import make_course
from lms.evaluation import services
from lms.evaluation.drafts import QuestionDraft
from lms.evaluation.models import Quiz, QuizSlot

SAMPLES = {
    "single": QuestionDraft(
        kind="single",
        name="Ibu kota",
        text="Ibu kota Provinsi Banten?",
        data={
            "choices": [
                {"text": "Serang", "fraction": 1.0, "feedback": "Benar"},
                {"text": "Tangerang", "fraction": 0.0, "feedback": ""},
                {"text": "Cilegon", "fraction": 0.0, "feedback": ""},
            ]
        },
        category="Wawasan",
        tags=["banten"],
        difficulty="easy",
        feedback="Serang sejak 2000.",
    ),
    "multiple": QuestionDraft(
        kind="multiple",
        name="Nilai BerAKHLAK",
        text="Pilih dua nilai BerAKHLAK:",
        data={
            "choices": [
                {"text": "Akuntabel", "fraction": 0.5, "feedback": ""},
                {"text": "Loyal", "fraction": 0.5, "feedback": ""},
                {"text": "Santai", "fraction": -0.5, "feedback": ""},
                {"text": "Tertutup", "fraction": -0.5, "feedback": ""},
            ]
        },
        category="Wawasan",
        mark=Decimal(2),
    ),
    "truefalse": QuestionDraft(
        kind="truefalse", name="JP", text="Target JP ASN setahun 20 JP.", data={"answer": True}, category="Aturan"
    ),
    "short": QuestionDraft(
        kind="short",
        name="Singkatan",
        text="Singkatan Badan Kepegawaian dan Pengembangan SDM? {a} = b : c",
        data={
            "answers": [{"text": "BKPSDM", "fraction": 1.0}, {"text": "BKD*", "fraction": 0.5}],
            "case_sensitive": False,
        },
        category="Aturan",
        tags=["singkatan", "kepegawaian"],
    ),
    "numeric": QuestionDraft(
        kind="numeric",
        name="Pi",
        text="Nilai pi dua desimal?",
        data={
            "answers": [
                {"value": 3.14, "tolerance": 0.005, "fraction": 1.0},
                {"value": 3, "tolerance": 0, "fraction": 0.5},
            ]
        },
        category="Hitung",
        difficulty="hard",
    ),
    "matching": QuestionDraft(
        kind="matching",
        name="Pasangan",
        text="Jodohkan singkatan dengan instansinya.",
        data={
            "pairs": [
                {"left": "BKN", "right": "Badan Kepegawaian Negara"},
                {"left": "LAN", "right": "Lembaga Administrasi Negara"},
                {"left": "KemenPAN-RB", "right": "Kementerian PAN-RB"},
                {"left": "", "right": "Badan Pusat Statistik"},
            ]
        },
        category="Wawasan",
    ),
    "ordering": QuestionDraft(
        kind="ordering",
        name="Urutan",
        text="Urutkan siklus kompetensi.",
        data={"items": ["Perencanaan", "Pelaksanaan", "Evaluasi"]},
        category="Wawasan",
    ),
    "essay": QuestionDraft(
        kind="essay", name="Refleksi", text="Ceritakan penerapan di unit Anda.", data={}, category="Refleksi"
    ),
}


def sample(kind: str, **changes) -> QuestionDraft:
    draft = copy.deepcopy(SAMPLES[kind])
    for key, value in changes.items():
        setattr(draft, key, value)
    return draft


def make_bank(*, course=None, kinds=tuple(SAMPLES), user=None):
    course = course or make_course(title="Kursus Bank", lessons=("text",))
    questions = [services.question_create(course=course, draft=sample(kind), user=user) for kind in kinds]
    return course, questions


def make_quiz(*, course, slots, **fields) -> Quiz:
    """``slots``: [(category, count)]."""
    quiz = Quiz.objects.create(course=course, title=fields.pop("title", "Kuis bank"), **fields)
    for order, (category, count) in enumerate(slots):
        QuizSlot.objects.create(quiz=quiz, category=category, count=count, order=order)
    return quiz


def enrol(user, course):
    from lms import services as lms_services

    return lms_services.enrollment_create(user=user, course=course, source="self")


def right_response(aq):
    """The full-mark response of an attempt's question, in the form the page posts."""
    from lms.evaluation.scoring import correct_response

    return correct_response(aq.version.question.kind, aq.version.data)
