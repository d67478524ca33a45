"""ledger_verify: every ledger entry derived again from its evidence (lms.hours.evidence), every piece of
evidence that should have credited found in the ledger. A difference is a line a person can act on."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

from django.db.models import Count

from lms.xapi.constants import VERB_COMPLETED, VERB_VOIDED
from lms.xapi.models import Statement, key

from .evidence import EvidenceError, credit_for_correction, credit_for_import, credit_for_statement
from .models import ImportedCredit, LedgerCorrection, LedgerEntry, LedgerRevocation

_FIELDS = ("user_id", "jp", "date", "category", "form", "title", "status", "source_key", "statement_id")
_CHUNK = 5000


def _in_chunks(qs) -> Iterator[list]:
    """The rows of ``qs`` a chunk at a time, by primary key: memory stays flat on a city's ledger."""
    last = None
    while True:
        page = qs.order_by("pk") if last is None else qs.filter(pk__gt=last).order_by("pk")
        rows = list(page[:_CHUNK])
        if not rows:
            return
        yield rows
        last = rows[-1].pk


def _missing_keys(source_keys: list[str]) -> set[str]:
    present = set(LedgerEntry.objects.filter(source_key__in=source_keys).values_list("source_key", flat=True))
    return set(source_keys) - present


def _is_uuid(value: str) -> bool:
    try:
        return str(uuid.UUID(value)) == value
    except ValueError:
        return False


def _compare(entry: LedgerEntry, credit) -> list[str]:
    expected = {
        "user_id": credit.user_id,
        "jp": credit.jp,
        "date": credit.date,
        "category": credit.category,
        "form": credit.form,
        "title": credit.title[:255],
        "status": credit.status,
        "source_key": credit.source_key,
        "statement_id": credit.statement_id,
    }
    return [
        f"entry {entry.pk} ({entry.source_key}): {name} is {getattr(entry, name)!r}, its evidence says {expected[name]!r}"
        for name in _FIELDS
        if getattr(entry, name) != expected[name]
    ]


def _in_year(qs, year: int | None, field: str = "date"):
    return qs.filter(**{f"{field}__year": year}) if year else qs


def ledger_differences(*, year: int | None = None) -> Iterator[str]:
    """Each difference between the ledger (of ``year``, or all of it) and what its evidence supports. Reads
    a chunk at a time, so that a city's ledger (millions of entries) is checked in flat memory."""
    entries = _in_year(LedgerEntry.objects.all(), year)
    credits = entries.filter(reverses__isnull=True)
    twice = credits.exclude(evidence="").values("evidence").annotate(count=Count("id")).filter(count__gt=1).order_by()
    for row in twice.iterator():
        yield f"evidence {row['evidence']} is used by {row['count']} entries"

    # Entries resting on the platform's own statements.
    for rows in _in_chunks(credits.filter(evidence__startswith="statement:")):
        statements = Statement.objects.in_bulk([e.statement_id for e in rows if e.statement_id])
        reversed_ids = set(
            LedgerEntry.objects.filter(reverses__in=[e.pk for e in rows]).values_list("reverses_id", flat=True)
        )
        for entry in rows:
            yield from _check_statement_entry(entry, statements.get(entry.statement_id), reversed_ids)

    # Corrections and imports.
    for prefix, model, derive in (
        ("correction:", LedgerCorrection, credit_for_correction),
        ("import:", ImportedCredit, credit_for_import),
    ):
        for rows in _in_chunks(credits.filter(evidence__startswith=prefix)):
            records = model.objects.in_bulk([int(e.evidence.removeprefix(prefix)) for e in rows])
            for entry in rows:
                record = records.get(int(entry.evidence.removeprefix(prefix)))
                if record is None:
                    yield f"entry {entry.pk} ({entry.source_key}): its evidence {entry.evidence} is missing"
                    continue
                yield from _compare(entry, derive(record))

    unknown = credits.exclude(evidence__startswith="statement:").exclude(evidence__startswith="correction:")
    for entry in unknown.exclude(evidence__startswith="import:").iterator():
        yield f"entry {entry.pk} ({entry.source_key}): no evidence ({entry.evidence or 'none'})"

    # Reversals: the reversed credit, the amount, and why (a voiding statement or a revocation).
    for rows in _in_chunks(entries.filter(reverses__isnull=False).select_related("reverses")):
        yield from _check_reversals(rows)

    # Evidence that should have credited, missing from the ledger.
    completions = Statement.objects.filter(
        source=Statement.Source.PLATFORM, verb_key=key(VERB_COMPLETED), voided=False, user__isnull=False
    )
    for statements in _in_chunks(completions):
        expected = {}
        for statement in statements:
            try:
                credit = credit_for_statement(statement)
            except EvidenceError:
                continue  # reported where an entry rests on it; a statement nobody credited is set aside
            if credit is not None and (not year or credit.date.year == year):
                expected[credit.source_key] = (statement, credit)
        for source_key in sorted(_missing_keys(list(expected))):
            statement, credit = expected[source_key]
            yield f"statement {statement.pk}: {source_key} ({credit.jp} JP) is not in the ledger"
    for model, derive in ((LedgerCorrection, credit_for_correction), (ImportedCredit, credit_for_import)):
        for records in _in_chunks(_in_year(model.objects.all(), year)):
            expected = {credit.source_key: credit for credit in map(derive, records)}
            for source_key in sorted(_missing_keys(list(expected))):
                credit = expected[source_key]
                yield f"{credit.evidence}: {source_key} ({credit.jp} JP) is not in the ledger"


