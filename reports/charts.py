"""Charts. On pages: small inline SVG built here (no JavaScript, no CDN, scales to a phone's width).
In PDFs: matplotlib figures rendered server-side to PNG."""

from __future__ import annotations

import io
import math
from html import escape

import pandas as pd
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from lms.hours.pace import STATUSES
from shell import formatting

STATUS_COLOURS = {"met": "#13804f", "on_track": "#7cc49c", "at_risk": "#f0a020", "behind": "#b3261e"}


def _months() -> list[str]:
    """Jan … Des in the active language (Dec in English)."""
    return [formatting.short_month(m) for m in range(1, 13)]


def _fmt(value: float) -> str:
    return formatting.number(round(value) if abs(value) >= 100 else round(value, 1))


def status_bar_svg(counts: dict[str, int], labels: dict[str, str]) -> SafeString:
    """One stacked bar of employees by status, with a legend."""
    total = sum(counts.values()) or 1
    width, x, parts = 320, 0.0, []
    for status in STATUSES:
        w = counts.get(status, 0) / total * width
        if w:
            parts.append(
                f'<rect x="{x:.2f}" y="0" width="{w:.2f}" height="28" fill="{STATUS_COLOURS[status]}">'
                f"<title>{escape(labels[status])}: {counts.get(status, 0)}</title></rect>"
            )
        x += w
    legend = "".join(
        f'<g transform="translate({(i % 2) * 160},{44 + (i // 2) * 20})"><rect width="12" height="12" '
        f'fill="{STATUS_COLOURS[s]}"/><text x="18" y="11" font-size="12">{escape(labels[s])}: {counts.get(s, 0)}</text></g>'
        for i, s in enumerate(STATUSES)
    )
    return mark_safe(
        f'<svg class="chart" data-chart="status" viewBox="0 0 {width} 90" role="img" '
        f'aria-label="{escape(_("Pegawai per status"))}">{"".join(parts)}{legend}</svg>'
    )


def hbar_svg(
    labels: list[str], values: list[float], *, name: str, suffix: str = "", max_value: float | None = None
) -> SafeString:
    """Horizontal bars (e.g. % met per OPD), one per label. Each label has a line of its own above its bar,
    the chart's whole width, so that a unit's name is readable on a phone instead of cut off."""
    n = len(labels)
    top = max_value or max([*values, 1])
    row, width, value_w = 34, 320, 48
    bars = []
    for i, (label, value) in enumerate(zip(labels, values, strict=True)):
        w = max(value, 0) / top * (width - value_w)
        y = i * row
        short = label if len(label) <= 50 else label[:49] + "…"
        bars.append(
            f'<text x="0" y="{y + 12}" font-size="12">{escape(short)}</text>'
            f'<line x1="0" y1="{y + 23}" x2="{width - value_w}" y2="{y + 23}" stroke="#eef1f3" stroke-width="12"/>'
            f'<rect x="0" y="{y + 17}" width="{w:.2f}" height="12" rx="2" fill="#13804f"><title>{escape(label)}: '
            f"{_fmt(value)}{suffix}</title></rect>"
            f'<text x="{w + 4:.2f}" y="{y + 28}" font-size="12">{_fmt(value)}{suffix}</text>'
        )
    return mark_safe(
        f'<svg class="chart" data-chart="{escape(name)}" viewBox="0 0 {width} {max(n, 1) * row + 2}" role="img" '
        f'aria-label="{escape(name)}">{"".join(bars)}</svg>'
    )


def _nice_ceiling(value: float) -> float:
    """The smallest round number (1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8 x 10^k) at or above ``value``: the top
    of an axis a person reads, close enough above the data to use the chart's height."""
    if value <= 0:
        return 1.0
    exponent = 10 ** math.floor(math.log10(value))
    for step in (1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10):
        if step * exponent >= value - 1e-9:
            return step * exponent
    return 10 * exponent


# The target line is drawn to the real values' scale when it would squash them to a flat line: beyond this
# many times the highest real value it leaves the chart at the top, and a note says how high it goes.
TARGET_OFF_SCALE_RATIO = 2.5


