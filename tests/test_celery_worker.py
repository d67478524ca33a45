"""Integration: statements go through a real Celery worker on Redis (not eager) to the ledger."""

import os
import subprocess
import sys
import time
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
from shell import celery_app
from shell.people.tests.factories import UserFactory

ROOT = Path(__file__).resolve().parent.parent


def _database_url() -> str:
    s = connection.settings_dict
    return f"postgres://{s['USER'] or 'postgres'}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


@pytest.fixture
def real_worker():
    require(bool(settings.CELERY_BROKER_URL), "CELERY_BROKER_URL is not set (no Redis broker)")
    require(connection.vendor == "postgresql", "the worker process needs a shared PostgreSQL database")
    queue = f"test-{uuid.uuid4().hex[:8]}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "shell.settings.test",
        "DATABASE_URL": _database_url(),
        "CELERY_TASK_ALWAYS_EAGER": "0",
        "CELERY_TASK_DEFAULT_QUEUE": queue,
    }
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "shell",
            "worker",
            "--pool=solo",
            "--concurrency=1",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "-Q",
            queue,
            "--loglevel=INFO",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    old = (celery_app.conf.task_always_eager, celery_app.conf.task_default_queue)
    celery_app.conf.task_always_eager = False
    celery_app.conf.task_default_queue = queue
    try:
        yield worker
    finally:
        celery_app.conf.task_always_eager, celery_app.conf.task_default_queue = old
        worker.terminate()
        try:
            output, _ = worker.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()
            output, _ = worker.communicate()
        print(output[-4000:])


def _wait_for(predicate, timeout=60.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.2)
    return False


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_completion_is_projected_by_a_real_worker_and_credited_once(real_worker):
    learner = UserFactory()
    course = make_course(jp="6", lessons=("text", "quiz"))
    enrollment = services.check_enrollment_self(user=learner, course_id=course.pk)
    text_lesson, quiz_lesson = list(course.lessons())
    services.lesson_complete(enrollment=enrollment, lesson=text_lesson)
    services.quiz_submit(enrollment=enrollment, lesson=quiz_lesson, answers=RIGHT_ANSWERS)

    # Nothing was projected in this process: the worker does it, then records and projects "completed".
    assert _wait_for(lambda: LedgerEntry.objects.filter(user=learner).exists()), "the worker credited nothing"
    entry = LedgerEntry.objects.get(user=learner)
    assert entry.jp == 6
    assert Enrollment.objects.get(pk=enrollment.pk).completed_at is not None
    assert real_worker.poll() is None, "the worker died"

    # Delivering the same work again (as after a lost ack) changes nothing.
    from lms.xapi.models import Statement
    from lms.xapi.tasks import project_statements_task

    Statement.objects.update(projected_at=None)
    project_statements_task.delay([str(s) for s in Statement.objects.values_list("pk", flat=True)])
    assert _wait_for(lambda: not Statement.objects.filter(projected_at__isnull=True).exists())
    assert LedgerEntry.objects.filter(user=learner).count() == 1
