"""Forwarding to an upstream LRS through the outbox (lms/xapi/forwarding.py): queued with the insert,
sent in batches by tincan's RemoteLRS, kept through an outage, never sent twice."""

from __future__ import annotations

import datetime as dt
import json
import threading
import time
import uuid

import pytest
from celery.exceptions import SoftTimeLimitExceeded
from django.core.cache import cache
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from conftest import require
from lms.xapi import forwarding, tasks, views
from lms.xapi.models import OutboxEntry, Statement
from lms.xapi.services import lrs_client_save, statements_record
from lms.xapi.tests.lrs import statement

UPSTREAM = "https://lrs.example.go.id/xapi/"


class FakeResponse:
    def __init__(self, success: bool, status: int, data: bytes = b""):
        self.success = success
        self.data = data
        self.response = type("HTTPResponse", (), {"status": status})()


class FakeLRS:
    """Stands in for RemoteLRS: records what it is asked to send; `script` says how each request ends
    (True: stored, an int: that HTTP status, an exception: raised), then every request succeeds."""

    instances: list[FakeLRS] = []
    sent: list[list[dict]] = []  # the payload of each request, as JSON
    script: list = []
    reject_ids: set[str] = set()  # a batch holding one of these ids gets a 400
    delay = 0.0  # seconds a request takes

    def __init__(self, **kwargs):
        self.kwargs = kwargs
        FakeLRS.instances.append(self)

    def save_statements(self, statements):
        payload = [json.loads(s.to_json()) for s in statements]
        time.sleep(FakeLRS.delay)
        FakeLRS.sent.append(payload)
        if any(s["id"] in FakeLRS.reject_ids for s in payload):
            return FakeResponse(False, 400, b'{"error": "bad statement"}')
        outcome = FakeLRS.script.pop(0) if FakeLRS.script else True
        if isinstance(outcome, BaseException):
            raise outcome
        if outcome is True:
            return FakeResponse(True, 200, json.dumps([s["id"] for s in payload]).encode())
        return FakeResponse(False, outcome, b"upstream says no")


@pytest.fixture
def fake_lrs(monkeypatch):
    FakeLRS.instances, FakeLRS.sent, FakeLRS.script, FakeLRS.reject_ids, FakeLRS.delay = [], [], [], set(), 0.0
    monkeypatch.setattr(forwarding, "RemoteLRS", FakeLRS)
    return FakeLRS


@pytest.fixture
def forwarding_on(settings):
    settings.LRS_FORWARD_ENABLED = True
    settings.LRS_FORWARD_ENDPOINT = UPSTREAM
    settings.LRS_FORWARD_USERNAME = "tangerang"
    settings.LRS_FORWARD_PASSWORD = "rahasia"
    settings.LRS_FORWARD_TIMEOUT = 7
    settings.LRS_FORWARD_BATCH = 100
    cache.delete(forwarding.FORWARD_SCHEDULED)
    yield settings
    cache.delete(forwarding.FORWARD_SCHEDULED)


def store(n: int = 1, **overrides) -> list[str]:
    ids = [str(uuid.uuid4()) for _ in range(n)]
    statements_record(statements=[statement(id=sid, **overrides) for sid in ids])
    return ids


def sent_ids() -> list[str]:
    return [s["id"] for request in FakeLRS.sent for s in request]


def make_due() -> None:
    OutboxEntry.objects.update(next_attempt_at=timezone.now() - dt.timedelta(seconds=1))


# Queueing ------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_off_by_default_nothing_is_queued(fake_lrs):
    from django.conf import settings

    assert settings.LRS_FORWARD_ENABLED is False
    store(3)
    assert Statement.objects.count() == 3
    assert OutboxEntry.objects.count() == 0
    assert tasks.forward_outbox_task.delay().get() == 0
    assert fake_lrs.instances == []


@pytest.mark.django_db
def test_storing_queues_each_new_statement_once(forwarding_on):
    ids = store(2)
    assert sorted(str(e.statement_id) for e in OutboxEntry.objects.all()) == sorted(ids)
    entry = OutboxEntry.objects.first()
    assert entry.attempts == 0 and entry.sent_at is None and entry.next_attempt_at <= timezone.now()

    # The same statements again: accepted unchanged, queued no second time; with a new one, only it is.
    statements_record(statements=[statement(id=sid) for sid in ids])
    assert OutboxEntry.objects.count() == 2
    new = str(uuid.uuid4())
    statements_record(statements=[statement(id=ids[0]), statement(id=new)])
    assert OutboxEntry.objects.count() == 3
    assert OutboxEntry.objects.filter(statement_id=new).exists()


