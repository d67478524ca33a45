"""Writes to the ledger. Crediting is idempotent on ``source_key``; correcting is reversing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import IntegrityError, transaction

from .models import LedgerEntry


class LedgerError(ValueError):
    pass


def ledger_credit(
    *,
    user,
    source_key: str,
    jp: Decimal,
    date: dt.date,
    category: str,
    form: str,
    source_kind: str,
    title: str,
    statement_id=None,
    status: str = LedgerEntry.Status.VERIFIED,
) -> tuple[LedgerEntry, bool]:
    """Credit ``jp`` once for ``source_key``: a repeat (or a concurrent twin) returns the first entry."""
    if jp < 0:
        raise LedgerError("A credit cannot be negative; reverse the entry instead.")
    try:
        with transaction.atomic():
            entry = LedgerEntry.objects.create(
                user=user,
                source_key=source_key,
                jp=jp,
                date=date,
                category=category,
                form=form,
                source_kind=source_kind,
                title=title[:255],
                statement_id=statement_id,
                status=status,
            )
            return entry, True
    except IntegrityError:
        existing = LedgerEntry.objects.filter(source_key=source_key).first()
        if existing is None:
            raise
        return existing, False


def ledger_reverse(*, entry: LedgerEntry, date: dt.date, note: str) -> LedgerEntry:
    """Cancel an entry's credit with a compensating entry (once)."""
    if entry.reverses_id is not None:
        raise LedgerError("A reversal cannot itself be reversed.")
    reversal, _ = ledger_credit_reversal(entry=entry, date=date, note=note)
    return reversal


def ledger_credit_reversal(*, entry: LedgerEntry, date: dt.date, note: str) -> tuple[LedgerEntry, bool]:
    try:
        with transaction.atomic():
            return (
                LedgerEntry.objects.create(
                    user=entry.user,
                    source_key=f"reversal:{entry.source_key}",
                    jp=-entry.jp,
                    date=date,
                    category=entry.category,
                    form=entry.form,
                    source_kind=LedgerEntry.SourceKind.REVERSAL,
                    title=entry.title,
                    status=entry.status,
                    reverses=entry,
                    note=note[:500],
                ),
                True,
            )
    except IntegrityError:
        return LedgerEntry.objects.get(reverses=entry), False
