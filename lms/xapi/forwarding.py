"""Optional forwarding of every accepted statement to an upstream LRS (e.g. a national one), through an outbox.

services._store writes one OutboxEntry per newly stored statement in the transaction that stores it, so a
statement is stored and queued, or neither (settings.LRS_FORWARD_ENABLED; off by default). After commit one
sender run is asked for (coalesced with a cache flag, like the projection); the beat asks again every minute.

A sender claims a batch of due rows (select_for_update(skip_locked=True), then claimed_until: no other sender
picks them), sends them in one request with tincan's RemoteLRS outside any transaction, and marks them sent or
failed (attempts, last_error, exponential backoff up to an hour). A row marked sent is never picked again. A
sender that dies between sending and marking leaves its claim to expire and the batch is sent again: each
statement keeps its id and its content, which an LRS accepts as a no-op.
"""

from __future__ import annotations

import copy
import datetime as dt
import logging
import time
from collections import defaultdict
from dataclasses import dataclass
from http.client import HTTPConnection, HTTPSConnection
from typing import Any
from urllib.parse import urlencode, urlparse

import tincan
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from tincan import LRSResponse
from tincan import Statement as TincanStatement

from .models import OutboxEntry

logger = logging.getLogger(__name__)

FORWARD_SCHEDULED = "xapi:forward-scheduled"
# A claimed batch is left alone this long: longer than a sender may live (the task's hard time limit).
CLAIM_SECONDS = 300
BACKOFF_BASE_SECONDS = 30
BACKOFF_MAX_SECONDS = 3600
# Properties the LRS sets: the upstream sets its own (its authority is the account we send with).
NOT_FORWARDED = ("stored", "authority")
# Statuses by which the upstream rejects what was sent, not the request as such: one statement can be the
# cause, so the batch is sent again one statement at a time and only the rejected ones stay behind.
REJECTED_STATUSES = frozenset({400, 409, 413, 422})
_ERROR_LENGTH = 2000


class ForwardingError(RuntimeError):
    """The upstream LRS could not be reached or refused a batch (the rows keep the details)."""


def enabled() -> bool:
    return bool(settings.LRS_FORWARD_ENABLED)


def configured() -> bool:
    return bool(settings.LRS_FORWARD_ENDPOINT)


# Queueing (in the storing transaction) -------------------------------------------------------------------


def outbox_add(statement_ids: list, now: dt.datetime) -> None:
    """Queue newly stored statements, in the caller's transaction, and ask for a sender run after commit."""
    if not statement_ids:
        return
    OutboxEntry.objects.bulk_create(
        [OutboxEntry(statement_id=sid, created=now, next_attempt_at=now) for sid in statement_ids]
    )
    transaction.on_commit(schedule_forwarding)


def schedule_forwarding() -> None:
    """One sender run however many statements arrive: a run takes every due outbox row."""
    from shell.tasks import queue_coalesced

    from .tasks import forward_outbox_task

    queue_coalesced(forward_outbox_task, flag=FORWARD_SCHEDULED, timeout=60, what="the forwarding of statements")


# The upstream ---------------------------------------------------------------------------------------------


class RemoteLRS(tincan.RemoteLRS):
    """tincan's RemoteLRS with a timeout on its connections (tincan opens them with none) and the
    X-Experience-API-Version header of any 1.0.x (tincan 2.0 knows 1.0.0 and 1.0.1 only)."""

    _props = [*tincan.RemoteLRS._props, "timeout"]
    VERSIONS = ("1.0.0", "1.0.1", "1.0.2", "1.0.3")

    def __init__(self, *args, timeout: float | None = None, **kwargs):
        self._timeout = timeout
        super().__init__(*args, **kwargs)

    @property
    def timeout(self) -> float | None:
        return self._timeout

    @timeout.setter
    def timeout(self, value: float | None) -> None:
        self._timeout = value

    @property
    def version(self) -> str:
        return self._version

    @version.setter
    def version(self, value: str | None) -> None:
        value = str(value) if value is not None else self.VERSIONS[-1]
        if value not in self.VERSIONS:
            raise ValueError(f"Unsupported xAPI version {value!r}.")
        self._version = value

    def _send_request(self, request):
        headers = {"X-Experience-API-Version": self.version}
        if self.auth is not None:
            headers["Authorization"] = self.auth
        headers.update(request.headers)
        url = request.resource if request.resource.startswith("http") else self.endpoint + request.resource
        parsed = urlparse(url)
        params = urlencode({k: str(v).encode("utf-8") for k, v in (request.query_params or {}).items()})
        query = "&".join(part for part in (parsed.query, params) if part)
        path = (parsed.path or "/") + (f"?{query}" if query else "")
        body = getattr(request, "content", None)
        if isinstance(body, str):
            body = body.encode("utf-8")
        connection_class = HTTPSConnection if parsed.scheme == "https" else HTTPConnection
        kwargs = {"timeout": self.timeout} if self.timeout else {}
        connection = connection_class(parsed.hostname, parsed.port, **kwargs)
        try:
            connection.request(request.method, path, body=body, headers=headers)
            response = connection.getresponse()
            data = response.read()
        finally:
            connection.close()
        success = 200 <= response.status < 300 or (response.status == 404 and getattr(request, "ignore404", False))
        return LRSResponse(success=success, request=request, response=response, data=data)


