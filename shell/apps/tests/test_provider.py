"""The provider's rules, through the Django test client: who may start a sign-in, with what, and
what a switched-off app, a foreign scope, an unregistered redirect URI or a missing PKCE gets."""

import base64
import hashlib
import io
import secrets
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.management import call_command
from django.urls import reverse

from shell.apps.models import ExternalApp, SigningKey
from shell.apps.services import app_register, app_set_enabled
from shell.people import roles
from shell.people.models import User
from shell.people.tests.factories import UnitFactory, UserFactory

pytestmark = pytest.mark.django_db

REDIRECT = "https://app.example.go.id/callback"


def pkce():
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    return verifier, challenge


def authorize(client, registered, *, scope="openid profile", redirect_uri=REDIRECT, challenge=None, **extra):
    params = {
        "response_type": "code",
        "client_id": registered.client_id,
        "redirect_uri": redirect_uri,
        "scope": scope,
        "state": "st-1",
        "nonce": "n-1",
        **extra,
    }
    if challenge:
        params.update(code_challenge=challenge, code_challenge_method="S256")
    return client.get("/oauth/authorize/", params)


def query(url):
    return {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}


def basic(registered):
    raw = f"{registered.client_id}:{registered.client_secret}".encode()
    return {"HTTP_AUTHORIZATION": "Basic " + base64.b64encode(raw).decode()}


def code_for(client, registered, scope="openid profile"):
    verifier, challenge = pkce()
    answer = authorize(client, registered, scope=scope, challenge=challenge)
    assert answer.status_code == 302 and answer.url.startswith(REDIRECT), answer.content[:300]
    return query(answer.url)["code"], verifier


def redeem(client, registered, code, verifier):
    return client.post(
        "/oauth/token/",
        {"grant_type": "authorization_code", "code": code, "redirect_uri": REDIRECT, "code_verifier": verifier},
        **basic(registered),
    )


@pytest.fixture
def employee(client):
    user = UserFactory(username="budi", roles=[roles.LEARNER])
    client.force_login(user)
    return user


@pytest.fixture
def first_party():
    return app_register(name="SiMontok", redirect_uris=[REDIRECT], first_party=True)


def test_discovery_and_jwks_at_the_issuer(client):
    doc = client.get("/oauth/.well-known/openid-configuration").json()
    assert doc["issuer"] == "http://testserver/oauth"
    assert doc["id_token_signing_alg_values_supported"] == ["RS256"]
    assert doc["code_challenge_methods_supported"] == ["S256"]
    assert doc["response_types_supported"] == ["code"]
    assert {"authorization_code", "refresh_token", "client_credentials"} == set(doc["grant_types_supported"])
    assert doc["end_session_endpoint"] == "http://testserver/oauth/logout/"
    assert doc["revocation_endpoint"] == "http://testserver/oauth/revoke_token/"
    assert {"nip", "unit_code", "unit_name", "position", "employment_type", "roles"} <= set(doc["claims_supported"])
    keys = client.get("/oauth/.well-known/jwks.json").json()["keys"]
    assert len(keys) == 1 and keys[0]["kty"] == "RSA" and keys[0]["alg"] == "RS256" and "d" not in keys[0]


def test_the_authorization_response_names_the_issuer_discovery_publishes(client, employee, first_party):
    """RFC 9207: a client that checks the response's `iss` against the issuer it discovered accepts it."""
    issuer = client.get("/oauth/.well-known/openid-configuration").json()["issuer"]
    answer = authorize(client, first_party, challenge=pkce()[1])
    assert answer.status_code == 302
    assert query(answer.url)["iss"] == issuer == "http://testserver/oauth"
    assert client.get("/oauth/.well-known/oauth-authorization-server").json()["issuer"] == issuer


def test_signing_keys_are_stored_encrypted(client):
    client.get("/oauth/.well-known/jwks.json")
    stored = SigningKey.objects.get().private_key
    assert "PRIVATE KEY" not in stored and stored.startswith("gAAAAA")  # a Fernet token


