"""Projections: read models derived from statements by idempotent handlers.

Handlers are registered per verb (``@projection(VERB)``) by the apps that own the read model
(``lms.projections`` for progress and completion). ``project_statements`` runs each statement's
handlers once: the statement row is locked and marked, and every handler is idempotent on its own.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable, Iterable

from django.db import transaction
from django.utils import timezone

from .models import Statement

logger = logging.getLogger(__name__)

Handler = Callable[[Statement], None]
_handlers: dict[str, list[Handler]] = defaultdict(list)


def projection(verb: str) -> Callable[[Handler], Handler]:
    def decorator(fn: Handler) -> Handler:
        _handlers[verb].append(fn)
        return fn

    return decorator


def project_statement(statement: Statement) -> None:
    for handler in _handlers.get(statement.verb, ()):
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


def project_pending(batch_size: int = 500) -> int:
    """Catch up on statements whose projection task was lost (e.g. the broker was down)."""
    total = 0
    while True:
        ids = list(
            Statement.objects.filter(projected_at__isnull=True, voided=False)
            .order_by("stored")
            .values_list("pk", flat=True)[:batch_size]
        )
        if not ids:
            return total
        total += project_statements(ids)
        if len(ids) < batch_size:
            return total
