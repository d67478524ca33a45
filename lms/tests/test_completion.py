"""Completion rules (docs/domain/jp-ledger.md, "Online courses"): a course completes when every required
lesson is done and its quiz passed, and only then credits its fixed JP, once."""

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.utils import timezone

from content.tests.factories import QUIZ, RIGHT_ANSWERS, WRONG_ANSWERS, make_course
from lms import services
from lms.hours.models import LedgerEntry
from lms.hours.selectors import current_year, jp_total
from lms.models import Enrollment, LessonProgress
from lms.projections import course_completion_met
from lms.services import LearningError, quiz_grade
from lms.xapi import transformers
from lms.xapi.constants import VERB_ANSWERED, VERB_COMPLETED, VERB_EXPERIENCED, VERB_FAILED, VERB_PASSED
from lms.xapi.models import Statement
from lms.xapi.projections import project_pending, project_statements
from shell.inbox.models import Notification
from shell.people.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _distinct_event_times(monkeypatch):
    """Statement ids include the event time to the millisecond: give every recorded event its own
    millisecond so that two quick attempts never share an id by accident of speed."""
    last = [timezone.now()]

    def now():
        last[0] = max(timezone.now(), last[0] + dt.timedelta(milliseconds=1))
        return last[0]

    monkeypatch.setattr(transformers, "timezone", SimpleNamespace(now=now))


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """``with committed(): ...`` runs the on-commit projection tasks (eager Celery) as after a commit."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def learner():
    return UserFactory()


def enrol(learner, course, committed) -> Enrollment:
    with committed():
        return services.check_enrollment_self(user=learner, course_id=course.pk)


def lessons_of(course):
    return list(course.lessons())


def reload(enrollment) -> Enrollment:
    return Enrollment.objects.get(pk=enrollment.pk)


def completed_statements(user):
    return Statement.objects.filter(user=user, verb=VERB_COMPLETED)


def assert_not_completed(enrollment):
    user = enrollment.user
    assert reload(enrollment).completed_at is None
    assert not LedgerEntry.objects.filter(user=user).exists()
    assert not completed_statements(user).exists()
    assert not Notification.objects.filter(user=user, kind="lms.course_completed").exists()


# The whole rule -------------------------------------------------------------------------------


def test_course_completes_when_required_lessons_are_done_and_quiz_is_passed(learner, committed):
    course = make_course(title="Etika ASN", jp="4", lessons=("text", "quiz"))
    enrollment = enrol(learner, course, committed)
    text, quiz = lessons_of(course)

    with committed():
        services.lesson_complete(enrollment=enrollment, lesson=text)
    assert_not_completed(enrollment)
    assert LessonProgress.objects.get(enrollment=enrollment, lesson=text).completed_at is not None

    with committed():
        result = services.quiz_submit(enrollment=enrollment, lesson=quiz, answers=RIGHT_ANSWERS)
    assert (result.correct, result.total, result.passed) == (3, 3, True)

    enrollment = reload(enrollment)
    assert enrollment.completed_at is not None
    entry = LedgerEntry.objects.get(user=learner)
    assert entry.jp == Decimal("4")
    assert entry.source_kind == LedgerEntry.SourceKind.COURSE
    assert entry.status == LedgerEntry.Status.VERIFIED
    assert entry.title == "Etika ASN"
    assert entry.category == "teknis"
    assert jp_total(user=learner, year=current_year()) == Decimal("4")

    completed = completed_statements(learner).get()
    assert completed.registration == enrollment.registration
    assert completed.projected_at is not None
    assert entry.statement_id == completed.id
    # The 'completed' statement carries the JP so the ledger can be rebuilt from statements alone.
    assert 4 in completed.data["context"]["extensions"].values()

    note = Notification.objects.get(user=learner, kind="lms.course_completed")
    assert "Etika ASN" in note.title
    assert "4 JP" in note.body


def test_quiz_passed_before_the_text_lesson_completes_only_with_the_text_lesson(learner, committed):
    course = make_course(lessons=("text", "quiz"))
    enrollment = enrol(learner, course, committed)
    text, quiz = lessons_of(course)

    with committed():
        services.quiz_submit(enrollment=enrollment, lesson=quiz, answers=RIGHT_ANSWERS)
    assert_not_completed(enrollment)
    assert LessonProgress.objects.get(enrollment=enrollment, lesson=quiz).passed is True

    with committed():
        services.lesson_complete(enrollment=enrollment, lesson=text)
    assert reload(enrollment).completed_at is not None
    assert LedgerEntry.objects.filter(user=learner).count() == 1


def test_every_required_lesson_is_needed(learner, committed):
    course = make_course(lessons=("text", "video", "quiz"))
    enrollment = enrol(learner, course, committed)
    text, video, quiz = lessons_of(course)

    with committed():
        services.lesson_complete(enrollment=enrollment, lesson=text)
        services.quiz_submit(enrollment=enrollment, lesson=quiz, answers=RIGHT_ANSWERS)
    assert_not_completed(enrollment)

    with committed():
        services.lesson_complete(enrollment=enrollment, lesson=video)
    assert reload(enrollment).completed_at is not None


def test_optional_lessons_do_not_matter(learner, committed):
    course = make_course(jp="3", lessons=("text", "video", "quiz"), optional=(1,))
    enrollment = enrol(learner, course, committed)
    text, optional_video, quiz = lessons_of(course)
    assert not optional_video.required

    with committed():
        services.lesson_complete(enrollment=enrollment, lesson=text)
        services.quiz_submit(enrollment=enrollment, lesson=quiz, answers=RIGHT_ANSWERS)
    assert reload(enrollment).completed_at is not None
    assert not LessonProgress.objects.filter(enrollment=enrollment, lesson=optional_video).exists()
    assert LedgerEntry.objects.get(user=learner).jp == Decimal("3")

    # Studying the optional lesson afterwards changes nothing.
    with committed():
        services.lesson_complete(enrollment=enrollment, lesson=optional_video)
    assert LedgerEntry.objects.filter(user=learner).count() == 1
    assert completed_statements(learner).count() == 1


def test_failed_quiz_credits_nothing_and_a_passing_retry_completes(learner, committed):
    course = make_course(jp="5", lessons=("text", "quiz"))
    enrollment = enrol(learner, course, committed)
    text, quiz = lessons_of(course)

    with committed():
        services.lesson_complete(enrollment=enrollment, lesson=text)
        result = services.quiz_submit(enrollment=enrollment, lesson=quiz, answers=WRONG_ANSWERS)
    assert (result.correct, result.passed) == (0, False)
    assert_not_completed(enrollment)
    progress = LessonProgress.objects.get(enrollment=enrollment, lesson=quiz)
    assert (progress.attempts, progress.passed, progress.completed_at) == (1, False, None)
    assert progress.best_score == Decimal("0")
    assert Statement.objects.filter(user=learner, verb=VERB_FAILED).count() == 1

    # Two of three right is 67 %, under the pass mark of 70 %: still failed.
    almost = {**RIGHT_ANSWERS, 2: {0}}
    with committed():
        result = services.quiz_submit(enrollment=enrollment, lesson=quiz, answers=almost)
    assert (result.correct, result.passed) == (2, False)
    assert_not_completed(enrollment)

    with committed():
        result = services.quiz_submit(enrollment=enrollment, lesson=quiz, answers=RIGHT_ANSWERS)
    assert result.passed
    progress.refresh_from_db()
    assert (progress.attempts, progress.passed) == (3, True)
    assert progress.best_score == Decimal("1")
    assert reload(enrollment).completed_at is not None
    assert LedgerEntry.objects.get(user=learner).jp == Decimal("5")
    assert Statement.objects.filter(user=learner, verb=VERB_ANSWERED).count() == 3


def test_failing_the_quiz_again_after_passing_keeps_the_completion(learner, committed):
    course = make_course(lessons=("quiz",))
    enrollment = enrol(learner, course, committed)
    (quiz,) = lessons_of(course)
    with committed():
        services.quiz_submit(enrollment=enrollment, lesson=quiz, answers=RIGHT_ANSWERS)
        services.quiz_submit(enrollment=enrollment, lesson=quiz, answers=WRONG_ANSWERS)
    progress = LessonProgress.objects.get(enrollment=enrollment, lesson=quiz)
    assert progress.passed is True
    assert progress.attempts == 2
    assert reload(enrollment).completed_at is not None
    assert LedgerEntry.objects.filter(user=learner).count() == 1


def test_course_without_lessons_never_completes(learner, committed):
    course = make_course(lessons=())  # no one can enrol in it any more; an enrolment from before stays
    with committed():
        enrollment = services.enrollment_create(user=learner, course=course, source=Enrollment.Source.SELF)
    assert course_completion_met(enrollment=enrollment) is False
    assert_not_completed(enrollment)


def test_repeated_lesson_completion_does_not_complete_twice(learner, committed):
    course = make_course(jp="2", lessons=("text",))
    enrollment = enrol(learner, course, committed)
    (text,) = lessons_of(course)
    with committed():
        services.lesson_complete(enrollment=enrollment, lesson=text)
    first = reload(enrollment).completed_at
    with committed():
        services.lesson_complete(enrollment=enrollment, lesson=text)
    assert Statement.objects.filter(user=learner, verb=VERB_EXPERIENCED).count() == 2
    assert reload(enrollment).completed_at == first
    assert completed_statements(learner).count() == 1
    assert LedgerEntry.objects.filter(user=learner).count() == 1
    assert Notification.objects.filter(user=learner, kind="lms.course_completed").count() == 1


# Grading --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("answers", "correct"),
    [
        (RIGHT_ANSWERS, 3),
        ({0: {0}, 1: {0}, 2: {0}}, 2),  # one of the two correct choices
        ({0: {0}, 1: {0}, 2: {1}}, 2),  # the other one alone
        ({0: {0}, 1: {0}, 2: {0, 1, 2}}, 2),  # both correct ones and a wrong one
        ({0: {0}, 1: {0}, 2: {2}}, 2),
        ({0: {0, 1}, 1: {0}, 2: {0, 1}}, 2),  # ticking every choice of a single-answer question
        (WRONG_ANSWERS, 0),
        ({}, 0),
    ],
)
def test_a_question_is_right_only_with_exactly_its_correct_choices(answers, correct):
    result = quiz_grade(QUIZ, answers)
    assert result.correct == correct
    assert result.total == 3
    assert result.scaled == pytest.approx(correct / 3)
    assert result.passed is (correct == 3)


@pytest.mark.parametrize(("pass_mark", "passed"), [(66, True), (67, False), (70, False), (0, True)])
def test_pass_mark_is_a_percentage_of_correct_answers(pass_mark, passed):
    result = quiz_grade({**QUIZ, "pass_mark": pass_mark}, {0: {0}, 1: {0}, 2: {2}})  # 2 of 3 = 66.7 %
    assert result.pass_mark == pass_mark
    assert result.passed is passed


def test_full_marks_pass_a_quiz_with_a_pass_mark_of_100():
    assert quiz_grade({**QUIZ, "pass_mark": 100}, RIGHT_ANSWERS).passed is True


# Refused requests -----------------------------------------------------------------------------


@pytest.fixture
def quiz_setup(learner, committed):
    course = make_course(lessons=("text", "quiz"))
    enrollment = enrol(learner, course, committed)
    text, quiz = lessons_of(course)
    return enrollment, text, quiz


def assert_no_quiz_statements(user):
    assert not Statement.objects.filter(user=user, verb__in=[VERB_ANSWERED, VERB_PASSED, VERB_FAILED]).exists()


@pytest.mark.parametrize(
    ("answers", "missing"),
    [
        ({}, "1, 2, 3"),
        ({0: {0}}, "2, 3"),
        ({0: {0}, 1: {0}, 2: set()}, "3"),
        ({1: {0}, 2: {0, 1}}, "1"),
    ],
)
def test_quiz_with_missing_answers_is_refused_with_the_question_numbers(quiz_setup, committed, answers, missing):
    enrollment, _, quiz = quiz_setup
    with pytest.raises(LearningError) as error, committed():
        services.quiz_submit(enrollment=enrollment, lesson=quiz, answers=answers)
    assert str(error.value) == f"Jawab semua pertanyaan terlebih dahulu (belum dijawab: {missing})."
    assert_no_quiz_statements(enrollment.user)
    assert not LessonProgress.objects.filter(enrollment=enrollment, lesson=quiz).exists()


@pytest.mark.parametrize(
    "answers",
    [
        {0: {2}, 1: {0}, 2: {0, 1}},  # question 1 has two choices (0 and 1)
        {0: {0}, 1: {0}, 2: {0, 3}},  # question 3 has three choices
        {0: {-1}, 1: {0}, 2: {0, 1}},  # what quiz_answers_from makes of garbage
        {0: {0}, 1: {0}, 2: {0, 1}, 3: {0}},  # there is no fourth question
    ],
)
def test_quiz_with_choices_that_do_not_exist_is_refused(quiz_setup, committed, answers):
    enrollment, _, quiz = quiz_setup
    with pytest.raises(LearningError) as error, committed():
        services.quiz_submit(enrollment=enrollment, lesson=quiz, answers=answers)
    assert "Jawaban tidak sesuai dengan pertanyaan kuis" in str(error.value)
    assert "Muat ulang halaman" in str(error.value)
    assert_no_quiz_statements(enrollment.user)


def test_quiz_on_a_lesson_without_quiz_is_refused(quiz_setup):
    enrollment, text, _ = quiz_setup
    with pytest.raises(LearningError, match="tidak memiliki kuis"):
        services.quiz_submit(enrollment=enrollment, lesson=text, answers=RIGHT_ANSWERS)
    assert_no_quiz_statements(enrollment.user)


def test_quiz_lesson_cannot_be_marked_done_without_passing(quiz_setup, committed):
    enrollment, text, quiz = quiz_setup
    with committed():
        services.lesson_complete(enrollment=enrollment, lesson=text)
    with pytest.raises(LearningError) as error, committed():
        services.lesson_complete(enrollment=enrollment, lesson=quiz)
    assert str(error.value) == "Pelajaran ini selesai dengan lulus kuisnya."
    assert not Statement.objects.filter(
        user=enrollment.user, verb=VERB_EXPERIENCED, activity_id__endswith=f"/lesson/{quiz.pk}"
    ).exists()
    assert_not_completed(enrollment)


def test_lessons_of_another_course_are_refused(learner, quiz_setup, committed):
    enrollment, _, _ = quiz_setup
    other = make_course(title="Kursus Lain", lessons=("text", "quiz"))
    other_text, other_quiz = lessons_of(other)
    message = "Pelajaran ini bukan bagian dari kursus yang Anda ikuti."
    with pytest.raises(LearningError) as error, committed():
        services.lesson_complete(enrollment=enrollment, lesson=other_text)
    assert str(error.value) == message
    with pytest.raises(LearningError) as error, committed():
        services.quiz_submit(enrollment=enrollment, lesson=other_quiz, answers=RIGHT_ANSWERS)
    assert str(error.value) == message
    assert not Statement.objects.filter(user=learner, verb__in=[VERB_EXPERIENCED, VERB_PASSED]).exists()
    assert not LessonProgress.objects.exists()


def test_unpublished_lesson_is_refused(quiz_setup):
    enrollment, text, _ = quiz_setup
    text.unpublish()
    text.refresh_from_db()
    with pytest.raises(LearningError, match="bukan bagian dari kursus"):
        services.lesson_complete(enrollment=enrollment, lesson=text)


def test_enrolling_twice_keeps_one_enrolment(learner, committed):
    course = make_course()
    first = enrol(learner, course, committed)
    second = enrol(learner, course, committed)
    assert first.pk == second.pk
    assert Enrollment.objects.filter(user=learner, course=course).count() == 1


# A race between workers -----------------------------------------------------------------------


def test_completion_check_while_completion_is_not_yet_projected_does_not_fail(
    learner, django_capture_on_commit_callbacks
):
    """Worker A projects the quiz pass and records 'completed'; before 'completed' is projected,
    worker B projects the learner's optional lesson, whose handler checks completion again."""
    course = make_course(lessons=("quiz", "text"), optional=(1,))
    with django_capture_on_commit_callbacks(execute=True):
        enrollment = services.check_enrollment_self(user=learner, course_id=course.pk)
    quiz, optional_text = lessons_of(course)

    with django_capture_on_commit_callbacks(execute=False):  # the broker has the tasks; no worker ran yet
        services.quiz_submit(enrollment=enrollment, lesson=quiz, answers=RIGHT_ANSWERS)
        services.lesson_complete(enrollment=enrollment, lesson=optional_text)
    passed = Statement.objects.get(user=learner, verb=VERB_PASSED)
    experienced = Statement.objects.get(user=learner, verb=VERB_EXPERIENCED)

    with django_capture_on_commit_callbacks(execute=False):
        project_statements([str(passed.pk)])  # worker A; 'completed' is stored, its projection queued
        assert completed_statements(learner).count() == 1
        project_statements([str(experienced.pk)])  # worker B

    project_pending()  # whatever is left catches up (the platform projects its own statements at once)
    assert not Statement.objects.filter(projected_at__isnull=True).exists()
    assert completed_statements(learner).count() == 1
    assert LedgerEntry.objects.filter(user=learner).count() == 1
    assert reload(enrollment).completed_at == passed.timestamp
