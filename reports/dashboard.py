"""The HR dashboard's figures, cached per scope.

Everyone with the same scope sees the same figures (the whole city; the same HR units; one
supervisor's team; one employee), so the cache key is the scope as it is now, never just the user:
a changed HR scope gets other figures at once. Figures are at most REPORTS_CACHE_SECONDS old (the
page says as of when); the city-wide dashboard of the current year is rebuilt ahead of time by the
``reports.warm_dashboard`` beat task, so HR normally never wait for a computation over 20,000 people.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from django.utils.translation import get_language

from lms.hours.pace import STATUSES
from shell.people.models import HrScope, User
from shell.people.roles import PERM_VIEW_TEAM

from . import charts, selectors
from .bundles import status_labels, type_labels
from .selectors import ReportFilters


def scope_fingerprint(viewer: User) -> str:
    scope = selectors.hr_scope_q(user=viewer)
    if scope is not None and not scope:
        return "city"
    if scope is not None:
        units = sorted(HrScope.objects.filter(user=viewer).values_list("unit_id", flat=True))
        return "hr:" + ",".join(map(str, units))
    if viewer.has_perm(PERM_VIEW_TEAM):
        return f"team:{viewer.pk}"
    return f"self:{viewer.pk}"


def dashboard_key(*, viewer: User, filters: ReportFilters) -> str:
    unit = filters.unit.pk if filters.unit else ""
    # The cached dict holds translated labels and rendered charts: one entry per language.
    raw = f"dashboard:v2:{get_language()}:{scope_fingerprint(viewer)}:{filters.year}:{unit}:{filters.employment_type}"
    return "reports:" + hashlib.sha1(raw.encode()).hexdigest()


def dashboard_compute(*, viewer: User, filters: ReportFilters) -> dict:
    compliance = selectors.compliance_frame(viewer=viewer, filters=filters, detail=False)
    summary = selectors.status_summary(compliance=compliance)
    units = selectors.units_frame(viewer=viewer, filters=filters)
    rollup = selectors.unit_rollup_frame(compliance=compliance, units=units)
    # The highest level of the tree in scope; below it when that is a single unit (HR of one OPD).
    top_depth = int(rollup["depth"].min()) if len(rollup) else 1
    if (rollup["depth"] == top_depth).sum() == 1 and (rollup["depth"] > top_depth).any():
        top_depth += 1
    top = rollup[(rollup["depth"] == top_depth) & (rollup["employees"] > 0)].sort_values("met_rate")
    types = selectors.employment_type_frame(compliance=compliance)
    trend = selectors.monthly_trend_frame(viewer=viewer, filters=filters, target_total=summary["target_total"])
    labels = status_labels()
    return {
        "summary": summary,
        "status_rows": [(s, labels[s], summary["counts"][s]) for s in STATUSES],
        "units": top.to_dict("records"),
        "types": [dict(r, label=type_labels().get(r["employment_type"])) for r in types.to_dict("records")],
        "trend": trend.to_dict("records"),
        "chart_status": charts.status_bar_svg(summary["counts"], labels),
        "chart_units": charts.hbar_svg(
            top["unit_name"].tolist()[:30], top["met_rate"].tolist()[:30], name="units", suffix="%", max_value=100
        ),
        "chart_trend": charts.trend_svg(trend),
        "as_of": timezone.now(),
    }


def dashboard_data(*, viewer: User, filters: ReportFilters, refresh: bool = False) -> dict:
    key = dashboard_key(viewer=viewer, filters=filters)
    data = None if refresh else cache.get(key)
    if data is None:
        data = dashboard_compute(viewer=viewer, filters=filters)
        cache.set(key, data, settings.REPORTS_CACHE_SECONDS)
    return data


def city_viewer() -> User:
    """An unsaved administrator: sees the whole city and is not itself an employee row."""
    return User(username="reports", full_name="reports", is_superuser=True, is_active=True)
