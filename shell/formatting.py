"""One way to write dates and numbers wherever people read them: pages, PDFs, XLSX files, notifications.

Indonesian unless the user chose English (the active language decides):

    short date      8 Des 2026            8 Dec 2026
    long date       8 Desember 2026       8 December 2026
    date and time   8 Des 2026 14:05      8 Dec 2026 14:05
    number          1.234,5               1,234.5
    percentage      45,2%                 45.2%

The date patterns are the language's format module (shell/formats/<language>/formats.py, settings
FORMAT_MODULE_PATH); Django's l10n applies them and its own separators for numbers. Templates use the same
functions as filters (shell/templatetags/formatting.py, built in: no {% load %} needed). Machine-read
output keeps machine formats: ISO dates in the API, events and CSV, plain numbers in CSV cells."""

from __future__ import annotations

import datetime as dt
import math
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils import formats, timezone
from django.utils.translation import get_language


def _local(value):
    if isinstance(value, dt.datetime) and timezone.is_aware(value):
        return timezone.localtime(value)
    return value


def short_date(value: dt.date | dt.datetime | None) -> str:
    """8 Des 2026"""
    return formats.date_format(_local(value), "SHORT_DATE_FORMAT") if value else ""


def long_date(value: dt.date | dt.datetime | None) -> str:
    """8 Desember 2026"""
    return formats.date_format(_local(value), "DATE_FORMAT") if value else ""


def short_datetime(value: dt.datetime | None) -> str:
    """8 Des 2026 14:05 (in the platform's time zone, Asia/Jakarta)"""
    return formats.date_format(_local(value), "SHORT_DATETIME_FORMAT") if value else ""


def day_month(value: dt.date | dt.datetime | None) -> str:
    """8 Des: a day in a narrow column (a class's attendance days)."""
    return formats.date_format(_local(value), "j M") if value else ""


def precise_datetime(value: dt.datetime | None) -> str:
    """8 Des 2026 14:05:09: when a record was stored, to the second (evidence pages)."""
    return formats.date_format(_local(value), formats.get_format("SHORT_DATE_FORMAT") + " H:i:s") if value else ""


def weekday_date(value: dt.date | None) -> str:
    """Selasa, 8 Des 2026"""
    return formats.date_format(value, "l, " + formats.get_format("SHORT_DATE_FORMAT")) if value else ""


def short_month(month: int) -> str:
    """Des (Dec in English): the month's short name, 1 to 12, for chart axes."""
    return formats.date_format(dt.date(2000, month, 1), "M")


def _decimal(value) -> Decimal | None:
    if value is None or value == "":
        return None
    if hasattr(value, "item"):  # numpy scalars
        value = value.item()
    if isinstance(value, float):
        if math.isnan(value) or math.isinf(value):
            return None
        value = str(value)  # 45.35 as written, not its binary neighbour
    try:
        return Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        return None


def number(value, decimals: int | None = None) -> str:
    """1.234,5: grouped thousands, the language's decimal sign; rounded half up to ``decimals`` places,
    or as many as the value needs (12,5 not 12,50) when None. Nothing (None, NaN) gives ""."""
    amount = _decimal(value)
    if amount is None:
        return ""
    if decimals is None:
        amount = amount.normalize()
        if amount == amount.to_integral_value():
            amount = amount.quantize(Decimal(1))
    else:
        amount = amount.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    if amount == 0:
        amount = abs(amount)  # no "-0,0"
    return formats.number_format(amount, decimals, use_l10n=True, force_grouping=True)


def jp(value) -> str:
    """JP as credited: up to two decimals, trimmed (2,5 JP; 12 JP)."""
    amount = _decimal(value)
    if amount is None:
        return "0"
    return number(amount.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def percent(value, decimals: int = 1) -> str:
    """45,2% (the value is already a percentage: 45.2, not 0.452)."""
    text = number(value, decimals)
    return f"{text}%" if text else ""


# Spreadsheet number formats. Excel and LibreOffice show "," and "." in a format with the reader's own
# separators; month names follow the locale tag (0x421 Indonesian, 0x409 English).
XLSX_INTEGER = "#,##0"
XLSX_DECIMAL = "#,##0.0#"
XLSX_PERCENT = '0.0"%"'


def xlsx_date_format() -> str:
    """8 Des 2026 in a spreadsheet cell, whatever language the reader's Excel speaks."""
    tag = "[$-409]" if (get_language() or "id").startswith("en") else "[$-421]"
    return f"{tag}d mmm yyyy"
