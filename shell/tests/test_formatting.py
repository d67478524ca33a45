"""One way to write dates and numbers (shell/formatting.py): Indonesian by default, English when chosen,
the same through the functions (PDFs, XLSX, notifications) and the template filters (pages)."""

import datetime as dt
import re
from decimal import Decimal
from pathlib import Path

import numpy as np
import pytest
from django.template import Context, Template
from django.utils import translation

from shell import formatting
from shell.widgets import DateInput

ROOT = Path(__file__).resolve().parent.parent.parent
DAY = dt.date(2026, 12, 8)
MOMENT = dt.datetime(2026, 12, 8, 7, 5, tzinfo=dt.UTC)  # 14:05 in Jakarta


@pytest.fixture(params=["id", "en"])
def language(request):
    with translation.override(request.param):
        yield request.param


EXPECTED = {
    "id": {
        "short_date": "8 Des 2026",
        "long_date": "8 Desember 2026",
        "short_datetime": "8 Des 2026 14:05",
        "weekday_date": "Selasa, 8 Des 2026",
        "number": "1.234,5",
        "number0": "1.235",
        "jp": "2,5",
        "percent": "45,4%",
        "zero_percent": "0,0%",
        "august": "17 Agu 2026",
        "day_month": "17 Agu",
        "precise": "8 Des 2026 14:05:09",
    },
    "en": {
        "short_date": "8 Dec 2026",
        "long_date": "8 December 2026",
        "short_datetime": "8 Dec 2026 14:05",
        "weekday_date": "Tuesday, 8 Dec 2026",
        "number": "1,234.5",
        "number0": "1,235",
        "jp": "2.5",
        "percent": "45.4%",
        "zero_percent": "0.0%",
        "august": "17 Aug 2026",
        "day_month": "17 Aug",
        "precise": "8 Dec 2026 14:05:09",
    },
}


def test_the_functions_write_one_format_per_language(language):
    want = EXPECTED[language]
    assert formatting.short_date(DAY) == want["short_date"]
    assert formatting.short_date(dt.date(2026, 8, 17)) == want["august"]
    assert formatting.long_date(DAY) == want["long_date"]
    assert formatting.short_datetime(MOMENT) == want["short_datetime"]  # in Asia/Jakarta
    assert formatting.weekday_date(DAY) == want["weekday_date"]
    assert formatting.day_month(dt.date(2026, 8, 17)) == want["day_month"]
    assert formatting.precise_datetime(MOMENT.replace(second=9)) == want["precise"]
    assert formatting.number(Decimal("1234.50")) == want["number"]
    assert formatting.number(1234.5, 0) == want["number0"]  # half up
    assert formatting.jp(Decimal("2.50")) == want["jp"]
    assert formatting.percent(45.35) == want["percent"]  # 45.35 as written, rounded half up
    assert formatting.percent(np.float64(0.0)) == want["zero_percent"]  # what pandas hands over


def test_whole_numbers_and_nothing():
    with translation.override("id"):
        assert formatting.jp(Decimal("10.00")) == "10" and formatting.jp(Decimal("20")) == "20"
        assert formatting.jp(None) == "0" and formatting.number(None) == "" and formatting.number(float("nan")) == ""
        assert formatting.number(np.int64(20000)) == "20.000"
        assert formatting.number(-0.01, 1) == "0,0"  # never "-0,0"
        assert formatting.short_date(None) == "" and formatting.percent(None) == ""


def test_the_template_filters_are_the_same_functions(language):
    want = EXPECTED[language]
    html = Template(
        "{{ day|short_date }}|{{ day|long_date }}|{{ moment|short_datetime }}|{{ day|weekday_date }}|"
        "{{ n|number:1 }}|{{ jp|jp }}|{{ rate|percent }}|{{ day }}"
    ).render(Context({"day": DAY, "moment": MOMENT, "n": Decimal("1234.5"), "jp": Decimal("2.50"), "rate": 45.35}))
    assert html.split("|") == [
        want["short_date"],
        want["long_date"],
        want["short_datetime"],
        want["weekday_date"],
        want["number"],
        want["jp"],
        want["percent"],
        want["long_date"],  # a date printed as it is: the language's DATE_FORMAT (shell/formats)
    ]


def test_a_year_or_an_id_is_never_grouped():
    with translation.override("id"):
        assert Template("{{ year }}/{{ pk }}").render(Context({"year": 2026, "pk": 12345})) == "2026/12345"


def test_spreadsheet_dates_carry_their_language():
    with translation.override("id"):
        assert formatting.xlsx_date_format() == "[$-421]d mmm yyyy"
    with translation.override("en"):
        assert formatting.xlsx_date_format() == "[$-409]d mmm yyyy"


def test_the_date_picker_gets_iso_whatever_the_language(language):
    html = DateInput().render("date", DAY)
    assert 'type="date"' in html and 'value="2026-12-08"' in html


# A literal date pattern in a template is a second place that decides how dates look.
LITERAL_DATE = re.compile(r'\|date:"([^"]*)"')
NAMED = re.compile(r"^[A-Z_]+_FORMAT$")
ALLOWED_LITERALS = {
    "j/n",  # column headings of a class's days in the trainer's attendance table: the day and month only
    "j M Y H:i:s",  # when the LRS stored a statement, to the second (the ledger's evidence)
}


def test_templates_use_the_shared_date_formats():
    offenders = []
    for path in (ROOT / "templates").rglob("*.html"):
        for number, line in enumerate(path.read_text().splitlines(), 1):
            for pattern in LITERAL_DATE.findall(line):
                if not NAMED.match(pattern) and pattern not in ALLOWED_LITERALS:
                    offenders.append(f'{path.relative_to(ROOT)}:{number}: |date:"{pattern}"')
    assert not offenders, "use |short_date, |long_date, |short_datetime, |weekday_date:\n" + "\n".join(offenders)


# Python that writes a date or a number for people by hand (PDFs, notifications, messages).
HAND_MADE = re.compile(r'strftime\("%[dY]-|:%d-%m|\.replace\("\.", ","\)|\.normalize\(\):f\}')


def test_code_writes_dates_and_numbers_for_people_through_shell_formatting():
    offenders = []
    for package in ("shell", "lms", "reports", "content", "fixtures"):
        for path in (ROOT / package).rglob("*.py"):
            rel = path.relative_to(ROOT).as_posix()
            if "/tests/" in rel or "/migrations/" in rel:
                continue
            for number, line in enumerate(path.read_text().splitlines(), 1):
                if HAND_MADE.search(line):
                    offenders.append(f"{rel}:{number}: {line.strip()}")
    assert not offenders, "use shell.formatting:\n" + "\n".join(offenders)
