"""A report as a bundle of views (one DataFrame each, with its columns' labels and formats): what the
pages show, and what the CSV, XLSX and PDF exports write, from the same frames."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

import pandas as pd
from django.utils import timezone
from django.utils.translation import gettext as _

from lms.hours.pace import STATUSES
from shell import formatting
from shell.people.models import User
from shell.people.roles import PERM_VIEW_TEAM

from . import selectors
from .selectors import ReportFilters

# Column kinds decide number formats in XLSX and alignment on pages.
TEXT, INT, JP, PCT, DATE = "text", "int", "jp", "pct", "date"


def status_labels() -> dict[str, str]:
    return {
        "met": _("Tercapai"),
        "on_track": _("Sesuai jalur"),
        "at_risk": _("Berisiko"),
        "behind": _("Tertinggal"),
    }


def type_labels() -> dict[str, str]:
    return {k: str(v) for k, v in User.EmploymentType.choices}


@dataclass
class Column:
    key: str
    label: str
    kind: str = TEXT
    width: int = 12


@dataclass
class View:
    slug: str
    title: str
    frame: pd.DataFrame
    columns: list[Column]

    def table(self) -> pd.DataFrame:
        """The frame with only the exported columns, labelled."""
        out = self.frame[[c.key for c in self.columns]].copy()
        out.columns = [c.label for c in self.columns]
        return out


@dataclass
class Bundle:
    report: str
    title: str
    filters: ReportFilters
    viewer: User
    views: list[View]
    summary: dict = field(default_factory=dict)
    generated_at: dt.datetime = field(default_factory=timezone.now)

    def view(self, slug: str) -> View | None:
        return next((v for v in self.views if v.slug == slug), None)

    def cover(self) -> list[tuple[str, str]]:
        rows = [(_("Laporan"), self.title)]
        rows += list(self.filters.describe().items())
        rows += [
            (_("Cakupan"), scope_label(self.viewer)),
            (_("Dibuat oleh"), self.viewer.display_name),
            (_("Dibuat pada"), f"{formatting.short_datetime(self.generated_at)} WIB"),
        ]
        if self.summary:
            labels = status_labels()
            rows.append((_("Jumlah pegawai"), formatting.number(self.summary["employees"])))
            rows += [(labels[s], formatting.number(self.summary["counts"][s])) for s in STATUSES]
            rows.append((_("Persentase tercapai"), formatting.percent(self.summary["met_rate"])))
        return rows


def scope_label(viewer: User) -> str:
    scope = selectors.hr_scope_q(user=viewer)
    if scope is not None and not scope:
        return _("Seluruh kota")
    if scope is not None:
        units = selectors.Unit.objects.filter(
            pk__in=selectors.HrScope.objects.filter(user=viewer).values("unit_id")
        ).values_list("name", flat=True)
        return _("SDM: %(units)s") % {"units": ", ".join(units)}
    if viewer.has_perm(PERM_VIEW_TEAM):
        return _("Tim langsung")
    return _("Diri sendiri")


def _employee_view(compliance: pd.DataFrame) -> View:
    frame = compliance.copy()
    frame["status_label"] = frame["status"].map(status_labels())
    frame["type_label"] = frame["employment_type"].map(type_labels())
    return View(
        "pegawai",
        _("Per pegawai"),
        frame,
        [
            Column("name", _("Nama"), TEXT, 28),
            Column("nip", _("NIP"), TEXT, 20),
            Column("type_label", _("Status kepegawaian"), TEXT, 12),
            Column("opd_name", _("Perangkat daerah"), TEXT, 30),
            Column("unit_name", _("Unit"), TEXT, 30),
            Column("target_jp", _("Target JP"), JP, 10),
            Column("jp", _("JP tercapai"), JP, 11),
            Column("pending_jp", _("JP menunggu verifikasi"), JP, 12),
            Column("planned_jp", _("JP direncanakan"), JP, 11),
            Column("projected_jp", _("Proyeksi akhir tahun"), JP, 12),
            Column("percent", _("% target"), PCT, 9),
            Column("status_label", _("Status"), TEXT, 13),
        ],
    )


def _rate_columns() -> list[Column]:
    labels = status_labels()
    return [
        Column("employees", _("Pegawai"), INT, 9),
        *[Column(s, labels[s], INT, 10) for s in STATUSES],
        Column("met_rate", _("% tercapai"), PCT, 10),
        Column("on_pace_rate", _("% tercapai atau sesuai jalur"), PCT, 12),
        Column("avg_jp", _("Rata-rata JP"), JP, 10),
        Column("jp_total", _("Total JP"), JP, 11),
    ]


def _unit_view(rollup: pd.DataFrame) -> View:
    frame = rollup.copy()
    frame["indent_name"] = [("  " * (d - 1)) + n for d, n in zip(frame["depth"], frame["unit_name"], strict=True)]
    return View(
        "unit",
        _("Per unit (termasuk sub-unit)"),
        frame,
        [
            Column("unit_code", _("Kode"), TEXT, 12),
            Column("indent_name", _("Unit"), TEXT, 40),
            Column("employees_direct", _("Pegawai langsung"), INT, 10),
            *_rate_columns(),
        ],
    )


def _type_view(types: pd.DataFrame) -> View:
    frame = types.copy()
    frame["type_label"] = frame["employment_type"].map(type_labels())
    return View(
        "jenis",
        _("Per status kepegawaian"),
        frame,
        [Column("type_label", _("Status kepegawaian"), TEXT, 18), *_rate_columns()],
    )


def _category_view(categories: pd.DataFrame) -> View:
    return View(
        "kategori",
        _("JP per kategori dan bentuk"),
        categories,
        [
            Column("category_label", _("Kategori kompetensi"), TEXT, 20),
            Column("form_label", _("Bentuk pengembangan"), TEXT, 24),
            Column("jp", _("JP"), JP, 12),
            Column("entries", _("Entri"), INT, 10),
            Column("employees", _("Pegawai"), INT, 10),
        ],
    )


def _trend_view(trend: pd.DataFrame) -> View:
    return View(
        "tren",
        _("Tren bulanan"),
        trend,
        [
            Column("month", _("Bulan"), INT, 8),
            Column("jp", _("JP bulan ini"), JP, 12),
            Column("cumulative_jp", _("JP kumulatif"), JP, 12),
            Column("target_line", _("Garis target (laju tetap)"), JP, 14),
        ],
    )


def compliance_bundle(
    *, viewer: User, filters: ReportFilters, progress: Callable[[int, str], None] | None = None
) -> Bundle:
    """The compliance report: per employee, per unit (rolled up), per employment type, JP by category
    and form, and the monthly trend."""
    step = progress or (lambda pct, stage: None)
    step(5, _("Membaca pegawai dan JP"))
    compliance = selectors.compliance_frame(viewer=viewer, filters=filters)
    step(35, _("Menghitung per unit"))
    rollup = selectors.unit_rollup_frame(
        compliance=compliance, units=selectors.units_frame(viewer=viewer, filters=filters)
    )
    types = selectors.employment_type_frame(compliance=compliance)
    step(45, _("Menghitung kategori dan tren"))
    categories = selectors.category_form_frame(viewer=viewer, filters=filters)
    summary = selectors.status_summary(compliance=compliance)
    trend = selectors.monthly_trend_frame(viewer=viewer, filters=filters, target_total=summary["target_total"])
    return Bundle(
        "kepatuhan",
        _("Laporan kepatuhan JP %(year)s") % {"year": filters.year},
        filters,
        viewer,
        [
            _employee_view(compliance),
            _unit_view(rollup),
            _type_view(types),
            _category_view(categories),
            _trend_view(trend),
        ],
        summary,
    )


def courses_bundle(*, viewer: User, filters: ReportFilters, progress=None) -> Bundle:
    """Course effectiveness and classroom utilisation."""
    step = progress or (lambda pct, stage: None)
    step(10, _("Membaca pendaftaran kursus"))
    courses = selectors.course_effectiveness_frame(viewer=viewer, filters=filters)
    step(40, _("Membaca kelas"))
    rooms = selectors.classroom_utilisation_frame(viewer=viewer, filters=filters)
    return Bundle(
        "kursus",
        _("Efektivitas kursus dan pemanfaatan kelas %(year)s") % {"year": filters.year},
        filters,
        viewer,
        [
            View(
                "kursus",
                _("Efektivitas kursus"),
                courses,
                [
                    Column("course", _("Kursus"), TEXT, 36),
                    Column("enrolments", _("Pendaftar"), INT, 10),
                    Column("completed", _("Selesai"), INT, 10),
                    Column("completion_rate", _("Tingkat penyelesaian"), PCT, 10),
                    Column("median_days", _("Median hari sampai selesai"), JP, 14),
                    Column("avg_score", _("Rata-rata nilai kuis"), JP, 12),
                    Column("drop_off_lesson", _("Pelajaran tempat paling banyak berhenti"), TEXT, 36),
                    Column("drop_off_count", _("Berhenti di sana"), INT, 10),
                ],
            ),
            View(
                "kelas",
                _("Pemanfaatan kelas per ruang dan bulan"),
                rooms,
                [
                    Column("building", _("Gedung"), TEXT, 20),
                    Column("room", _("Ruang"), TEXT, 20),
                    Column("month", _("Bulan"), INT, 8),
                    Column("sessions", _("Sesi"), INT, 8),
                    Column("seats", _("Kursi"), INT, 8),
                    Column("registered", _("Terdaftar"), INT, 10),
                    Column("attended", _("Hadir"), INT, 8),
                    Column("fill_rate", _("% kursi terisi"), PCT, 10),
                    Column("attendance_rate", _("% kehadiran"), PCT, 10),
                ],
            ),
        ],
    )


REPORTS = {"kepatuhan": compliance_bundle, "kursus": courses_bundle}


def report_bundle(*, report: str, viewer: User, filters: ReportFilters, progress=None) -> Bundle:
    return REPORTS[report](viewer=viewer, filters=filters, progress=progress)
