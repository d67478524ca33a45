"""Learning writes. Every learning event is recorded as an xAPI statement; progress, completion and
JP follow from the statements (lms.projections)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from content.models import CoursePage, LessonPage
from shell import formatting
from shell.inbox.services import notification_create

from .courses.selectors import prerequisites_missing, prerequisites_missing_for, titles
from .models import Enrollment
from .selectors import employees_managed_by
from .xapi.transformers import learning_event_record


class LearningError(Exception):
    """A request the learner (or supervisor) can correct; the message says how."""


NO_LESSON_YET = _lazy("Pelajaran kursus ini belum diterbitkan. Pendaftaran dibuka setelah pelajarannya terbit.")


@dataclass(frozen=True)
class QuizResult:
    correct: int
    total: int
    scaled: float
    pass_mark: int
    passed: bool


def enrollment_create(
    *,
    user,
    course: CoursePage,
    source: str,
    assigned_by=None,
    due_date: dt.date | None = None,
    notify: bool = True,
) -> Enrollment:
    """Enrol ``user`` (once: a second call returns the enrolment, with the earlier due date). An assigned
    enrolment is announced in the learner's inbox unless the caller sends its own notice (``notify``)."""
    with transaction.atomic():
        try:
            with transaction.atomic():
                enrollment = Enrollment.objects.create(
                    user=user, course=course, source=source, assigned_by=assigned_by, due_date=due_date
                )
        except IntegrityError:
            enrollment = Enrollment.objects.select_for_update().get(user=user, course=course)
            if due_date and (enrollment.due_date is None or due_date < enrollment.due_date):
                enrollment.due_date, enrollment.assigned_by = due_date, assigned_by
                enrollment.source = Enrollment.Source.ASSIGNED
                enrollment.save(update_fields=["due_date", "assigned_by", "source"])
            return enrollment
        learning_event_record("lms.course.registered", user=user, enrollment=enrollment)
        if source == Enrollment.Source.ASSIGNED and notify:
            notification_create(
                user=user,
                kind="lms.course_assigned",
                title=_("Kursus baru ditugaskan: %(course)s") % {"course": course.title},
                body=_("Ditugaskan oleh %(by)s, tenggat %(due)s.")
                % {"by": assigned_by, "due": formatting.short_date(due_date) or "-"},
                url=course.url or "",
                dedupe_key=f"course-assigned:{enrollment.pk}",
            )
    return enrollment


def check_enrollment_self(*, user, course_id: int) -> Enrollment:
    """A learner enrols in a published course."""
    course = CoursePage.objects.live().filter(pk=course_id).first()
    if course is None:
        raise LearningError(_("Kursus ini tidak ditemukan atau belum diterbitkan."))
    if not user.has_perm("lms.enroll_self"):
        raise LearningError(_("Akun Anda tidak dapat mendaftar kursus. Hubungi admin SDM."))
    if not course.open_for_enrolment():
        raise LearningError(str(NO_LESSON_YET))
    if not Enrollment.objects.filter(user=user, course=course).exists():
        missing = prerequisites_missing(user=user, course=course)
        if missing:
            raise LearningError(
                _("Selesaikan dulu kursus prasyarat: %(courses)s. Setelah itu Anda dapat mendaftar kursus ini.")
                % {"courses": titles(missing)}
            )
    return enrollment_create(user=user, course=course, source=Enrollment.Source.SELF)


def enrollment_assign(*, assigned_by, employees, course: CoursePage, due_date: dt.date) -> list[Enrollment]:
    """A supervisor (their team) or HR (their scope) assigns a course with a due date."""
    allowed = set(
        employees_managed_by(user=assigned_by).filter(pk__in=[e.pk for e in employees]).values_list("pk", flat=True)
    )
    refused = [e for e in employees if e.pk not in allowed]
    if refused:
        raise LearningError(
            _("Anda tidak berwenang menugaskan kursus kepada: %(names)s.") % {"names": ", ".join(map(str, refused))}
        )
    if not course.live:
        raise LearningError(_("Kursus ini belum diterbitkan."))
    if not course.open_for_enrolment():
        raise LearningError(str(NO_LESSON_YET))
    enrolled = set(Enrollment.objects.filter(course=course).values_list("user_id", flat=True))
    missing = prerequisites_missing_for(user_ids=[e.pk for e in employees if e.pk not in enrolled], course=course)
    if missing:
        lacking = [f"{e} ({titles(missing[e.pk])})" for e in employees if e.pk in missing]
        raise LearningError(
            _("Pegawai berikut belum menyelesaikan prasyarat kursus ini: %(names)s.") % {"names": "; ".join(lacking)}
        )
    return [
        enrollment_create(
            user=e, course=course, source=Enrollment.Source.ASSIGNED, assigned_by=assigned_by, due_date=due_date
        )
        for e in employees
    ]


