"""Reading statements back: single statements, filtered queries with a `more` cursor, and formats."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from django.core import signing
from django.db import connection
from django.db.models import Exists, OuterRef, Q, QuerySet, TextField
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from .actors import actor_ifi
from .auth import Principal
from .models import Statement, StatementRelation, key

MAX_LIMIT = 500
QUERY_PARAMS = {
    "agent",
    "verb",
    "activity",
    "registration",
    "related_activities",
    "related_agents",
    "since",
    "until",
    "limit",
    "format",
    "attachments",
    "ascending",
}
FORMATS = ("exact", "ids", "canonical")
_signer = signing.TimestampSigner(salt="xapi-more")


class QueryError(ValueError):
    pass


@dataclass
class Row:
    """A statement as stored: its JSON text is passed through untouched for the exact format."""

    id: uuid.UUID
    stored: dt.datetime
    text: str

    @cached_property
    def data(self) -> dict[str, Any]:
        return json.loads(self.text)


def _bool(params: dict[str, str], name: str) -> bool:
    value = params.get(name, "false").lower()
    if value not in ("true", "false"):
        raise QueryError(f"{name} must be true or false.")
    return value == "true"


def _datetime(params: dict[str, str], name: str) -> dt.datetime | None:
    if name not in params:
        return None
    value = parse_datetime(params[name])
    if value is None:
        raise QueryError(f"{name} must be an ISO 8601 timestamp.")
    return value if timezone.is_aware(value) else timezone.make_aware(value, dt.UTC)


def visible_statements(principal: Principal) -> QuerySet[Statement]:
    qs = Statement.objects.all()
    if principal.user is not None:
        return qs.filter(actor_key__in=[key(ifi) for ifi in principal.own_ifis])
    if principal.reads_own_only:
        return qs.filter(client=principal.client)
    return qs


def statement_get(*, principal: Principal, statement_id: str, voided: bool) -> Statement | None:
    """statementId returns a statement that is not voided; voidedStatementId one that is."""
    try:
        sid = uuid.UUID(statement_id)
    except ValueError:
        raise QueryError("statementId / voidedStatementId must be a UUID.") from None
    return visible_statements(principal).filter(pk=sid, voided=voided).first()


def authority_q(agent: dict[str, Any]) -> Q:
    """Statements whose authority is this agent. The authority is whoever sent the statement: an LRS
    client (kept as Statement.client), the platform itself, or a learner's session (then also the actor)."""
    from django.conf import settings

    from .services import LRS_AUTHORITY

    ifi = actor_ifi(agent)
    if ifi == actor_ifi(LRS_AUTHORITY):
        return Q(client__isnull=True, data__authority=LRS_AUTHORITY)
    account = agent.get("account") or {}
    if account.get("homePage") == settings.XAPI_CLIENT_HOMEPAGE:
        return Q(client__key=account.get("name"))
    # A learner's session is the authority of the statements it sends, which are always about
    # that learner: the actor filter already finds them.
    return Q(pk__in=[])


def _filters(params: dict[str, str]) -> tuple[Q, Q, list[Q]]:
    """(what every result matches: not voided, since/until), (the verb/activity/registration filters),
    and the alternatives of the agent filter (actor, object, ...), each queried on its own so that every
    branch is an ordered index scan."""
    from .validation import XapiValidationError, validate_agent

    q = Q()
    branches: list[Q] = [Q()]
    if "agent" in params:
        from .http import parse_json

        agent = parse_json(params["agent"].encode())
        try:
            validate_agent(agent, "agent")
        except XapiValidationError as error:
            raise QueryError(str(error)) from None
        agent_key = key(actor_ifi(agent))
        branches = [Q(actor_key=agent_key), Q(object_agent_key=agent_key)]
        if _bool(params, "related_agents"):
            branches.append(
                Q(pk__in=StatementRelation.objects.filter(kind="agent", value_key=agent_key).values("statement_id"))
            )
            branches.append(authority_q(agent))
    if "verb" in params:
        q &= Q(verb_key=key(params["verb"]))
    if "activity" in params:
        activity_key = key(params["activity"])
        q_activity = Q(activity_key=activity_key)
        if _bool(params, "related_activities"):
            q_activity |= Q(
                pk__in=StatementRelation.objects.filter(kind="activity", value_key=activity_key).values("statement_id")
            )
        q &= q_activity
    if "registration" in params:
        try:
            q &= Q(registration=uuid.UUID(params["registration"]))
        except ValueError:
            raise QueryError("registration must be a UUID.") from None
    time = Q(voided=False)
    if (since := _datetime(params, "since")) is not None:
        time &= Q(stored__gt=since)
    if (until := _datetime(params, "until")) is not None:
        time &= Q(stored__lte=until)
    return time, q, branches


