"""/healthz answers while the process is up; /readyz only while the database, broker and storage do."""

import pytest
from django.test import Client

from shell import health


def test_healthz_needs_nothing_but_the_process():
    # no django_db mark: touching the database here would fail the test
    response = Client().get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_readyz_reports_each_dependency():
    response = Client().get("/readyz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"] == "ok"
    assert body["storage"] == "ok"
    assert body["broker"] in ("ok", "in-process")


@pytest.mark.django_db
@pytest.mark.parametrize("failing", ["database", "broker", "storage"])
def test_readyz_is_503_naming_what_is_down(monkeypatch, failing):
    def down():
        raise ConnectionError("refused")

    monkeypatch.setitem(health.CHECKS, failing, down)
    response = Client().get("/readyz")
    assert response.status_code == 503 and response["Retry-After"] == "5"
    body = response.json()
    assert body["status"] == "unavailable"
    assert body[failing] == "error: ConnectionError"
    assert all(body[name] != "error: ConnectionError" for name in health.CHECKS if name != failing)


@pytest.mark.django_db
def test_readyz_finds_an_unreachable_broker(settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"  # nothing listens there
    response = Client().get("/readyz")
    assert response.status_code == 503
    assert response.json()["broker"].startswith("error")


def test_health_endpoints_refuse_writes():
    assert Client().post("/healthz").status_code == 405
