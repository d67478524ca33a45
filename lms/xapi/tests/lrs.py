"""Helpers for LRS tests: an authenticated client that speaks xAPI 1.0.3."""

from __future__ import annotations

import base64
import json
import uuid
from typing import Any

from django.test import Client

from lms.xapi.services import lrs_client_save

VERSION_HEADER = {"HTTP_X_EXPERIENCE_API_VERSION": "1.0.3"}


def basic(key: str, secret: str) -> str:
    return "Basic " + base64.b64encode(f"{key}:{secret}".encode()).decode()


class Lrs:
    """Django test client bound to one LRS client's credentials."""

    def __init__(self, scopes=("all",), key: str | None = None, secret: str = "s3cret-s3cret"):
        self.key = key or f"client-{uuid.uuid4().hex[:8]}"
        self.secret = secret
        self.record, _ = lrs_client_save(name=f"Test {self.key}", key=self.key, secret=secret, scopes=list(scopes))
        self.http = Client()
        self.auth = {"HTTP_AUTHORIZATION": basic(self.key, secret), **VERSION_HEADER}

    def get(self, path: str, params: dict[str, Any] | None = None, **headers):
        return self.http.get(f"/xapi/{path}", params or {}, **{**self.auth, **headers})

    def head(self, path: str, params: dict[str, Any] | None = None, **headers):
        return self.http.head(f"/xapi/{path}", params or {}, **{**self.auth, **headers})

    def post(self, path: str, body: Any, content_type="application/json", query: str = "", **headers):
        data = json.dumps(body) if not isinstance(body, (bytes, str)) else body
        return self.http.post(f"/xapi/{path}{query}", data, content_type=content_type, **{**self.auth, **headers})

    def put(self, path: str, body: Any, query: str = "", content_type="application/json", **headers):
        data = json.dumps(body) if not isinstance(body, (bytes, str)) else body
        return self.http.put(f"/xapi/{path}{query}", data, content_type=content_type, **{**self.auth, **headers})

    def delete(self, path: str, query: str = "", **headers):
        return self.http.delete(f"/xapi/{path}{query}", **{**self.auth, **headers})


def statement(**overrides) -> dict[str, Any]:
    base = {
        "actor": {"objectType": "Agent", "name": "Ani", "mbox": "mailto:ani@example.org"},
        "verb": {"id": "http://adlnet.gov/expapi/verbs/experienced", "display": {"en-US": "experienced"}},
        "object": {
            "objectType": "Activity",
            "id": "http://example.org/activity/1",
            "definition": {"name": {"en-US": "Activity 1"}},
        },
    }
    base.update(overrides)
    return base
