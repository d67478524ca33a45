"""The outbound adapter to an external e-Kinerja system: off by default, each approved activity sent
once (an outbox row, an Idempotency-Key), retried on network errors and 5xx, never after success."""

from unittest import mock

import pytest
import requests
from django.utils import timezone

from shell.modules.kinerja import push, services
from shell.modules.kinerja.models import ActivityPush
from shell.people import roles
from shell.people.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

ON = {
    "EKINERJA_PUSH_ENABLED": True,
    "EKINERJA_PUSH_URL": "https://ekinerja.example/api/aktivitas",
    "EKINERJA_PUSH_TOKEN": "t0k",
}


def approved(capture):
    boss = UserFactory(roles=[roles.LEARNER, roles.SUPERVISOR])
    member = UserFactory(supervisor=boss)
    activity = services.activity_create(user=member, date=timezone.localdate(), title="Verifikasi berkas KK")
    with capture(execute=True):
        services.activity_review(activity_id=activity.pk, reviewer=boss, approve=True)
    return activity


def answer(status=201, body=None):
    response = mock.Mock(status_code=status, text="")
    response.json.return_value = body or {"id": "EXT-1"}
    return response


def test_off_by_default_nothing_is_queued(django_capture_on_commit_callbacks):
    with mock.patch.object(push.requests, "post") as post:
        approved(django_capture_on_commit_callbacks)
    assert not post.called and not ActivityPush.objects.exists()


def test_an_approved_activity_is_sent_once(settings, django_capture_on_commit_callbacks):
    for key, value in ON.items():
        setattr(settings, key, value)
    with mock.patch.object(push.requests, "post", return_value=answer()) as post:
        activity = approved(django_capture_on_commit_callbacks)
        row = ActivityPush.objects.get(activity=activity)
        assert (row.status, row.attempts, row.external_id) == ("sent", 1, "EXT-1")
        # A duplicate task (redelivery) or the beat's catch-up sends nothing more.
        push.push_send(push_id=row.pk)
        from shell.modules.kinerja.tasks import push_pending_task

        push_pending_task.apply()
    assert post.call_count == 1
    kwargs = post.call_args.kwargs
    assert kwargs["headers"]["Idempotency-Key"] == str(activity.uuid)
    assert kwargs["headers"]["Authorization"] == "Bearer t0k"
    assert kwargs["json"]["nip"] == activity.user.nip and kwargs["json"]["title"] == "Verifikasi berkas KK"
    assert kwargs["timeout"] == (10, 10)


def test_network_errors_and_5xx_are_retried_until_it_lands(settings, django_capture_on_commit_callbacks):
    for key, value in ON.items():
        setattr(settings, key, value)
    outcomes = [requests.ConnectionError("down"), answer(503), answer(201)]

    def post(*args, **kwargs):
        outcome = outcomes.pop(0)
        if isinstance(outcome, Exception):
            raise outcome
        return outcome

    from shell.modules.kinerja.tasks import push_pending_task

    with mock.patch.object(push.requests, "post", side_effect=post):
        activity = approved(django_capture_on_commit_callbacks)
        row = ActivityPush.objects.get(activity=activity)
        assert (row.status, row.attempts, row.last_error) == ("failed", 1, "ConnectionError: down")
        # A 503 asks for a retry too (with a broker the task retries with backoff).
        with pytest.raises(push.PushRetryable):
            push.push_send(push_id=row.pk)
        assert ActivityPush.objects.get(pk=row.pk).last_error.startswith("HTTP 503")
        # The beat picks up what is still unsent (after a minute's grace).
        ActivityPush.objects.filter(pk=row.pk).update(created_at=timezone.now() - timezone.timedelta(minutes=5))
        assert push_pending_task.apply().get() == 1
        assert push_pending_task.apply().get() == 0
    row.refresh_from_db()
    assert (row.status, row.attempts, row.last_error) == ("sent", 3, "")


def test_a_4xx_is_a_permanent_failure_and_409_means_already_there(settings, django_capture_on_commit_callbacks):
    for key, value in ON.items():
        setattr(settings, key, value)
    with mock.patch.object(push.requests, "post", return_value=answer(422)) as post:
        activity = approved(django_capture_on_commit_callbacks)
    row = ActivityPush.objects.get(activity=activity)
    assert row.status == "failed" and "HTTP 422" in row.last_error and post.call_count == 1
    with mock.patch.object(push.requests, "post", return_value=answer(409)):
        push.push_send(push_id=row.pk)
    assert ActivityPush.objects.get(pk=row.pk).status == "sent"
