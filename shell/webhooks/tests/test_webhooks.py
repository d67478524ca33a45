"""Webhooks against a real HTTP server: a receiver that fails gets the delivery again later, signed, with
the same body and id; every attempt is logged; an administrator can replay it."""

import datetime as dt
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.test import override_settings
from django.utils import timezone

from shell.apps.services import app_register, app_set_enabled
from shell.people import roles
from shell.people.tests.factories import UnitFactory, UserFactory
from shell.webhooks import services
from shell.webhooks.models import Attempt, Delivery, Subscription

pytestmark = pytest.mark.django_db


class Receiver:
    """An app's webhook endpoint: answers with the next of ``statuses`` and keeps what it received."""

    def __init__(self, statuses):
        self.statuses = list(statuses)
        self.received = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.received.append((dict(self.headers), body))
                self.send_response(receiver.statuses.pop(0) if receiver.statuses else 200)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.origin = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


def subscribe(origin, events=services.WEBHOOK_EVENTS):
    registered = app_register(name="SIMPEG", redirect_uris=[f"{origin}/cb"], launch_url=f"{origin}/", first_party=True)
    return Subscription.objects.create(app=registered.app, url=f"{origin}/hooks", events=list(events))


def test_a_failing_receiver_gets_the_delivery_again_later_signed(django_capture_on_commit_callbacks, admin_client):
    old, new = UnitFactory(code="DISKOMINFO"), UnitFactory(code="BKPSDM")
    employee = UserFactory(roles=[roles.LEARNER], unit=old)
    with Receiver([500, 200, 200]) as receiver:
        subscription = subscribe(receiver.origin, events=[services.people_events.EMPLOYEE_UNIT_CHANGED])
        with django_capture_on_commit_callbacks(execute=True):
            employee.unit = new
            employee.save()

        delivery = Delivery.objects.get()
        assert len(receiver.received) == 1
        assert (delivery.status, delivery.attempts, delivery.last_status_code) == ("pending", 1, 500)
        assert delivery.next_attempt_at > timezone.now() + dt.timedelta(seconds=20)  # backoff
        assert services.deliveries_due_queue() == 0  # not yet due: nothing is sent

        Delivery.objects.filter(pk=delivery.pk).update(next_attempt_at=timezone.now() - dt.timedelta(seconds=1))
        assert services.deliveries_due_queue() == 1  # the beat's run, later
        delivery.refresh_from_db()
        assert (delivery.status, delivery.attempts, delivery.last_status_code) == ("delivered", 2, 200)
        assert services.deliveries_due_queue() == 0

        assert len(receiver.received) == 2
        (first_headers, first_body), (headers, body) = receiver.received
        assert first_body == body and first_headers["X-Ayo-Delivery"] == headers["X-Ayo-Delivery"]
        for sent_headers, sent_body in receiver.received:
            assert sent_headers["X-Ayo-Event"] == "people.employee.unit_changed"
            assert services.signature_verify(
                secret=subscription.secret, header=sent_headers["X-Ayo-Signature"], body=sent_body
            )
            assert not services.signature_verify(
                secret="whsec_wrong", header=sent_headers["X-Ayo-Signature"], body=sent_body
            )
        message = json.loads(body)
        assert message["id"] == headers["X-Ayo-Delivery"] and message["event"] == "people.employee.unit_changed"
        assert message["data"] == {
            "sub": str(employee.uuid),
            "nip": employee.nip,
            "name": employee.display_name,
            "unit_code": "BKPSDM",
            "previous_unit_code": "DISKOMINFO",
            "employment_type": "pns",
        }  # the shell's own user id stays inside
        assert [(a.status_code, a.error) for a in Attempt.objects.order_by("pk")] == [(500, "HTTP 500"), (200, "")]

        # An administrator replays it: the same body and id, freshly signed.
        with django_capture_on_commit_callbacks(execute=True):
            answer = admin_client.post(
                "/django-admin/webhooks/delivery/", {"action": "replay", "_selected_action": [delivery.pk]}
            )
        assert answer.status_code == 302
        assert len(receiver.received) == 3 and receiver.received[2][1] == body
        assert Attempt.objects.filter(replay=True).count() == 1
        page = admin_client.get(f"/django-admin/webhooks/delivery/{delivery.pk}/change/")
        assert page.status_code == 200 and "HTTP 500" in page.content.decode()


