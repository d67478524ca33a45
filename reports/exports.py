"""Report files from a bundle: CSV (one view), XLSX (a cover sheet with the filters, then one sheet per
view: header frozen, column widths, number formats, autofilter) and PDF (the charts and tables)."""

from __future__ import annotations

import io
import math
from collections.abc import Callable

import numpy as np
import pandas as pd
from django.utils.translation import gettext as _

from shell import formatting
from shell.spreadsheets import formula_safe

from .bundles import DATE, INT, JP, PCT, Bundle, View

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}
# Above this many employee rows a PDF lists units, types and charts only (the XLSX has everyone).
PDF_MAX_TABLE_ROWS = 400


def formula_safe_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame with every text cell and label made formula-safe; numeric columns untouched."""
    out = frame.copy()
    for column in out.columns:
        if not pd.api.types.is_numeric_dtype(out[column]) and not pd.api.types.is_datetime64_any_dtype(out[column]):
            out[column] = out[column].map(formula_safe)
    out.columns = [formula_safe(label) for label in out.columns]
    return out


def export_csv(bundle: Bundle, view: str | None = None) -> bytes:
    """One view as CSV (UTF-8 with BOM so Excel shows names right), formula-safe. Rows end in CRLF
    (RFC 4180), so that a cell holding a carriage return is quoted rather than splitting its row."""
    chosen = bundle.view(view) if view else bundle.views[0]
    if chosen is None:
        raise ValueError(view)
    return ("\ufeff" + formula_safe_frame(chosen.table()).to_csv(index=False, lineterminator="\r\n")).encode("utf-8")


def _cell(value):
    if value is None:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, np.generic):
        return value.item()
    return value


def export_xlsx(bundle: Bundle, progress: Callable[[int, str], None] | None = None) -> bytes:
    import xlsxwriter

    step = progress or (lambda pct, stage: None)
    output = io.BytesIO()
    # Text is always written as text: write() would otherwise make "=..." a formula and "http..." a link.
    book = xlsxwriter.Workbook(
        output,
        {
            "in_memory": True,
            "constant_memory": False,
            "nan_inf_to_errors": True,
            "strings_to_formulas": False,
            "strings_to_urls": False,
        },
    )
    header = book.add_format(
        {"bold": True, "bg_color": "#0B5D3B", "font_color": "#FFFFFF", "text_wrap": True, "valign": "top"}
    )
    formats = {
        INT: book.add_format({"num_format": formatting.XLSX_INTEGER}),
        JP: book.add_format({"num_format": formatting.XLSX_DECIMAL}),
        PCT: book.add_format({"num_format": formatting.XLSX_PERCENT}),
        DATE: book.add_format({"num_format": formatting.xlsx_date_format()}),
    }
    bold = book.add_format({"bold": True})
    title = book.add_format({"bold": True, "font_size": 14})

    cover = book.add_worksheet(_("Ringkasan")[:31])
    cover.write(0, 0, bundle.title, title)
    cover.set_column(0, 0, 28)
    cover.set_column(1, 1, 60)
    for i, (label, value) in enumerate(bundle.cover(), start=2):
        cover.write(i, 0, label, bold)
        cover.write(i, 1, value)
    row = len(bundle.cover()) + 3
    cover.write(row, 0, _("Lembar"), bold)
    for i, view in enumerate(bundle.views, start=1):
        cover.write(row + i, 0, view.title)
        cover.write(row + i, 1, _("%(n)s baris") % {"n": len(view.frame)})

    total = sum(len(v.frame) for v in bundle.views) or 1
    done = 0
    for view in bundle.views:
        sheet = book.add_worksheet(_sheet_name(view))
        for col, column in enumerate(view.columns):
            sheet.write(0, col, column.label, header)
            sheet.set_column(col, col, column.width, formats.get(column.kind))
        sheet.freeze_panes(1, 0)
        sheet.set_row(0, 30)
        data = view.frame[[c.key for c in view.columns]]
        # Column by column as plain Python values, then one typed write per cell: the XLSX of 20,000
        # employees is written in about a second.
        for col, column in enumerate(view.columns):
            series = data[column.key]
            if series.hasnans:  # NaN, None, pd.NA and NaT all become None
                series = series.astype(object).where(series.notna(), None)
            values = series.tolist()
            fmt = formats.get(column.kind)
            if fmt is None:
                for r, value in enumerate(values, start=1):
                    if value is not None:
                        sheet.write_string(r, col, str(value))
            elif column.kind == DATE:
                for r, value in enumerate(values, start=1):
                    if value is not None:
                        sheet.write_datetime(r, col, value, fmt)
            else:
                for r, value in enumerate(values, start=1):
                    if value is not None:
                        sheet.write_number(r, col, value, fmt)
            step(50 + int(45 * (done + len(data) * (col + 1) / len(view.columns)) / total), view.title)
        done += len(data)
        sheet.autofilter(0, 0, max(len(data), 1), len(view.columns) - 1)
    book.close()
    return output.getvalue()


def _sheet_name(view: View) -> str:
    return view.title.replace("/", "-").replace(":", "")[:31]


def export_pdf(bundle: Bundle) -> bytes:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.lib.units import cm
    from reportlab.platypus import Image, PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    from . import charts

    styles = getSampleStyleSheet()
    output = io.BytesIO()
    doc = SimpleDocTemplate(
        output, pagesize=landscape(A4), leftMargin=1.2 * cm, rightMargin=1.2 * cm, title=bundle.title
    )
    story = [Paragraph(bundle.title, styles["Title"])]
    cover = Table([[label, value] for label, value in bundle.cover()], colWidths=[6 * cm, 18 * cm])
    cover.setStyle(TableStyle([("FONTNAME", (0, 0), (0, -1), "Helvetica-Bold"), ("FONTSIZE", (0, 0), (-1, -1), 9)]))
    story += [cover, Spacer(1, 0.5 * cm)]
    for png in charts.pdf_charts(bundle):
        story.append(Image(io.BytesIO(png), width=24 * cm, height=9 * cm))
        story.append(Spacer(1, 0.3 * cm))
    for view in bundle.views:
        story.append(PageBreak())
        story.append(Paragraph(view.title, styles["Heading2"]))
        frame = view.frame
        if len(frame) > PDF_MAX_TABLE_ROWS:
            story.append(
                Paragraph(
                    _(
                        "%(n)s baris: terlalu banyak untuk PDF; %(shown)s baris pertama ditampilkan, semuanya ada di XLSX."
                    )
                    % {"n": len(frame), "shown": PDF_MAX_TABLE_ROWS},
                    styles["Normal"],
                )
            )
            frame = frame.head(PDF_MAX_TABLE_ROWS)
        if frame.empty:
            story.append(Paragraph(_("Tidak ada data."), styles["Normal"]))
            continue
        data = [[Paragraph(f"<b>{c.label}</b>", styles["BodyText"]) for c in view.columns]]
        for values in frame[[c.key for c in view.columns]].itertuples(index=False, name=None):
            data.append([_pdf_value(v, c.kind) for v, c in zip(values, view.columns, strict=True)])
        table = Table(data, repeatRows=1)
        table.setStyle(
            TableStyle(
                [
                    ("FONTSIZE", (0, 0), (-1, -1), 7),
                    ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#E8F3EE")),
                    ("GRID", (0, 0), (-1, -1), 0.25, colors.HexColor("#DFE5E8")),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ]
            )
        )
        story.append(table)
    doc.build(story)
    return output.getvalue()


def _pdf_value(value, kind: str) -> str:
    value = _cell(value)
    if value is None:
        return ""
    if kind == INT:
        return formatting.number(value, 0)
    if kind == JP:
        return formatting.number(value, 1)
    if kind == PCT:
        return formatting.percent(value)
    if kind == DATE:
        return formatting.short_date(value)
    return str(value)


def export_bundle(bundle: Bundle, fmt: str, *, view: str | None = None, progress=None) -> bytes:
    if fmt == "csv":
        return export_csv(bundle, view)
    if fmt == "xlsx":
        return export_xlsx(bundle, progress)
    if fmt == "pdf":
        return export_pdf(bundle)
    raise ValueError(fmt)


def filename(bundle: Bundle, fmt: str, view: str | None = None) -> str:
    unit = f"-{bundle.filters.unit.code}" if bundle.filters.unit else ""
    suffix = f"-{view}" if fmt == "csv" and view else ""
    return f"laporan-{bundle.report}-{bundle.filters.year}{unit}{suffix}.{fmt}".replace(" ", "_")


def frame_is_empty(frame: pd.DataFrame) -> bool:
    return frame.empty
