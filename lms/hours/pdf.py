"""Riwayat belajar as a PDF: every entry of the year with its source, and the totals per category."""

from __future__ import annotations

import io
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from shell.formatting import jp, short_date, short_datetime


def history_pdf(*, user, year: int, entries, by_category: dict[str, Decimal], total, target) -> bytes:
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=15 * mm,
        rightMargin=15 * mm,
        topMargin=15 * mm,
        bottomMargin=15 * mm,
        title=_("Riwayat belajar %(year)s") % {"year": year},
    )
    styles = getSampleStyleSheet()
    small = styles["BodyText"].clone("small", fontSize=8.5, leading=10.5)
    story = [
        Paragraph(_("Riwayat belajar %(year)s") % {"year": year}, styles["Title"]),
        Paragraph(
            f"{user.display_name}"
            + (f" · NIP {user.nip}" if user.nip else "")
            + (f" · {user.unit}" if user.unit else ""),
            styles["Normal"],
        ),
        Paragraph(
            _("JP terverifikasi: %(total)s dari target %(target)s") % {"total": jp(total), "target": jp(target)},
            styles["Normal"],
        ),
        Spacer(1, 4 * mm),
        Paragraph(_("Per kategori"), styles["Heading3"]),
    ]
    rows = [[_("Kategori"), "JP"]] + [[str(cat), jp(value)] for cat, value in by_category.items()]
    if len(rows) == 1:
        rows.append(["-", "0"])
    story.append(_table(rows, [120 * mm, 30 * mm]))
    story += [Spacer(1, 4 * mm), Paragraph(_("Entri"), styles["Heading3"])]
    rows = [[_("Tanggal"), _("Kegiatan"), _("Sumber"), _("Status"), "JP"]]
    for e in entries:
        title = e.title + (f"<br/><i>{e.note}</i>" if e.note else "")
        rows.append(
            [
                short_date(e.date),
                Paragraph(title, small),
                Paragraph(str(e.get_source_kind_display()), small),
                Paragraph(str(e.get_status_display()), small),
                jp(e.jp),
            ]
        )
    if len(rows) == 1:
        rows.append(["", _("Belum ada JP yang dikreditkan tahun ini."), "", "", ""])
    story.append(_table(rows, [24 * mm, 80 * mm, 38 * mm, 24 * mm, 14 * mm]))
    story += [
        Spacer(1, 6 * mm),
        Paragraph(
            _("Dicetak %(when)s dari Universitas Pemerintahan Kota Tangerang.")
            % {"when": short_datetime(timezone.now())},
            small,
        ),
    ]
    doc.build(story)
    return buffer.getvalue()


def _table(rows, widths) -> Table:
    table = Table(rows, colWidths=widths, repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, 0), "Helvetica-Bold", 9),
                ("FONT", (0, 1), (-1, -1), "Helvetica", 9),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8f3ee")),
                ("GRID", (0, 0), (-1, -1), 0.25, colors.HexColor("#b7c2c8")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("ALIGN", (-1, 0), (-1, -1), "RIGHT"),
            ]
        )
    )
    return table
