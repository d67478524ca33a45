"""Domain events through the outbox: kept with the transaction that made them true, delivered after
commit, and delivered later (once) when the broker was down at the time."""

import pytest
from django.db import transaction

from shell import events, hooks
from shell.outbox.models import Event
from shell.tasks import dispatch_event_task
from shell.types import EventHandler, EventType

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _declared():
    """The test events, declared as a module declares its own (publish refuses undeclared ones)."""
    declared = [EventType("test.happened", {"n": int}), EventType("test.flaky", {})]
    with hooks.register_temporarily("event_types", lambda: declared):
        yield


@pytest.fixture
def received():
    got = []

    def handlers():
        return [
            EventHandler(event="test.happened", name="test", handle=lambda eid, payload: got.append((eid, payload)))
        ]

    with hooks.register_temporarily("event_handlers", handlers):
        yield got


def test_an_event_is_delivered_after_commit_and_marked(received):
    with transaction.atomic():
        event_id = events.publish("test.happened", {"n": 1})
        assert received == []  # not before commit
    assert received == [(event_id, {"n": 1})]
    row = Event.objects.get(pk=event_id)
    assert row.dispatched_at is not None and row.attempts == 1


def test_an_event_of_a_rolled_back_transaction_never_happened(received):
    with pytest.raises(RuntimeError), transaction.atomic():
        events.publish("test.happened", {"n": 1})
        raise RuntimeError
    assert received == []
    assert not Event.objects.exists()


def test_the_same_event_published_twice_is_kept_once(received):
    events.publish("test.happened", {"n": 1}, event_id="fact-1")
    events.publish("test.happened", {"n": 1}, event_id="fact-1")
    assert Event.objects.filter(pk="fact-1").count() == 1


def test_with_the_broker_down_the_event_waits_in_the_outbox_and_is_delivered_once_later(received, monkeypatch):
    def broker_down(*args, **kwargs):
        raise ConnectionError("broker unreachable")

    monkeypatch.setitem(dispatch_event_task.app.conf, "CELERY_TASK_ALWAYS_EAGER", False)  # as in production
    monkeypatch.setattr(dispatch_event_task, "delay", broker_down)
    with transaction.atomic():
        event_id = events.publish("test.happened", {"n": 2})  # the caller's work commits all the same
    assert received == []
    assert Event.objects.get(pk=event_id).dispatched_at is None

    assert events.dispatch_pending(older_than_seconds=0) == 1  # the beat's run, broker or not
    assert received == [(event_id, {"n": 2})]
    assert events.dispatch_pending(older_than_seconds=0) == 0
    assert received == [(event_id, {"n": 2})]


def test_a_failing_handler_is_retried_by_the_periodic_run(monkeypatch):
    calls = []

    def flaky(event_id, payload):
        calls.append(event_id)
        if len(calls) == 1:
            raise ValueError("e-Kinerja is down")

    def handlers():
        return [EventHandler(event="test.flaky", name="flaky", handle=flaky)]

    with hooks.register_temporarily("event_handlers", handlers):
        with pytest.raises(ValueError), transaction.atomic():
            event_id = events.publish("test.flaky", {})
        row = Event.objects.get(pk=event_id)
        assert row.dispatched_at is None and row.attempts == 1 and "e-Kinerja is down" in row.last_error
        assert events.dispatch_pending(older_than_seconds=0) == 1
    assert Event.objects.get(pk=event_id).dispatched_at is not None
    assert len(calls) == 2
