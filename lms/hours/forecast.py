"""The year-end forecast of each employee and the at-risk lists (reads only).

Built on the lead's one definition of pace (``pace.py``): what they have, plus what they are enrolled
or registered for (``planned``), plus their pace carried to year end.

"Start by" is the last day on which an employee who has not started yet could still reach the target
learning at the steady pace the target implies (target / days of the year): the days the missing JP
take at that pace, counted back from 31 December. Already past: they must go faster than steady.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Sum

from .models import LedgerEntry, TargetRule
from .pace import AT_RISK, BEHIND, compliance_status, projected_year_end, year_elapsed
from .selectors import jp_totals_for, targets_for


@dataclass(frozen=True)
class Forecast:
    user: object
    year: int
    achieved: Decimal
    planned: Decimal
    target: Decimal
    projected: Decimal
    status: str
    start_by: dt.date | None

    @property
    def missing(self) -> Decimal:
        return max(self.target - self.achieved - self.planned, Decimal("0"))

    @property
    def at_risk(self) -> bool:
        return self.status in (AT_RISK, BEHIND)

    @property
    def start_by_passed(self) -> bool:
        return self.start_by is not None and self.start_by < dt.date.today()


def start_by_date(*, achieved: Decimal, planned: Decimal, target: Decimal, year: int) -> dt.date | None:
    missing = target - achieved - planned
    if target <= 0 or missing <= 0:
        return None
    days_in_year = (dt.date(year + 1, 1, 1) - dt.date(year, 1, 1)).days
    days_needed = math.ceil(float(missing / target) * days_in_year)
    return dt.date(year, 12, 31) - dt.timedelta(days=days_needed - 1)


def planned_jp_for(*, user_ids: list[int], year: int, today: dt.date) -> dict[int, Decimal]:
    """JP each employee is on the way to: unfinished course enrolments (courses not credited yet) count
    for the current year only; classroom sessions they are registered for count in the year they end."""
    from lms.classroom.selectors import planned_classroom_jp
    from lms.models import Enrollment

    planned: dict[int, Decimal] = defaultdict(Decimal)
    if year == today.year:
        credited = set(
            LedgerEntry.objects.filter(
                user_id__in=user_ids, source_kind=LedgerEntry.SourceKind.COURSE, reverses__isnull=True
            ).values_list("source_key", flat=True)
        )
        for user_id, course_id, jp in Enrollment.objects.filter(
            user_id__in=user_ids, completed_at__isnull=True, course__live=True
        ).values_list("user_id", "course_id", "course__jp"):
            if f"course:{course_id}:user:{user_id}" not in credited:
                planned[user_id] += jp
    for user_id, jp in planned_classroom_jp(user_ids=user_ids, year=year).items():
        planned[user_id] += jp
    return dict(planned)


def forecasts_for(*, users, year: int, today: dt.date) -> list[Forecast]:
    """The forecast of many employees in a handful of queries (pace arithmetic on whole arrays)."""
    import numpy as np

    users = list(users)
    if not users:
        return []
    ids = [u.pk for u in users]
    totals = jp_totals_for(users=ids, year=year)
    planned = planned_jp_for(user_ids=ids, year=year, today=today)
    by_user = targets_for(users=users, year=year)
    targets = [by_user[u.pk] for u in users]
    maxima = _maxima(year)
    achieved = [
        min(totals.get(u.pk) or Decimal("0"), maxima[u.employment_type])
        if maxima.get(u.employment_type) is not None
        else (totals.get(u.pk) or Decimal("0"))
        for u in users
    ]
    plan = [planned.get(u.pk, Decimal("0")) for u in users]
    elapsed = year_elapsed(on=today, year=year)
    projected = np.atleast_1d(
        projected_year_end(np.array(achieved, float), elapsed=elapsed, planned=np.array(plan, float))
    )
    status = np.atleast_1d(
        compliance_status(
            np.array(achieved, float), np.array(targets, float), elapsed=elapsed, planned=np.array(plan, float)
        )
    )
    return [
        Forecast(
            user=u,
            year=year,
            achieved=a,
            planned=p,
            target=t,
            projected=Decimal(str(round(float(pr), 1))),
            status=str(st),
            start_by=start_by_date(achieved=a, planned=p, target=t, year=year),
        )
        for u, a, p, t, pr, st in zip(users, achieved, plan, targets, projected, status, strict=True)
    ]


def forecast_for(*, user, year: int, today: dt.date) -> Forecast:
    return forecasts_for(users=[user], year=year, today=today)[0]


def at_risk_for(*, users, year: int, today: dt.date) -> list[Forecast]:
    """Employees below a steady pace (at risk) or whose projection falls short (behind), worst first."""
    rows = [f for f in forecasts_for(users=users, year=year, today=today) if f.at_risk]
    return sorted(rows, key=lambda f: (f.status != BEHIND, f.projected - f.target, str(f.user)))


def _maxima(year: int) -> dict[str, Decimal | None]:
    maxima: dict[str, Decimal | None] = {}
    for rule in TargetRule.objects.filter(year__lte=year).order_by("year"):
        maxima[rule.employment_type] = rule.max_jp  # later years override earlier ones
    return maxima


def form_totals(*, user, year: int) -> dict[str, Decimal]:
    from .selectors import verified_entries

    rows = verified_entries(user=user, year=year).values("form").annotate(total=Sum("jp"))
    return {row["form"]: row["total"] for row in rows}