def trend_svg(trend: pd.DataFrame) -> SafeString:
    """Monthly JP as columns, cumulative JP as a line, the steady-pace target as a dashed line. The axis
    fits the real values; a target far above them runs off the top with its year-end value written."""
    width, height, left, right = 320, 214, 40, 6
    plot_top, plot_bottom = 42, height - 22
    plot_w, plot_h = width - left - right, plot_bottom - plot_top
    monthly = trend["jp"].fillna(0).tolist()
    cumulative = trend["cumulative_jp"].fillna(-1).tolist()
    targets = trend["target_line"].fillna(0).tolist()
    actual_top = max([*monthly, *[c for c in cumulative if c >= 0], 0])
    target_top = max([*targets, 0])
    off_scale = actual_top > 0 and target_top > actual_top * TARGET_OFF_SCALE_RATIO
    top = _nice_ceiling(max(actual_top, 0 if off_scale else target_top, 1) * 1.05)
    step = plot_w / 12

    def y(value: float) -> float:
        return plot_top + plot_h - min(value, top * 1.5) / top * plot_h

    # Translated outside the f-strings: makemessages does not see inside them.
    monthly_label, cumulative_label, target_label = _("JP per bulan"), _("Kumulatif"), _("Target")
    legend = (
        f'<rect x="0" y="2" width="12" height="10" fill="#b9dcc9"/>'
        f'<text x="16" y="11" font-size="11">{escape(monthly_label)}</text>'
        f'<line x1="106" y1="7" x2="120" y2="7" stroke="#0b5d3b" stroke-width="2.5"/>'
        f'<text x="124" y="11" font-size="11">{escape(cumulative_label)}</text>'
        f'<line x1="196" y1="7" x2="210" y2="7" stroke="#9a5b00" stroke-width="2" stroke-dasharray="4 3"/>'
        f'<text x="214" y="11" font-size="11">{escape(target_label)}</text>'
    )
    grid = "".join(
        f'<line x1="{left}" y1="{y(v):.1f}" x2="{width - right}" y2="{y(v):.1f}" stroke="{colour}"/>'
        f'<text x="{left - 4}" y="{y(v) + 4:.1f}" font-size="11" text-anchor="end">{_fmt(v)}</text>'
        for v, colour in ((0, "#5f6b73"), (top / 2, "#e3e8eb"), (top, "#e3e8eb"))
    )
    months = _months()
    columns = "".join(
        f'<rect x="{left + i * step + 3:.1f}" y="{y(v):.1f}" width="{step - 6:.1f}" height="{plot_bottom - y(v):.1f}" '
        f'fill="#b9dcc9"><title>{months[i]}: {_fmt(v)} JP</title></rect>'
        for i, v in enumerate(monthly)
    )
    points = " ".join(f"{left + (i + 0.5) * step:.1f},{y(v):.1f}" for i, v in enumerate(cumulative) if v >= 0)
    target = " ".join(f"{left + (i + 0.5) * step:.1f},{y(v):.1f}" for i, v in enumerate(targets))
    note = ""
    if off_scale:
        text = _("Target akhir tahun %(jp)s JP, di atas skala ↑") % {"jp": _fmt(target_top)}
        note = (
            f'<text x="{width - right}" y="{plot_top - 8}" font-size="11" text-anchor="end" fill="#9a5b00" '
            f'data-target-off-scale="1">{escape(text)}</text>'
        )
    labels = "".join(
        f'<text x="{left + (i + 0.5) * step:.1f}" y="{height - 6}" font-size="11" text-anchor="middle">{m}</text>'
        for i, m in enumerate(months)
    )
    clip = f'<clipPath id="trend-plot"><rect x="{left}" y="{plot_top}" width="{plot_w}" height="{plot_h}"/></clipPath>'
    return mark_safe(
        f'<svg class="chart" data-chart="trend" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{escape(_("Tren JP bulanan"))}"><defs>{clip}</defs>{legend}{grid}{columns}'
        f'<g clip-path="url(#trend-plot)"><polyline points="{target}" fill="none" stroke="#9a5b00" '
        f'stroke-dasharray="4 3" stroke-width="2"><title>{escape(_("Target (laju tetap)"))}</title></polyline></g>'
        f'<polyline points="{points}" fill="none" stroke="#0b5d3b" stroke-width="2.5">'
        f"<title>{escape(_('JP kumulatif'))}</title></polyline>{note}{labels}</svg>"
    )


