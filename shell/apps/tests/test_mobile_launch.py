"""Opening an app from the mobile app: the mobile app's own token API keeps working, and the app gets a
one-time code for itself only (redeemed with its secret, within a minute), never the user's token."""

import base64
import datetime as dt
from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone
from oauth2_provider.models import Grant

from shell.apps.models import LaunchCode
from shell.apps.services import app_register
from shell.people import roles
from shell.people.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

ORIGIN = "https://simontok.example.go.id"


def register(name, origin=ORIGIN, **kwargs):
    return app_register(
        name=name, redirect_uris=[f"{origin}/oidc/callback"], launch_url=f"{origin}/mulai?dari=ayo", first_party=True,
        **kwargs,
    )  # fmt: skip


def basic(registered):
    raw = f"{registered.client_id}:{registered.client_secret}".encode()
    return {"HTTP_AUTHORIZATION": "Basic " + base64.b64encode(raw).decode()}


@pytest.fixture
def mobile(client):
    """The mobile app, signed in with the existing token API."""
    UserFactory(username="budi", roles=[roles.LEARNER])
    answer = client.post("/api/auth/token/", {"username": "budi", "password": "secret-pass-123"})
    assert answer.status_code == 200
    return answer.json()["token"]


def launch(client, token, slug="simontok"):
    return client.post(f"/api/apps/{slug}/launch/", HTTP_AUTHORIZATION=f"Token {token}")


def redeem(client, registered, code, redirect_uri=f"{ORIGIN}/oidc/callback"):
    return client.post(
        "/oauth/token/",
        {"grant_type": "authorization_code", "code": code, "redirect_uri": redirect_uri},
        **basic(registered),
    )


def test_the_app_gets_a_one_time_code_for_itself_only(client, mobile):
    simontok = register("SiMontok")
    other = register("Absensi", origin="https://absensi.example.go.id")
    answer = launch(client, mobile)
    assert answer.status_code == 200 and answer["Cache-Control"] == "no-store"
    url = answer.json()["url"]
    assert answer.json()["expires_in"] == 60
    assert url.startswith(f"{ORIGIN}/mulai?dari=ayo&") and mobile not in url  # never the user's own token
    query = parse_qs(urlsplit(url).query)
    code = query["launch_code"][0]
    assert query["iss"] == ["http://testserver/oauth"]

    assert redeem(client, other, code, "https://absensi.example.go.id/oidc/callback").json()["error"] == "invalid_grant"
    tokens = redeem(client, simontok, code).json()
    assert tokens["token_type"] == "Bearer" and "id_token" in tokens, tokens
    me = client.get("/oauth/userinfo/", HTTP_AUTHORIZATION=f"Bearer {tokens['access_token']}").json()
    assert me["preferred_username"] == "budi"
    assert redeem(client, simontok, code).json()["error"] == "invalid_grant"  # once
    # The mobile app's own token still works as before.
    assert client.get("/api/me/", HTTP_AUTHORIZATION=f"Token {mobile}").json()["username"] == "budi"


def test_the_code_expires(client, mobile):
    simontok = register("SiMontok")
    code = parse_qs(urlsplit(launch(client, mobile).json()["url"]).query)["launch_code"][0]
    Grant.objects.filter(code=code).update(expires=timezone.now() - dt.timedelta(seconds=1))
    assert redeem(client, simontok, code).json()["error"] == "invalid_grant"


def test_a_launch_code_needs_the_apps_secret(client, mobile):
    simontok = register("SiMontok")
    code = parse_qs(urlsplit(launch(client, mobile).json()["url"]).query)["launch_code"][0]
    answer = client.post(
        "/oauth/token/",
        {"grant_type": "authorization_code", "code": code, "client_id": simontok.client_id,
         "redirect_uri": f"{ORIGIN}/oidc/callback"},
    )  # fmt: skip
    assert answer.status_code == 401
    assert LaunchCode.objects.count() == 1  # still unused


def test_an_ordinary_code_still_needs_pkce(client, mobile):
    simontok = register("SiMontok")
    user = UserFactory()
    Grant.objects.create(
        application=simontok.app.client, user=user, code="plain-code", redirect_uri=f"{ORIGIN}/oidc/callback",
        scope="openid", expires=timezone.now() + dt.timedelta(seconds=60),
    )  # fmt: skip
    assert redeem(client, simontok, "plain-code").json()["error"] == "invalid_request"  # code_verifier required


def test_only_for_the_apps_audience_and_only_with_a_login(client, mobile):
    simontok = register("SiMontok")
    simontok.app.roles.add(Group.objects.get_or_create(name=roles.HR)[0])
    assert launch(client, mobile).status_code == 404
    assert launch(client, mobile, slug="no-such-app").status_code == 404
    assert client.post("/api/apps/simontok/launch/").status_code == 401
    assert not Grant.objects.exists()


def test_a_public_app_gets_its_plain_launch_url(client, mobile):
    register("SiMontok", public=True)
    answer = launch(client, mobile).json()
    assert answer == {"url": f"{ORIGIN}/mulai?dari=ayo", "expires_in": None}
    assert not Grant.objects.exists()
