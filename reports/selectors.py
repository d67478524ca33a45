"""Report reads: tidy pandas DataFrames that the pages, the exports and the charts all share.

Every frame is limited to the viewer's scope (``report_employees``: HR their unit subtrees or the whole
city, a supervisor their direct team, anyone else only themself) and read with one query per table:
employees and units once, JP from the running totals the database keeps for the ledger (read through
``lms.hours.selectors``), never
row by row. An employee's JP count in the unit they belong to now (the ledger has no unit): an
employee who moved units is reported, with the whole year's JP, under the new unit.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from decimal import Decimal

import numpy as np
import pandas as pd
from django.conf import settings
from django.db import connection
from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from lms.hours.pace import STATUSES, compliance_status, projected_year_end, year_elapsed
from lms.hours.selectors import (
    exempt_user_ids,
    form_totals,
    jakarta_date,
    month_totals,
    target_rules_up_to,
    year_policy,
    year_totals,
)
from lms.selectors import enrollments_started_in, enrollments_unfinished_live, lesson_progress_of
from shell.people.models import HrScope, Unit, User
from shell.people.roles import PERM_VIEW_TEAM
from shell.people.selectors import employees_visible_to, hr_scope_q, unit_subtree_q

STEPLEN = Unit.steplen

EMPLOYEE_COLUMNS = [
    "employee_id",
    "uuid",
    "name",
    "nip",
    "position",
    "employment_type",
    "hired_on",
    "unit_id",
    "unit_code",
    "unit_name",
    "unit_path",
    "opd_code",
    "opd_name",
]


@dataclass(frozen=True)
class ReportFilters:
    """What a report is about; the scope comes from the viewer, never from here."""

    year: int
    unit: Unit | None = None
    employment_type: str = ""

    def describe(self) -> dict[str, str]:
        from django.utils.translation import gettext as _

        types = dict(User.EmploymentType.choices)
        return {
            _("Tahun"): str(self.year),
            _("Unit"): f"{self.unit.code} — {self.unit.name}" if self.unit else _("Semua unit dalam cakupan"),
            _("Status kepegawaian"): str(types.get(self.employment_type, _("Semua"))),
        }


def read_frame(qs: QuerySet, columns: list[str], *, text: tuple[str, ...] = ()) -> pd.DataFrame:
    """The rows of a ``values_list`` queryset as a DataFrame. On PostgreSQL through ``COPY ... TO
    STDOUT`` and pandas' CSV parser: tens of thousands of rows without building a Python tuple each."""
    if connection.vendor != "postgresql":
        return pd.DataFrame(list(qs), columns=columns)
    sql, params = qs.query.sql_with_params()
    buffer = io.BytesIO()
    with connection.cursor() as cursor:
        with cursor.cursor.copy(f"COPY ({sql}) TO STDOUT WITH (FORMAT csv)", params) as copy:
            for chunk in copy:
                buffer.write(chunk)
    buffer.seek(0)
    if not buffer.getbuffer().nbytes:
        return pd.DataFrame(columns=columns)
    return pd.read_csv(
        buffer, names=columns, header=None, dtype={c: str for c in text}, keep_default_na=False, na_values=[""]
    )


def report_today() -> dt.date:
    return jakarta_date(timezone.now())


# --- scope -------------------------------------------------------------------------------------------


def report_employees(*, viewer: User, filters: ReportFilters) -> QuerySet[User]:
    """The active employees the viewer may report on, narrowed by the filters.

    HR see their scope (not themself unless in it), a supervisor their direct team, anyone else only
    themself; always within ``employees_visible_to``, the one place that decides who sees whom."""
    scope = hr_scope_q(user=viewer)
    if scope is not None:
        narrow = scope
    elif viewer.has_perm(PERM_VIEW_TEAM):
        narrow = Q(supervisor=viewer)
    else:
        narrow = Q(pk=viewer.pk)
    qs = employees_visible_to(user=viewer).filter(narrow).filter(is_active=True, is_superuser=False)
    if filters.unit is not None:
        qs = qs.filter(unit_subtree_q(filters.unit))
    if filters.employment_type:
        qs = qs.filter(employment_type=filters.employment_type)
    return qs


