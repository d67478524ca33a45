"""Charts. On pages: small inline SVG built here (no JavaScript, no CDN, scales to a phone's width).
In PDFs: matplotlib figures rendered server-side to PNG."""

from __future__ import annotations

import io
from html import escape

import pandas as pd
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from lms.hours.pace import STATUSES
from shell import formatting

STATUS_COLOURS = {"met": "#13804f", "on_track": "#7cc49c", "at_risk": "#f0a020", "behind": "#b3261e"}
MONTHS = ["Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des"]


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
    """Horizontal bars (e.g. % met per OPD), one per label."""
    n = len(labels)
    top = max_value or max([*values, 1])
    row, width, label_w = 22, 320, 130
    bars = []
    for i, (label, value) in enumerate(zip(labels, values, strict=True)):
        w = max(value, 0) / top * (width - label_w - 40)
        y = i * row
        short = label if len(label) <= 22 else label[:21] + "…"
        bars.append(
            f'<text x="{label_w - 4}" y="{y + 15}" font-size="11" text-anchor="end">{escape(short)}</text>'
            f'<rect x="{label_w}" y="{y + 4}" width="{w:.2f}" height="14" fill="#13804f"><title>{escape(label)}: '
            f"{_fmt(value)}{suffix}</title></rect>"
            f'<text x="{label_w + w + 4:.2f}" y="{y + 15}" font-size="11">{_fmt(value)}{suffix}</text>'
        )
    return mark_safe(
        f'<svg class="chart" data-chart="{escape(name)}" viewBox="0 0 {width} {max(n, 1) * row + 4}" role="img" '
        f'aria-label="{escape(name)}">{"".join(bars)}</svg>'
    )


def trend_svg(trend: pd.DataFrame) -> SafeString:
    """Monthly JP as columns, cumulative JP as a line, the steady-pace target as a dashed line."""
    width, height, left, bottom = 320, 180, 34, 20
    plot_w, plot_h = width - left - 6, height - bottom - 8
    cumulative = trend["cumulative_jp"].fillna(-1).tolist()
    top = max([*trend["target_line"].tolist(), *[c for c in cumulative if c >= 0], 1])
    step = plot_w / 12

    def y(value: float) -> float:
        return 8 + plot_h - value / top * plot_h

    columns = "".join(
        f'<rect x="{left + i * step + 3:.1f}" y="{y(v):.1f}" width="{step - 6:.1f}" height="{plot_h + 8 - y(v):.1f}" '
        f'fill="#b9dcc9"><title>{MONTHS[i]}: {_fmt(v)} JP</title></rect>'
        for i, v in enumerate(trend["jp"].tolist())
    )
    points = " ".join(f"{left + (i + 0.5) * step:.1f},{y(v):.1f}" for i, v in enumerate(cumulative) if v >= 0)
    target = " ".join(f"{left + (i + 0.5) * step:.1f},{y(v):.1f}" for i, v in enumerate(trend["target_line"].tolist()))
    labels = "".join(
        f'<text x="{left + (i + 0.5) * step:.1f}" y="{height - 4}" font-size="9" text-anchor="middle">{m}</text>'
        for i, m in enumerate(MONTHS)
    )
    axis = (
        f'<text x="{left - 4}" y="14" font-size="9" text-anchor="end">{_fmt(top)}</text>'
        f'<text x="{left - 4}" y="{8 + plot_h}" font-size="9" text-anchor="end">0</text>'
        f'<line x1="{left}" y1="{8 + plot_h}" x2="{width - 6}" y2="{8 + plot_h}" stroke="#5f6b73"/>'
    )
    return mark_safe(
        f'<svg class="chart" data-chart="trend" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{escape(_("Tren JP bulanan"))}">{axis}{columns}'
        f'<polyline points="{target}" fill="none" stroke="#9a5b00" stroke-dasharray="4 3" stroke-width="2">'
        f"<title>{escape(_('Target (laju tetap)'))}</title></polyline>"
        f'<polyline points="{points}" fill="none" stroke="#0b5d3b" stroke-width="2.5">'
        f"<title>{escape(_('JP kumulatif'))}</title></polyline>{labels}</svg>"
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
        fig, ax = plt.subplots(figsize=(10, 3.5))
        ax.bar(MONTHS, frame["jp"], color="#b9dcc9", label=_("JP bulan ini"))
        ax.plot(MONTHS, frame["cumulative_jp"], color="#0b5d3b", marker="o", label=_("JP kumulatif"))
        ax.plot(MONTHS, frame["target_line"], color="#9a5b00", linestyle="--", label=_("Target (laju tetap)"))
        ax.legend()
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
