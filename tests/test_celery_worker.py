"""Integration: statements go through a real Celery worker on Redis (not eager) to the ledger."""

import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from conftest import require
from content.tests.factories import RIGHT_ANSWERS, make_course
from lms import services
from lms.hours.models import LedgerEntry
from lms.models import Enrollment
from shell.people.tests.factories import UserFactory
from tests.workers import publishing_to, start_worker, stop_worker, wait_for

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def real_worker():
    require(bool(settings.CELERY_BROKER_URL), "CELERY_BROKER_URL is not set (no Redis broker)")
    require(connection.vendor == "postgresql", "the worker process needs a shared PostgreSQL database")
    queue = f"test-{uuid.uuid4().hex[:8]}"
    worker = start_worker(queue=queue)
    try:
        with publishing_to(queue):
            yield worker
    finally:
        print(stop_worker(worker))


@pytest.mark.celery_worker
@pytest.mark.usefixtures("restore_migrated_data")
@pytest.mark.django_db(transaction=True)
def test_completion_is_projected_by_a_real_worker_and_credited_once(real_worker):
    learner = UserFactory()
    course = make_course(jp="6", lessons=("text", "quiz"))
    enrollment = services.check_enrollment_self(user=learner, course_id=course.pk)
    text_lesson, quiz_lesson = list(course.lessons())
    services.lesson_complete(enrollment=enrollment, lesson=text_lesson)
    services.quiz_submit(enrollment=enrollment, lesson=quiz_lesson, answers=RIGHT_ANSWERS)

    # Nothing was projected in this process: the worker does it, then records and projects "completed".
    assert wait_for(lambda: LedgerEntry.objects.filter(user=learner).exists()), "the worker credited nothing"
    entry = LedgerEntry.objects.get(user=learner)
    assert entry.jp == 6
    assert Enrollment.objects.get(pk=enrollment.pk).completed_at is not None
    assert real_worker.poll() is None, "the worker died"

    # Delivering the same work again (as after a lost ack) changes nothing.
    from lms.xapi.models import Statement
    from lms.xapi.tasks import project_statements_task

    Statement.objects.update(projected_at=None)
    project_statements_task.delay([str(s) for s in Statement.objects.values_list("pk", flat=True)])
    assert wait_for(lambda: not Statement.objects.filter(projected_at__isnull=True).exists())
    assert LedgerEntry.objects.filter(user=learner).count() == 1