def course_launch(*, enrollment: Enrollment) -> None:
    learning_event_record("lms.course.launched", user=enrollment.user, enrollment=enrollment)


def _check_lesson(enrollment: Enrollment, lesson: LessonPage) -> None:
    if not lesson.live or lesson.get_parent().pk != enrollment.course_id:
        raise LearningError(_("Pelajaran ini bukan bagian dari kursus yang Anda ikuti."))


def lesson_complete(*, enrollment: Enrollment, lesson: LessonPage) -> None:
    """The learner marks a lesson without a quiz as studied."""
    _check_lesson(enrollment, lesson)
    if lesson.quiz is not None:
        raise LearningError(_("Pelajaran ini selesai dengan lulus kuisnya."))
    if lesson.video_gated:
        raise LearningError(
            _("Pelajaran ini selesai otomatis setelah Anda menonton videonya (minimal %(percent)s%%).")
            % {"percent": settings.VIDEO_COMPLETION_PERCENT}
        )
    if lesson.h5p_gated:
        raise LearningError(_("Pelajaran ini selesai otomatis setelah nilai H5P Anda tercatat."))
    learning_event_record("lms.lesson.experienced", user=enrollment.user, enrollment=enrollment, lesson=lesson)


def quiz_grade(quiz, answers: dict[int, set[int]]) -> QuizResult:
    """A question is right when exactly its correct choices are chosen."""
    questions = list(quiz["questions"])
    correct = 0
    for index, question in enumerate(questions):
        right = {i for i, choice in enumerate(question["choices"]) if choice["correct"]}
        if answers.get(index, set()) == right:
            correct += 1
    scaled = correct / len(questions) if questions else 0.0
    pass_mark = int(quiz["pass_mark"])
    return QuizResult(correct, len(questions), scaled, pass_mark, scaled * 100 >= pass_mark)


def quiz_submit(*, enrollment: Enrollment, lesson: LessonPage, answers: dict[int, set[int]]) -> QuizResult:
    _check_lesson(enrollment, lesson)
    quiz = lesson.quiz
    if quiz is None:
        raise LearningError(_("Pelajaran ini tidak memiliki kuis."))
    if quiz.get("bank_quiz"):
        raise LearningError(_("Kuis pelajaran ini dikerjakan di halaman kuisnya; buka dari halaman pelajaran."))
    questions = list(quiz["questions"])
    missing = [str(i + 1) for i in range(len(questions)) if not answers.get(i)]
    if missing:
        raise LearningError(
            _("Jawab semua pertanyaan terlebih dahulu (belum dijawab: %(q)s).") % {"q": ", ".join(missing)}
        )
    for index, chosen in answers.items():
        if index >= len(questions) or any(c >= len(questions[index]["choices"]) or c < 0 for c in chosen):
            raise LearningError(_("Jawaban tidak sesuai dengan pertanyaan kuis. Muat ulang halaman dan coba lagi."))
    result = quiz_grade(quiz, answers)
    event = dict(
        user=enrollment.user,
        enrollment=enrollment,
        lesson=lesson,
        raw=result.correct,
        max=result.total,
        scaled=result.scaled,
    )
    response = "[,]".join(",".join(str(c) for c in sorted(answers[i])) for i in range(len(questions)))
    with transaction.atomic():
        learning_event_record("lms.quiz.answered", response=response, **event)
        learning_event_record("lms.quiz.passed" if result.passed else "lms.quiz.failed", **event)
    return result