def report_units(*, viewer: User) -> QuerySet[Unit]:
    """The units the viewer may pick and see rolled up: the HR scope's subtrees (all units for the city),
    else the units of the people they may report on."""
    scope = hr_scope_q(user=viewer)
    if scope is not None and not scope:
        return Unit.objects.all()
    if scope is not None:
        q = Q(pk__in=[])
        for unit in Unit.objects.filter(pk__in=HrScope.objects.filter(user=viewer).values("unit_id")):
            q |= Q(path__startswith=unit.path)
        return Unit.objects.filter(q)
    ids = report_employees(viewer=viewer, filters=ReportFilters(year=0)).values("unit_id")
    return Unit.objects.filter(pk__in=ids)


def report_unit_allowed(*, viewer: User, unit: Unit) -> bool:
    return report_units(viewer=viewer).filter(pk=unit.pk).exists()


def report_units_matching(*, viewer: User, query: str, limit: int = 20) -> list[Unit]:
    """The units of the viewer's scope whose code starts with, or whose name contains, every word of
    ``query``: what the unit picker offers, a few at a time."""
    qs = report_units(viewer=viewer)
    words = query.split()[:5]
    if not words:
        return []
    for word in words:
        qs = qs.filter(Q(code__istartswith=word) | Q(name__icontains=word))
    return list(qs.order_by("depth", "code")[:limit])


# --- frames --------------------------------------------------------------------------------------------


def units_frame(*, viewer: User, filters: ReportFilters | None = None) -> pd.DataFrame:
    """The units in the viewer's scope (within the filter's subtree), with their OPD (tree root)."""
    qs = report_units(viewer=viewer)
    if filters is not None and filters.unit is not None:
        qs = qs.filter(path__startswith=filters.unit.path)
    rows = list(qs.order_by("path").values_list("id", "code", "name", "kind", "path", "depth"))
    frame = pd.DataFrame(rows, columns=["unit_id", "unit_code", "unit_name", "kind", "path", "depth"])
    return frame


def _roots() -> dict[str, tuple[str, str]]:
    return {path: (code, name) for path, code, name in Unit.objects.filter(depth=1).values_list("path", "code", "name")}


def employees_frame(*, viewer: User, filters: ReportFilters, detail: bool = True) -> pd.DataFrame:
    """One row per employee in scope (one query for the people, one for the units). Without ``detail``
    only what the figures need (no names, NIPs or positions: the dashboard's counts)."""
    columns = ["employee_id", "uuid", "name", "nip", "position", "employment_type", "hired_on", "unit_id"]
    fields = ["id", "uuid", "full_name", "nip", "position", "employment_type", "hired_on", "unit_id"]
    if not detail:
        columns, fields = [columns[0], *columns[5:]], [fields[0], *fields[5:]]
    people = read_frame(
        report_employees(viewer=viewer, filters=filters).order_by().values_list(*fields),
        columns,
        text=tuple(c for c in columns if c not in ("employee_id", "unit_id")),
    )
    units = pd.DataFrame(
        list(Unit.objects.values_list("id", "code", "name", "path")),
        columns=["unit_id", "unit_code", "unit_name", "unit_path"],
    )
    roots = units[units["unit_path"].str.len() == STEPLEN].set_index("unit_path")
    units["opd_code"] = units["unit_path"].str[:STEPLEN].map(roots["unit_code"])
    units["opd_name"] = units["unit_path"].str[:STEPLEN].map(roots["unit_name"])
    people["unit_id"] = people["unit_id"].astype("Int64")
    units["unit_id"] = units["unit_id"].astype("Int64")
    frame = people.merge(units, on="unit_id", how="left")
    for column in ("uuid", "name", "nip", "position"):
        frame[column] = frame[column].fillna("").astype(str) if column in frame else ""
    for column in ("unit_code", "unit_name", "unit_path", "opd_code", "opd_name"):
        frame[column] = frame[column].fillna("")
    frame["hired_on"] = pd.to_datetime(frame["hired_on"], errors="coerce")
    order = ["unit_path", "name"] if detail else ["unit_path"]
    return frame[EMPLOYEE_COLUMNS].sort_values(order, kind="stable").reset_index(drop=True)