@override_settings(WEBHOOK_MAX_ATTEMPTS=3, WEBHOOK_TIMEOUT=2)
def test_an_unreachable_receiver_is_given_up_after_the_last_attempt(django_capture_on_commit_callbacks):
    with Receiver([]) as receiver:
        origin = receiver.origin
    subscribe(origin)  # nobody listens there any more
    with django_capture_on_commit_callbacks(execute=True):
        UnitFactory(code="DINKES")
    delivery = Delivery.objects.get(event="people.unit.changed")
    waits = []
    for _ in range(2):
        waits.append((delivery.next_attempt_at - timezone.now()).total_seconds())
        Delivery.objects.filter(pk=delivery.pk).update(next_attempt_at=timezone.now())
        services.deliveries_due_queue()
        delivery.refresh_from_db()
    assert delivery.status == "failed" and delivery.attempts == 3
    assert "ConnectionError" in delivery.last_error
    assert 20 < waits[0] < waits[1]  # exponential backoff
    assert Attempt.objects.filter(delivery=delivery, status_code__isnull=True).count() == 3


def test_the_same_event_delivered_twice_makes_one_delivery(monkeypatch):
    sent = []
    monkeypatch.setattr(services, "_queue", lambda ids, replay=False: sent.extend(ids))
    subscribe("https://simpeg.example.go.id")
    payload = {"unit_code": "X", "name": "X", "change": "created", "parent_code": "", "previous_unit_code": ""}
    services.deliveries_create(event="people.unit.changed", event_id="ev-1", payload=payload)
    services.deliveries_create(event="people.unit.changed", event_id="ev-1", payload=payload)
    assert Delivery.objects.count() == 1


def test_only_enabled_apps_that_subscribed_get_deliveries():
    subscription = subscribe("https://simpeg.example.go.id", events=[services.people_events.EMPLOYEE_LEFT])
    payload = {"unit_code": "X", "name": "X", "change": "created", "parent_code": "", "previous_unit_code": ""}
    assert services.deliveries_create(event="people.unit.changed", event_id="ev-1", payload=payload) == []
    app_set_enabled(app=subscription.app, enabled=False)
    left = {"user_id": 1, "sub": "s", "nip": "", "name": "n", "unit_code": "", "employment_type": "pns"}
    assert services.deliveries_create(event="people.employee.left", event_id="ev-2", payload=left) == []
    assert not Delivery.objects.exists()


def test_signatures_refuse_a_changed_body_or_an_old_timestamp():
    body = b'{"id": "1"}'
    header = services.signature_header(secret="whsec_x", body=body, timestamp=1_000_000)
    assert services.signature_verify(secret="whsec_x", header=header, body=body, now=1_000_100)
    assert not services.signature_verify(secret="whsec_x", header=header, body=b'{"id": "2"}', now=1_000_100)
    assert not services.signature_verify(secret="whsec_x", header=header, body=body, now=1_000_000 + 301)
    assert not services.signature_verify(secret="whsec_x", header="garbage", body=body)


def test_the_admin_keeps_subscriptions_on_the_apps_origins(admin_client):
    registered = app_register(name="SIMPEG", redirect_uris=["https://simpeg.example.go.id/cb"], first_party=True)
    form = {"app": registered.app.pk, "events": ["people.employee.left"], "enabled": "on", "secret": "whsec_abc"}
    refused = admin_client.post("/django-admin/webhooks/subscription/add/", {**form, "url": "http://169.254.169.254/"})
    assert refused.status_code == 200 and not Subscription.objects.exists()
    admin_client.post("/django-admin/webhooks/subscription/add/", {**form, "url": "https://simpeg.example.go.id/hook"})
    assert Subscription.objects.get().url == "https://simpeg.example.go.id/hook"