def remote_lrs():
    return RemoteLRS(
        endpoint=settings.LRS_FORWARD_ENDPOINT,
        username=settings.LRS_FORWARD_USERNAME or None,
        password=settings.LRS_FORWARD_PASSWORD or None,
        version="1.0.3",
        timeout=settings.LRS_FORWARD_TIMEOUT,
    )


def tincan_statement(data: dict[str, Any]) -> TincanStatement:
    """The statement as stored, with its id, without the properties the upstream sets itself. tincan
    rewrites some values in their canonical form (timestamps, durations, numbers), the same way each time:
    a statement sent again is the same statement."""
    return TincanStatement(copy.deepcopy({k: v for k, v in data.items() if k not in NOT_FORWARDED}))


# Sending --------------------------------------------------------------------------------------------------


@dataclass
class Outcome:
    ok: bool
    error: str = ""
    rejected: bool = False  # the upstream refused the content (4xx), not a transport or server failure


@dataclass
class Report:
    sent: int = 0
    failed: int = 0
    error: str = ""
    retry_in: float | None = None  # seconds until the rows that failed for a transient reason are due again
    more: bool = False  # stopped by the time budget with rows left to send


def backoff(attempts: int) -> dt.timedelta:
    return dt.timedelta(seconds=min(BACKOFF_MAX_SECONDS, BACKOFF_BASE_SECONDS * 2 ** max(attempts - 1, 0)))


def _send(lrs, statements: list[TincanStatement]) -> Outcome:
    try:
        response = lrs.save_statements(statements)
    except SoftTimeLimitExceeded:
        raise  # the task is out of time: the batch is released, not counted as failed
    except Exception as exc:  # connection refused, timeout, TLS, an unreadable answer
        return Outcome(False, f"{type(exc).__name__}: {exc}"[:_ERROR_LENGTH])
    if response.success:
        return Outcome(True)
    status = getattr(getattr(response, "response", None), "status", None)
    data = response.data
    if isinstance(data, bytes):
        data = data.decode("utf-8", "replace")
    return Outcome(False, f"HTTP {status}: {data or ''}"[:_ERROR_LENGTH], rejected=status in REJECTED_STATUSES)


def _claim(*, after: int, limit: int, due_only: bool, failed_only: bool) -> list[OutboxEntry]:
    now = timezone.now()
    with transaction.atomic():
        rows = OutboxEntry.objects.filter(sent_at__isnull=True, pk__gt=after).filter(
            Q(claimed_until__isnull=True) | Q(claimed_until__lte=now)
        )
        if due_only:
            rows = rows.filter(next_attempt_at__lte=now)
        if failed_only:
            rows = rows.filter(attempts__gt=0)
        rows = list(
            rows.select_for_update(skip_locked=True, of=("self",)).select_related("statement").order_by("pk")[:limit]
        )
        if rows:
            OutboxEntry.objects.filter(pk__in=[r.pk for r in rows]).update(
                claimed_until=now + dt.timedelta(seconds=CLAIM_SECONDS)
            )
    return rows


def _mark_sent(rows: list[OutboxEntry]) -> None:
    OutboxEntry.objects.filter(pk__in=[r.pk for r in rows], sent_at__isnull=True).update(
        sent_at=timezone.now(), claimed_until=None
    )


