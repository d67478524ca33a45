"""Balances are computed, never stored: the ledger is the single source of each employee's total."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from dataclasses import dataclass
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import QuerySet, Sum
from django.utils import timezone

from content.models import CompetencyCategory, DevelopmentForm
from lms.claims.models import Claim
from lms.xapi.models import Statement
from shell import formatting

from .models import (
    CreditRule,
    Exemption,
    ImportedCredit,
    JpFormTotal,
    JpMonthTotal,
    JpYearTotal,
    LedgerCorrection,
    LedgerEntry,
    LedgerRevocation,
    TargetRule,
    YearPolicy,
)

JAKARTA = ZoneInfo("Asia/Jakarta")


def jakarta_date(moment: dt.datetime) -> dt.date:
    """The calendar date in Asia/Jakarta: it decides the year a learning event counts in."""
    return moment.astimezone(JAKARTA).date()


def current_year() -> int:
    return jakarta_date(timezone.now()).year


def year_policy(year: int) -> YearPolicy:
    """The year's policy; an unconfigured year takes the latest earlier one, then the defaults."""
    policy = YearPolicy.objects.filter(year__lte=year).order_by("-year").first()
    if policy is None:
        return YearPolicy(year=year, minutes_per_jp=settings.LEARNING_DEFAULT_MINUTES_PER_JP)
    return policy


def target_for(*, user, year: int) -> Decimal:
    """The employee's JP target for the year, pro-rated for a mid-year hire when the policy says so;
    none for an employee exempted that year (study or unpaid leave)."""
    if Exemption.objects.filter(user=user, year=year).exists():
        return Decimal("0")
    rule = TargetRule.objects.filter(employment_type=user.employment_type, year__lte=year).order_by("-year").first()
    target = rule.target_jp if rule else Decimal(settings.LEARNING_DEFAULT_TARGET_JP)
    hired = user.hired_on
    if hired and hired.year > year:
        return Decimal("0")  # not yet employed that year
    if hired and hired.year == year and hired.month > 1 and year_policy(year).prorate_mid_year_hires:
        remaining_months = 12 - hired.month + 1
        target = (target * remaining_months / 12).quantize(Decimal("0.1"))
    return target


def verified_entries(*, user, year: int):
    return LedgerEntry.objects.filter(
        user=user, status=LedgerEntry.Status.VERIFIED, date__gte=dt.date(year, 1, 1), date__lte=dt.date(year, 12, 31)
    )


def jp_total(*, user, year: int) -> Decimal:
    total = verified_entries(user=user, year=year).aggregate(total=Sum("jp"))["total"]
    return total if total is not None else Decimal("0")


def jp_by_category(*, user, year: int) -> dict[str, Decimal]:
    rows = verified_entries(user=user, year=year).values("category").annotate(total=Sum("jp")).order_by("category")
    return {row["category"]: row["total"] for row in rows if row["total"]}


def ledger_for(*, user, year: int):
    return LedgerEntry.objects.filter(
        user=user, date__gte=dt.date(year, 1, 1), date__lte=dt.date(year, 12, 31)
    ).order_by("-date", "-created_at")


def jp_totals_for(*, users, year: int) -> dict[int, Decimal]:
    """Year totals of many employees in one query."""
    rows = (
        LedgerEntry.objects.filter(
            user__in=users,
            status=LedgerEntry.Status.VERIFIED,
            date__gte=dt.date(year, 1, 1),
            date__lte=dt.date(year, 12, 31),
        )
        .values("user_id")
        .annotate(total=Sum("jp"))
    )
    return {row["user_id"]: row["total"] for row in rows}


def max_jp_for(*, user, year: int) -> Decimal | None:
    """The optional yearly maximum of the employee's type (e.g. PPPK), or None."""
    rule = TargetRule.objects.filter(employment_type=user.employment_type, year__lte=year).order_by("-year").first()
    return rule.max_jp if rule else None


def jp_counted(*, user, year: int) -> Decimal:
    """What counts towards the target: the verified total, cut to the type's yearly maximum if it has one."""
    total = jp_total(user=user, year=year)
    maximum = max_jp_for(user=user, year=year)
    return min(total, maximum) if maximum is not None else total


def credit_rule_for(*, form: str, year: int) -> CreditRule:
    """The form's rule for the year (the latest configured year <= ``year``); unconfigured: the JP asked
    for, no cap, evidence and approval required."""
    rule = CreditRule.objects.filter(form=form, year__lte=year).order_by("-year").first()
    return rule if rule is not None else CreditRule(year=year, form=form)


def form_total(*, user, form: str, year: int) -> Decimal:
    total = verified_entries(user=user, year=year).filter(form=form).aggregate(total=Sum("jp"))["total"]
    return total if total is not None else Decimal("0")


