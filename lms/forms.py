from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from content.models import CoursePage
from shell.widgets import DateInput


class AssignCourseForm(forms.Form):
    course = forms.ModelChoiceField(
        label=_("Kursus"),
        queryset=CoursePage.objects.live().order_by("title"),
        error_messages={"invalid_choice": _("Pilih kursus yang ada di katalog.")},
    )
    employees = forms.ModelMultipleChoiceField(
        label=_("Pegawai"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Pegawai %(value)s tidak ada dalam tim atau cakupan Anda.")},
    )
    due_date = forms.DateField(
        label=_("Tenggat"),
        widget=DateInput(),
        error_messages={"invalid": _("Tulis tanggal seperti 2026-12-31.")},
    )

    def __init__(self, *args, employees, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["employees"].queryset = employees

    def clean_due_date(self):
        due = self.cleaned_data["due_date"]
        if due < timezone.localdate():
            raise forms.ValidationError(_("Tenggat tidak boleh di masa lalu."))
        if due > timezone.localdate() + dt.timedelta(days=730):
            raise forms.ValidationError(_("Tenggat paling lama dua tahun dari hari ini."))
        return due


def quiz_answers_from(data, question_count: int) -> dict[int, set[int]]:
    """Read q0..qN (each one or several choice indexes) from POST data; ignores what is not a number."""
    answers: dict[int, set[int]] = {}
    for index in range(question_count):
        chosen = set()
        for raw in data.getlist(f"q{index}"):
            try:
                chosen.add(int(raw))
            except (TypeError, ValueError):
                chosen.add(-1)  # refused by quiz_submit with a clear message
        if chosen:
            answers[index] = chosen
    return answers


class YearForm(forms.Form):
    tahun = forms.IntegerField(min_value=2000, max_value=2100, required=False)
