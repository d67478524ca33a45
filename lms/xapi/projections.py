"""Projections: read models derived from statements by idempotent handlers.

Handlers are registered per verb (``@projection(VERB)``) by the apps that own the read model
(``lms.projections`` for progress and completion). ``project_statements`` runs each statement's
handlers once: the statement row is locked and marked, and every handler is idempotent on its own.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable, Iterable

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from .models import Statement

logger = logging.getLogger(__name__)

Handler = Callable[[Statement], None]
# verb -> [(handler, whether it reads only statements about the platform's own activities)]
_handlers: dict[str, list[tuple[Handler, bool]]] = defaultdict(list)


def projection(verb: str, *, own_activities: bool = False) -> Callable[[Handler], Handler]:
    """Register a handler for statements with ``verb``; with ``own_activities``, only for those whose
    object is one of the platform's activities (under settings.XAPI_ACTIVITY_ROOT): what other content
    reports about its own activities then costs no projection at all."""

    def decorator(fn: Handler) -> Handler:
        _handlers[verb].append((fn, own_activities))
        return fn

    return decorator


def _reads(own_activities: bool, activity_id: str) -> bool:
    return not own_activities or activity_id.startswith(f"{settings.XAPI_ACTIVITY_ROOT}/")


def wants_projection(verb: str, activity_id: str = "") -> bool:
    """Whether any projection reads a statement with this verb and object activity."""
    return any(_reads(own, activity_id) for _, own in _handlers.get(verb, ()))


def project_statement(statement: Statement) -> None:
    for handler, own in _handlers.get(statement.verb, ()):
        if _reads(own, statement.activity_id):
            handler(statement)


def project_statements(statement_ids: Iterable[str]) -> int:
    """Project the given statements that are not projected yet; returns how many were."""
    done = 0
    for sid in statement_ids:
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
            Statement.objects.filter(pk=sid).update(projected_at=timezone.now())
            done += 1
    return done


def project_pending(batch_size: int = 1000) -> int:
    """Project every statement not projected yet, oldest first. Statements no projection is interested
    in (most of what outside systems send) are marked in one UPDATE per batch, not one by one."""
    from .models import key

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