def jp_allowed(*, user, form: str, year: int, jp: Decimal) -> tuple[Decimal, str]:
    """``jp`` cut to what the form's yearly cap leaves, and a note saying so when it was cut."""
    rule = credit_rule_for(form=form, year=year)
    if rule.max_jp_per_year is None:
        return jp, ""
    left = max(rule.max_jp_per_year - form_total(user=user, form=form, year=year), Decimal("0"))
    if jp <= left:
        return jp, ""
    from django.utils.translation import gettext as _

    return left, _("Dipotong dari %(asked)s menjadi %(left)s JP: batas bentuk ini %(cap)s JP per tahun %(year)s.") % {
        "asked": formatting.jp(jp),
        "left": formatting.jp(left),
        "cap": formatting.jp(rule.max_jp_per_year),
        "year": year,
    }


def targets_for(*, users, year: int) -> dict[int, Decimal]:
    """``target_for`` of many employees in three queries (same rules: exemptions, type, pro-rating)."""
    users = list(users)
    exempt = set(exempt_user_ids(year=year, user_ids=[u.pk for u in users]))
    by_type: dict[str, Decimal] = {}
    for rule in target_rules_up_to(year=year):
        by_type[rule.employment_type] = rule.target_jp  # later years override earlier ones
    prorate = year_policy(year).prorate_mid_year_hires
    default = Decimal(settings.LEARNING_DEFAULT_TARGET_JP)
    result: dict[int, Decimal] = {}
    for user in users:
        target = by_type.get(user.employment_type, default)
        hired = user.hired_on
        if user.pk in exempt or (hired and hired.year > year):
            target = Decimal("0")
        elif hired and hired.year == year and hired.month > 1 and prorate:
            target = (target * (12 - hired.month + 1) / 12).quantize(Decimal("0.1"))
        result[user.pk] = target
    return result


def target_rules_up_to(*, year: int) -> QuerySet[TargetRule]:
    """The target rules in force in ``year``, oldest first: a later year's rule of a type overrides an
    earlier one (``target_for``, ``targets_for`` and the reports read them in this order)."""
    return TargetRule.objects.filter(year__lte=year).order_by("year")


def exempt_user_ids(*, year: int, user_ids) -> QuerySet:
    """Ids of the employees among ``user_ids`` (ids, or a subquery of them) exempted for ``year``."""
    return Exemption.objects.filter(year=year, user_id__in=user_ids).values_list("user_id", flat=True)


# The running totals (kept by the database's triggers; see lms/hours/totals.py). ``user_ids`` is a list
# of ids or a subquery of them; the callers aggregate further (the reports, per unit or per month).


def year_totals(*, user_ids, year: int) -> QuerySet[JpYearTotal]:
    """Per employee and entry status: JP x 100 (``hundredths``) and how many entries, for ``year``."""
    return JpYearTotal.objects.filter(year=year, user_id__in=user_ids)


def month_totals(*, user_ids, year: int) -> QuerySet[JpMonthTotal]:
    """Per employee and month of ``year``: verified JP x 100 and entries."""
    return JpMonthTotal.objects.filter(year=year, user_id__in=user_ids)


def form_totals(*, user_ids, year: int) -> QuerySet[JpFormTotal]:
    """Per employee, competency category and form of development in ``year``: verified JP x 100 and entries."""
    return JpFormTotal.objects.filter(year=year, user_id__in=user_ids)


# BKPSDM's review of the ledger (anomalies, evidence, revocations, corrections) -------------------------


def hr_reviewable_employees(*, viewer):
    """The employees whose ledger ``viewer`` reviews as HR (BKPSDM): their HR scope, through the shell's one
    scope selector, never themself; None when they are not HR with a scope."""
    from shell.people.selectors import employees_visible_to, hr_scope_q

    scope = hr_scope_q(user=viewer)
    if scope is None:
        return None
    return employees_visible_to(user=viewer).filter(scope).exclude(pk=viewer.pk)


def hr_may_review(*, viewer, user_id: int) -> bool:
    employees = hr_reviewable_employees(viewer=viewer)
    return employees is not None and employees.filter(pk=user_id).exists()


def entry_for_viewer(*, viewer, pk: int) -> tuple[LedgerEntry | None, bool]:
    """The entry if ``viewer`` may see its evidence page, and whether they see it as HR (with the
    anomalies and the revocation form): the employee sees their own entries, HR those of their scope."""
    entry = LedgerEntry.objects.filter(pk=pk).select_related("user", "user__unit", "reverses").first()
    if entry is None or not viewer.is_authenticated:
        return None, False
    if hr_may_review(viewer=viewer, user_id=entry.user_id):
        return entry, True
    if entry.user_id == viewer.pk:
        return entry, False
    return None, False


