"""The LRS resources at /xapi/: statements, about, activities, agents (documents in views_documents)."""

from __future__ import annotations

import json
from typing import Any

from django.db import transaction
from django.http import HttpResponse
from django.utils import timezone
from django.utils.http import http_date

from . import queries
from .actors import actor_for_user, actor_ifi
from .constants import VERB_VOIDED
from .http import (
    VERSION,
    XapiError,
    XapiRequest,
    activity_param,
    json_response,
    no_content,
    parse_json,
    xapi_resource,
)
from .models import Statement
from .services import StatementConflict, StatementError, format_timestamp, statements_record
from .validation import XapiValidationError, validate_agent, validate_statement


def _consistent_through() -> dict[str, str]:
    return {"X-Experience-API-Consistent-Through": format_timestamp(timezone.now())}


def _statements_from_body(req: XapiRequest) -> Any:
    if req.content_type == "multipart/mixed":
        from .attachments import statements_from_multipart

        return statements_from_multipart(req)
    if req.content_type != "application/json":
        raise XapiError(400, "Send statements as application/json (or multipart/mixed with attachments).")
    payload = req.json_body()
    from .attachments import verify_signatures

    # A signature's JWS must come as a multipart part; a JSON-only request cannot carry a valid one.
    verify_signatures(payload if isinstance(payload, list) else [payload], {})
    return payload


def _sent_by(principal) -> dict[str, Any]:
    """Who sends: an LRS client, or a learner's browser session. Neither is the platform: what they send
    is stored, and believed only as lms.trust allows."""
    if principal.client is not None:
        return {"source": Statement.Source.CLIENT, "client": principal.client, "authority": principal.authority}
    return {"source": Statement.Source.SESSION, "sender": principal.user, "authority": principal.authority}


def _check_voiding(principal, statements: list[Any]) -> None:
    """A learner's session voids only statements it sent itself; an LRS client only statements sent with its
    own credentials. Reversing the platform's own records (credits, completions) is the platform's and HR's
    work, never a client's (docs/trust.md)."""
    targets = {}
    for index, statement in enumerate(statements):
        obj = statement.get("object") if isinstance(statement, dict) else None
        verb = (statement.get("verb") or {}).get("id") if isinstance(statement, dict) else None
        if verb == VERB_VOIDED and isinstance(obj, dict) and obj.get("objectType") == "StatementRef":
            targets[str(obj.get("id", "")).lower()] = index
    if not targets:
        return
    stored = Statement.objects.filter(pk__in=list(targets)).values_list("pk", "source", "client_id", "sender_id")
    for pk, source, client_id, sender_id in stored:
        if principal.client is not None:
            own = source == Statement.Source.CLIENT and client_id == principal.client.pk
        else:
            own = source == Statement.Source.SESSION and sender_id == principal.user.pk
        if not own:
            path = "statement" if len(statements) == 1 else f"statements[{targets[str(pk).lower()]}]"
            raise XapiError(
                403,
                f"{path}.object: statement {pk} was not sent with these credentials; only its sender may void it.",
            )


def _store(req: XapiRequest, statements: list[Any]) -> list[str]:
    principal = req.principal
    if not principal.can("statements", write=True):
        raise XapiError(403, "These credentials may not write statements (scope statements/write).")
    for index, statement in enumerate(statements):
        path = "statement" if len(statements) == 1 else f"statements[{index}]"
        if principal.user is not None and isinstance(statement, dict) and "actor" not in statement:
            statement["actor"] = actor_for_user(principal.user)
        try:
            validate_statement(statement, path=path)
        except XapiValidationError as error:
            raise XapiError(400, str(error)) from None
        if principal.user is not None and actor_ifi(statement["actor"]) not in principal.own_ifis:
            raise XapiError(403, f"{path}.actor: a learner's session may only send statements about themself.")
        if "attachments" in statement and req.attachment_parts is None:
            missing = [a for a in statement["attachments"] if "fileUrl" not in a]
            if missing:
                raise XapiError(
                    400,
                    f"{path}.attachments: the content of an attachment without fileUrl must be "
                    "sent as a multipart/mixed part.",
                )
    _check_voiding(principal, statements)
    try:
        if parts := req.attachment_parts:
            from .attachments import attachments_store

            # One transaction: statements whose attachment payloads could not be kept are not stored either.
            with transaction.atomic():
                recorded = statements_record(statements=statements, **_sent_by(principal))
                attachments_store(parts)
        else:
            recorded = statements_record(statements=statements, **_sent_by(principal))
    except StatementConflict as error:
        raise XapiError(409, str(error)) from None
    except StatementError as error:
        raise XapiError(400, str(error)) from None
    return [str(r.id) for r in recorded]


