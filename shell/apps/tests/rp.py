"""A relying party for tests: Authlib's Django client (a real OpenID Connect library, not our code) and
a browser stand-in (requests) that logs an employee in to the live shell."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import requests
from authlib.integrations.django_client import OAuth
from django.contrib.sessions.backends.signed_cookies import SessionStore
from django.test import RequestFactory

REDIRECT_URI = "https://app.example.go.id/callback"


def relying_party(base_url: str, client_id: str, client_secret: str, scope: str, name: str = "kota"):
    """Authlib's client, configured from the shell's discovery document, PKCE (S256) on."""
    oauth = OAuth()
    return oauth.register(
        name=name,
        client_id=client_id,
        client_secret=client_secret,
        server_metadata_url=f"{base_url}/oauth/.well-known/openid-configuration",
        client_kwargs={"scope": scope, "code_challenge_method": "S256"},
    )


def rp_request(path: str = "/login", query: dict | None = None, session=None):
    request = RequestFactory().get(path, query or {})
    request.session = session if session is not None else SessionStore()
    return request


def browser_login(base_url: str, username: str, password: str = "secret-pass-123") -> requests.Session:
    browser = requests.Session()
    page = browser.get(f"{base_url}/masuk/", timeout=10)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    answer = browser.post(
        f"{base_url}/masuk/",
        data={"csrfmiddlewaretoken": token, "username": username, "password": password},
        headers={"Referer": f"{base_url}/masuk/"},
        allow_redirects=False,
        timeout=10,
    )
    assert answer.status_code == 302, answer.text[:500]
    return browser


def follow_to_redirect_uri(browser: requests.Session, url: str) -> str:
    """Follow the shell's redirects until one leaves for the app's redirect URI; return that URL."""
    for _ in range(5):
        answer = browser.get(url, allow_redirects=False, timeout=10)
        assert answer.status_code == 302, (answer.status_code, answer.text[:800])
        url = answer.headers["Location"]
        if url.startswith(REDIRECT_URI):
            return url
        if url.startswith("/"):
            parts = urlsplit(answer.url)
            url = f"{parts.scheme}://{parts.netloc}{url}"
    raise AssertionError("never reached the redirect URI")


def query_of(url: str) -> dict:
    return {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}