@pytest.mark.django_db
def test_a_batch_is_queued_in_one_insert(forwarding_on):
    with CaptureQueriesContext(connection) as queries:
        store(50)
    inserts = [q["sql"] for q in queries.captured_queries if q["sql"].startswith('INSERT INTO "xapi_outboxentry"')]
    assert len(inserts) == 1
    assert OutboxEntry.objects.count() == 50


@pytest.mark.django_db
def test_statements_rolled_back_are_not_queued(forwarding_on):
    # As when the attachments of a multipart request cannot be kept: the statements go, and their rows.
    with pytest.raises(RuntimeError), transaction.atomic():
        store(2)
        raise RuntimeError("attachment storage failed")
    assert Statement.objects.count() == 0
    assert OutboxEntry.objects.count() == 0


@pytest.mark.django_db
def test_after_commit_one_sender_run_is_asked_for_however_many_batches(
    forwarding_on, monkeypatch, django_capture_on_commit_callbacks
):
    runs = []
    monkeypatch.setattr(tasks.forward_outbox_task, "delay", lambda: runs.append(1))
    with django_capture_on_commit_callbacks(execute=True):
        store(3)
    with django_capture_on_commit_callbacks(execute=True):
        store(2)
    assert runs == [1]  # the second batch finds a run already queued
    cache.delete(forwarding.FORWARD_SCHEDULED)  # what the run does as it starts
    with django_capture_on_commit_callbacks(execute=True):
        store(1)
    assert runs == [1, 1]


@pytest.mark.django_db
def test_a_broker_outage_leaves_the_rows_for_the_beat(forwarding_on, monkeypatch):
    store(2)

    def broker_down():
        raise ConnectionError("broker down")

    monkeypatch.setattr(tasks.forward_outbox_task, "delay", broker_down)
    forwarding_on.CELERY_TASK_ALWAYS_EAGER = False  # a worker setup: the broker is a service that can be down
    assert tasks.forward_outbox_task.app.conf.task_always_eager is False
    forwarding.schedule_forwarding()  # logs, does not raise into the request that stored the statements
    assert OutboxEntry.objects.filter(sent_at__isnull=True).count() == 2
    assert cache.get(forwarding.FORWARD_SCHEDULED) is None  # the next statement asks again


# Sending -------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_sender_sends_one_batch_and_a_second_run_sends_nothing(forwarding_on, fake_lrs):
    ids = store(3, timestamp="2025-01-02T03:04:05.678Z")
    assert tasks.forward_outbox_task.delay().get() == 3

    (lrs,) = fake_lrs.instances
    assert lrs.kwargs == {
        "endpoint": UPSTREAM,
        "username": "tangerang",
        "password": "rahasia",
        "version": "1.0.3",
        "timeout": 7,
    }
    assert len(fake_lrs.sent) == 1 and sorted(sent_ids()) == sorted(ids)
    first = fake_lrs.sent[0][0]
    # Our ids (a resend is a no-op upstream); what the upstream sets itself is left to it.
    assert first["id"] in ids and "stored" not in first and "authority" not in first
    assert first["actor"]["mbox"] == "mailto:ani@example.org"
    assert first["verb"]["id"] == "http://adlnet.gov/expapi/verbs/experienced"
    assert first["object"]["id"] == "http://example.org/activity/1"
    assert first["timestamp"].startswith("2025-01-02T03:04:05.678")
    assert OutboxEntry.objects.filter(sent_at__isnull=False).count() == 3
    assert OutboxEntry.objects.filter(claimed_until__isnull=False).count() == 0
    # The stored statement itself is untouched by the conversion.
    assert "stored" in Statement.objects.get(pk=ids[0]).data

    assert tasks.forward_outbox_task.delay().get() == 0
    assert len(fake_lrs.sent) == 1


@pytest.mark.django_db
def test_batches_follow_the_batch_size(forwarding_on, fake_lrs):
    forwarding_on.LRS_FORWARD_BATCH = 2
    ids = store(5)
    report = forwarding.send_pending()
    assert report.sent == 5
    assert [len(r) for r in fake_lrs.sent] == [2, 2, 1]
    assert sorted(sent_ids()) == sorted(ids)


