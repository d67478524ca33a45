"""The xAPI protocol around every resource: version header, alternate request syntax, CORS, Date,
clear JSON errors, and no body on a 204."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any

from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse, QueryDict
from django.middleware.csrf import CsrfViewMiddleware
from django.utils.http import http_date
from django.views.decorators.csrf import csrf_exempt

from .auth import AuthError, Principal, authenticate

VERSION = "1.0.3"
ACCEPTED_VERSIONS = ("1.0", "1.0.0", "1.0.1", "1.0.2", "1.0.3")
ALTERNATE_HEADERS = {
    "authorization": "authorization",
    "x-experience-api-version": "x-experience-api-version",
    "content-type": "content-type",
    "content-length": "content-length",
    "if-match": "if-match",
    "if-none-match": "if-none-match",
}
CORS_HEADERS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Allow-Methods": "HEAD, GET, POST, PUT, DELETE, OPTIONS",
    "Access-Control-Allow-Headers": "Content-Type, Content-Length, Authorization, X-Experience-API-Version, "
    "If-Match, If-None-Match, X-CSRFToken, Accept-Language",
    "Access-Control-Expose-Headers": "ETag, Last-Modified, Cache-Control, Content-Type, Content-Length, "
    "WWW-Authenticate, X-Experience-API-Version, X-Experience-API-Consistent-Through",
    "Access-Control-Max-Age": "86400",
}


class XapiError(Exception):
    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status
        self.message = message


@dataclass
class XapiRequest:
    method: str
    params: dict[str, str]
    headers: dict[str, str]
    body: bytes
    principal: Principal | None
    django: HttpRequest
    # sha2 -> (content type, bytes) of the multipart/mixed attachment parts, set by attachments.py
    attachment_parts: dict[str, tuple[str, bytes]] | None = None

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "").split(";", 1)[0].strip().lower()

    def json_body(self) -> Any:
        return parse_json(self.body)


def _no_constants(value: str):
    raise ValueError(f"{value} is not valid JSON")


def parse_json(raw: bytes) -> Any:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise XapiError(400, f"The body is not valid UTF-8 (byte {error.start}).") from None
    try:
        value = json.loads(text, parse_constant=_no_constants)
    except RecursionError:
        raise XapiError(400, "The JSON is nested too deeply.") from None
    except ValueError as error:
        raise XapiError(400, f"The body is not valid JSON: {error}.") from None
    # Deeper nesting than the json module's recursion limit is refused above; the statement validator
    # bounds the depth of what a statement may hold (extensions).
    # A quick look first (JSON can write these only as escapes), the walk only when one may be there.
    if "\\u0000" in text or _SURROGATE_ESCAPE.search(text):
        _refuse_unstorable(value)
    return value


_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")


def _refuse_unstorable(value: Any) -> None:
    """JSON may carry U+0000 or a lone UTF-16 surrogate (\\ud800) in a string; neither is text a
    database can store (PostgreSQL refuses both), so they are refused here with a message instead of
    failing the insert. A surrogate pair is one character and is fine."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if "\x00" in item:
                raise XapiError(400, "The JSON holds a NUL character (\\u0000), which cannot be stored.")
            try:
                item.encode("utf-8")
            except UnicodeEncodeError:
                raise XapiError(
                    400, "The JSON holds a lone UTF-16 surrogate (e.g. \\ud800), which is not text."
                ) from None
        elif isinstance(item, dict):
            for key, inner in item.items():
                stack.extend((key, inner))
        elif isinstance(item, list):
            stack.extend(item)


def json_response(data: Any, status: int = 200, headers: dict[str, str] | None = None) -> HttpResponse:
    body = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    response = HttpResponse(body, status=status, content_type="application/json")  # JSON is UTF-8 by definition
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def error_response(status: int, message: str) -> HttpResponse:
    response = json_response({"error": {"code": status, "message": message}}, status=status)
    if status == 401:
        response["WWW-Authenticate"] = 'Basic realm="xAPI"'
    return response


def no_content(headers: dict[str, str] | None = None) -> HttpResponse:
    response = HttpResponse(status=204)
    for name, value in (headers or {}).items():
        response[name] = value
    del response["Content-Type"]
    return response


