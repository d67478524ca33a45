"""Balances are computed, never stored: the ledger is the single source of each employee's total."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import QuerySet, Sum
from django.utils import timezone

from .models import (
    CreditRule,
    Exemption,
    JpFormTotal,
    JpMonthTotal,
    JpYearTotal,
    LedgerEntry,
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
        "asked": _fmt(jp),
        "left": _fmt(left),
        "cap": _fmt(rule.max_jp_per_year),
        "year": year,
    }


def _fmt(value: Decimal) -> str:
    return f"{Decimal(value).normalize():f}"


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
