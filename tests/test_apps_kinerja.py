"""Work done in a registered app counts for e-Kinerja: the inbound API's activity becomes the employee's
activity (through the shell's event, handled by the kinerja module), once however often it is sent."""

import base64

import pytest

from shell.apps.services import app_register
from shell.modules.kinerja.models import Activity
from shell.people import roles
from shell.people.tests.factories import UnitFactory, UserFactory

pytestmark = pytest.mark.django_db

ORIGIN = "https://simontok.example.go.id"


def test_an_apps_activity_lands_in_e_kinerja_once(client, django_capture_on_commit_callbacks):
    employee = UserFactory(roles=[roles.LEARNER], unit=UnitFactory())
    registered = app_register(
        name="SiMontok", redirect_uris=[f"{ORIGIN}/cb"], first_party=True, scopes=["openid", "kinerja:write"]
    )
    basic = base64.b64encode(f"{registered.client_id}:{registered.client_secret}".encode()).decode()
    token = client.post(
        "/oauth/token/", {"grant_type": "client_credentials"}, HTTP_AUTHORIZATION=f"Basic {basic}"
    ).json()["access_token"]
    body = {
        "id": "act-7",
        "nip": employee.nip,
        "title": "Verifikasi 12 berkas perizinan",
        "date": "2026-01-05",
        "quantity": "12",
        "output_unit": "berkas",
        "url": f"{ORIGIN}/berkas/7",
    }
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            answer = client.post(
                "/api/apps/simontok/activities/",
                body,
                content_type="application/json",
                HTTP_AUTHORIZATION=f"Bearer {token}",
            )
        assert answer.status_code == 202

    activity = Activity.objects.get(user=employee)
    assert activity.title == "Verifikasi 12 berkas perizinan" and str(activity.date) == "2026-01-05"
    assert activity.quantity == 12 and activity.output_unit == "berkas" and activity.status == "submitted"
    assert [(e.label, e.url) for e in activity.evidence.all()] == [("SiMontok", f"{ORIGIN}/berkas/7")]