@pytest.mark.django_db
def test_an_upstream_outage_keeps_the_rows_with_backoff_and_a_later_success_sends_each_once(forwarding_on, fake_lrs):
    ids = store(2)
    fake_lrs.script = [ConnectionRefusedError("Connection refused"), 503]

    before = timezone.now()
    report = forwarding.send_pending()
    assert (report.sent, report.failed) == (0, 2)
    assert report.retry_in is not None and 25 <= report.retry_in <= 30
    for entry in OutboxEntry.objects.all():
        assert entry.sent_at is None and entry.claimed_until is None
        assert entry.attempts == 1
        assert "ConnectionRefusedError: Connection refused" in entry.last_error
        assert before + dt.timedelta(seconds=29) < entry.next_attempt_at <= timezone.now() + dt.timedelta(seconds=30)

    # In backoff: a run now sends nothing.
    assert forwarding.send_pending().sent == 0
    assert len(fake_lrs.sent) == 1

    make_due()
    report = forwarding.send_pending()
    assert report.failed == 2 and "HTTP 503: upstream says no" in report.error
    entry = OutboxEntry.objects.first()
    assert entry.attempts == 2 and entry.last_error == "HTTP 503: upstream says no"
    assert entry.next_attempt_at > timezone.now() + dt.timedelta(seconds=55)

    make_due()
    assert forwarding.send_pending().sent == 2
    assert OutboxEntry.objects.filter(sent_at__isnull=True).count() == 0
    make_due()  # even due again, a row marked sent is never picked
    assert forwarding.send_pending().sent == 0
    assert call_command_output().startswith("Sent 0, failed 0; 0 unsent")
    successful = fake_lrs.sent[2:]
    assert sorted(s["id"] for request in successful for s in request) == sorted(ids)


def call_command_output(*args) -> str:
    from io import StringIO

    out = StringIO()
    call_command("resend_lrs_outbox", *args, stdout=out)
    return out.getvalue().splitlines()[-1]


def test_backoff_doubles_up_to_an_hour():
    assert [forwarding.backoff(n).total_seconds() for n in range(1, 9)] == [30, 60, 120, 240, 480, 960, 1920, 3600]
    assert forwarding.backoff(50) == dt.timedelta(hours=1)


@pytest.mark.django_db
def test_a_statement_the_upstream_rejects_does_not_hold_back_the_others(forwarding_on, fake_lrs):
    ids = store(4)
    fake_lrs.reject_ids = {ids[1]}
    report = forwarding.send_pending()
    assert (report.sent, report.failed) == (3, 1)
    assert report.retry_in is None  # not an outage: nothing to retry soon
    # The batch, then one statement at a time.
    assert [len(r) for r in fake_lrs.sent] == [4, 1, 1, 1, 1]
    rejected = OutboxEntry.objects.get(statement_id=ids[1])
    assert rejected.sent_at is None and rejected.attempts == 1 and rejected.last_error.startswith("HTTP 400")
    assert OutboxEntry.objects.filter(sent_at__isnull=False).count() == 3


@pytest.mark.django_db
def test_a_statement_tincan_cannot_represent_waits_alone(forwarding_on, fake_lrs):
    good = store(2)
    bad = store(1)[0]
    # Stored before a validator change, say: tincan cannot read it.
    Statement.objects.filter(pk=bad).update(data={**Statement.objects.get(pk=bad).data, "timestamp": "yesterday"})
    report = forwarding.send_pending()
    assert (report.sent, report.failed) == (2, 1)
    assert sorted(sent_ids()) == sorted(good)
    entry = OutboxEntry.objects.get(statement_id=bad)
    assert entry.sent_at is None and entry.attempts == 1 and entry.last_error.startswith("Not convertible by tincan")


@pytest.mark.django_db
def test_rows_claimed_by_another_sender_are_left_alone(forwarding_on, fake_lrs):
    ids = store(2)
    OutboxEntry.objects.filter(statement_id=ids[0]).update(claimed_until=timezone.now() + dt.timedelta(minutes=5))
    assert forwarding.send_pending(due_only=False).sent == 1
    assert sent_ids() == [ids[1]]
    # A claim whose sender died expires.
    OutboxEntry.objects.filter(statement_id=ids[0]).update(claimed_until=timezone.now() - dt.timedelta(seconds=1))
    assert forwarding.send_pending().sent == 1
    assert sorted(sent_ids()) == sorted(ids)


