"""An app that sends the same call from several workers at once still records it once, and each worker
gets the same answer (the unique app id decides the race). PostgreSQL only: SQLite serialises writers."""

import base64

import pytest
from django.test import Client

from conftest import run_at_once
from shell.apps.models import InboundCall, InboundRequest
from shell.apps.services import app_register
from shell.inbox.models import Notification
from shell.people.tests.factories import UserFactory


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_same_notice_sent_by_four_workers_at_once_is_recorded_once(postgres_only):
    employee = UserFactory()
    registered = app_register(
        name="SiMontok",
        redirect_uris=["https://simontok.example.go.id/cb"],
        first_party=True,
        scopes=["openid", "notifications:write"],
    )
    basic = base64.b64encode(f"{registered.client_id}:{registered.client_secret}".encode()).decode()
    token = (
        Client()
        .post("/oauth/token/", {"grant_type": "client_credentials"}, HTTP_AUTHORIZATION=f"Basic {basic}")
        .json()["access_token"]
    )
    body = {"id": "n-1", "nip": employee.nip, "title": "Laporan Anda disetujui"}

    def send():
        answer = Client().post(
            "/api/apps/simontok/notifications/", body, content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {token}",
        )  # fmt: skip
        return answer.status_code, answer.json()

    results, errors = run_at_once(send, count=4)
    assert errors == [] and results == [(201, {"id": "n-1", "status": "created"})] * 4
    assert Notification.objects.filter(user=employee).count() == 1
    assert InboundRequest.objects.count() == 1
    assert InboundCall.objects.filter(status_code=201).count() == 4