def test_app_register_prints_the_client_id_and_secret():
    out = io.StringIO()
    call_command(
        "app_register",
        "Sistem Arsip",
        "--redirect-uri",
        REDIRECT,
        "--first-party",
        "--scope",
        "openid",
        "--scope",
        "employee",
        stdout=out,
    )
    lines = out.getvalue().splitlines()
    client_id = next(line.split("=", 1)[1] for line in lines if line.startswith("client_id="))
    secret = next(line.split("=", 1)[1] for line in lines if line.startswith("client_secret="))
    app = ExternalApp.objects.get(client__client_id=client_id)
    assert app.name == "Sistem Arsip" and app.first_party and app.client.skip_authorization
    assert app.scopes == ["openid", "employee"]
    assert secret and app.client.client_secret != secret  # only its hash is kept


def test_a_first_party_app_skips_consent_a_third_party_app_asks(client, employee, first_party):
    assert authorize(client, first_party, challenge=pkce()[1]).status_code == 302
    third = app_register(name="Aplikasi Mitra", redirect_uris=[REDIRECT])
    page = authorize(client, third, challenge=pkce()[1])
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-testid="consent"' in html and "Izinkan Aplikasi Mitra?" in html
    assert "Nama dan nama pengguna Anda" in html
    # The form may end at the app's origin (CSP form-action), and no other.
    assert "form-action 'self' https://app.example.go.id" in page["Content-Security-Policy"]


def test_an_unregistered_redirect_uri_is_refused_without_redirecting(client, employee, first_party):
    answer = authorize(client, first_party, redirect_uri="https://evil.example/callback", challenge=pkce()[1])
    assert answer.status_code == 400
    assert "evil.example" not in answer.get("Location", "")
    assert 'data-testid="oauth-error"' in answer.content.decode()


def test_a_scope_the_app_was_not_given_is_refused(client, employee):
    registered = app_register(name="Absensi", redirect_uris=[REDIRECT], first_party=True, scopes=["openid", "profile"])
    answer = authorize(client, registered, scope="openid profile employee", challenge=pkce()[1])
    assert answer.status_code == 302 and query(answer.url)["error"] == "invalid_scope"
    assert "code" not in query(answer.url)
    # An API scope is never granted to a person's sign-in either.
    api = app_register(
        name="Gateway", redirect_uris=[REDIRECT], first_party=True, scopes=["openid", "notifications:write"]
    )
    answer = authorize(client, api, scope="openid notifications:write", challenge=pkce()[1])
    assert query(answer.url)["error"] == "invalid_scope"


def test_pkce_is_required_for_a_public_client(client, employee):
    public = app_register(name="Aplikasi Seluler", redirect_uris=[REDIRECT], first_party=True, public=True)
    assert public.client_secret == ""
    answer = authorize(client, public)  # no code_challenge
    assert answer.status_code == 302
    assert query(answer.url)["error"] == "invalid_request" and "code" not in query(answer.url)
    # plain is not accepted either
    answer = authorize(client, public, code_challenge="x" * 43, code_challenge_method="plain")
    assert "code" not in query(answer.url)
    # With S256 it works, and the public client redeems with the verifier and no secret.
    verifier, challenge = pkce()
    code = query(authorize(client, public, challenge=challenge).url)["code"]
    token = client.post(
        "/oauth/token/",
        {
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": REDIRECT,
            "code_verifier": verifier,
            "client_id": public.client_id,
        },
    )
    assert token.status_code == 200, token.content
    wrong = client.post(
        "/oauth/token/",
        {"grant_type": "authorization_code", "code": code, "redirect_uri": REDIRECT, "code_verifier": "nope" * 12},
    )
    assert wrong.status_code in (400, 401)


def test_a_user_outside_the_audience_gets_a_page_not_a_code(client, employee):
    from django.contrib.auth.models import Group

    registered = app_register(name="SIMPEG", redirect_uris=[REDIRECT], first_party=True)
    registered.app.roles.add(Group.objects.get(name=roles.HR))
    answer = authorize(client, registered, challenge=pkce()[1])
    assert answer.status_code == 403
    assert 'data-testid="not-for-you"' in answer.content.decode()
    # Nor by units: an app for one OPD and its sub-units.
    opd = UnitFactory(code="BKPSDM")
    sub = UnitFactory(code="BKPSDM.MUTASI", parent=opd)
    registered.app.roles.clear()
    registered.app.units.add(opd)
    assert authorize(client, registered, challenge=pkce()[1]).status_code == 403
    User.objects.filter(pk=employee.pk).update(unit=sub)
    assert authorize(client, registered, challenge=pkce()[1]).status_code == 302
    registered.app.employment_types = ["pppk"]
    registered.app.save()
    assert authorize(client, registered, challenge=pkce()[1]).status_code == 403