def targets_frame(*, employees: pd.DataFrame, year: int, employees_qs: QuerySet[User] | None = None) -> pd.Series:
    """``lms.hours.selectors.target_for`` for every row at once: the type's rule (latest year <= ``year``,
    else the default), nothing for an exempted employee or one hired after the year, pro-rated by the
    remaining months for a mid-year hire when the year's policy says so (rounded to 0.1 as there)."""
    by_type: dict[str, Decimal] = {}
    for employment_type, target in target_rules_up_to(year=year).values_list("employment_type", "target_jp"):
        by_type[employment_type] = target  # later years override earlier ones
    default = Decimal(settings.LEARNING_DEFAULT_TARGET_JP)
    prorate = year_policy(year).prorate_mid_year_hires
    exempt = set(
        exempt_user_ids(
            year=year,
            user_ids=_scope_ids(employees_qs) if employees_qs is not None else employees["employee_id"].tolist(),
        )
    )
    hired = pd.to_datetime(employees["hired_on"], errors="coerce")
    hired_year = hired.dt.year.fillna(0).astype(int)
    hired_month = hired.dt.month.fillna(1).astype(int)
    base = employees["employment_type"].map(lambda t: by_type.get(t, default))
    remaining = np.where((hired_year == year) & (hired_month > 1) & prorate, 13 - hired_month, 12)
    # Decimal arithmetic on the few distinct (base, months) pairs, exactly as target_for rounds.
    pairs = pd.DataFrame({"base": base.astype(str), "months": remaining})
    cache: dict[tuple[str, int], float] = {}
    for b, months in pairs.drop_duplicates().itertuples(index=False):
        value = Decimal(b)
        if months < 12:
            value = (value * months / 12).quantize(Decimal("0.1"))
        cache[(b, months)] = float(value)
    target = pd.Series(
        [cache[(b, m)] for b, m in zip(pairs["base"], pairs["months"], strict=True)], index=employees.index
    )
    target[(hired_year > year).to_numpy()] = 0.0
    target[employees["employee_id"].isin(exempt).to_numpy()] = 0.0
    return target


def _maxima(year: int) -> dict[str, float]:
    maxima: dict[str, Decimal | None] = {}
    for employment_type, max_jp in target_rules_up_to(year=year).values_list("employment_type", "max_jp"):
        maxima[employment_type] = max_jp
    return {t: float(m) for t, m in maxima.items() if m is not None}


def _scope_ids(employees_qs: QuerySet[User]):
    return employees_qs.order_by().values("pk")


def jp_totals_frame(*, employees_qs: QuerySet[User], year: int) -> pd.DataFrame:
    """Verified, pending and rejected JP per employee for the year (one query on the running totals)."""
    sums = {}
    for status in ("verified", "pending", "rejected"):
        sums[f"{status}_jp"] = Sum("hundredths", filter=Q(status=status), default=0)
        sums[f"{status}_entries"] = Sum("entries", filter=Q(status=status), default=0)
    qs = (
        year_totals(user_ids=_scope_ids(employees_qs), year=year)
        .values("user_id")
        .annotate(**sums)
        .order_by()
        .values_list("user_id", *sums)
    )
    frame = read_frame(qs, ["employee_id", *sums])
    for column in sums:
        frame[column] = frame[column].astype(float)
        if column.endswith("_jp"):
            frame[column] = frame[column] / 100
    return frame.set_index("employee_id")


