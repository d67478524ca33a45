"""Faults: a worker killed in the middle of crediting hours, and Redis (cache and broker) going down.

Both need PostgreSQL (the worker is another process on the same database) and, for the first, the
machine's Redis broker; the second runs a redis-server of its own so that it can stop it.
"""

from __future__ import annotations

import time
import uuid

import pytest
from django.conf import settings
from django.core.cache import caches
from django.db import connection
from django.test import Client

from conftest import require
from content.tests.factories import make_course
from lms import services
from lms.hours.models import LedgerEntry
from lms.xapi.models import Statement
from lms.xapi.services import PROJECTION_SCHEDULED
from lms.xapi.tasks import project_pending_task
from lms.xapi.tests.lrs import Lrs, statement
from shell.cache import TolerantRedisCache
from shell.people.tests.factories import UserFactory
from tests.workers import PrivateRedis, publishing_to, start_worker, stop_worker, wait_for

pytestmark = [
    pytest.mark.celery_worker,
    pytest.mark.usefixtures("restore_migrated_data"),
    pytest.mark.django_db(transaction=True),
]
LEARNERS = 80


def _learners_who_finished_a_lesson(course, count: int) -> list:
    """Completions stored and left to the worker. (A lesson finished in the app is projected during its
    request; stored statements are what a worker projects: the beat's catch-up, the player's, a trusted
    client's.)"""
    from lms.xapi.services import statement_record
    from lms.xapi.transformers.course import CourseCompleted

    learners = []
    for _ in range(count):
        learner = UserFactory()
        enrollment = services.check_enrollment_self(user=learner, course_id=course.pk)
        statement_record(statement=CourseCompleted(user=learner, enrollment=enrollment).statement())
        learners.append(learner)
    return learners


def test_a_worker_killed_while_crediting_hours_credits_each_exactly_once_after_restart():
    require(bool(settings.CELERY_BROKER_URL), "CELERY_BROKER_URL is not set (no Redis broker)")
    require(connection.vendor == "postgresql", "the worker process needs a shared PostgreSQL database")
    queue = f"fault-{uuid.uuid4().hex[:8]}"
    # This process's cache is its own (the worker cannot clear a "run queued" flag set here earlier).
    caches["default"].delete(PROJECTION_SCHEDULED)
    with publishing_to(queue):
        course = make_course(jp="2", lessons=("text",))
        # The statements wait in the database and one projection run waits in the queue: no worker yet.
        learners = _learners_who_finished_a_lesson(course, LEARNERS)
        assert not LedgerEntry.objects.exists()

        first = start_worker(queue=queue)
        started = wait_for(lambda: LedgerEntry.objects.count() >= 3, timeout=120, interval=0.02)
        first.kill()  # SIGKILL in the middle of the run: no clean shutdown, no ack
        log = stop_worker(first)
        assert started, log
        credited_at_kill = LedgerEntry.objects.count()
        assert credited_at_kill < LEARNERS, "the worker finished before it was killed; raise LEARNERS"

        second = start_worker(queue=queue)
        try:
            project_pending_task.delay()  # what the beat's periodic run does
            done = wait_for(
                lambda: LedgerEntry.objects.count() >= LEARNERS
                and not Statement.objects.filter(projected_at__isnull=True).exists(),
                timeout=180,
            )
        finally:
            log = stop_worker(second)
        assert done, log
    entries = LedgerEntry.objects.all()
    assert entries.count() == LEARNERS
    assert sorted(entries.values_list("user_id", flat=True)) == sorted(u.pk for u in learners)
    assert {e.jp for e in entries} == {2}


def test_with_redis_down_the_web_serves_and_statements_are_kept_then_processed_when_it_is_back(settings):
    require(connection.vendor == "postgresql", "the worker process needs a shared PostgreSQL database")
    redis = PrivateRedis()
    redis.start()
    queue = f"fault-{uuid.uuid4().hex[:8]}"
    settings.CACHES = {
        "default": {
            "BACKEND": "shell.cache.TolerantRedisCache",
            "LOCATION": f"{redis.url}/1",
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
    settings.CELERY_BROKER_URL = f"{redis.url}/0"
    assert isinstance(caches["default"], TolerantRedisCache)
    worker = start_worker(queue=queue, broker_url=settings.CELERY_BROKER_URL)
    try:
        with publishing_to(queue, settings.CELERY_BROKER_URL):
            course = make_course(jp="3", lessons=("text",))
            [before] = _learners_who_finished_a_lesson(course, 1)
            ok = wait_for(lambda: LedgerEntry.objects.filter(user=before).exists())
            assert ok, "the pipeline does not work"

            redis.stop()
            learner = UserFactory()
            browser = Client()
            browser.force_login(learner)
            assert browser.get("/").status_code == 200  # home with its badges
            assert browser.get("/belajar/").status_code == 200
            assert browser.post(f"/belajar/kursus/{course.pk}/daftar/").status_code in (200, 302)
            lesson = next(iter(course.lessons()))
            assert browser.post(f"/belajar/pelajaran/{lesson.pk}/selesai/").status_code in (200, 302)
            assert LedgerEntry.objects.filter(user=learner).exists()  # credited in the request, no broker needed
            [learner] = _learners_who_finished_a_lesson(course, 1)  # stored, for the worker
            lrs = Lrs()
            response = lrs.post("statements", [statement(), statement()])
            assert response.status_code == 200, response.content
            stored = Statement.objects.filter(pk__in=response.json()).count()
            assert stored == 2
            assert not LedgerEntry.objects.filter(user=learner).exists()
            assert Statement.objects.filter(projected_at__isnull=True).exists()  # kept, waiting

            redis.start()  # empty: whatever was queued before is gone, the database is not

            def caught_up() -> bool:
                # The beat's periodic run, here every few seconds instead of every five minutes: the
                # worker reconnects in its own time, and a run it never saw is simply run again.
                if time.monotonic() >= next_run[0]:
                    project_pending_task.delay()
                    next_run[0] = time.monotonic() + 5
                return (
                    LedgerEntry.objects.filter(user=learner).exists()
                    and not Statement.objects.filter(projected_at__isnull=True).exists()
                )

            next_run = [0.0]
            assert wait_for(caught_up, timeout=180, interval=0.5), stop_worker(worker)
    finally:
        print(stop_worker(worker))
        redis.stop()
    assert LedgerEntry.objects.get(user=learner).jp == 3
