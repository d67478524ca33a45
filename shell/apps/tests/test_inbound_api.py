"""The inbound API of the city's apps: a client-credentials token with one scope per capability, the
app's own resources only, once per the app's id, limited and audited per app, 400 naming the field."""

import base64
from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.test import override_settings

from shell.apps.models import AppBadge, ExternalApp, InboundCall, InboundRequest
from shell.apps.services import app_register, app_set_enabled
from shell.inbox.models import Notification
from shell.outbox.models import Event
from shell.people import roles
from shell.people.tests.factories import UnitFactory, UserFactory

pytestmark = pytest.mark.django_db

ORIGIN = "https://simontok.example.go.id"
API_SCOPES = ["openid", "notifications:write", "badges:write", "kinerja:write"]


def register(name, scopes=API_SCOPES, origin=ORIGIN):
    return app_register(
        name=name, redirect_uris=[f"{origin}/oidc/callback"], launch_url=f"{origin}/", first_party=True, scopes=scopes
    )


def token(client, registered, scope):
    raw = f"{registered.client_id}:{registered.client_secret}".encode()
    answer = client.post(
        "/oauth/token/",
        {"grant_type": "client_credentials", "scope": scope},
        HTTP_AUTHORIZATION="Basic " + base64.b64encode(raw).decode(),
    )
    assert answer.status_code == 200, answer.content
    return answer.json()["access_token"]


