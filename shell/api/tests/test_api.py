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


# Found by schemathesis (tests/test_api_schemathesis.py) ------------------------------------------


def test_every_url_under_api_answers_json_even_one_that_names_nothing(client, user):
    client.force_login(user)
    # an unknown path, and paths whose parameter the URL converter refuses (a negative id, a newline)
    for url in ("/api/tidak-ada/", "/api/notifications/-1/read/", "/api/notifications/1%0A/read/", "/api/"):
        response = client.post(url)
        assert response.status_code == 404 and response.headers["Content-Type"] == "application/json", url
        assert set(response.json()) == {"detail"}
    assert client.get("/api/me").status_code == 301  # a missing slash is still redirected


def test_a_username_longer_than_any_is_refused_before_the_login_is_tried(client, user):
    # django-axes records a failed login's username in 255 characters: was a 500 on PostgreSQL
    response = token_for(client, username="x" * 300)
    assert response.status_code == 400 and "username" in response.json()


def test_query_parameters_are_checked_and_an_empty_one_is_absent(client, user):
    client.force_login(user)
    notification_create(user=user, kind="lms.course_completed", title="Selesai")
    assert client.get("/api/notifications/?unread=mungkin").status_code == 400
    assert client.get("/api/notifications/?unread=").json()["count"] == 1
    assert client.get("/api/notifications/?unread=true").json()["count"] == 1
    assert client.get("/api/lms/progress/?year=1999").status_code == 400
    # more digits than Python's int() accepts (4,300): was a 500
    too_long = client.get("/api/lms/progress/", {"year": "2" * 5000})
    assert too_long.status_code == 400 and "Tahun" in too_long.json()["year"][0]
    assert client.get("/api/lms/progress/?year=").json()["year"] == client.get("/api/lms/progress/").json()["year"]


def test_the_schema_documents_the_errors_and_the_nulls_the_api_answers_with(client):
    schema = client.get("/api/schema/?format=json").json()
    paths, components = schema["paths"], schema["components"]["schemas"]
    me = paths["/api/me/"]["get"]["responses"]
    assert me["401"]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/Error"}
    register = paths["/api/layanan/requests/"]["post"]["responses"]
    assert {"200", "201", "400", "401", "403", "415"} <= set(register)
    assert set(paths["/api/layanan/status/{number}/"]["get"]["responses"]) == {"200", "404"}  # no login needed
    read = paths["/api/notifications/{id}/read/"]["post"]
    assert read["parameters"][0]["schema"]["minimum"] == 0
    assert "unread" in {p["name"] for p in paths["/api/notifications/"]["get"]["parameters"]}
    assert components["Request"]["properties"]["assignee"]["nullable"] is True
    assert components["Transition"]["properties"]["actor"]["nullable"] is True
    assert components["Result"]["properties"]["parent"]["nullable"] is True
    assert components["Skp"]["properties"]["status"]["nullable"] is True