@dataclass(frozen=True)
class EntryState:
    """Where an entry stands, for the top of its evidence page: ``code`` is ``counted`` (a credit that
    stands), ``pending`` / ``rejected`` (by its status), ``revoked`` (BKPSDM revoked it), ``voided`` (its
    evidence was voided, e.g. a claim reversed) or ``reversal`` (the entry that cancels another); ``by``,
    ``at`` and ``reason`` say who did it, when and why, where known."""

    code: str
    by: object = None  # a User
    at: dt.datetime | None = None
    reason: str = ""

    @property
    def counts(self) -> bool:
        return self.code == "counted"


@dataclass(frozen=True)
class EntryEvidence:
    """What one ledger entry rests on, for its evidence page: the record named by ``evidence`` (statement,
    claim, correction, import; for a reversal the revocation or the voiding statement) and its reversal."""

    entry: LedgerEntry
    kind: str
    statement: Statement | None = None
    statement_json: str = ""
    claim: Claim | None = None
    correction: LedgerCorrection | None = None
    imported: ImportedCredit | None = None
    revocation: LedgerRevocation | None = None  # of a reversal entry
    reversal: LedgerEntry | None = None  # the entry that cancels this one
    reversal_revocation: LedgerRevocation | None = None  # why it was cancelled, when BKPSDM revoked it
    form_label: str = ""
    category_label: str = ""
    state: EntryState = EntryState("counted")
    void_statement: Statement | None = None  # the voiding statement behind the reversal of this entry


def _int_ref(ref: str) -> int | None:
    return int(ref) if ref.isdigit() and len(ref) < 18 else None


def _statement(ref: str) -> Statement | None:
    try:
        return Statement.objects.filter(pk=uuid.UUID(ref)).select_related("user").first()
    except ValueError:
        return None


def _revocation(ref: str) -> LedgerRevocation | None:
    pk = _int_ref(ref)
    return LedgerRevocation.objects.filter(pk=pk).select_related("revoked_by").first() if pk else None


def _entry_state(entry: LedgerEntry, found: dict) -> EntryState:
    if entry.reverses_id is not None:
        revocation, statement = found.get("revocation"), found.get("statement")
        if revocation is not None:
            return EntryState("reversal", revocation.revoked_by, revocation.revoked_at, revocation.reason)
        return EntryState("reversal", statement.user if statement else None, entry.created_at, entry.note)
    reversal = found.get("reversal")
    if reversal is not None:
        revocation = found.get("reversal_revocation")
        if revocation is not None:
            return EntryState("revoked", revocation.revoked_by, revocation.revoked_at, revocation.reason)
        statement = found.get("void_statement")
        return EntryState("voided", statement.user if statement else None, reversal.created_at, reversal.note)
    if entry.status == LedgerEntry.Status.PENDING:
        return EntryState("pending")
    if entry.status == LedgerEntry.Status.REJECTED:
        return EntryState("rejected")
    return EntryState("counted")


def entry_evidence(*, entry: LedgerEntry) -> EntryEvidence:
    """The entry's evidence, found from its ``evidence`` string (``<kind>:<id>``) and its source key. Evidence
    that is malformed or missing gives empty fields (ledger_verify reports it), never an error."""
    kind, _sep, ref = entry.evidence.partition(":")
    found: dict = {}
    if kind in ("statement", "void"):
        statement = _statement(ref)
        if statement is not None:
            found["statement"] = statement
            found["statement_json"] = json.dumps(statement.data, indent=2, ensure_ascii=False, sort_keys=True)
    elif kind == "correction" and _int_ref(ref):
        found["correction"] = LedgerCorrection.objects.filter(pk=_int_ref(ref)).select_related("created_by").first()
    elif kind == "import" and _int_ref(ref):
        found["imported"] = ImportedCredit.objects.filter(pk=_int_ref(ref)).first()
    elif kind == "revocation":
        found["revocation"] = _revocation(ref)
    credited = entry.reverses or entry
    if credited.source_kind == LedgerEntry.SourceKind.CLAIM:
        claim_kind, _sep, claim_ref = credited.source_key.partition(":")
        if claim_kind == "claim" and _int_ref(claim_ref):
            found["claim"] = Claim.objects.filter(pk=_int_ref(claim_ref)).first()
    reversal = LedgerEntry.objects.filter(reverses=entry).first()
    if reversal is not None:
        found["reversal"] = reversal
        rkind, _sep, rref = reversal.evidence.partition(":")
        if rkind == "revocation":
            found["reversal_revocation"] = _revocation(rref)
        elif rkind == "void":
            found["void_statement"] = _statement(rref)
    found["state"] = _entry_state(entry, found)
    found["form_label"] = str(dict(DevelopmentForm.choices).get(entry.form, entry.form))
    found["category_label"] = str(dict(CompetencyCategory.choices).get(entry.category, entry.category))
    return EntryEvidence(entry=entry, kind=kind, **found)