def test_a_disabled_apps_tokens_stop_at_once(client, employee, first_party):
    code, verifier = code_for(client, first_party)
    token = redeem(client, first_party, code, verifier).json()
    bearer = {"HTTP_AUTHORIZATION": f"Bearer {token['access_token']}"}
    assert client.get("/oauth/userinfo/", **bearer).status_code == 200

    app_set_enabled(app=first_party.app, enabled=False)

    assert client.get("/oauth/userinfo/", **bearer).status_code == 401
    refresh = client.post(
        "/oauth/token/", {"grant_type": "refresh_token", "refresh_token": token["refresh_token"]}, **basic(first_party)
    )
    assert refresh.status_code in (400, 401)
    assert authorize(client, first_party, challenge=pkce()[1]).status_code in (400, 302)
    assert "code" not in query(authorize(client, first_party, challenge=pkce()[1]).get("Location", ""))


def test_a_disabled_app_is_refused_even_if_its_tokens_were_kept(client, employee, first_party):
    """The validator checks the app on every request: not only because switching off deleted the tokens."""
    code, verifier = code_for(client, first_party)
    token = redeem(client, first_party, code, verifier).json()
    ExternalApp.objects.filter(pk=first_party.app.pk).update(enabled=False)  # e.g. straight in the database
    assert client.get("/oauth/userinfo/", HTTP_AUTHORIZATION=f"Bearer {token['access_token']}").status_code == 401


def test_a_deactivated_employees_token_stops(client, employee, first_party):
    code, verifier = code_for(client, first_party)
    token = redeem(client, first_party, code, verifier).json()
    User.objects.filter(pk=employee.pk).update(is_active=False)
    assert client.get("/oauth/userinfo/", HTTP_AUTHORIZATION=f"Bearer {token['access_token']}").status_code == 401


def test_client_credentials_get_api_scopes_only(client):
    registered = app_register(
        name="SiMontok", redirect_uris=[REDIRECT], first_party=True, scopes=["openid", "notifications:write"]
    )
    ok = client.post(
        "/oauth/token/", {"grant_type": "client_credentials", "scope": "notifications:write"}, **basic(registered)
    )
    assert ok.status_code == 200 and ok.json()["scope"] == "notifications:write"
    default = client.post("/oauth/token/", {"grant_type": "client_credentials"}, **basic(registered))
    assert default.json()["scope"] == "notifications:write"
    for scope in ("openid", "badges:write"):
        refused = client.post(
            "/oauth/token/", {"grant_type": "client_credentials", "scope": scope}, **basic(registered)
        )
        assert refused.status_code == 400 and refused.json()["error"] == "invalid_scope", scope
    # An app with no API scope has no client-credentials grant at all.
    plain = app_register(name="Absensi", redirect_uris=[REDIRECT], first_party=True)
    refused = client.post("/oauth/token/", {"grant_type": "client_credentials"}, **basic(plain))
    assert refused.status_code in (400, 401)
    # A wrong secret gets nothing.
    wrong = client.post(
        "/oauth/token/",
        {"grant_type": "client_credentials"},
        HTTP_AUTHORIZATION="Basic " + base64.b64encode(f"{registered.client_id}:wrong".encode()).decode(),
    )
    assert wrong.status_code == 401


def test_the_login_page_lets_its_form_end_at_the_app_being_signed_in_to(client, first_party):
    nxt = reverse("oauth2_provider:authorize") + f"?client_id={first_party.client_id}&response_type=code"
    page = client.get("/masuk/", {"next": nxt})
    assert "form-action 'self' https://app.example.go.id" in page["Content-Security-Policy"]
    assert "app.example.go.id" not in client.get("/masuk/")["Content-Security-Policy"]
