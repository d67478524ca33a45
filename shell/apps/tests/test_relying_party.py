"""Issue 19's must-show: a real OpenID Connect relying-party library (Authlib's Django client) signs an
employee in to an app through the running shell: discovery, authorization code with PKCE (S256), the
ID token's signature checked against the JWKS (and its issuer, audience, nonce and at_hash), userinfo.
Then the refresh token, RP-initiated logout, revocation, and a key rotation that logs nobody out."""

import pytest
import requests
from django.core.management import call_command
from joserfc import jwt
from joserfc.jwk import KeySet

from shell.apps.services import app_register
from shell.people import roles
from shell.people.tests.factories import UnitFactory, UserFactory

from .rp import REDIRECT_URI, browser_login, follow_to_redirect_uri, query_of, relying_party, rp_request

pytestmark = pytest.mark.django_db(transaction=True)

SCOPE = "openid profile email employee roles"


@pytest.fixture(autouse=True)
def _insecure_transport_for_the_live_server(monkeypatch):
    # The live test server speaks plain HTTP; Authlib refuses that unless told it is a test.
    monkeypatch.setenv("AUTHLIB_INSECURE_TRANSPORT", "1")


@pytest.fixture
def siti():
    unit = UnitFactory(code="DISKOMINFO.APTIKA", name="Bidang Aplikasi Informatika")
    return UserFactory(
        username="siti",
        full_name="Siti Rahmawati",
        email="siti@tangerangkota.go.id",
        unit=unit,
        position="Pranata Komputer Ahli Muda",
        roles=[roles.LEARNER, roles.SUPERVISOR],
    )


def sign_in(live_server, rp, browser):
    """The RP starts (Authlib makes state, nonce and the PKCE pair), the browser goes through the shell,
    the RP takes the code back and redeems it."""
    start = rp_request()
    redirect = rp.authorize_redirect(start, REDIRECT_URI)
    authorize_url = redirect["Location"]
    assert authorize_url.startswith(f"{live_server.url}/oauth/authorize/")
    assert query_of(authorize_url)["code_challenge_method"] == "S256"
    back = follow_to_redirect_uri(browser, authorize_url)
    return rp.authorize_access_token(rp_request("/callback", query_of(back), session=start.session))


def test_authlib_signs_an_employee_in_with_pkce_checks_the_id_token_by_jwks_and_reads_userinfo(live_server, siti):
    app = app_register(name="SiMontok", redirect_uris=[REDIRECT_URI], first_party=True, scopes=SCOPE.split())
    rp = relying_party(live_server.url, app.client_id, app.client_secret, SCOPE)

    token = sign_in(live_server, rp, browser_login(live_server.url, "siti"))

    # Authlib verified the ID token (signature through the JWKS, iss, aud, exp, nonce, at_hash) and
    # hands back its claims.
    claims = token["userinfo"]
    assert claims["iss"] == f"{live_server.url}/oauth"
    assert claims["aud"] == app.client_id
    assert claims["sub"] == str(siti.uuid)
    assert claims["nip"] == siti.nip
    # Check the signature once more ourselves, against the published keys, to be sure it was RS256.
    jwks = requests.get(f"{live_server.url}/oauth/.well-known/jwks.json", timeout=10).json()
    decoded = jwt.decode(token["id_token"], KeySet.import_key_set(jwks), algorithms=["RS256"])
    assert decoded.header["alg"] == "RS256" and decoded.header["kid"] in {k["kid"] for k in jwks["keys"]}

    info = rp.userinfo(token=token)
    assert info["sub"] == str(siti.uuid)
    assert info["name"] == "Siti Rahmawati"
    assert info["email"] == "siti@tangerangkota.go.id"
    assert info["nip"] == siti.nip
    assert info["unit_code"] == "DISKOMINFO.APTIKA"
    assert info["unit_name"] == "Bidang Aplikasi Informatika"
    assert info["position"] == "Pranata Komputer Ahli Muda"
    assert info["employment_type"] == "pns"
    assert info["roles"] == sorted([roles.LEARNER, roles.SUPERVISOR])
    assert token["expires_in"] == 300  # short-lived access tokens