def _check_statement_entry(entry: LedgerEntry, statement: Statement | None, reversed_ids: set[int]) -> Iterator[str]:
    if statement is None or entry.evidence != f"statement:{entry.statement_id}":
        yield f"entry {entry.pk} ({entry.source_key}): its statement {entry.statement_id} is missing"
        return
    try:
        credit = credit_for_statement(statement)
    except EvidenceError as error:
        yield f"entry {entry.pk} ({entry.source_key}): {error}"
        return
    if credit is None:
        yield f"entry {entry.pk} ({entry.source_key}): statement {statement.pk} is not a completion the platform credits"
        return
    yield from _compare(entry, credit)
    if statement.voided and entry.pk not in reversed_ids:
        yield f"entry {entry.pk} ({entry.source_key}): its statement {statement.pk} was voided, the credit stands"


def _check_reversals(reversals: list[LedgerEntry]) -> Iterator[str]:
    revocations = {
        r.source_key: r
        for r in LedgerRevocation.objects.filter(source_key__in=[r.reverses.source_key for r in reversals])
    }
    void_ids = [ref for r in reversals if r.evidence.startswith("void:") and _is_uuid(ref := r.evidence[5:])]
    voids = {
        str(pk): v
        for pk, v in Statement.objects.filter(pk__in=void_ids, verb_key=key(VERB_VOIDED), voided=False)
        .in_bulk()
        .items()
    }
    for reversal in reversals:
        original = reversal.reverses
        if reversal.jp != -original.jp or reversal.user_id != original.user_id:
            yield f"reversal {reversal.pk}: {reversal.jp} JP does not cancel entry {original.pk} ({original.jp} JP)"
        kind, _, ref = reversal.evidence.partition(":")
        if kind == "revocation":
            revocation = revocations.get(original.source_key)
            if revocation is None or str(revocation.pk) != ref:
                yield f"reversal {reversal.pk}: revocation {ref} of {original.source_key} is missing"
        elif kind == "void":
            void = voids.get(ref)
            if void is None or str(void.voids) != str(original.statement_id):
                yield f"reversal {reversal.pk}: voiding statement {ref} of entry {original.pk}'s evidence is missing"
        else:
            yield f"reversal {reversal.pk}: no evidence ({reversal.evidence or 'none'})"
