"""The one way statements get into the store. Projections (progress, completion, hours) follow after
commit through Celery; replaying a statement with the same id and content changes nothing."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from .actors import actor_ifi, user_ids_for_actors
from .constants import VERB_VOIDED
from .models import Statement, StatementRelation, key

LRS_AUTHORITY = {
    "objectType": "Agent",
    "name": "Universitas Pemerintahan Kota Tangerang",
    "account": {"homePage": "https://w3id.org/tangerang/lrs", "name": "platform"},
}
# Properties the LRS sets; two statements with the same id are "the same" when all the rest match.
_LRS_SET = ("stored", "authority", "version")


class StatementError(ValueError):
    """A statement that cannot be stored as given."""


class StatementConflict(StatementError):
    """A statement id already stored with different content."""


@dataclass(frozen=True)
class Recorded:
    statement: Statement
    created: bool


def format_timestamp(value: dt.datetime) -> str:
    return value.astimezone(dt.UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _same(stored: dict[str, Any], sent: dict[str, Any], sent_timestamp: bool) -> bool:
    """Whether a statement sent again is the one stored: LRS-set properties do not count, nor the
    timestamp when the sender left it to the LRS."""
    ignore = set(_LRS_SET) if sent_timestamp else {*_LRS_SET, "timestamp"}
    return {k: v for k, v in stored.items() if k not in ignore} == {k: v for k, v in sent.items() if k not in ignore}


def _agents(value: Any) -> list[dict[str, Any]]:
    """An Agent or Group and, for a Group, its members."""
    if not isinstance(value, dict):
        return []
    return [value, *[m for m in value.get("member") or [] if isinstance(m, dict)]]


def _activities(context: dict[str, Any] | None) -> list[str]:
    ids = []
    for group in ((context or {}).get("contextActivities") or {}).values():
        for activity in group if isinstance(group, list) else [group]:
            if isinstance(activity, dict) and activity.get("id"):
                ids.append(activity["id"])
    return ids


def _relations(data: dict[str, Any]) -> set[tuple[str, str]]:
    """The agents and activities a statement mentions beyond its actor and object (which are columns of
    Statement): group members, authority, instructor, team, context activities, and everything within a
    SubStatement. Together with the columns they answer related_agents / related_activities."""
    agents: list[dict[str, Any]] = []
    activities: list[str] = []

    def visit(part: dict[str, Any], top: bool) -> None:
        actor = _agents(part.get("actor"))
        agents.extend(actor[1:] if top else actor)
        context = part.get("context") or {}
        agents.extend(_agents(context.get("instructor")))
        agents.extend(_agents(context.get("team")))
        activities.extend(_activities(context))
        obj = part.get("object") or {}
        kind = obj.get("objectType", "Activity")
        if kind in ("Agent", "Group"):
            members = _agents(obj)
            agents.extend(members[1:] if top else members)
        elif kind == "Activity" and obj.get("id") and not top:
            activities.append(obj["id"])
        elif kind == "SubStatement":
            visit(obj, top=False)

    visit(data, top=True)
    # The authority is the sender (see queries.authority_q): only a group authority's members are listed.
    agents.extend(_agents(data.get("authority"))[1:])
    relations = {(StatementRelation.Kind.AGENT, key(ifi)) for ifi in map(actor_ifi, agents) if ifi}
    relations |= {(StatementRelation.Kind.ACTIVITY, key(a)) for a in activities}
    return relations


def _with_context_activity_lists(part: dict[str, Any]) -> dict[str, Any]:
    """Data 2.4.6.2: a single context activity is returned as a one-item list, so it is stored as one
    (copying what it changes: the caller's statement stays as sent)."""
    context = part.get("context")
    if isinstance(context, dict) and isinstance(context.get("contextActivities"), dict):
        lists = {k: [v] if isinstance(v, dict) else v for k, v in context["contextActivities"].items()}
        part["context"] = {**context, "contextActivities": lists}
    obj = part.get("object")
    if isinstance(obj, dict) and obj.get("objectType") == "SubStatement":
        part["object"] = _with_context_activity_lists(dict(obj))
    return part


def _prepare(statement: dict[str, Any], *, authority: dict[str, Any] | None, now: dt.datetime) -> Statement:
    if not isinstance(statement, dict):
        raise StatementError("A statement must be a JSON object.")
    data = _with_context_activity_lists(dict(statement))
    try:
        sid = uuid.UUID(str(data.get("id") or uuid.uuid4()))
    except ValueError:
        raise StatementError("id: not a UUID.") from None
    actor = data.get("actor")
    verb = (data.get("verb") or {}).get("id") if isinstance(data.get("verb"), dict) else None
    obj = data.get("object")
    if not isinstance(actor, dict) or not actor_ifi(actor) and actor.get("objectType") != "Group":
        raise StatementError("actor: an Agent with one of mbox, mbox_sha1sum, openid or account is required.")
    if not verb:
        raise StatementError("verb.id is required.")
    if (
        not isinstance(obj, dict)
        or not obj.get("id")
        and obj.get("objectType") not in ("Agent", "Group", "SubStatement")
    ):
        raise StatementError("object.id is required.")
    timestamp = parse_datetime(data["timestamp"]) if data.get("timestamp") else now
    if timestamp is None:
        raise StatementError("timestamp: not an ISO 8601 date and time.")
    if timezone.is_naive(timestamp):
        timestamp = timezone.make_aware(timestamp, dt.UTC)
    data["id"] = str(sid)
    data.setdefault("timestamp", format_timestamp(timestamp))
    data["stored"] = format_timestamp(now)
    data["authority"] = authority or LRS_AUTHORITY
    data.setdefault("version", "1.0.0")
    registration = (data.get("context") or {}).get("registration")
    object_type = obj.get("objectType", "Activity")
    ifi = actor_ifi(actor)
    statement_row = Statement(
        id=sid,
        actor_key=key(ifi) if ifi else "",
        object_agent_key=key(actor_ifi(obj)) if object_type in ("Agent", "Group") and actor_ifi(obj) else "",
        verb=verb,
        verb_key=key(verb),
        activity_id=obj.get("id", "") if object_type == "Activity" else "",
        activity_key=key(obj["id"]) if object_type == "Activity" else "",
        registration=uuid.UUID(registration) if registration else None,
        timestamp=timestamp,
        stored=now,
        data=data,
        voids=uuid.UUID(obj["id"]) if verb == VERB_VOIDED and object_type == "StatementRef" else None,
        ref_target=uuid.UUID(obj["id"]) if object_type == "StatementRef" else None,
    )
    statement_row.sent_timestamp = "timestamp" in statement
    return statement_row


_STATEMENT_COLUMNS = (
    "id",
    "user_id",
    "actor_key",
    "object_agent_key",
    "verb",
    "verb_key",
    "activity_id",
    "activity_key",
    "registration",
    "timestamp",
    "stored",
    "voided",
    "voids",
    "data",
    "client_id",
    "ref_target",
)


_COPY_FROM = 10  # statements per request from which COPY beats INSERT


def _insert(rows: list[Statement], relations: list[tuple]) -> None:
    """Insert statements and their relations. On PostgreSQL with COPY: Django's bulk_create builds UNNEST
    arrays there, which escapes every JSON document character by character."""
    if connection.vendor != "postgresql":
        Statement.objects.bulk_create(rows)
        StatementRelation.objects.bulk_create(
            StatementRelation(statement_id=sid, kind=kind, value_key=value, stored=stored)
            for sid, kind, value, stored in relations
        )
        return
    values = [
        (
            r.id,
            r.user_id,
            r.actor_key,
            r.object_agent_key,
            r.verb,
            r.verb_key,
            r.activity_id,
            r.activity_key,
            r.registration,
            r.timestamp,
            r.stored,
            r.voided,
            r.voids,
            json.dumps(r.data, ensure_ascii=False, separators=(",", ":")),
            r.client_id,
            r.ref_target,
        )
        for r in rows
    ]
    table, relation_table = Statement._meta.db_table, StatementRelation._meta.db_table
    relation_columns = "statement_id, kind, value_key, stored"
    with connection.cursor() as cursor, connection.wrap_database_errors:  # psycopg errors -> django.db errors
        raw = cursor.cursor
        if len(rows) < _COPY_FROM:
            # A few rows: one INSERT each is fewer round trips than a COPY's start and end.
            placeholders = ", ".join(["%s"] * len(_STATEMENT_COLUMNS))
            raw.executemany(f"INSERT INTO {table} ({', '.join(_STATEMENT_COLUMNS)}) VALUES ({placeholders})", values)
            if relations:
                raw.executemany(f"INSERT INTO {relation_table} ({relation_columns}) VALUES (%s, %s, %s, %s)", relations)
            return
        # COPY: no per-row statement parsing on the server. A duplicate id fails the whole COPY with an
        # IntegrityError, which statements_record answers by reading again.
        with raw.copy(f"COPY {table} ({', '.join(_STATEMENT_COLUMNS)}) FROM STDIN") as copy:
            for row in values:
                copy.write_row(row)
        if relations:
            with raw.copy(f"COPY {relation_table} ({relation_columns}) FROM STDIN") as copy:
                for row in relations:
                    copy.write_row(row)


PROJECTION_SCHEDULED = "xapi:projection-scheduled"


def schedule_projection() -> None:
    """One projection run however many statements arrive: a run projects every statement not yet projected."""
    from shell.tasks import queue_coalesced

    from .tasks import project_pending_task

    queue_coalesced(project_pending_task, flag=PROJECTION_SCHEDULED, timeout=30, what="the projection of statements")


def statements_record(
    *, statements: list[dict[str, Any]], authority: dict[str, Any] | None = None, client=None
) -> list[Recorded]:
    """Store a batch atomically: every statement or none. Statements already stored with the same
    content are accepted unchanged; the same id with other content raises StatementConflict.
    A voiding statement marks its target voided; a voiding statement itself cannot be voided."""
    now = timezone.now()
    prepared = [_prepare(s, authority=authority, now=now) for s in statements]
    user_ids = user_ids_for_actors([row.data["actor"] for row in prepared])
    for row in prepared:
        row.client = client
        row.user_id = user_ids.get(actor_ifi(row.data["actor"]))
    ids = [p.id for p in prepared]
    if len(set(ids)) != len(ids):
        raise StatementError("The batch holds the same statement id twice.")
    try:
        # One transaction (or one savepoint inside the caller's): no nested savepoint per insert.
        with transaction.atomic():
            return _store(prepared, now)
    except IntegrityError:
        # Another request stored one of these ids between our read and our insert: read again.
        with transaction.atomic():
            return _store(prepared, now)


def _store(prepared: list[Statement], now: dt.datetime) -> list[Recorded]:
    existing = Statement.objects.in_bulk([p.id for p in prepared])
    results: list[Recorded] = []
    new: list[Statement] = []
    for p in prepared:
        old = existing.get(p.id)
        if old is None:
            new.append(p)
            results.append(Recorded(p, True))
        elif not _same(old.data, p.data, sent_timestamp=bool(p.sent_timestamp)):
            raise StatementConflict(f"Statement {p.id} is already stored with different content.")
        else:
            results.append(Recorded(old, False))
    targets = {p.voids for p in new if p.voids}
    if targets:
        # A voiding statement that voided something cannot be voided (Data 2.3.2); one whose target was
        # never stored voided nothing, and may itself be voided like any statement.
        batch_voiding = {p.id for p in new if p.verb == VERB_VOIDED}
        stored_voiding = set(
            Statement.objects.filter(
                pk__in=targets, verb_key=key(VERB_VOIDED), voids__in=Statement.objects.values("pk")
            ).values_list("pk", flat=True)
        )
        if targets & (batch_voiding | stored_voiding):
            raise StatementError("object: a voiding statement cannot itself be voided.")
    if new:
        _insert(new, [(p.id, kind, value, now) for p in new for kind, value in _relations(p.data)])
        if targets:
            Statement.objects.filter(pk__in=targets).update(voided=True)
        transaction.on_commit(schedule_projection)
        from django.conf import settings

        if settings.LRS_FORWARD_ENABLED:
            from .forwarding import outbox_add

            # Queued with the insert (stored and queued, or neither); sent after commit, coalesced.
            outbox_add([p.id for p in new], now)
    return results


def statement_record(*, statement: dict[str, Any], authority: dict[str, Any] | None = None) -> Recorded:
    return statements_record(statements=[statement], authority=authority)[0]


def lrs_client_save(*, name: str, key: str, secret: str, scopes: list[str]):
    """Create or update the client with this key; the secret is kept only as a keyed hash."""
    from .auth import forget_client, secret_hash
    from .models import LrsClient

    client, created = LrsClient.objects.update_or_create(
        key=key,
        defaults={"name": name, "secret_hash": secret_hash(secret), "scopes": ",".join(scopes), "is_active": True},
    )
    forget_client(client)
    return client, created
