"""What each piece of evidence is worth in the ledger. The one derivation used to credit (projections and
services), to rebuild, and to verify (ledger_verify): an entry is right when its evidence, derived again
here, gives the same entry (docs/trust.md).

Evidence the platform stands behind:
- its own completion statements (course, classroom session, approved claim): source "platform", written by
  lms with the JP, category and form of our configuration at that moment (capped where a cap applies);
- BKPSDM's corrections (LedgerCorrection) and trusted imports (ImportedCredit).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from lms import activities
from lms.xapi.constants import EXT_CATEGORY, EXT_CREDIT_NOTE, EXT_FORM, EXT_JP, VERB_COMPLETED
from lms.xapi.models import Statement

from .models import ImportedCredit, LedgerCorrection, LedgerEntry
from .selectors import jakarta_date

Kind = LedgerEntry.SourceKind


def ledger_source_key(*, kind: str, ref, user_id: int) -> str:
    """The one source-key scheme: what makes two credits the same learning, so that it is credited once.
    A course counts once per employee however often it is retaken or imported (docs/domain/jp-ledger.md)."""
    if kind == Kind.COURSE:
        return f"course:{ref}:user:{user_id}"
    if kind == Kind.CLASSROOM:
        return f"classroom:{ref}:user:{user_id}"
    if kind in (Kind.CLAIM, Kind.CORRECTION, Kind.IMPORT):
        return f"{kind}:{ref}"
    raise ValueError(f"No credit of kind {kind!r}.")


@dataclass(frozen=True)
class Credit:
    """What a piece of evidence is worth, derived by lms.hours.evidence; the ledger stores exactly this."""

    user_id: int
    kind: str
    ref: object  # the course, class session, claim, correction or import id in the source key
    jp: Decimal
    date: dt.date
    category: str
    form: str
    title: str
    evidence: str
    statement_id: object = None
    status: str = LedgerEntry.Status.VERIFIED
    note: str = ""

    @property
    def source_key(self) -> str:
        return ledger_source_key(kind=self.kind, ref=self.ref, user_id=self.user_id)


_KIND = {
    "course": LedgerEntry.SourceKind.COURSE,
    "classroom": LedgerEntry.SourceKind.CLASSROOM,
    "claim": LedgerEntry.SourceKind.CLAIM,
}


class EvidenceError(ValueError):
    """Evidence that cannot be credited as it stands (a malformed statement of our own)."""


def _name(data: dict[str, Any]) -> str:
    names = ((data.get("object") or {}).get("definition") or {}).get("name") or {}
    return str(names.get("id-ID") or next(iter(names.values()), "") or "")


def credit_for_statement(statement: Statement) -> Credit | None:
    """The credit of one of the platform's own completion statements; None for any other statement."""
    if statement.source != Statement.Source.PLATFORM or statement.verb != VERB_COMPLETED:
        return None
    parsed = activities.parse_credited(statement.activity_id)
    if parsed is None or statement.user_id is None:
        return None
    kind, ref = parsed
    extensions = (statement.data.get("context") or {}).get("extensions") or {}
    try:
        jp = Decimal(str(extensions[EXT_JP])).quantize(Decimal("0.01"))
    except (KeyError, InvalidOperation, ValueError) as error:
        raise EvidenceError(
            f"statement {statement.pk}: the JP of our own completion is missing or not a number"
        ) from error
    if not jp.is_finite() or jp < 0:
        raise EvidenceError(f"statement {statement.pk}: JP {jp} is not a credit")
    return Credit(
        user_id=statement.user_id,
        kind=_KIND[kind],
        ref=ref,
        jp=jp,
        # The platform's own statements carry the platform's time: the date the learning counts on.
        date=jakarta_date(statement.timestamp),
        category=str(extensions.get(EXT_CATEGORY, "")),
        form=str(extensions.get(EXT_FORM, "")),
        title=_name(statement.data)[:255],
        evidence=f"statement:{statement.pk}",
        statement_id=statement.pk,
        note=str(extensions.get(EXT_CREDIT_NOTE, ""))[:500],
    )


def _credit_for_record(record: LedgerCorrection | ImportedCredit, kind: str, **extra) -> Credit:
    """A credit BKPSDM recorded by hand: the record holds everything the entry says."""
    return Credit(
        user_id=record.user_id,
        kind=kind,
        ref=record.pk,
        jp=record.jp,
        date=record.date,
        category=record.category,
        form=record.form,
        title=record.title[:255],
        evidence=f"{kind}:{record.pk}",
        **extra,
    )


def credit_for_correction(correction: LedgerCorrection) -> Credit:
    return _credit_for_record(correction, LedgerEntry.SourceKind.CORRECTION)


def credit_for_import(record: ImportedCredit) -> Credit:
    return _credit_for_record(record, LedgerEntry.SourceKind.IMPORT, status=record.status)