def statements_query(*, principal: Principal, params: dict[str, str]) -> tuple[list[Row], str]:
    """A page of statements and the `more` token for the next one ("" when there is none)."""
    if "more" in params:
        try:
            state = _signer.unsign_object(params["more"], max_age=24 * 3600)
        except signing.BadSignature:
            raise QueryError("The more link is invalid or has expired; run the query again.") from None
        params, cursor = state["params"], state["cursor"]
    else:
        unknown = set(params) - QUERY_PARAMS
        if unknown:
            raise QueryError(f"Unknown query parameter(s): {', '.join(sorted(unknown))}.")
        cursor = None
    fmt = params.get("format", "exact")
    if fmt not in FORMATS:
        raise QueryError("format must be ids, exact or canonical.")
    _bool(params, "attachments")
    ascending = _bool(params, "ascending")
    try:
        limit = int(params.get("limit", "0"))
    except ValueError:
        raise QueryError("limit must be a whole number.") from None
    if limit < 0:
        raise QueryError("limit must not be negative.")
    limit = min(limit or MAX_LIMIT, MAX_LIMIT)

    time, match, branches = _filters(params)
    branches = [match & branch for branch in branches]
    if any(name in params for name in ("agent", "verb", "activity", "registration")):
        # Statements referring to a matching statement (voided or not) match too: a voiding statement
        # is found by the verb of what it voided.
        # Few statements refer to others: walk those (a partial index) and keep the ones whose target
        # matches; while the store holds none, the branch reads an empty index.
        matching = Q(pk__in=[])
        for branch in branches:
            matching |= branch
        target = Statement.objects.filter(matching, pk=OuterRef("ref_target"))
        branches.append(Q(ref_target__isnull=False) & Q(Exists(target)))
    qs = visible_statements(principal).filter(time)
    order = ("stored", "id") if ascending else ("-stored", "-id")
    if cursor:
        stored, last_id = parse_datetime(cursor[0]), uuid.UUID(cursor[1])
        # The plain bound on stored lets the index scan start at the cursor; the rest breaks ties.
        if ascending:
            qs = qs.filter(Q(stored__gte=stored) & (Q(stored__gt=stored) | Q(id__gt=last_id)))
        else:
            qs = qs.filter(Q(stored__lte=stored) & (Q(stored__lt=stored) | Q(id__lt=last_id)))
    pages = [
        qs.filter(branch).order_by(*order).values_list("id", "stored", Cast("data", TextField()))[: limit + 1]
        for branch in branches
    ]
    if len(pages) > 1 and connection.features.supports_slicing_ordering_in_compound:
        # Every branch in one round trip (UNION ALL of ordered, limited index scans).
        pages = [pages[0].union(*pages[1:], all=True)]
    found: dict[uuid.UUID, Row] = {}
    for page in pages:
        for values in _rows(page):
            found.setdefault(values[0], Row(*values))
    rows = sorted(found.values(), key=lambda r: (r.stored, r.id), reverse=not ascending)[: limit + 1]
    more = ""
    if len(rows) > limit:
        rows = rows[:limit]
        last = rows[-1]
        token = _signer.sign_object({"params": params, "cursor": [last.stored.isoformat(), str(last.id)]})
        more = f"/xapi/statements?more={token}"
    return rows, more