def _mark_failed(rows: list[OutboxEntry], error: str) -> dt.datetime:
    """Record a failed attempt; returns when the first of these rows is due again."""
    now = timezone.now()
    by_attempts: dict[int, list[int]] = defaultdict(list)
    for row in rows:
        by_attempts[row.attempts + 1].append(row.pk)
    for attempts, pks in by_attempts.items():
        OutboxEntry.objects.filter(pk__in=pks, sent_at__isnull=True).update(
            attempts=attempts, last_error=error, next_attempt_at=now + backoff(attempts), claimed_until=None
        )
    return now + backoff(min(by_attempts))


def _release(rows: list[OutboxEntry]) -> None:
    if rows:
        OutboxEntry.objects.filter(pk__in=[r.pk for r in rows], sent_at__isnull=True).update(claimed_until=None)


def send_pending(
    *,
    due_only: bool = True,
    failed_only: bool = False,
    budget_seconds: float | None = None,
    batch_size: int | None = None,
) -> Report:
    """Send what is in the outbox, one batch per request, each row at most once in this run (in id order).
    due_only=False ignores the backoff of failed rows; failed_only takes only rows that failed before.
    Stops at the first transient failure (the upstream is down: nothing more to gain now) and, with a
    budget, when it is spent."""
    report = Report()
    if not configured():
        logger.warning("LRS forwarding has no LRS_FORWARD_ENDPOINT: the outbox is not sent.")
        return report
    lrs = remote_lrs()
    size = max(1, batch_size or settings.LRS_FORWARD_BATCH)
    started = time.monotonic()
    after = 0
    while True:
        if budget_seconds is not None and time.monotonic() - started > budget_seconds:
            report.more = OutboxEntry.objects.filter(sent_at__isnull=True, pk__gt=after).exists()
            return report
        rows = _claim(after=after, limit=size, due_only=due_only, failed_only=failed_only)
        if not rows:
            return report
        after = rows[-1].pk
        if not _send_batch(lrs, rows, report, started, budget_seconds):
            return report


def _send_batch(lrs, rows: list[OutboxEntry], report: Report, started: float, budget: float | None) -> bool:
    """Send one claimed batch; False when the run should stop (transient failure or budget spent)."""
    pending = list(rows)
    try:
        ready: list[tuple[OutboxEntry, TincanStatement]] = []
        for row in rows:
            try:
                ready.append((row, tincan_statement(row.statement.data)))
            except Exception as exc:  # tincan cannot represent it: only this statement waits
                logger.warning("Statement %s cannot be forwarded: %s", row.statement_id, exc)
                _mark_failed([row], f"Not convertible by tincan: {type(exc).__name__}: {exc}"[:_ERROR_LENGTH])
                pending.remove(row)
                report.failed += 1
                report.error = report.error or str(exc)
        if not ready:
            return True
        outcome = _send(lrs, [s for _, s in ready])
        if outcome.ok:
            _mark_sent([r for r, _ in ready])
            pending.clear()
            report.sent += len(ready)
            return True
        if outcome.rejected and len(ready) > 1:
            # One statement at a time: the upstream's refusal stays with the statements it concerns.
            for row, statement in ready:
                if budget is not None and time.monotonic() - started > budget:
                    report.more = True
                    return False
                single = _send(lrs, [statement])
                pending.remove(row)
                if single.ok:
                    _mark_sent([row])
                    report.sent += 1
                    continue
                due = _mark_failed([row], single.error)
                report.failed += 1
                report.error = single.error
                if not single.rejected:
                    report.retry_in = max((due - timezone.now()).total_seconds(), 1.0)
                    return False
            return True
        rows_failed = [r for r, _ in ready]
        due = _mark_failed(rows_failed, outcome.error)
        pending.clear()
        report.failed += len(rows_failed)
        report.error = outcome.error
        logger.warning("Forwarding %d statement(s) to the upstream LRS failed: %s", len(rows_failed), outcome.error)
        if outcome.rejected:
            return True
        report.retry_in = max((due - timezone.now()).total_seconds(), 1.0)
        return False
    finally:
        # Interrupted (a soft time limit, an error of ours): what was neither marked sent nor failed is
        # free again for the next run, sent again if it had reached the upstream (a no-op there).
        _release(pending)


def outbox_counts() -> dict[str, int]:
    unsent = OutboxEntry.objects.filter(sent_at__isnull=True)
    return {
        "unsent": unsent.count(),
        "failed": unsent.filter(attempts__gt=0).count(),
    }
