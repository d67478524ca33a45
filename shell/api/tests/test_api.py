"""The mobile app's API: a token from username and password, the profile, tiles, inbox, the LMS's
endpoints, and the OpenAPI schema with its docs served from our own static files."""

import pytest
from rest_framework.authtoken.models import Token

from shell.inbox.services import notification_create
from shell.people.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def user():
    return UserFactory(username="siti", full_name="Siti Rahmawati")


def token_for(client, username="siti", password="secret-pass-123"):
    response = client.post(
        "/api/auth/token/", {"username": username, "password": password}, content_type="application/json"
    )
    return response


def test_a_token_from_username_and_password_opens_the_api(client, user):
    bad = token_for(client, password="salah")
    assert bad.status_code == 400 and bad.json() == {"detail": "Nama pengguna atau sandi salah."}
    missing = client.post("/api/auth/token/", {}, content_type="application/json")
    assert missing.status_code == 400 and "username" in missing.json()

    key = token_for(client).json()["token"]
    assert token_for(client).json()["token"] == key  # the same device token again
    assert client.get("/api/me/").status_code in (401, 403)
    auth = {"HTTP_AUTHORIZATION": f"Token {key}"}
    me = client.get("/api/me/", **auth).json()
    assert me["username"] == "siti" and me["full_name"] == "Siti Rahmawati" and me["unread_notifications"] == 0
    assert client.post("/api/auth/token/revoke/", **auth).status_code == 204
    assert not Token.objects.filter(user=user).exists()
    assert client.get("/api/me/", **auth).status_code == 401


def test_home_tiles_and_modules_for_the_user(client, user):
    client.force_login(user)
    tiles = {t["slug"]: t for t in client.get("/api/home/").json()}
    assert tiles["lms"]["badge"] == "JP tahun ini: 0 / 20"
    assert "layanan" not in tiles  # not a service officer
    slugs = [m["slug"] for m in client.get("/api/modules/").json()]
    assert "lms" in slugs and "kinerja" in slugs and "layanan" not in slugs


def test_the_inbox_over_the_api(client, user):
    other = UserFactory()
    mine = notification_create(user=user, kind="lms.course_completed", title="Selesai", url="/belajar/riwayat/")
    theirs = notification_create(user=other, kind="lms.course_completed", title="Bukan milik Anda")
    client.force_login(user)
    body = client.get("/api/notifications/").json()
    assert body["count"] == 1
    row = body["results"][0]
    assert (row["title"], row["module"], row["kind_label"], row["read"]) == ("Selesai", "lms", "Kursus selesai", False)
    assert client.post(f"/api/notifications/{theirs.pk}/read/").status_code == 404
    assert client.post(f"/api/notifications/{mine.pk}/read/").status_code == 204
    assert client.get("/api/notifications/?unread=1").json()["count"] == 0
    notification_create(user=user, kind="lms.course_assigned", title="Baru")
    assert client.post("/api/notifications/read-all/").status_code == 204
    assert client.get("/api/me/").json()["unread_notifications"] == 0


def test_lms_endpoints_show_only_my_records(client, user):
    client.force_login(user)
    assert client.get("/api/lms/enrollments/").json()["count"] == 0
    progress = client.get("/api/lms/progress/").json()
    assert progress["total_jp"] == "0.00" and progress["target_jp"] == "20.00" and progress["met"] is False
    assert progress["pace"] in ("met", "on_track", "at_risk", "behind")
    bad = client.get("/api/lms/progress/?year=abc")
    assert bad.status_code == 400 and "Tahun" in bad.json()["year"][0]


def test_schema_and_docs_are_served_locally(client):
    schema = client.get("/api/schema/")
    assert schema.status_code == 200
    text = schema.content.decode()
    for path in (
        "/api/auth/token/",
        "/api/notifications/",
        "/api/lms/progress/",
        "/api/layanan/requests/",
        "/api/kinerja/activities/",
    ):
        assert path in text, path
    assert "/cms/" not in text
    docs = client.get("/api/docs/").content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/" in docs and "cdn" not in docs.lower()
    assert client.get("/api/redoc/").status_code == 200
    assert client.get("/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js").status_code == 200
