import pytest
from django.core.management import call_command

from content.tests.factories import RIGHT_ANSWERS, WRONG_ANSWERS, make_course
from lms import services
from lms.hours.models import LedgerEntry
from lms.models import Enrollment, LessonProgress
from shell.people.tests.factories import UserFactory


@pytest.mark.django_db
def test_progress_completion_and_credit_are_rebuilt_from_statements(django_capture_on_commit_callbacks):
    learner, other = UserFactory(), UserFactory()
    course = make_course(jp="5", lessons=("text", "quiz"))
    text, quiz = course.lessons()
    with django_capture_on_commit_callbacks(execute=True):
        enrollment = services.check_enrollment_self(user=learner, course_id=course.pk)
        services.lesson_complete(enrollment=enrollment, lesson=text)
        services.quiz_submit(enrollment=enrollment, lesson=quiz, answers=WRONG_ANSWERS)
        services.quiz_submit(enrollment=enrollment, lesson=quiz, answers=RIGHT_ANSWERS)
        partial = services.check_enrollment_self(user=other, course_id=course.pk)
        services.lesson_complete(enrollment=partial, lesson=text)
    before = (
        sorted(LessonProgress.objects.values_list("enrollment_id", "lesson_id", "attempts", "passed", "best_score")),
        sorted(Enrollment.objects.values_list("pk", "completed_at")),
        sorted(LedgerEntry.objects.values_list("user_id", "jp", "date", "source_key")),
    )
    assert len(before[2]) == 1

    # Damage the read models, then rebuild them.
    LessonProgress.objects.all().delete()
    Enrollment.objects.update(completed_at=None)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("rebuild_projections")
    after = (
        sorted(LessonProgress.objects.values_list("enrollment_id", "lesson_id", "attempts", "passed", "best_score")),
        sorted(Enrollment.objects.values_list("pk", "completed_at")),
        sorted(LedgerEntry.objects.values_list("user_id", "jp", "date", "source_key")),
    )
    assert after == before