@pytest.mark.django_db
def test_an_interrupted_send_frees_the_batch_without_counting_a_failure(forwarding_on, fake_lrs):
    store(2)
    fake_lrs.script = [SoftTimeLimitExceeded()]
    with pytest.raises(SoftTimeLimitExceeded):
        forwarding.send_pending()
    assert list(OutboxEntry.objects.values_list("attempts", "claimed_until", "sent_at").distinct()) == [(0, None, None)]
    assert forwarding.send_pending().sent == 2


@pytest.mark.django_db
def test_the_task_retries_when_the_failed_rows_are_due_again(forwarding_on, fake_lrs, monkeypatch):
    store(1)
    fake_lrs.script = [503]
    retries = []

    class Retry(Exception):
        pass

    def retry(**kwargs):
        retries.append(kwargs)
        return Retry()

    monkeypatch.setattr(tasks.forward_outbox_task, "retry", retry)
    with pytest.raises(Retry):
        tasks.forward_outbox_task()  # called directly: a worker's request, not an eager one
    assert 25 <= retries[0]["countdown"] <= 30
    assert isinstance(retries[0]["exc"], forwarding.ForwardingError)

    # In-process (eager) the task does not wait for the backoff: the next statement or the beat retries.
    make_due()
    fake_lrs.script = [503]
    assert tasks.forward_outbox_task.delay().get() == 0
    assert len(retries) == 1
    assert OutboxEntry.objects.get().attempts == 2


@pytest.mark.django_db
def test_the_remote_lrs_is_tincans_with_a_timeout_and_version_103(forwarding_on):
    lrs = forwarding.remote_lrs()
    assert lrs.endpoint == UPSTREAM and lrs.version == "1.0.3" and lrs.timeout == 7
    assert lrs.auth.startswith("Basic ")


def test_the_forwarded_statement_keeps_its_id_and_leaves_the_stored_json_alone():
    data = {
        **statement(id="0b5e6f1c-1d2e-4f3a-8b4c-5d6e7f8a9b0c"),
        "timestamp": "2025-01-02T03:04:05.678Z",
        "stored": "2025-01-02T03:04:06.000Z",
        "authority": {"objectType": "Agent", "account": {"homePage": "https://x", "name": "y"}},
        "version": "1.0.0",
    }
    original = json.dumps(data, sort_keys=True)
    out = json.loads(forwarding.tincan_statement(data).to_json())
    assert out["id"] == data["id"] and out["version"] == "1.0.0"
    assert "stored" not in out and "authority" not in out
    assert out["actor"] == data["actor"] and out["verb"] == data["verb"] and out["object"] == data["object"]
    assert json.dumps(data, sort_keys=True) == original
    # The same conversion each time: a resend is the same statement.
    assert forwarding.tincan_statement(data).to_json() == forwarding.tincan_statement(data).to_json()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_senders_at_once_send_each_statement_once(forwarding_on, fake_lrs):
    require(connection.vendor == "postgresql", "row locks and concurrent transactions need PostgreSQL")
    forwarding_on.LRS_FORWARD_BATCH = 5
    cache.set(forwarding.FORWARD_SCHEDULED, 1)  # a run is "queued": the two below are the workers
    ids = store(40)
    fake_lrs.delay = 0.05
    barrier = threading.Barrier(2)
    reports, errors = [], []

    def sender():
        try:
            barrier.wait(timeout=10)
            reports.append(forwarding.send_pending())
        except Exception as error:  # noqa: BLE001 - reported by the test
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=sender) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert sum(r.sent for r in reports) == 40
    assert sorted(sent_ids()) == sorted(ids)  # each once
    assert OutboxEntry.objects.filter(sent_at__isnull=True).count() == 0


# The command ---------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_resend_command_sends_everything_unsent_now_or_only_what_failed(forwarding_on, fake_lrs):
    fresh = store(1)
    failed = store(1)
    OutboxEntry.objects.filter(statement_id=failed[0]).update(
        attempts=3, last_error="HTTP 503", next_attempt_at=timezone.now() + dt.timedelta(minutes=30)
    )
    OutboxEntry.objects.filter(statement_id=fresh[0]).update(sent_at=timezone.now())  # already sent
    also_fresh = store(1)

    assert call_command_output("--failed-only") == "Sent 1, failed 0; 1 unsent in the outbox (0 of them failed before)."
    assert sent_ids() == failed
    assert call_command_output() == "Sent 1, failed 0; 0 unsent in the outbox (0 of them failed before)."
    assert sent_ids() == failed + also_fresh  # the one sent before is not sent again