def planned_frame(*, employees_qs: QuerySet[User], year: int, today: dt.date) -> pd.Series:
    """JP each employee is on the way to, as the learner's forecast counts them (lms.hours.forecast):
    unfinished enrolments in live courses (current year only) and classroom sessions registered for."""
    planned: dict[int, float] = {}
    ids = _scope_ids(employees_qs)
    if year == today.year:
        for user_id, jp in (
            enrollments_unfinished_live(user_ids=ids)
            .values("user_id")
            .annotate(jp=Sum("course__jp"))
            .values_list("user_id", "jp")
        ):
            planned[user_id] = planned.get(user_id, 0.0) + float(jp or 0)
    try:
        from lms.classroom.selectors import planned_classroom_jp
    except ImportError:  # the classroom module is optional
        planned_classroom_jp = None
    if planned_classroom_jp is not None:
        for user_id, jp in planned_classroom_jp(user_ids=ids, year=year).items():
            planned[user_id] = planned.get(user_id, 0.0) + float(jp or 0)
    return pd.Series(planned, dtype=float)


def compliance_frame(
    *, viewer: User, filters: ReportFilters, today: dt.date | None = None, detail: bool = True
) -> pd.DataFrame:
    """Per employee: target, JP achieved (verified, cut to the type's yearly maximum), pending, planned,
    projected year end and status (met / on track / at risk / behind) by ``lms.hours.pace``."""
    today = today or report_today()
    qs = report_employees(viewer=viewer, filters=filters)
    frame = employees_frame(viewer=viewer, filters=filters, detail=detail)
    frame["target_jp"] = targets_frame(employees=frame, year=filters.year, employees_qs=qs)
    totals = jp_totals_frame(employees_qs=qs, year=filters.year)
    frame = frame.join(totals, on="employee_id")
    for column in totals.columns:
        frame[column] = frame[column].fillna(0)
    frame["verified_entries"] = frame["verified_entries"].astype(int)
    maxima = frame["employment_type"].map(_maxima(filters.year)).astype(float)
    frame["jp"] = np.where(maxima.notna(), np.minimum(frame["verified_jp"], maxima.fillna(0)), frame["verified_jp"])
    frame["planned_jp"] = frame["employee_id"].map(planned_frame(employees_qs=qs, year=filters.year, today=today))
    frame["planned_jp"] = frame["planned_jp"].fillna(0.0)
    elapsed = year_elapsed(on=today, year=filters.year)
    if len(frame):
        frame["projected_jp"] = np.round(
            projected_year_end(frame["jp"].to_numpy(), elapsed=elapsed, planned=frame["planned_jp"].to_numpy()), 1
        )
        frame["status"] = compliance_status(
            frame["jp"].to_numpy(),
            frame["target_jp"].to_numpy(),
            elapsed=elapsed,
            planned=frame["planned_jp"].to_numpy(),
        )
    else:
        frame["projected_jp"] = pd.Series(dtype=float)
        frame["status"] = pd.Series(dtype=str)
    target = frame["target_jp"].replace(0, np.nan)
    frame["percent"] = np.round(np.minimum(frame["jp"] / target * 100, 999).fillna(100.0), 1)
    frame["gap_jp"] = np.maximum(frame["target_jp"] - frame["jp"], 0)
    frame.attrs.update({"year": filters.year, "elapsed": elapsed, "today": today})
    return frame


def _status_counts(frame: pd.DataFrame, key: str) -> pd.DataFrame:
    if frame.empty:
        return pd.DataFrame(columns=list(STATUSES), dtype=int)
    return frame.groupby([key, "status"]).size().unstack(fill_value=0).reindex(columns=list(STATUSES), fill_value=0)


