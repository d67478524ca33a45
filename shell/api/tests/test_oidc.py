"""Single sign-on with the city's OpenID Connect provider, switched on by settings (USE_OIDC), with the
provider's token and userinfo endpoints mocked. Employees are matched by NIP, then by e-mail."""

import time
from unittest import mock
from urllib.parse import parse_qs, urlparse

import jwt
import pytest
from django.conf import settings

from shell.people.tests.factories import UserFactory
from shell.testing import modules_mounted

pytestmark = pytest.mark.django_db

SECRET = "client-secret-for-tests-0123456789abcdef"
OIDC = {
    "USE_OIDC": True,
    "AUTHENTICATION_BACKENDS": ["django.contrib.auth.backends.ModelBackend", "shell.auth.CityOIDCBackend"],
    "OIDC_RP_CLIENT_ID": "tangerang-ayo",
    "OIDC_RP_CLIENT_SECRET": SECRET,
    "OIDC_RP_SIGN_ALGO": "HS256",
    "OIDC_OP_AUTHORIZATION_ENDPOINT": "https://sso.example/authorize",
    "OIDC_OP_TOKEN_ENDPOINT": "https://sso.example/token",
    "OIDC_OP_USER_ENDPOINT": "https://sso.example/userinfo",
}


def sign_in(client, claims: dict):
    """Go through /oidc/authenticate/ and the callback with the provider mocked."""
    start = client.get("/oidc/authenticate/")
    assert start.status_code == 302 and start.url.startswith("https://sso.example/authorize")
    query = parse_qs(urlparse(start.url).query)
    state, nonce = query["state"][0], query["nonce"][0]
    id_token = jwt.encode(
        {
            "iss": "https://sso.example",
            "aud": "tangerang-ayo",
            "sub": "abc",
            "nonce": nonce,
            "exp": int(time.time()) + 60,
        },
        SECRET,
        algorithm="HS256",
    )
    token_answer = mock.Mock(status_code=200)
    token_answer.json.return_value = {"id_token": id_token, "access_token": "access-123", "token_type": "Bearer"}
    userinfo = mock.Mock(status_code=200, headers={"content-type": "application/json"})
    userinfo.json.return_value = claims
    with (
        mock.patch("mozilla_django_oidc.auth.requests.post", return_value=token_answer) as post,
        mock.patch("mozilla_django_oidc.auth.requests.get", return_value=userinfo) as get,
    ):
        response = client.get("/oidc/callback/", {"code": "code-1", "state": state})
    assert post.call_args.kwargs["timeout"] == settings.OIDC_TIMEOUT
    assert get.call_args.kwargs["headers"]["Authorization"] == "Bearer access-123"
    return response


@pytest.fixture
def oidc():
    with modules_mounted(list(settings.SHELL_MODULES), **OIDC):
        yield


def test_sso_is_off_by_default(client):
    assert client.get("/oidc/authenticate/").status_code == 404
    assert 'data-testid="sso"' not in client.get("/masuk/").content.decode()


def test_an_employee_signs_in_once_matched_by_nip(client, oidc):
    siti = UserFactory(full_name="Siti Rahmawati", email="siti.lama@example.go.id")
    assert 'data-testid="sso"' in client.get("/masuk/").content.decode()
    response = sign_in(client, {"nip": siti.nip, "email": "siti@tangerangkota.go.id", "name": "SITI R"})
    assert response.status_code == 302 and response.url == "/"
    assert "Halo, Siti Rahmawati" in client.get("/").content.decode()
    siti.refresh_from_db()
    assert siti.email == "siti@tangerangkota.go.id"  # the provider keeps the address current
    assert siti.full_name == "Siti Rahmawati"  # names stay as HR keeps them


def test_matched_by_email_when_the_provider_sends_no_nip(client, oidc):
    budi = UserFactory(full_name="Budi", email="Budi@Tangerangkota.go.id")
    sign_in(client, {"email": "budi@tangerangkota.go.id"})
    assert client.get("/").context["user"] == budi


def test_someone_who_is_not_an_employee_is_refused_with_a_message(client, oidc):
    UserFactory(email="former@tangerangkota.go.id", is_active=False)
    response = sign_in(client, {"email": "former@tangerangkota.go.id", "nip": "199001012015011001"})
    assert response.status_code == 302 and response.url == "/masuk/?sso=gagal"
    assert b'data-testid="landing"' in client.get("/").content  # still not signed in: the landing page
    assert "tidak terdaftar sebagai pegawai aktif" in client.get(response.url).content.decode()