def statements_put(req: XapiRequest):
    sid = req.params.get("statementId")
    if not sid:
        raise XapiError(400, "PUT needs the statementId parameter.")
    unknown = set(req.params) - {"statementId"}
    if unknown:
        raise XapiError(400, f"Unknown parameter(s) for PUT: {', '.join(sorted(unknown))}.")
    statement = _statements_from_body(req)
    if not isinstance(statement, dict):
        raise XapiError(400, "PUT takes one statement (a JSON object).")
    if "id" in statement and str(statement["id"]).lower() != sid.lower():
        raise XapiError(400, "statement.id differs from the statementId parameter.")
    statement["id"] = sid
    _store(req, [statement])
    return no_content()


def statements_post(req: XapiRequest):
    if req.params:
        raise XapiError(400, f"Unknown parameter(s) for POST: {', '.join(sorted(req.params))}.")
    payload = _statements_from_body(req)
    if isinstance(payload, dict):
        statements = [payload]
    elif isinstance(payload, list) and payload:
        statements = payload
    else:
        raise XapiError(400, "POST takes a statement or a non-empty array of statements.")
    return json_response(_store(req, statements))


def statements_get(req: XapiRequest):
    principal = req.principal
    if not principal.can("statements"):
        raise XapiError(403, "These credentials may not read statements (scope statements/read).")
    params = req.params
    languages = queries.accept_languages(req.headers.get("accept-language", ""))
    single = [name for name in ("statementId", "voidedStatementId") if name in params]
    try:
        if single:
            if len(single) == 2:
                raise XapiError(400, "Give statementId or voidedStatementId, not both.")
            extra = set(params) - {single[0], "format", "attachments"}
            if extra:
                raise XapiError(400, f"{single[0]} cannot be combined with: {', '.join(sorted(extra))}.")
            fmt = params.get("format", "exact")
            if fmt not in queries.FORMATS:
                raise XapiError(400, "format must be ids, exact or canonical.")
            statement = queries.statement_get(
                principal=principal, statement_id=params[single[0]], voided=single[0] == "voidedStatementId"
            )
            if statement is None:
                raise XapiError(404, f"No statement with {single[0]} {params[single[0]]}.")
            body = queries.format_statement(statement.data, fmt, languages)
            headers = {"Last-Modified": http_date(statement.stored.timestamp()), **_consistent_through()}
            return _with_attachments(req, [statement], body, headers)
        rows, more = queries.statements_query(principal=principal, params=params)
    except queries.QueryError as error:
        raise XapiError(400, str(error)) from None
    fmt = queries.query_format(params)
    attachments = queries.query_attachments(params)
    if fmt == "exact" and not attachments:
        # The stored JSON goes out as it is: no parsing and re-encoding of every statement.
        body = '{"statements":[' + ",".join(row.text for row in rows) + '],"more":' + json.dumps(more) + "}"
        response = HttpResponse(body.encode("utf-8"), content_type="application/json")
        for name, value in _consistent_through().items():
            response[name] = value
        return response
    result = {"statements": [queries.format_statement(s.data, fmt, languages) for s in rows], "more": more}
    return _with_attachments(req, rows, result, _consistent_through(), attachments)


def _with_attachments(req: XapiRequest, rows: list, body: Any, headers: dict[str, str], attachments: bool = False):
    if attachments or req.params.get("attachments", "false").lower() == "true":
        from .attachments import multipart_response

        return multipart_response(rows, body, headers)
    return json_response(body, headers=headers)


statements = xapi_resource(
    {"GET": statements_get, "PUT": statements_put, "POST": statements_post}, always_headers=_consistent_through
)


def about_get(req: XapiRequest):
    return json_response({"version": ["1.0.0", "1.0.1", "1.0.2", VERSION], "extensions": {}})


about = xapi_resource({"GET": about_get}, require_version=False, auth=False)


def activities_get(req: XapiRequest):
    from .documents import activity_definition

    return json_response(activity_definition(activity_param(req)))


activities = xapi_resource({"GET": activities_get})


def agents_get(req: XapiRequest):
    raw = req.params.get("agent")
    if not raw:
        raise XapiError(400, "The agent parameter is required.")
    agent = parse_json(raw.encode("utf-8"))
    try:
        validate_agent(agent, "agent", allow_group=False)
    except XapiValidationError as error:
        raise XapiError(400, str(error)) from None
    person: dict[str, Any] = {"objectType": "Person"}
    if agent.get("name"):
        person["name"] = [agent["name"]]
    for ifi in ("mbox", "mbox_sha1sum", "openid"):
        if ifi in agent:
            person[ifi] = [agent[ifi]]
    if "account" in agent:
        person["account"] = [agent["account"]]
    return json_response(person)


agents = xapi_resource({"GET": agents_get})