@pytest.mark.django_db
def test_resend_command_reports_failures_and_works_while_forwarding_is_off(forwarding_on, fake_lrs):
    store(2)
    forwarding_on.LRS_FORWARD_ENABLED = False  # queued before it was switched off
    fake_lrs.script = [503]
    from io import StringIO

    out = StringIO()
    with pytest.raises(CommandError, match="2 statement\\(s\\) not sent; last error: HTTP 503"):
        call_command("resend_lrs_outbox", stdout=out)
    assert "Forwarding is off" in out.getvalue()
    assert "Sent 0, failed 2; 2 unsent in the outbox (2 of them failed before)." in out.getvalue()
    # The backoff does not hold back the command.
    assert call_command_output() == "Sent 2, failed 0; 0 unsent in the outbox (0 of them failed before)."


@pytest.mark.django_db
def test_resend_command_needs_an_endpoint(settings):
    settings.LRS_FORWARD_ENDPOINT = ""
    with pytest.raises(CommandError, match="LRS_FORWARD_ENDPOINT"):
        call_command("resend_lrs_outbox")


# End to end: the real RemoteLRS over HTTP to our own LRS as the upstream ----------------------------------


@pytest.mark.django_db(transaction=True)
def test_forwarded_statements_reach_the_upstream_and_are_readable_there(live_server, settings, monkeypatch):
    """One process, one database: the upstream (the live server) already holds each statement it receives,
    so it answers as for a resend (same id and content: a no-op) and queues nothing of its own. For the
    content to be the same after tincan's conversion the timestamps are already in tincan's format."""
    client, _ = lrs_client_save(name="Upstream account", key="upstream-key", secret="upstream-secret", scopes=["all"])
    settings.LRS_FORWARD_ENABLED = True
    settings.LRS_FORWARD_ENDPOINT = f"{live_server.url}/xapi/"
    settings.LRS_FORWARD_USERNAME = "upstream-key"
    settings.LRS_FORWARD_PASSWORD = "upstream-secret"
    settings.LRS_FORWARD_TIMEOUT = 10
    cache.delete(forwarding.FORWARD_SCHEDULED)

    received = []
    real_record = views.statements_record

    def upstream_record(**kwargs):
        recorded = real_record(**kwargs)
        received.extend((str(r.statement.id), r.created, kwargs["client"]) for r in recorded)
        return recorded

    monkeypatch.setattr(views, "statements_record", upstream_record)
    timestamp = "2025-01-02T03:04:05.678000+00:00"

    # 1. The whole path: stored and queued, after commit the (eager) sender task sends it upstream.
    first = str(uuid.uuid4())
    statements_record(statements=[statement(id=first, timestamp=timestamp)])
    assert received == [(first, False, client)]
    entry = OutboxEntry.objects.get(statement_id=first)
    assert entry.sent_at is not None and entry.attempts == 0 and entry.last_error == ""

    # 2. Queued while a sender run is already asked for; forwarding is switched off, and the command
    # sends what was queued.
    cache.set(forwarding.FORWARD_SCHEDULED, 1)
    batch = [str(uuid.uuid4()) for _ in range(3)]
    statements_record(statements=[statement(id=sid, timestamp=timestamp) for sid in batch])
    assert OutboxEntry.objects.filter(sent_at__isnull=True).count() == 3
    settings.LRS_FORWARD_ENABLED = False
    cache.delete(forwarding.FORWARD_SCHEDULED)
    assert call_command_output() == "Sent 3, failed 0; 0 unsent in the outbox (0 of them failed before)."
    assert sorted(sid for sid, _, _ in received[1:]) == sorted(batch)
    assert all(created is False and who == client for _, created, who in received)

    # Readable upstream with the same ids, through the real RemoteLRS; the upstream queued nothing more.
    lrs = forwarding.remote_lrs()
    for sid in [first, *batch]:
        response = lrs.retrieve_statement(sid)
        assert response.success, response.data
        assert str(response.content.id) == sid
    assert OutboxEntry.objects.count() == 4
    assert OutboxEntry.objects.filter(sent_at__isnull=True).count() == 0
    assert Statement.objects.count() == 4

    # A resend (the upstream never acknowledged, say) is a no-op there.
    OutboxEntry.objects.update(sent_at=None)
    assert call_command_output() == "Sent 4, failed 0; 0 unsent in the outbox (0 of them failed before)."
    assert Statement.objects.count() == 4
