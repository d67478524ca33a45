"""Projections: read models derived from statements by idempotent handlers.

Handlers are registered per verb (``@projection(VERB)``) by the apps that own the read model
(``lms.projections`` for progress and completion). ``project_statements`` runs each statement's
handlers once: the statement row is locked and marked, and every handler is idempotent on its own.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from .models import Statement, TrustedActivity, key

logger = logging.getLogger(__name__)

Handler = Callable[[Statement], None]
Source = Statement.Source
# Who a projection believes by default: the platform's own statements. Nothing a browser or an LRS
# client sends moves progress, completion or JP unless a handler names its source (docs/trust.md).
PLATFORM_ONLY = frozenset({Source.PLATFORM})
# An LRS client's statements, for the activities an admin marked it a trusted source of (TrustedActivity).
TRUSTED_CLIENT = "trusted-client"


@dataclass(frozen=True, slots=True)
class _Registered:
    handler: Handler
    own_activities: bool
    sources: frozenset[str]


_handlers: dict[str, list[_Registered]] = defaultdict(list)


def projection(
    verb: str, *, own_activities: bool = False, sources: frozenset[str] = PLATFORM_ONLY
) -> Callable[[Handler], Handler]:
    """Register a handler for statements with ``verb`` sent by one of ``sources`` (Statement.Source values,
    or TRUSTED_CLIENT); with ``own_activities``, only for those whose object is one of the platform's
    activities (under settings.XAPI_ACTIVITY_ROOT). What nobody reads costs no projection at all."""

    def decorator(fn: Handler) -> Handler:
        _handlers[verb].append(_Registered(fn, own_activities, frozenset(sources)))
        return fn

    return decorator


def client_trusted_for(*, client_id: int | None, activity_id: str) -> bool:
    """Whether an admin marked this LRS client a trusted source for this activity (cached briefly)."""
    if client_id is None or not activity_id:
        return False
    cache_key = f"xapi-trusted:{client_id}"
    trusted = cache.get(cache_key)
    if trusted is None:
        trusted = set(
            TrustedActivity.objects.filter(client_id=client_id, client__is_active=True).values_list(
                "activity_key", flat=True
            )
        )
        cache.set(cache_key, trusted, 60)
    return key(activity_id) in trusted


def _reads(r: _Registered, *, activity_id: str, source: str, client_id: int | None) -> bool:
    if r.own_activities and not activity_id.startswith(f"{settings.XAPI_ACTIVITY_ROOT}/"):
        return False
    if source in r.sources:
        return True
    return (
        source == Source.CLIENT
        and TRUSTED_CLIENT in r.sources
        and client_trusted_for(client_id=client_id, activity_id=activity_id)
    )


def wants_projection(verb: str, activity_id: str = "", *, source: str, client_id: int | None = None) -> bool:
    """Whether any projection reads a statement with this verb and object activity from this sender."""
    return any(_reads(r, activity_id=activity_id, source=source, client_id=client_id) for r in _handlers.get(verb, ()))


def project_statement(statement: Statement) -> None:
    for r in _handlers.get(statement.verb, ()):
        if _reads(r, activity_id=statement.activity_id, source=statement.source, client_id=statement.client_id):
            r.handler(statement)


def project_statements(statement_ids: Iterable[str]) -> int:
    """Project the given statements that are not projected yet; returns how many were. A statement whose
    projection raises is set aside: marked projected with its error (logged, listed in the admin, retried
    from there), so that one poison statement never stops everybody else's progress."""
    done = 0
    for sid in statement_ids:
        try:
            with transaction.atomic():
                statement = (
                    Statement.objects.select_for_update(of=("self",))
                    .filter(pk=sid, projected_at__isnull=True, voided=False)
                    .select_related("user")
                    .first()
                )
                if statement is None:
                    continue
                project_statement(statement)
                Statement.objects.filter(pk=sid).update(projected_at=timezone.now(), projection_error="")
                done += 1
        except Exception as error:  # noqa: BLE001 - any handler's failure sets this statement aside, not the run
            logger.exception("projection of statement %s failed; set aside", sid)
            Statement.objects.filter(pk=sid, projected_at__isnull=True).update(
                projected_at=timezone.now(), projection_error=f"{type(error).__name__}: {error}"[:2000]
            )
    return done


def project_pending(batch_size: int = 1000) -> int:
    """Project every statement not projected yet, oldest first. Statements no projection is interested
    in (most of what outside systems send) are marked in one UPDATE per batch, not one by one."""
    total = 0
    while True:
        rows = list(
            Statement.objects.filter(projected_at__isnull=True, voided=False)
            .order_by("stored")
            .values_list("pk", "verb_key")[:batch_size]
        )
        if not rows:
            return total
        wanted = {key(verb) for verb in _handlers}
        quiet = [pk for pk, verb_key in rows if verb_key not in wanted]
        if quiet:
            Statement.objects.filter(pk__in=quiet, projected_at__isnull=True).update(projected_at=timezone.now())
        total += len(quiet) + project_statements([pk for pk, verb_key in rows if verb_key in wanted])
        if len(rows) < batch_size:
            return total