def test_claims_follow_the_scopes_granted(live_server, siti):
    app = app_register(name="Absensi", redirect_uris=[REDIRECT_URI], first_party=True, scopes=["openid", "profile"])
    rp = relying_party(live_server.url, app.client_id, app.client_secret, "openid profile")
    token = sign_in(live_server, rp, browser_login(live_server.url, "siti"))
    info = rp.userinfo(token=token)
    assert info["name"] == "Siti Rahmawati"
    assert "nip" not in info and "email" not in info and "roles" not in info


def test_refresh_revocation_and_logout(live_server, siti):
    app = app_register(
        name="SiMontok",
        redirect_uris=[REDIRECT_URI],
        post_logout_redirect_uris=["https://app.example.go.id/bye"],
        first_party=True,
        scopes=SCOPE.split(),
    )
    rp = relying_party(live_server.url, app.client_id, app.client_secret, SCOPE)
    browser = browser_login(live_server.url, "siti")
    token = sign_in(live_server, rp, browser)
    metadata = rp.load_server_metadata()

    # The refresh token gives a new access token (and a new refresh token: they rotate).
    session = rp._get_oauth_client()
    session.token = token
    fresh = session.refresh_token(metadata["token_endpoint"], refresh_token=token["refresh_token"])
    assert fresh["access_token"] != token["access_token"]
    assert fresh["refresh_token"] != token["refresh_token"]
    assert rp.userinfo(token=fresh)["sub"] == str(siti.uuid)
    # The old refresh token was used: a second use is refused, and revokes its family.
    reuse = requests.post(
        metadata["token_endpoint"],
        data={"grant_type": "refresh_token", "refresh_token": token["refresh_token"]},
        auth=(app.client_id, app.client_secret),
        timeout=10,
    )
    assert reuse.status_code == 400
    # Revocation (RFC 7009): the access token stops at once.
    revoked = requests.post(
        metadata["revocation_endpoint"],
        data={"token": fresh["access_token"], "token_type_hint": "access_token"},
        auth=(app.client_id, app.client_secret),
        timeout=10,
    )
    assert revoked.status_code == 200
    assert requests.get(metadata["userinfo_endpoint"], headers=_bearer(fresh), timeout=10).status_code == 401

    # RP-initiated logout with the ID token as hint: the shell's session ends, back to the app.
    logout = rp.create_logout_url(
        post_logout_redirect_uri="https://app.example.go.id/bye", id_token_hint=token["id_token"]
    )
    answer = browser.get(logout["url"], allow_redirects=False, timeout=10)
    assert answer.status_code == 302 and answer.headers["Location"].startswith("https://app.example.go.id/bye")
    assert query_of(answer.headers["Location"])["state"] == logout["state"]
    mine = browser.get(f"{live_server.url}/belajar/", allow_redirects=False, timeout=10)
    assert mine.status_code == 302 and mine.headers["Location"].startswith("/masuk/")


def test_a_key_rotation_logs_nobody_out(live_server, siti):
    app = app_register(name="SiMontok", redirect_uris=[REDIRECT_URI], first_party=True, scopes=SCOPE.split())
    rp = relying_party(live_server.url, app.client_id, app.client_secret, SCOPE)
    token = sign_in(live_server, rp, browser_login(live_server.url, "siti"))
    jwks_url = f"{live_server.url}/oauth/.well-known/jwks.json"
    old_kid = jwt.decode(token["id_token"], KeySet.import_key_set(requests.get(jwks_url, timeout=10).json())).header[
        "kid"
    ]

    call_command("oidc_rotate_key")

    published = requests.get(jwks_url, timeout=10).json()
    assert len(published["keys"]) == 2 and old_kid in {k["kid"] for k in published["keys"]}
    # The ID token signed before still verifies; the refresh token still works; the new ID token is
    # signed with the new key.
    jwt.decode(token["id_token"], KeySet.import_key_set(published), algorithms=["RS256"])
    session = rp._get_oauth_client()
    session.token = token
    fresh = session.refresh_token(rp.load_server_metadata()["token_endpoint"], refresh_token=token["refresh_token"])
    new_header = jwt.decode(fresh["id_token"], KeySet.import_key_set(published), algorithms=["RS256"]).header
    assert new_header["kid"] != old_kid


def _bearer(token):
    return {"Authorization": f"Bearer {token['access_token']}"}
