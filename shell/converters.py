"""Path converters the modules' urls share."""

from __future__ import annotations

from django.urls import register_converter


class IdConverter:
    """A database id: ASCII digits, at most 18 of them (a 20-digit id is a 404, not an overflow in the
    database driver)."""

    regex = "[0-9]{1,18}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value) -> str:
        return str(int(value))


register_converter(IdConverter, "id")
