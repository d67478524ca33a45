"""Balances are computed, never stored: the ledger is the single source of each employee's total."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Sum
from django.utils import timezone

from .models import LedgerEntry, TargetRule, YearPolicy

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
    """The employee's JP target for the year, pro-rated for a mid-year hire when the policy says so."""
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
