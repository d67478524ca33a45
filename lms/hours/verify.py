"""ledger_verify: every ledger entry derived again from its evidence (lms.hours.evidence), every piece of
evidence that should have credited found in the ledger. A difference is a line a person can act on."""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Iterator

from lms.xapi.constants import VERB_COMPLETED, VERB_VOIDED
from lms.xapi.models import Statement, key

from .evidence import EvidenceError, credit_for_correction, credit_for_import, credit_for_statement
from .models import ImportedCredit, LedgerCorrection, LedgerEntry, LedgerRevocation

_FIELDS = ("user_id", "jp", "date", "category", "form", "title", "status", "source_key", "statement_id")
_CHUNK = 5000


def _chunks(ids: list) -> Iterator[list]:
    for start in range(0, len(ids), _CHUNK):
        yield ids[start : start + _CHUNK]


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
    """Each difference between the ledger (of ``year``, or all of it) and what its evidence supports."""
    entries = _in_year(LedgerEntry.objects.all(), year)
    credits = entries.filter(reverses__isnull=True)
    seen_evidence: Counter[str] = Counter(credits.values_list("evidence", flat=True))
    for evidence, count in seen_evidence.items():
        if count > 1 and evidence:
            yield f"evidence {evidence} is used by {count} entries"

    # Entries resting on the platform's own statements.
    by_statement = list(credits.filter(evidence__startswith="statement:"))
    statement_ids = [e.statement_id for e in by_statement if e.statement_id]
    statements = {}
    for chunk in _chunks(statement_ids):
        statements.update(Statement.objects.in_bulk(chunk))
    reversed_ids = set(LedgerEntry.objects.filter(reverses__isnull=False).values_list("reverses_id", flat=True))
    for entry in by_statement:
        statement = statements.get(entry.statement_id)
        if statement is None or entry.evidence != f"statement:{entry.statement_id}":
            yield f"entry {entry.pk} ({entry.source_key}): its statement {entry.statement_id} is missing"
            continue
        try:
            credit = credit_for_statement(statement)
        except EvidenceError as error:
            yield f"entry {entry.pk} ({entry.source_key}): {error}"
            continue
        if credit is None:
            yield f"entry {entry.pk} ({entry.source_key}): statement {statement.pk} is not a completion the platform credits"
            continue
        yield from _compare(entry, credit)
        if statement.voided and entry.pk not in reversed_ids:
            yield f"entry {entry.pk} ({entry.source_key}): its statement {statement.pk} was voided, the credit stands"

    # Corrections and imports.
    for prefix, model, derive in (
        ("correction:", LedgerCorrection, credit_for_correction),
        ("import:", ImportedCredit, credit_for_import),
    ):
        rows = list(credits.filter(evidence__startswith=prefix))
        ids = [int(e.evidence.removeprefix(prefix)) for e in rows]
        records = {}
        for chunk in _chunks(ids):
            records.update(model.objects.in_bulk(chunk))
        for entry in rows:
            record = records.get(int(entry.evidence.removeprefix(prefix)))
            if record is None:
                yield f"entry {entry.pk} ({entry.source_key}): its evidence {entry.evidence} is missing"
                continue
            yield from _compare(entry, derive(record))

    known = ("statement:", "correction:", "import:")
    for entry in (
        credits.exclude(evidence__startswith=known[0])
        .exclude(evidence__startswith=known[1])
        .exclude(evidence__startswith=known[2])
    ):
        yield f"entry {entry.pk} ({entry.source_key}): no evidence ({entry.evidence or 'none'})"

    # Reversals: the reversed credit, the amount, and why (a voiding statement or a revocation).
    revocations = {r.source_key: r for r in LedgerRevocation.objects.all()}
    reversals = list(entries.filter(reverses__isnull=False).select_related("reverses"))
    void_ids = [ref for r in reversals if r.evidence.startswith("void:") and _is_uuid(ref := r.evidence[5:])]
    voids = {}
    for chunk in _chunks(void_ids):
        voids.update(
            {
                str(pk): v
                for pk, v in Statement.objects.filter(pk__in=chunk, verb_key=key(VERB_VOIDED), voided=False)
                .in_bulk()
                .items()
            }
        )
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

    # Evidence that should have credited, missing from the ledger.
    keys = set(LedgerEntry.objects.values_list("source_key", flat=True))
    completions = Statement.objects.filter(
        source=Statement.Source.PLATFORM, verb_key=key(VERB_COMPLETED), voided=False, user__isnull=False
    )
    for statement in completions.iterator():
        try:
            credit = credit_for_statement(statement)
        except EvidenceError:
            continue  # reported where an entry rests on it; a statement nobody credited is set aside
        if credit is not None and (not year or credit.date.year == year) and credit.source_key not in keys:
            yield f"statement {statement.pk}: {credit.source_key} ({credit.jp} JP) is not in the ledger"
    for model, derive in ((LedgerCorrection, credit_for_correction), (ImportedCredit, credit_for_import)):
        for record in _in_year(model.objects.all(), year).iterator():
            credit = derive(record)
            if credit.source_key not in keys:
                yield f"{credit.evidence}: {credit.source_key} ({credit.jp} JP) is not in the ledger"