def unit_rollup_frame(*, compliance: pd.DataFrame, units: pd.DataFrame) -> pd.DataFrame:
    """Per unit in scope: the employees of the unit and every unit below it (by tree path prefix), their
    statuses, rates and JP; a unit with no employees is listed with zeros."""
    placed = compliance[compliance["unit_path"] != ""]
    # First per unit (a few hundred rows), then each unit's totals added to all its ancestors.
    direct = placed.groupby("unit_path").agg(
        employees=("status", "size"), jp_total=("jp", "sum"), target_total=("target_jp", "sum")
    )
    direct = direct.join(_status_counts(placed, "unit_path")).fillna(0)
    parts = []
    max_depth = int(direct.index.str.len().max() // STEPLEN) if len(direct) else 0
    for depth in range(1, max_depth + 1):
        part = direct[direct.index.str.len() >= depth * STEPLEN]
        parts.append(part.set_axis(part.index.str[: depth * STEPLEN]))
    rolled = pd.concat(parts).groupby(level=0).sum() if parts else direct.iloc[0:0]
    out = units.set_index("path").join(rolled).join(direct["employees"].rename("employees_direct"))
    numeric = ["employees", "employees_direct", "jp_total", "target_total", *STATUSES]
    for column in numeric:
        if column not in out:
            out[column] = 0
    out[numeric] = out[numeric].fillna(0)
    for column in ["employees", "employees_direct", *STATUSES]:
        out[column] = out[column].astype(int)
    _add_rates(out)
    return out.reset_index()


def _add_rates(out: pd.DataFrame) -> None:
    n = out["employees"].replace(0, np.nan)
    out["met_rate"] = (out["met"] / n * 100).round(1).fillna(0.0)
    out["on_pace_rate"] = ((out["met"] + out["on_track"]) / n * 100).round(1).fillna(0.0)
    out["avg_jp"] = (out["jp_total"] / n).round(1).fillna(0.0)


def employment_type_frame(*, compliance: pd.DataFrame) -> pd.DataFrame:
    """Per employment type (PNS, PPPK, non-ASN): counts, statuses, rates and JP."""
    types = pd.DataFrame({"employment_type": [t for t, _ in User.EmploymentType.choices]})
    grouped = compliance.groupby("employment_type").agg(
        employees=("status", "size"), jp_total=("jp", "sum"), target_total=("target_jp", "sum")
    )
    counts = _status_counts(compliance, "employment_type") if len(compliance) else pd.DataFrame(columns=list(STATUSES))
    out = types.set_index("employment_type").join(grouped).join(counts).fillna(0)
    for column in ["employees", *STATUSES]:
        out[column] = out[column].astype(int)
    _add_rates(out)
    return out.reset_index()


def status_summary(*, compliance: pd.DataFrame) -> dict:
    counts = compliance["status"].value_counts()
    n = len(compliance)
    return {
        "employees": n,
        "counts": {status: int(counts.get(status, 0)) for status in STATUSES},
        "met_rate": round(counts.get("met", 0) / n * 100, 1) if n else 0.0,
        "jp_total": float(compliance["jp"].sum()),
        "target_total": float(compliance["target_jp"].sum()),
        "no_records": int((compliance["verified_entries"] == 0).sum()) if n else 0,
    }


def category_form_frame(*, viewer: User, filters: ReportFilters, distinct_employees: bool = True) -> pd.DataFrame:
    """Verified JP by competency category and form of development (aggregated in the database), with
    how many employees learned that way (``distinct_employees``: the dearest part of the query)."""
    from content.models import CompetencyCategory, DevelopmentForm

    qs = report_employees(viewer=viewer, filters=filters)
    rows = list(
        form_totals(user_ids=_scope_ids(qs), year=filters.year)
        .values("category", "form")
        .annotate(
            jp=Sum("hundredths"),
            entries=Sum("entries"),
            employees=Count("user_id", distinct=True) if distinct_employees else Count("user_id"),
        )
        .order_by("category", "form")
        .values_list("category", "form", "jp", "entries", "employees")
    )
    frame = pd.DataFrame(rows, columns=["category", "form", "jp", "entries", "employees"])
    frame["jp"] = frame["jp"].astype(float) / 100
    categories, forms = dict(CompetencyCategory.choices), dict(DevelopmentForm.choices)
    frame["category_label"] = frame["category"].map(lambda c: str(categories.get(c, c)))
    frame["form_label"] = frame["form"].map(lambda f: str(forms.get(f, f)))
    return frame[frame["jp"].round(2) != 0].reset_index(drop=True)


def monthly_trend_frame(*, viewer: User, filters: ReportFilters, target_total: float) -> pd.DataFrame:
    """Verified JP credited per month, cumulative, against the steady-pace line to the year's target."""
    qs = report_employees(viewer=viewer, filters=filters)
    rows = dict(
        month_totals(user_ids=_scope_ids(qs), year=filters.year)
        .values("month")
        .annotate(hundredths=Sum("hundredths"))
        .values_list("month", "hundredths")
    )
    frame = pd.DataFrame({"month": range(1, 13)})
    frame["jp"] = frame["month"].map(lambda m: (rows.get(m) or 0) / 100)
    frame["cumulative_jp"] = frame["jp"].cumsum()
    frame["target_line"] = (target_total * frame["month"] / 12).round(1)
    today = report_today()
    if filters.year == today.year:
        frame.loc[frame["month"] > today.month, "cumulative_jp"] = np.nan  # the future is not zero
    return frame


def course_effectiveness_frame(*, viewer: User, filters: ReportFilters) -> pd.DataFrame:
    """Per course, enrolments of the year by people in scope: completion rate, median days to complete,
    average quiz score and the lesson where most of those who stopped stopped (the drop-off lesson)."""
    from content.models import CoursePage, LessonPage

    qs = report_employees(viewer=viewer, filters=filters)
    enrollments = pd.DataFrame(
        list(
            enrollments_started_in(user_ids=_scope_ids(qs), year=filters.year).values_list(
                "id", "course_id", "enrolled_at", "completed_at"
            )
        ),
        columns=["enrollment_id", "course_id", "enrolled_at", "completed_at"],
    )
    columns = [
        "course_id",
        "course",
        "enrolments",
        "completed",
        "completion_rate",
        "median_days",
        "avg_score",
        "drop_off_lesson",
        "drop_off_count",
    ]
    if enrollments.empty:
        return pd.DataFrame(columns=columns)
    progress = pd.DataFrame(
        list(
            lesson_progress_of(enrollment_ids=enrollments["enrollment_id"].tolist()).values_list(
                "enrollment_id", "lesson_id", "completed_at", "best_score"
            )
        ),
        columns=["enrollment_id", "lesson_id", "completed_at", "best_score"],
    )
    courses = dict(
        CoursePage.objects.filter(pk__in=enrollments["course_id"].unique().tolist()).values_list("pk", "title")
    )
    course_paths = dict(CoursePage.objects.filter(pk__in=list(courses)).values_list("path", "pk"))
    in_courses = Q(pk__in=[])
    for path in course_paths:
        in_courses |= Q(path__startswith=path, depth=len(path) // STEPLEN + 1)
    lessons = pd.DataFrame(
        # Required, published lessons in course order: where an unfinished learner stopped.
        list(LessonPage.objects.live().filter(in_courses, required=True).values_list("pk", "title", "path")),
        columns=["lesson_id", "lesson", "path"],
    )
    lessons["course_id"] = lessons["path"].str[:-STEPLEN].map(course_paths)
    lessons = lessons.sort_values("path")
    enrollments["done"] = enrollments["completed_at"].notna()
    # As datetimes even when no enrolment in the scope is completed (a column of None is not one).
    completed_at = pd.to_datetime(enrollments["completed_at"], utc=True)
    enrolled_at = pd.to_datetime(enrollments["enrolled_at"], utc=True)
    enrollments["days"] = (completed_at - enrolled_at).dt.total_seconds() / 86400
    grouped = enrollments.groupby("course_id").agg(
        enrolments=("enrollment_id", "size"), completed=("done", "sum"), median_days=("days", "median")
    )
    scores = progress.dropna(subset=["best_score"]).merge(enrollments[["enrollment_id", "course_id"]])
    grouped["avg_score"] = (
        scores.assign(best_score=scores["best_score"].astype(float) * 100).groupby("course_id")["best_score"].mean()
    )
    # Drop-off: for each unfinished enrolment, the first lesson (in course order) not completed.
    done = set(
        zip(
            progress.dropna(subset=["completed_at"])["enrollment_id"],
            progress.dropna(subset=["completed_at"])["lesson_id"],
            strict=True,
        )
    )
    stops = []
    order = {cid: list(group["lesson_id"]) for cid, group in lessons.groupby("course_id")}
    for enrollment_id, course_id in enrollments.loc[~enrollments["done"], ["enrollment_id", "course_id"]].itertuples(
        index=False
    ):
        for lesson_id in order.get(course_id, []):
            if (enrollment_id, lesson_id) not in done:
                stops.append((course_id, lesson_id))
                break
    titles = dict(zip(lessons["lesson_id"], lessons["lesson"], strict=True))
    if stops:
        stop_frame = pd.DataFrame(stops, columns=["course_id", "lesson_id"])
        position = {lesson: i for lessons_of in order.values() for i, lesson in enumerate(lessons_of)}
        top = stop_frame.value_counts().reset_index(name="n")
        top["position"] = top["lesson_id"].map(position)  # a tie goes to the earlier lesson
        top = top.sort_values(["course_id", "n", "position"], ascending=[True, False, True])
        top = top.drop_duplicates("course_id").set_index("course_id")
        grouped["drop_off_lesson"] = top["lesson_id"].map(titles)
        grouped["drop_off_count"] = top["n"]
    else:
        grouped["drop_off_lesson"] = ""
        grouped["drop_off_count"] = 0
    grouped["completion_rate"] = (grouped["completed"] / grouped["enrolments"] * 100).round(1)
    grouped["median_days"] = grouped["median_days"].round(1)
    grouped["avg_score"] = grouped["avg_score"].round(1)
    grouped = grouped.reset_index()
    grouped["course"] = grouped["course_id"].map(courses)
    grouped["drop_off_lesson"] = grouped["drop_off_lesson"].fillna("")
    grouped["drop_off_count"] = grouped["drop_off_count"].fillna(0).astype(int)
    grouped["completed"] = grouped["completed"].astype(int)
    return grouped[columns].sort_values(["enrolments", "course"], ascending=[False, True]).reset_index(drop=True)


def classroom_utilisation_frame(*, viewer: User, filters: ReportFilters) -> pd.DataFrame:
    """Seats filled and attendance per room and month (lms.classroom), for HR: registered and attended
    count only employees of the viewer's scope (and the filter's unit)."""
    columns = [
        "room",
        "building",
        "month",
        "sessions",
        "seats",
        "registered",
        "attended",
        "fill_rate",
        "attendance_rate",
    ]
    try:
        from lms.classroom.selectors import session_utilisation_rows
    except ImportError:
        return pd.DataFrame(columns=columns)
    scope = hr_scope_q(user=viewer)
    if scope is None:
        return pd.DataFrame(columns=columns)  # a room's figures are not a team's business
    if filters.unit is not None:
        units = [filters.unit]
    elif not scope:
        units = [None]
    else:
        units = list(Unit.objects.filter(pk__in=HrScope.objects.filter(user=viewer).values("unit_id")))
    frames = [pd.DataFrame(session_utilisation_rows(year=filters.year, unit=unit)) for unit in units]
    frames = [f for f in frames if not f.empty]
    if not frames:
        return pd.DataFrame(columns=columns)
    frame = pd.concat(frames, ignore_index=True)
    # Several scope units: people add up, the rooms' seats are the same seats.
    frame = frame.groupby(["building", "room", "month"], as_index=False).agg(
        sessions=("sessions", "max"),
        seats=("seats", "max"),
        registered=("registered", "sum"),
        attended=("attended", "sum"),
    )
    seats = frame["seats"].replace(0, np.nan)
    frame["fill_rate"] = (frame["registered"] / seats * 100).round(1).fillna(0.0)
    frame["attendance_rate"] = (frame["attended"] / frame["registered"].replace(0, np.nan) * 100).round(1).fillna(0.0)
    return frame[columns]