# --- PDF (matplotlib) -------------------------------------------------------------------------------


def _png(fig) -> bytes:
    from matplotlib.ticker import FuncFormatter, ScalarFormatter

    for ax in fig.axes:  # numeric tick labels as on the pages and in the tables: 2,5 and 1.000
        for axis in (ax.xaxis, ax.yaxis):
            if isinstance(axis.get_major_formatter(), ScalarFormatter):
                axis.set_major_formatter(FuncFormatter(lambda value, _pos: formatting.number(round(value, 2))))
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=110, bbox_inches="tight")
    import matplotlib.pyplot as plt

    plt.close(fig)
    return buffer.getvalue()


def pdf_charts(bundle) -> list[bytes]:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from .bundles import status_labels

    images = []
    if bundle.summary:
        labels = status_labels()
        counts = bundle.summary["counts"]
        fig, ax = plt.subplots(figsize=(10, 3.5))
        ax.bar(
            [labels[s] for s in STATUSES], [counts[s] for s in STATUSES], color=[STATUS_COLOURS[s] for s in STATUSES]
        )
        ax.set_title(_("Pegawai per status"))
        images.append(_png(fig))
    units = bundle.view("unit")
    if units is not None and not units.frame.empty:
        top = units.frame[units.frame["depth"] == units.frame["depth"].min()].sort_values("met_rate").tail(25)
        fig, ax = plt.subplots(figsize=(10, max(3, len(top) * 0.28)))
        ax.barh(top["unit_name"].str.slice(0, 40), top["met_rate"], color="#13804f")
        ax.set_xlabel(_("% tercapai"))
        ax.set_xlim(0, 100)
        ax.set_title(_("Persentase pegawai yang mencapai target, per unit"))
        images.append(_png(fig))
    trend = bundle.view("tren")
    if trend is not None and not trend.frame.empty:
        frame = trend.frame
        months = _months()
        fig, ax = plt.subplots(figsize=(10, 3.5))
        ax.bar(months, frame["jp"], color="#b9dcc9", label=_("JP bulan ini"))
        ax.plot(months, frame["cumulative_jp"], color="#0b5d3b", marker="o", label=_("JP kumulatif"))
        ax.plot(months, frame["target_line"], color="#9a5b00", linestyle="--", label=_("Target (laju tetap)"))
        actual_top = max(frame["jp"].max(), frame["cumulative_jp"].max(skipna=True) or 0)
        target_top = frame["target_line"].max()
        if actual_top > 0 and target_top > actual_top * TARGET_OFF_SCALE_RATIO:
            # As on the page: the real values keep the chart's height; the far target is written.
            ax.set_ylim(0, actual_top * 1.15)
            ax.annotate(
                _("Target akhir tahun %(jp)s JP, di atas skala ↑") % {"jp": _fmt(target_top)},
                xy=(0.99, 0.97),
                xycoords="axes fraction",
                ha="right",
                va="top",
                color="#9a5b00",
            )
        ax.legend(loc="upper left")
        ax.set_title(_("Tren JP bulanan"))
        images.append(_png(fig))
    categories = bundle.view("kategori")
    if categories is not None and not categories.frame.empty:
        by_cat = categories.frame.groupby("category_label")["jp"].sum().sort_values()
        fig, ax = plt.subplots(figsize=(10, 3))
        ax.barh(by_cat.index, by_cat.values, color="#13804f")
        ax.set_title(_("JP per kategori kompetensi"))
        images.append(_png(fig))
    courses = bundle.view("kursus")
    if courses is not None and not courses.frame.empty:
        top = courses.frame.head(15)
        fig, ax = plt.subplots(figsize=(10, max(3, len(top) * 0.3)))
        ax.barh(top["course"].astype(str).str.slice(0, 40), top["completion_rate"].astype(float), color="#13804f")
        ax.set_xlim(0, 100)
        ax.set_title(_("Tingkat penyelesaian per kursus"))
        images.append(_png(fig))
    return images
