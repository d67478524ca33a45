"""Report figures read alike on the page, in the PDF and in the XLSX (shell/formatting.py): a decimal
comma, "20,0%", dates as "8 Des 2026"; the XLSX keeps numbers and dates as such, with number formats."""

import datetime as dt
import io
import re

import openpyxl
import pandas as pd
import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from pypdf import PdfReader

from reports.bundles import DATE, JP, PCT, TEXT, Bundle, Column, View
from reports.exports import export_xlsx
from reports.selectors import ReportFilters
from reports.tests.factories import make_city
from shell.people.tests.factories import hr_user

pytestmark = pytest.mark.django_db
WHEN = re.compile(r"^\d{1,2} (Jan|Feb|Mar|Apr|Mei|Jun|Jul|Agu|Sep|Okt|Nov|Des) \d{4} \d\d:\d\d WIB$")


@pytest.fixture
def hr_a(client):
    city = make_city()
    user = hr_user(unit=city.a, username="hr_a", full_name="HR Dinas A")
    user.unit = city.a
    user.save()
    client.force_login(user)
    return user


def _download(client, fmt: str) -> bytes:
    response = client.post(
        reverse("reports:download"), {"tahun": 2026, "laporan": "kepatuhan", "format": fmt, "tampilan": "pegawai"}
    )
    assert response.status_code == 200
    return response.content


def test_the_page_and_the_pdf_write_the_same_percentage(hr_a, client):
    # 1 of the 5 employees in scope met the target: 20 percent.
    page = client.get(reverse("reports:dashboard"), {"tahun": 2026}).content.decode()
    assert "20,0%" in page
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(_download(client, "pdf"))).pages)
    assert "20,0%" in text and "20.0%" not in text
    assert re.search(r"Dibuat pada\s*\d{1,2} \w{3} \d{4} \d\d:\d\d WIB", text)
    assert "22,0" in text  # Full's JP in the employees' table, with a decimal comma


def test_the_xlsx_keeps_numbers_with_their_formats_and_writes_its_cover_alike(hr_a, client):
    book = openpyxl.load_workbook(io.BytesIO(_download(client, "xlsx")))
    cover = {row[0].value: row[1].value for row in book["Ringkasan"].iter_rows(min_row=3, max_col=2)}
    assert WHEN.match(cover["Dibuat pada"]) and cover["Persentase tercapai"] == "20,0%"
    sheet = book["Per pegawai"]
    header = [c.value for c in sheet[1]]
    full = next(row for row in sheet.iter_rows(min_row=2) if row[0].value == "Full")
    jp, percent = full[header.index("JP tercapai")], full[header.index("% target")]
    assert jp.value == 22 and jp.number_format == "#,##0.0#"
    assert percent.value == 110 and percent.number_format == '0.0"%"'


@pytest.mark.parametrize("language, date_format", [("id", "[$-421]d mmm yyyy"), ("en", "[$-409]d mmm yyyy")])
def test_xlsx_dates_are_dates_shown_as_8_des_2026(language, date_format):
    frame = pd.DataFrame({"what": ["Pelatihan"], "when": [dt.date(2026, 12, 8)], "jp": [2.5], "rate": [45.2]})
    columns = [Column("what", "Kegiatan", TEXT), Column("when", "Tanggal", DATE)]
    columns += [Column("jp", "JP", JP), Column("rate", "%", PCT)]
    viewer = hr_user()
    bundle = Bundle(
        report="r", title="T", filters=ReportFilters(year=2026), viewer=viewer, views=[View("v", "V", frame, columns)]
    )
    with translation.override(language):
        book = openpyxl.load_workbook(io.BytesIO(export_xlsx(bundle)))
    when = book["V"]["B2"]
    assert when.is_date and when.value.date() == dt.date(2026, 12, 8) and when.number_format == date_format


def test_an_export_ready_notice_says_when_in_the_same_words(hr_a, client, django_capture_on_commit_callbacks):
    from shell.inbox.models import Notification

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("reports:download"), {"tahun": 2026, "laporan": "kepatuhan", "format": "xlsx", "latar": "1"}
        )
    body = Notification.objects.get(user=hr_a, kind="reports.export_ready").body
    assert re.fullmatch(r"Berkas disimpan sampai \d{1,2} \w{3} \d{4} \d\d:\d\d\.", body), body
    assert settings.LANGUAGE_CODE == "id"


def test_the_pdf_charts_ticks_use_the_decimal_comma():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from reports.charts import _png

    fig, ax = plt.subplots()
    ax.bar(["Jan", "Feb"], [0.5, 2.5])
    assert _png(fig).startswith(b"\x89PNG")
    assert ax.yaxis.get_major_formatter()(2.5, 0) == "2,5" and ax.yaxis.get_major_formatter()(1000, 0) == "1.000"
    assert ax.xaxis.get_major_formatter()(0, 0) == "Jan"  # category labels stay as they are
