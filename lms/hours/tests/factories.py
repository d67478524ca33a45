"""Ledger credits for tests, backed by evidence like any real credit (a trusted import record), so that
ledger_verify and rebuilds hold in every test that uses them."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal

from lms.hours.evidence import credit_for_import
from lms.hours.models import ImportedCredit, LedgerEntry
from lms.hours.services import ledger_credit

_ids = itertools.count(1)


def credit(
    user,
    jp,
    date: dt.date | None = None,
    *,
    category: str = "teknis",
    form: str = "e_learning",
    title: str = "Uji",
    status: str = LedgerEntry.Status.VERIFIED,
    external_id: str | None = None,
) -> LedgerEntry:
    """Credit ``jp`` to ``user`` through the one path, as an imported record; the same external_id twice
    credits once."""
    record, _ = ImportedCredit.objects.get_or_create(
        external_id=external_id or f"test:{next(_ids)}",
        defaults={
            "batch": "test",
            "user": user,
            "jp": Decimal(str(jp)),
            "date": date or dt.date.today(),
            "category": category,
            "form": form,
            "title": title,
            "status": status,
        },
    )
    entry, _ = ledger_credit(credit=credit_for_import(record))
    return entry