def _build(request: HttpRequest) -> tuple[str, dict[str, str], dict[str, str], bytes]:
    """Method, parameters, headers (lower-case names) and body, honouring the alternate request syntax."""
    headers = {name.lower(): value for name, value in request.headers.items()}
    body = request.body
    if request.method == "POST" and "method" in request.GET:
        if list(request.GET.keys()) != ["method"]:
            raise XapiError(400, "With the alternate request syntax, 'method' must be the only query parameter.")
        method = request.GET["method"].upper()
        if method not in ("GET", "PUT", "POST", "DELETE", "HEAD"):
            raise XapiError(400, f"Alternate request syntax: unknown method {method!r}.")
        if headers.get("content-type", "").split(";")[0].strip().lower() != "application/x-www-form-urlencoded":
            raise XapiError(400, "The alternate request syntax needs Content-Type application/x-www-form-urlencoded.")
        try:
            form = QueryDict(body, encoding="utf-8")
        except UnicodeDecodeError:
            raise XapiError(400, "The form body is not valid UTF-8.") from None
        params: dict[str, str] = {}
        real_headers = {k: v for k, v in headers.items() if k not in ("content-type", "content-length")}
        if "content" in form and not any(name.lower() == "content-type" for name in form):
            real_headers["content-type"] = "application/json"  # statements are the usual content
        content = b""
        for name, value in form.items():
            lower = name.lower()
            if lower in ALTERNATE_HEADERS:
                real_headers[ALTERNATE_HEADERS[lower]] = value
            elif name == "content":
                content = value.encode("utf-8")
            else:
                params[name] = value
        if any("\x00" in name or "\x00" in value for name, value in params.items()):
            raise XapiError(400, "A parameter holds a NUL character, which cannot be stored or matched.")
        return method, params, real_headers, content
    params = {k: request.GET[k] for k in request.GET}
    if any("\x00" in name or "\x00" in value for name, value in params.items()):
        raise XapiError(400, "A parameter holds a NUL character, which cannot be stored or matched.")
    return request.method, params, headers, body


def finalize(response: HttpResponse) -> HttpResponse:
    response["X-Experience-API-Version"] = VERSION
    response["Date"] = http_date()
    for name, value in CORS_HEADERS.items():
        response[name] = value
    if response.status_code == 204:
        response.content = b""
    return response


def _csrf_failed(request: HttpRequest) -> bool:
    """A browser session writing to the LRS must carry the CSRF token (Basic-authenticated clients need not)."""
    middleware = CsrfViewMiddleware(lambda r: HttpResponse())
    return middleware.process_view(request, None, (), {}) is not None


def xapi_resource(
    handlers: dict[str, Callable[[XapiRequest], HttpResponse]],
    *,
    require_version: bool = True,
    auth: bool = True,
    always_headers: Callable[[], dict[str, str]] | None = None,
):
    """A view for one xAPI resource, with ``handlers`` per method (HEAD falls back to GET without a body).
    ``always_headers`` go on every response of the resource, errors included (clients wait on them)."""

    allowed = ", ".join(sorted(set(handlers) | ({"HEAD"} if "GET" in handlers else set())))

    def done(response: HttpResponse) -> HttpResponse:
        for name, value in (always_headers() if always_headers else {}).items():
            if not response.has_header(name):
                response[name] = value
        return finalize(response)

    @csrf_exempt
    @wraps(next(iter(handlers.values())))
    def view(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if request.method == "OPTIONS":
            return done(HttpResponse(status=200))
        try:
            method, params, headers, body = _build(request)
            handler = handlers.get(method) or (handlers.get("GET") if method == "HEAD" else None)
            if handler is None:  # before authentication: the method is wrong whoever asks
                response = error_response(405, f"{method} is not allowed here; use {allowed}.")
                response["Allow"] = allowed
                return done(response)
            if require_version:
                version = headers.get("x-experience-api-version")
                if not version:
                    raise XapiError(400, "The X-Experience-API-Version header is required (e.g. 1.0.3).")
                if version not in ACCEPTED_VERSIONS:
                    raise XapiError(400, f"X-Experience-API-Version {version!r} is not supported; use 1.0.3.")
            principal = None
            if auth:
                try:
                    principal = authenticate(headers.get("authorization"), request)
                except AuthError as error:
                    return done(error_response(401, str(error)))
                if principal.user is not None and method in ("PUT", "POST", "DELETE") and _csrf_failed(request):
                    raise XapiError(403, "CSRF token missing or wrong: send the X-CSRFToken header.")
            response = handler(XapiRequest(method, params, headers, body, principal, request))
            if method == "HEAD":
                response.content = b""
        except XapiError as error:
            response = error_response(error.status, error.message)
        except RequestDataTooBig:
            response = error_response(413, "The request body is larger than this LRS accepts.")
        return done(response)

    return view


def activity_param(req: XapiRequest, name: str = "activityId") -> str:
    """A required activity IRI parameter."""
    from .validation import XapiValidationError, validate_iri

    activity_id = req.params.get(name)
    if not activity_id:
        raise XapiError(400, f"The {name} parameter is required.")
    try:
        validate_iri(activity_id, name)
    except XapiValidationError as error:
        raise XapiError(400, str(error)) from None
    return activity_id
