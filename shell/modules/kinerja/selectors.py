"""Reads of e-Kinerja. An employee sees their own log; the direct supervisor sees their team's."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from .models import Activity, Skp, SkpResult


def activities_of(*, user, month: dt.date | None = None) -> QuerySet[Activity]:
    qs = Activity.objects.filter(user=user).select_related("result").prefetch_related("evidence")
    if month is not None:
        qs = qs.filter(date__year=month.year, date__month=month.month)
    return qs


def team_of(*, user) -> QuerySet:
    return get_user_model().objects.filter(supervisor=user, is_active=True)


def activities_to_review(*, reviewer) -> QuerySet[Activity]:
    """Activities waiting for this direct supervisor."""
    return (
        Activity.objects.filter(user__supervisor=reviewer, status=Activity.Status.SUBMITTED)
        .select_related("user", "result")
        .prefetch_related("evidence")
        .order_by("date", "pk")
    )


def activity_visible(*, viewer, pk: int) -> Activity | None:
    return (
        Activity.objects.filter(Q(user=viewer) | Q(user__supervisor=viewer), pk=pk)
        .select_related("user", "result", "reviewer")
        .prefetch_related("evidence")
        .first()
    )


def review_count(*, user) -> int:
    return Activity.objects.filter(user__supervisor=user, status=Activity.Status.SUBMITTED).count()


def returned_count(*, user) -> int:
    return Activity.objects.filter(user=user, status=Activity.Status.RETURNED).count()


def month_summary(*, user, month: dt.date) -> dict[str, int]:
    rows = activities_of(user=user, month=month).values("status").annotate(n=Count("pk"))
    counts = {row["status"]: row["n"] for row in rows}
    return {"total": sum(counts.values()), **counts}


def skp_for(*, user, year: int) -> Skp | None:
    return Skp.objects.filter(user=user, year=year).prefetch_related("results__indicators", "results__parent").first()


def skps_to_review(*, reviewer) -> QuerySet[Skp]:
    return Skp.objects.filter(user__supervisor=reviewer, status=Skp.Status.SUBMITTED).select_related("user")


def parent_results_for(*, user, year: int) -> QuerySet[SkpResult]:
    """The supervisor's planned results an employee's results may cascade from."""
    if not user.supervisor_id:
        return SkpResult.objects.none()
    return SkpResult.objects.filter(skp__user_id=user.supervisor_id, skp__year=year)


def results_for_activity(*, user, year: int) -> QuerySet[SkpResult]:
    return SkpResult.objects.filter(skp__user=user, skp__year=year)


def this_month() -> dt.date:
    return timezone.localdate().replace(day=1)
