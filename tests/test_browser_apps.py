"""Issue 19 on a phone: a registered external app's tile shows only for the roles it names, and tapping it
signs the employee in to the app (a small relying party served by this test, on Authlib's client, which
checks the ID token against the shell's JWKS) without asking for a password again."""

import secrets
import threading
from http.cookies import SimpleCookie
from urllib.parse import parse_qs
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

import pytest
import requests
from authlib.integrations.requests_client import OAuth2Session
from django.contrib.auth.models import Group
from joserfc import jwt
from joserfc.jwk import KeySet

from shell.apps.services import app_register
from shell.people import roles
from shell.people.tests.factories import UserFactory
from tests.browser import ARTIFACTS, login, phone_page


class _Quiet(WSGIRequestHandler):
    def log_message(self, *args):
        pass


class _ThreadingWSGIServer(WSGIServer):
    daemon_threads = True

    def process_request(self, request, client_address):
        threading.Thread(target=self._handle, args=(request, client_address), daemon=True).start()

    def _handle(self, request, client_address):
        try:
            self.finish_request(request, client_address)
        finally:
            self.shutdown_request(request)


class SmallApp:
    """A city app with its own server: it signs people in through the shell (authorization code + PKCE),
    verifies the ID token with the shell's JWKS and greets the employee by the name from userinfo."""

    def __init__(self, shell_url: str):
        self.shell = shell_url
        self.server = make_server("127.0.0.1", 0, self, server_class=_ThreadingWSGIServer, handler_class=_Quiet)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.client_id = self.client_secret = ""
        self.pending: dict[str, tuple[str, str]] = {}  # state -> (code verifier, nonce)
        self.sessions: dict[str, dict] = {}

    def __enter__(self):
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()

    def oauth(self) -> OAuth2Session:
        return OAuth2Session(
            self.client_id,
            self.client_secret,
            scope="openid profile employee",
            redirect_uri=f"{self.url}/oidc/callback",
            code_challenge_method="S256",
        )

    def __call__(self, environ, start_response):
        meta = requests.get(f"{self.shell}/oauth/.well-known/openid-configuration", timeout=10).json()
        path = environ["PATH_INFO"]
        cookie = SimpleCookie(environ.get("HTTP_COOKIE", ""))
        session = self.sessions.get(cookie["app_session"].value) if "app_session" in cookie else None
        if path == "/" and session:
            body = f"<!doctype html><meta name=viewport content='width=device-width'><h1 id=hello>Halo, {session['name']}</h1>"
            start_response("200 OK", [("Content-Type", "text/html; charset=utf-8")])
            return [body.encode()]
        if path == "/":
            verifier, nonce = secrets.token_urlsafe(48), secrets.token_urlsafe(16)
            url, state = self.oauth().create_authorization_url(
                meta["authorization_endpoint"], code_verifier=verifier, nonce=nonce
            )
            self.pending[state] = (verifier, nonce)
            start_response("302 Found", [("Location", url)])
            return [b""]
        if path == "/oidc/callback":
            query = {k: v[0] for k, v in parse_qs(environ["QUERY_STRING"]).items()}
            verifier, nonce = self.pending.pop(query["state"])
            oauth = self.oauth()
            token = oauth.fetch_token(
                meta["token_endpoint"],
                authorization_response=f"{self.url}/oidc/callback?{environ['QUERY_STRING']}",
                code_verifier=verifier,
            )
            keys = KeySet.import_key_set(requests.get(meta["jwks_uri"], timeout=10).json())
            claims = jwt.decode(token["id_token"], keys).claims
            assert claims["iss"] == meta["issuer"] and claims["aud"] == self.client_id and claims["nonce"] == nonce
            userinfo = oauth.get(meta["userinfo_endpoint"]).json()
            assert userinfo["sub"] == claims["sub"]
            sid = secrets.token_urlsafe(16)
            self.sessions[sid] = userinfo
            start_response("302 Found", [("Location", "/"), ("Set-Cookie", f"app_session={sid}; Path=/; HttpOnly")])
            return [b""]
        start_response("404 Not Found", [("Content-Type", "text/plain")])
        return [b"not found"]


@pytest.fixture(autouse=True)
def _plain_http_for_the_test_servers(monkeypatch):
    monkeypatch.setenv("AUTHLIB_INSECURE_TRANSPORT", "1")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_an_apps_tile_shows_for_its_roles_and_signs_the_employee_in_without_a_password(
    live_server, restore_migrated_data
):
    UserFactory(username="pegawai", full_name="Budi Santoso", roles=[roles.LEARNER])
    UserFactory(username="sdm", full_name="Rina Marlina", roles=[roles.LEARNER, roles.HR])
    base = live_server.url

    with SmallApp(base) as small_app, phone_page() as page:
        registered = app_register(
            name="SIMPEG Mini",
            slug="simpeg-mini",
            redirect_uris=[f"{small_app.url}/oidc/callback"],
            launch_url=f"{small_app.url}/",
            first_party=True,
            scopes=["openid", "profile", "employee"],
            description="Data kepegawaian",
        )
        registered.app.roles.add(Group.objects.get(name=roles.HR))
        small_app.client_id, small_app.client_secret = registered.client_id, registered.client_secret

        login(page, base, "pegawai", "secret-pass-123")
        assert page.locator("a[data-tile=app-simpeg-mini]").count() == 0  # not for a learner
        page.context.clear_cookies()

        login(page, base, "sdm", "secret-pass-123")
        tile = page.locator("a[data-tile=app-simpeg-mini]")
        tile.wait_for()
        assert "SIMPEG Mini" in tile.inner_text()
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        page.screenshot(path=str(ARTIFACTS / "apps-tile-phone.png"))
        visited = []
        page.on("request", lambda request: visited.append(request.url))  # redirects included
        tile.click()
        page.wait_for_url(f"{small_app.url}/")
        assert page.locator("#hello").inner_text() == "Halo, Rina Marlina"
        # The code came from the shell's authorization endpoint (RFC 9207 `iss`), where the session sufficed.
        callback = next(url for url in visited if url.startswith(f"{small_app.url}/oidc/callback?"))
        assert parse_qs(callback.split("?", 1)[1])["iss"] == [f"{base}/oauth"]  # the issuer discovery publishes
        assert not [url for url in visited if "/masuk/" in url], visited  # no password asked again
        page.screenshot(path=str(ARTIFACTS / "apps-launch-phone.png"), full_page=True)
