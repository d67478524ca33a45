"""The report filters: year, unit (by code, within the viewer's scope) and employment type."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from lms.hours.selectors import current_year
from shell.people.models import Unit, User

from .models import ExportJob
from .selectors import ReportFilters, report_unit_allowed, report_units_matching


class ReportFilterForm(forms.Form):
    tahun = forms.IntegerField(label=_("Tahun"), min_value=2000, max_value=2100, required=False)
    unit = forms.CharField(label=_("Unit"), max_length=240, required=False)
    # What was typed in the unit picker (static/js/autocomplete.js sends it): used when nothing was picked.
    unit_teks = forms.CharField(max_length=240, required=False)
    jenis = forms.ChoiceField(
        label=_("Status kepegawaian"),
        choices=[("", _("Semua"))] + list(User.EmploymentType.choices),
        required=False,
    )

    def __init__(self, data=None, *, viewer: User, **kwargs):
        super().__init__(data, **kwargs)
        self.viewer = viewer
        self.out_of_scope = False

    def clean_unit(self) -> Unit | None:
        # A code, or the picker's label "CODE — Name" (a browser that sent the text field as it was).
        code = (self.cleaned_data.get("unit") or "").split(" — ")[0].strip()
        if not code:
            return None
        unit = Unit.objects.filter(code=code).first()
        if unit is None:
            raise forms.ValidationError(_("Tidak ada unit dengan kode %(code)s.") % {"code": code}, code="unknown")
        if not report_unit_allowed(viewer=self.viewer, unit=unit):
            self.out_of_scope = True
            raise forms.ValidationError(_("Unit %(code)s di luar cakupan laporan Anda.") % {"code": code}, code="scope")
        return unit

    def clean(self):
        cleaned = super().clean()
        typed = (cleaned.get("unit_teks") or "").split(" — ")[0].strip()
        if cleaned.get("unit") is None and "unit" not in self.errors and typed:
            # Typed but not picked from the list: the one unit that matches, else say so (never all units).
            matches = report_units_matching(viewer=self.viewer, query=typed, limit=2)
            if len(matches) == 1:
                cleaned["unit"] = matches[0]
            elif matches:
                self.add_error(
                    "unit", _("Beberapa unit cocok dengan “%(text)s”: pilih salah satu dari daftar.") % {"text": typed}
                )
            else:
                self.add_error(
                    "unit", _("Tidak ada unit dalam cakupan Anda yang cocok dengan “%(text)s”.") % {"text": typed}
                )
        return cleaned

    def filters(self) -> ReportFilters:
        data = self.cleaned_data
        return ReportFilters(
            year=data.get("tahun") or current_year(), unit=data.get("unit"), employment_type=data.get("jenis") or ""
        )


class ExportForm(forms.Form):
    laporan = forms.ChoiceField(
        label=_("Laporan"), choices=[("kepatuhan", _("Kepatuhan JP")), ("kursus", _("Kursus dan kelas"))]
    )
    format = forms.ChoiceField(label=_("Format"), choices=ExportJob.Format.choices)
    tampilan = forms.CharField(label=_("Tampilan (untuk CSV)"), required=False, max_length=16)
    latar = forms.BooleanField(label=_("Buat di latar belakang"), required=False)
