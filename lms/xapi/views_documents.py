"""HTTP for the document resources: /activities/state, /activities/profile, /agents/profile."""

from __future__ import annotations

import datetime as dt
import uuid

from django.http import HttpResponse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.http import http_date

from .actors import actor_ifi
from .documents import DocumentError, Scope, document_delete, document_get, document_ids, document_post, document_put
from .http import XapiError, XapiRequest, activity_param, json_response, no_content, parse_json, xapi_resource
from .models import Document
from .validation import XapiValidationError, validate_agent


def _agent(req: XapiRequest, required: bool = True):
    raw = req.params.get("agent")
    if raw is None:
        if required:
            raise XapiError(400, "The agent parameter is required.")
        return None
    agent = parse_json(raw.encode("utf-8"))
    try:
        validate_agent(agent, "agent", allow_group=False)
    except XapiValidationError as error:
        raise XapiError(400, str(error)) from None
    principal = req.principal
    if principal.user is not None and actor_ifi(agent) not in principal.own_ifis:
        raise XapiError(403, "agent: a learner's session may only use their own documents.")
    return agent


def _registration(req: XapiRequest):
    raw = req.params.get("registration")
    if raw is None:
        return None
    try:
        return uuid.UUID(raw)
    except ValueError:
        raise XapiError(400, "registration must be a UUID.") from None


def _since(req: XapiRequest):
    raw = req.params.get("since")
    if raw is None:
        return None
    value = parse_datetime(raw)
    if value is None:
        raise XapiError(400, "since must be an ISO 8601 timestamp.")
    return value if timezone.is_aware(value) else timezone.make_aware(value, dt.UTC)


def _check_params(req: XapiRequest, allowed: set[str]) -> None:
    unknown = set(req.params) - allowed
    if unknown:
        raise XapiError(400, f"Unknown parameter(s): {', '.join(sorted(unknown))}.")


def _document_response(document: Document) -> HttpResponse:
    response = HttpResponse(bytes(document.content), content_type=document.content_type)
    response["ETag"] = f'"{document.etag}"'
    response["Last-Modified"] = http_date(document.updated.timestamp())
    return response


def _body(req: XapiRequest) -> tuple[bytes, str]:
    content_type = req.headers.get("content-type") or "application/octet-stream"
    if req.content_type == "application/json":
        parse_json(req.body)  # a JSON document must be valid JSON
    return req.body, content_type


def _document_resource(kind: str, id_param: str, scope_of, allowed: set[str], scope_name: str, profile: bool):
    def guard(req: XapiRequest, write: bool) -> None:
        if not req.principal.can(scope_name, write=write):
            raise XapiError(403, f"These credentials may not {'write' if write else 'read'} {scope_name} documents.")
        _check_params(req, allowed)

    def run(fn):
        try:
            return fn()
        except DocumentError as error:
            raise XapiError(error.status, error.message) from None

    def get(req: XapiRequest):
        guard(req, write=False)
        scope = scope_of(req)
        document_id = req.params.get(id_param)
        if document_id is None:
            return json_response(document_ids(scope=scope, since=_since(req)))
        if "since" in req.params:
            raise XapiError(400, f"since lists documents; it cannot be combined with {id_param}.")
        document = document_get(scope=scope, document_id=document_id)
        if document is None:
            raise XapiError(404, f"No document with {id_param} {document_id!r}.")
        return _document_response(document)

    def write(req: XapiRequest, save, **options):
        """PUT and POST: ``save`` is document_put or document_post."""
        guard(req, write=True)
        document_id = req.params.get(id_param)
        if not document_id:
            raise XapiError(400, f"The {id_param} parameter is required.")
        if "since" in req.params:
            raise XapiError(400, "since is only for listing documents.")
        scope = scope_of(req)
        content, content_type = _body(req)
        document = run(
            lambda: save(
                scope=scope,
                document_id=document_id,
                content=content,
                content_type=content_type,
                if_match=req.headers.get("if-match"),
                if_none_match=req.headers.get("if-none-match"),
                **options,
            )
        )
        return no_content({"ETag": f'"{document.etag}"'})

    def put(req: XapiRequest):
        return write(req, document_put, require_precondition=profile)

    def post(req: XapiRequest):
        return write(req, document_post)

    def delete(req: XapiRequest):
        guard(req, write=True)
        document_id = req.params.get(id_param)
        if document_id is None and profile:
            raise XapiError(400, f"The {id_param} parameter is required to delete a profile.")
        scope = scope_of(req)
        run(
            lambda: document_delete(
                scope=scope,
                document_id=document_id,
                if_match=req.headers.get("if-match"),
                if_none_match=req.headers.get("if-none-match"),
            )
        )
        return no_content()

    return xapi_resource({"GET": get, "PUT": put, "POST": post, "DELETE": delete})


state = _document_resource(
    Document.Kind.STATE,
    "stateId",
    lambda req: Scope(Document.Kind.STATE, activity_param(req), _agent(req), _registration(req)),
    {"activityId", "agent", "registration", "stateId", "since"},
    "state",
    profile=False,
)
activity_profile = _document_resource(
    Document.Kind.ACTIVITY_PROFILE,
    "profileId",
    lambda req: Scope(Document.Kind.ACTIVITY_PROFILE, activity_param(req)),
    {"activityId", "profileId", "since"},
    "profile",
    profile=True,
)
agent_profile = _document_resource(
    Document.Kind.AGENT_PROFILE,
    "profileId",
    lambda req: Scope(Document.Kind.AGENT_PROFILE, agent=_agent(req)),
    {"agent", "profileId", "since"},
    "profile",
    profile=True,
)