def call(client, path, body, access_token):
    return client.post(path, body, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {access_token}")


@pytest.fixture
def simontok():
    return register("SiMontok")


@pytest.fixture
def employee():
    return UserFactory(roles=[roles.LEARNER])


def notice(employee, **extra):
    return {"id": "n-1", "nip": employee.nip, "title": "Laporan Anda disetujui", **extra}


def test_a_notice_reaches_the_inbox_once_and_links_back_into_the_app(client, simontok, employee):
    access = token(client, simontok, "notifications:write")
    body = notice(employee, body="Laporan 12 disetujui.", url=f"{ORIGIN}/laporan/12")
    first = call(client, "/api/apps/simontok/notifications/", body, access)
    again = call(client, "/api/apps/simontok/notifications/", body, access)

    assert first.status_code == again.status_code == 201
    assert first.json() == again.json() == {"id": "n-1", "status": "created"}
    note = Notification.objects.get(user=employee)  # recorded once
    assert note.kind == "app" and note.title == "Laporan Anda disetujui"
    # The link goes through the launcher, which checks the app, the audience and the origin when followed.
    assert urlsplit(note.url).path == "/aplikasi/simontok/"
    assert parse_qs(urlsplit(note.url).query) == {"ke": [f"{ORIGIN}/laporan/12"]}
    client.force_login(employee)
    assert client.get(note.url).url == f"{ORIGIN}/laporan/12"
    assert client.get("/aplikasi/simontok/", {"ke": "https://evil.example.com/x"}).url == f"{ORIGIN}/"
    assert [c.outcome for c in InboundCall.objects.order_by("pk")] == ["recorded", "replayed"]


def test_the_same_id_with_another_body_is_refused(client, simontok, employee):
    access = token(client, simontok, "notifications:write")
    call(client, "/api/apps/simontok/notifications/", notice(employee), access)
    other = call(client, "/api/apps/simontok/notifications/", notice(employee, title="Lain"), access)
    assert other.status_code == 409 and "id" in other.json()
    assert Notification.objects.count() == 1 and InboundRequest.objects.count() == 1
    assert InboundCall.objects.filter(outcome="conflict", status_code=409).count() == 1


def test_a_token_without_the_scope_gets_403(client, simontok, employee):
    access = token(client, simontok, "badges:write")
    refused = call(client, "/api/apps/simontok/notifications/", notice(employee), access)
    assert refused.status_code == 403 and "notifications:write" in refused.json()["detail"]
    assert not Notification.objects.exists()
    audit = InboundCall.objects.get()
    assert (audit.app, audit.endpoint, audit.outcome, audit.status_code) == (
        simontok.app,
        "notifications",
        "refused",
        403,
    )


def test_a_persons_sign_in_token_is_not_an_app_token(client, simontok, employee):
    from oauth2_provider.models import AccessToken

    AccessToken.objects.create(
        user=employee, application=simontok.app.client, token="person-token", scope="notifications:write",
        expires="2999-01-01T00:00:00Z",
    )  # fmt: skip
    assert call(client, "/api/apps/simontok/notifications/", notice(employee), "person-token").status_code == 403
    assert not Notification.objects.exists()


def test_app_a_cannot_touch_app_b(client, simontok, employee):
    other = register("Absensi", origin="https://absensi.example.go.id")
    access = token(client, simontok, "badges:write")
    refused = call(client, "/api/apps/absensi/badges/", {"id": "b-1", "nip": employee.nip, "count": 9}, access)
    assert refused.status_code == 403
    assert not AppBadge.objects.filter(app=other.app).exists()
    # Nor may its links leave for B's origin.
    access = token(client, simontok, "notifications:write")
    answer = call(
        client, "/api/apps/simontok/notifications/", notice(employee, url="https://absensi.example.go.id/x"), access
    )
    assert answer.status_code == 400 and "url" in answer.json()


def test_a_switched_off_apps_tokens_stop_at_once(client, simontok, employee):
    access = token(client, simontok, "notifications:write")
    # Even a token that somehow survived the revocation is refused while the app is off.
    ExternalApp.objects.filter(pk=simontok.app.pk).update(enabled=False)
    assert call(client, "/api/apps/simontok/notifications/", notice(employee), access).status_code == 401
    ExternalApp.objects.filter(pk=simontok.app.pk).update(enabled=True)
    assert call(client, "/api/apps/simontok/notifications/", notice(employee), access).status_code == 201
    app_set_enabled(app=simontok.app, enabled=False)
    refused = call(client, "/api/apps/simontok/notifications/", notice(employee, id="n-2"), access)
    assert refused.status_code == 401
    assert Notification.objects.count() == 1


def test_an_app_is_limited_per_client(client, simontok, employee):
    cache.clear()
    ExternalApp.objects.filter(pk=simontok.app.pk).update(api_rate="2/min")
    other = register("Absensi", origin="https://absensi.example.go.id")
    access = token(client, simontok, "notifications:write")
    answers = [
        call(client, "/api/apps/simontok/notifications/", notice(employee, id=f"n-{i}"), access).status_code
        for i in range(3)
    ]
    assert answers == [201, 201, 429]
    assert InboundCall.objects.filter(outcome="throttled").count() == 1
    # Another app has its own allowance.
    other_access = token(client, other, "notifications:write")
    assert call(client, "/api/apps/absensi/notifications/", notice(employee), other_access).status_code == 201


def test_the_common_limit_comes_from_settings(client, simontok, employee, monkeypatch, settings):
    from shell.api.inbound import AppRateThrottle

    assert AppRateThrottle().get_rate() == settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["apps"]
    cache.clear()
    monkeypatch.setattr(AppRateThrottle, "THROTTLE_RATES", {"apps": "1/min"})
    access = token(client, simontok, "notifications:write")
    assert call(client, "/api/apps/simontok/notifications/", notice(employee), access).status_code == 201
    second = call(client, "/api/apps/simontok/notifications/", notice(employee, id="n-2"), access)
    assert second.status_code == 429 and "Retry-After" in second


@pytest.mark.parametrize(
    "change, field",
    [
        ({"title": ""}, "title"),
        ({"title": None}, "title"),
        ({"nip": "123"}, "nip"),
        ({"nip": "199901012020011999"}, "nip"),  # nobody has it
        ({"id": ""}, "id"),
        ({"id": "a b"}, "id"),
        ({"id": "x" * 101}, "id"),
        ({"url": "javascript:alert(1)"}, "url"),
        ({"url": "https://evil.example.com/"}, "url"),
        ({"url": "https://simontok.example.go.id.evil.com/"}, "url"),
        ({"url": "https://user@simontok.example.go.id/"}, "url"),
        ({"url": "/relative"}, "url"),
        ({"body": "x" * 2001}, "body"),
    ],
)
def test_bad_input_gets_a_400_naming_the_field(client, simontok, employee, change, field):
    access = token(client, simontok, "notifications:write")
    answer = call(client, "/api/apps/simontok/notifications/", {**notice(employee), **change}, access)
    assert answer.status_code == 400 and field in answer.json(), answer.json()
    assert not Notification.objects.exists() and not InboundRequest.objects.exists()
    audit = InboundCall.objects.get()
    assert audit.outcome == "invalid" and field in audit.detail
    assert audit.nip == str({**notice(employee), **change}["nip"])[:32]


def test_a_body_that_is_not_a_json_object_is_a_400(client, simontok):
    access = token(client, simontok, "notifications:write")
    headers = {"HTTP_AUTHORIZATION": f"Bearer {access}"}
    for body, content_type in (("[1]", "application/json"), ("{", "application/json"), ("id=1", "text/plain")):
        answer = client.post("/api/apps/simontok/notifications/", body, content_type=content_type, **headers)
        assert answer.status_code in (400, 415), (body, answer.status_code)
    assert not Notification.objects.exists()


def test_only_employees_in_the_apps_audience(client, simontok, employee):
    simontok.app.roles.add(Group.objects.get_or_create(name=roles.HR)[0])
    access = token(client, simontok, "notifications:write")
    answer = call(client, "/api/apps/simontok/notifications/", notice(employee), access)
    assert answer.status_code == 400 and "nip" in answer.json()
    employee.is_active = False
    employee.save()
    assert "nip" in call(client, "/api/apps/simontok/notifications/", notice(employee), access).json()


def test_script_in_a_notice_is_shown_as_text(client, simontok, employee):
    access = token(client, simontok, "notifications:write")
    call(client, "/api/apps/simontok/notifications/", notice(employee, title="<script>alert(1)</script>"), access)
    client.force_login(employee)
    page = client.get("/kotak-masuk/")
    html = page.content.decode()
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html


@override_settings(HOME_CACHE_SECONDS=300)
def test_a_badge_shows_on_the_apps_own_tile_at_once(client, simontok, employee, django_capture_on_commit_callbacks):
    client.force_login(employee)
    assert 'data-testid="badge-app-simontok"' not in client.get("/").content.decode()  # now kept
    access = token(client, simontok, "badges:write")
    with django_capture_on_commit_callbacks(execute=True):
        answer = call(client, "/api/apps/simontok/badges/", {"id": "b-1", "nip": employee.nip, "count": 1200}, access)
    assert answer.status_code == 200 and answer.json() == {"id": "b-1", "nip": employee.nip, "count": 1200}
    html = client.get("/").content.decode()
    assert 'data-testid="badge-app-simontok">1.200<' in html
    tile = next(t for t in client.get("/api/home/").json() if t["slug"] == "app-simontok")
    assert tile["badge"] == "1.200"
    with django_capture_on_commit_callbacks(execute=True):
        call(client, "/api/apps/simontok/badges/", {"id": "b-2", "nip": employee.nip, "count": 0}, access)
    assert 'data-testid="badge-app-simontok"' not in client.get("/").content.decode()
    # Someone else's home screen is untouched.
    client.force_login(UserFactory(roles=[roles.LEARNER]))
    assert 'data-testid="badge-app-simontok"' not in client.get("/").content.decode()


def test_an_activity_is_published_once_for_e_kinerja(client, simontok, employee):
    access = token(client, simontok, "kinerja:write")
    body = {"id": "act-7", "nip": employee.nip, "title": "Verifikasi 12 berkas", "date": "2026-01-05", "quantity": "12",
            "output_unit": "berkas", "url": f"{ORIGIN}/berkas?tgl=2026-01-05"}  # fmt: skip
    assert call(client, "/api/apps/simontok/activities/", body, access).status_code == 202
    assert call(client, "/api/apps/simontok/activities/", body, access).status_code == 202
    event = Event.objects.get(name="apps.activity.recorded")
    assert event.payload["activity_id"] == "act-7" and event.payload["user_id"] == employee.pk
    assert event.payload["quantity"] == "12.00" and event.payload["output_unit"] == "berkas"
    future = {**body, "id": "act-8", "date": "2999-01-01"}
    answer = call(client, "/api/apps/simontok/activities/", future, access)
    assert answer.status_code == 400 and "date" in answer.json()


def test_the_calls_are_audited_for_admins(client, admin_client, simontok, employee):
    access = token(client, simontok, "notifications:write")
    call(client, "/api/apps/simontok/notifications/", notice(employee), access)
    audit = InboundCall.objects.get()
    assert (audit.app, audit.endpoint, audit.key, audit.employee, audit.nip, audit.status_code) == (
        simontok.app, "notifications", "n-1", employee, employee.nip, 201
    )  # fmt: skip
    page = admin_client.get("/django-admin/apps/inboundcall/")
    assert page.status_code == 200 and "n-1" in page.content.decode()
    assert admin_client.get(f"/django-admin/apps/inboundcall/{audit.pk}/change/").status_code == 200
    # Not for an employee.
    client.force_login(employee)
    assert client.get("/django-admin/apps/inboundcall/").status_code == 302


def test_the_schema_documents_the_inbound_api(client, employee):
    client.force_login(employee)
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    for path in ("notifications/", "badges/", "activities/"):
        operation = schema["paths"][f"/api/apps/{{app}}/{path}"]["post"]
        assert {"400", "401", "403", "409", "429"} <= set(operation["responses"]), path


def test_an_unknown_unit_of_the_audience_is_respected(client, simontok):
    unit = UnitFactory()
    inside = UserFactory(roles=[roles.LEARNER], unit=unit)
    simontok.app.units.add(unit)
    access = token(client, simontok, "notifications:write")
    assert call(client, "/api/apps/simontok/notifications/", notice(inside), access).status_code == 201
    outside = UserFactory(roles=[roles.LEARNER])
    answer = call(client, "/api/apps/simontok/notifications/", notice(outside, id="n-2"), access)
    assert answer.status_code == 400 and "nip" in answer.json()
