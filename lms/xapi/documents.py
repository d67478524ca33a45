"""The document resources (activity state, activity profile, agent profile) and activity definitions."""

from __future__ import annotations

import hashlib
import json
import uuid
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from .actors import actor_ifi
from .models import Document, Statement, key


class DocumentError(Exception):
    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status
        self.message = message


@dataclass(frozen=True)
class Scope:
    kind: str
    activity_id: str = ""
    agent: dict[str, Any] | None = None
    registration: uuid.UUID | None = None

    @property
    def key(self) -> str:
        ifi = actor_ifi(self.agent) if self.agent else ""
        return key(f"{self.kind}|{self.activity_id}|{ifi}|{self.registration or ''}")

    def document_key(self, document_id: str) -> str:
        return key(f"{self.key}|{document_id}")


def etag_of(content: bytes) -> str:
    return hashlib.sha1(content).hexdigest()  # noqa: S324  (an ETag, not a security measure)


def _is_json(content_type: str) -> bool:
    return content_type.split(";", 1)[0].strip().lower() == "application/json"


def document_get(*, scope: Scope, document_id: str) -> Document | None:
    return Document.objects.filter(document_key=scope.document_key(document_id)).first()


def document_ids(*, scope: Scope, since=None) -> list[str]:
    qs = Document.objects.filter(scope_key=scope.key)
    if since is not None:
        qs = qs.filter(updated__gt=since)
    return list(qs.order_by("updated").values_list("document_id", flat=True))


def check_preconditions(existing: Document | None, *, if_match: str | None, if_none_match: str | None) -> None:
    """If-Match / If-None-Match as HTTP says: 412 when they do not hold."""
    if if_match is not None:
        tags = {t.strip().strip('"') for t in if_match.split(",")}
        if existing is None or ("*" not in tags and existing.etag not in tags):
            raise DocumentError(412, "If-Match does not match the document's current ETag.")
    if if_none_match is not None:
        tags = {t.strip().strip('"') for t in if_none_match.split(",")}
        if existing is not None and ("*" in tags or existing.etag in tags):
            raise DocumentError(412, "If-None-Match: the document already exists.")


def _save(scope: Scope, document_id: str, content: bytes, content_type: str, existing: Document | None) -> Document:
    now = timezone.now()
    if existing is not None:
        existing.content, existing.content_type = content, content_type
        existing.etag, existing.updated = etag_of(content), now
        existing.save(update_fields=["content", "content_type", "etag", "updated"])
        return existing
    try:
        with transaction.atomic():
            return Document.objects.create(
                kind=scope.kind,
                activity_id=scope.activity_id,
                agent=scope.agent,
                registration=scope.registration,
                document_id=document_id,
                scope_key=scope.key,
                document_key=scope.document_key(document_id),
                content=content,
                content_type=content_type,
                etag=etag_of(content),
                updated=now,
            )
    except IntegrityError:
        raise DocumentError(409, "The document was created by another request at the same time; retry.") from None


@transaction.atomic
def document_put(
    *,
    scope: Scope,
    document_id: str,
    content: bytes,
    content_type: str,
    if_match: str | None,
    if_none_match: str | None,
    require_precondition: bool,
) -> Document:
    existing = Document.objects.select_for_update().filter(document_key=scope.document_key(document_id)).first()
    if existing is None and require_precondition and if_match is None and if_none_match is None:
        raise DocumentError(400, "PUT of a profile needs If-None-Match: * (a new document) or If-Match (an update).")
    if existing is not None and require_precondition and if_match is None and if_none_match is None:
        raise DocumentError(
            409, "The document exists: send If-Match with its ETag (or If-None-Match: *) to say what you overwrite."
        )
    check_preconditions(existing, if_match=if_match, if_none_match=if_none_match)
    return _save(scope, document_id, content, content_type, existing)


@transaction.atomic
def document_post(
    *,
    scope: Scope,
    document_id: str,
    content: bytes,
    content_type: str,
    if_match: str | None,
    if_none_match: str | None,
) -> Document:
    """Create, or merge a JSON object into an existing JSON object document (top-level keys)."""
    existing = Document.objects.select_for_update().filter(document_key=scope.document_key(document_id)).first()
    check_preconditions(existing, if_match=if_match, if_none_match=if_none_match)
    if existing is None:
        return _save(scope, document_id, content, content_type, None)
    if not (_is_json(content_type) and _is_json(existing.content_type)):
        raise DocumentError(400, "POST merges JSON objects only: both documents must be application/json.")
    try:
        old, new = json.loads(bytes(existing.content)), json.loads(content)
    except ValueError:
        raise DocumentError(400, "POST merges JSON objects only: a document is not valid JSON.") from None
    if not isinstance(old, dict) or not isinstance(new, dict):
        raise DocumentError(400, "POST merges JSON objects only: both documents must be JSON objects.")
    merged = json.dumps({**old, **new}, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return _save(scope, document_id, merged, "application/json", existing)


@transaction.atomic
def document_delete(
    *, scope: Scope, document_id: str | None, if_match: str | None = None, if_none_match: str | None = None
) -> int:
    if document_id is None:
        return Document.objects.filter(scope_key=scope.key).delete()[0]
    existing = Document.objects.select_for_update().filter(document_key=scope.document_key(document_id)).first()
    check_preconditions(existing, if_match=if_match, if_none_match=if_none_match)
    return existing.delete()[0] if existing else 0


def activity_definition(activity_id: str) -> dict[str, Any]:
    """The most complete definition we hold: the definitions of recent statements' objects merged,
    language maps combined, newer values first."""
    activity: dict[str, Any] = {"objectType": "Activity", "id": activity_id}
    rows = (
        Statement.objects.filter(activity_key=key(activity_id)).order_by("stored").values_list("data", flat=True)[:200]
    )
    definition: dict[str, Any] = {}
    for data in rows:
        for name, value in ((data.get("object") or {}).get("definition") or {}).items():
            if isinstance(value, dict) and isinstance(definition.get(name), dict) and name in ("name", "description"):
                definition[name] = {**definition[name], **value}
            else:
                definition[name] = value
    if definition:
        activity["definition"] = definition
    return activity