def _rows(page: QuerySet) -> list[tuple]:
    """The page's rows. On PostgreSQL as a prepared statement: the query's text is the same for every
    agent, so the server plans it once per connection instead of on every request."""
    if connection.vendor != "postgresql":
        return list(page)
    import psycopg

    sql, params = page.query.sql_with_params()
    connection.ensure_connection()
    with connection.wrap_database_errors, psycopg.Cursor(connection.connection) as cursor:
        cursor.execute(sql, params, prepare=True)
        return cursor.fetchall()


def _original_params(params: dict[str, str]) -> dict[str, str]:
    """The parameters of the query, also when following a `more` link."""
    if "more" in params:
        try:
            return _signer.unsign_object(params["more"], max_age=24 * 3600)["params"]
        except signing.BadSignature:
            return {}
    return params


def query_format(params: dict[str, str]) -> str:
    return _original_params(params).get("format", "exact")


def query_attachments(params: dict[str, str]) -> bool:
    return _original_params(params).get("attachments", "false").lower() == "true"


# Formats ---------------------------------------------------------------------------------------


def _ids_agent(agent: Any) -> Any:
    if not isinstance(agent, dict):
        return agent
    out = {k: agent[k] for k in ("objectType", "mbox", "mbox_sha1sum", "openid", "account") if k in agent}
    if "member" in agent and not any(k in agent for k in ("mbox", "mbox_sha1sum", "openid", "account")):
        out["member"] = [_ids_agent(m) for m in agent["member"]]
    return out


def _ids_object(obj: dict[str, Any]) -> dict[str, Any]:
    kind = obj.get("objectType", "Activity")
    if kind in ("Agent", "Group"):
        return _ids_agent(obj)
    if kind == "SubStatement":
        return _ids(obj)
    if kind == "Activity":
        return {"id": obj["id"]}
    return {k: obj[k] for k in ("objectType", "id") if k in obj}


def _ids(statement: dict[str, Any]) -> dict[str, Any]:
    out = dict(statement)
    out["actor"] = _ids_agent(statement.get("actor"))
    out["verb"] = {"id": statement["verb"]["id"]}
    out["object"] = _ids_object(statement["object"])
    if "authority" in statement:
        out["authority"] = _ids_agent(statement["authority"])
    if "context" in statement:
        context = dict(statement["context"])
        for name in ("instructor", "team"):
            if name in context:
                context[name] = _ids_agent(context[name])
        if "contextActivities" in context:
            context["contextActivities"] = {
                k: [{"id": a["id"], **({"objectType": a["objectType"]} if "objectType" in a else {})} for a in v]
                if isinstance(v, list)
                else {"id": v["id"]}
                for k, v in context["contextActivities"].items()
            }
        out["context"] = context
    return out


def _pick_language(value: dict[str, str], languages: list[str]) -> dict[str, str]:
    if not value:
        return value
    for lang in languages:  # the exact tag first, then the same primary language
        for tag, text in value.items():
            if tag.lower() == lang:
                return {tag: text}
        for tag, text in value.items():
            if tag.lower().split("-")[0] == lang.split("-")[0]:
                return {tag: text}
    tag = next(iter(value))
    return {tag: value[tag]}


def _canonical(value: Any, languages: list[str], parent: str = "") -> Any:
    if isinstance(value, dict):
        out = {}
        for k, v in value.items():
            if k in ("display", "name", "description") and isinstance(v, dict) and parent != "extensions":
                if all(isinstance(x, str) for x in v.values()):
                    out[k] = _pick_language(v, languages)
                    continue
            out[k] = v if k == "extensions" else _canonical(v, languages, k)
        return out
    if isinstance(value, list):
        return [_canonical(v, languages, parent) for v in value]
    return value


def accept_languages(header: str) -> list[str]:
    langs = []
    for part in (header or "").split(","):
        tag, _, q = part.strip().partition(";q=")
        if tag and tag != "*":
            try:
                langs.append((float(q) if q else 1.0, tag.lower()))
            except ValueError:
                continue
    return [tag for _, tag in sorted(langs, key=lambda x: -x[0])]


def format_statement(data: dict[str, Any], fmt: str, languages: list[str]) -> dict[str, Any]:
    if fmt == "ids":
        return _ids(data)
    if fmt == "canonical":
        return _canonical(data, languages)
    return data
