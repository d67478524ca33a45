"""Form widgets every module uses the same way."""

from django import forms


class DateInput(forms.DateInput):
    """The browser's date picker (<input type=date>). It takes and gives ISO dates (2026-12-08) whatever
    the page's language, so the value is written in ISO: in the Indonesian format (08-12-2026) the
    browser would drop it and the field would lose its default. The picker shows the date the phone's
    way; what we print elsewhere is shell.formatting's."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")
