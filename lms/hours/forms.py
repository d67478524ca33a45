"""BKPSDM's forms on the ledger: the anomaly filters, a revocation's reason, a correction."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from content.models import CompetencyCategory, DevelopmentForm
from shell import formatting
from shell.people.models import Unit
from shell.widgets import DateInput

from .anomalies import DETECTORS
from .review import EARLIEST_CORRECTION
from .selectors import current_year, jakarta_date


class AnomalyFilterForm(forms.Form):
    tahun = forms.IntegerField(label=_("Tahun"), min_value=2000, max_value=2100, required=False)
    unit = forms.CharField(label=_("Unit"), max_length=32, required=False)
    jenis = forms.ChoiceField(label=_("Jenis anomali"), required=False)

    def __init__(self, data=None, *, units, **kwargs):
        super().__init__(data, **kwargs)
        self.units = units  # the units of the viewer's scope (lms.hours.anomalies.anomaly_units)
        self.out_of_scope = False
        self.fields["jenis"].choices = [("", _("Semua"))] + [(d.kind, d.label) for d in DETECTORS]

    def clean_unit(self) -> Unit | None:
        code = (self.cleaned_data.get("unit") or "").strip()
        if not code:
            return None
        unit = Unit.objects.filter(code=code).first()
        if unit is None:
            raise forms.ValidationError(_("Tidak ada unit dengan kode %(code)s.") % {"code": code}, code="unknown")
        if not self.units.filter(pk=unit.pk).exists():
            self.out_of_scope = True
            raise forms.ValidationError(_("Unit %(code)s di luar cakupan Anda.") % {"code": code}, code="scope")
        return unit

    def clean_tahun(self) -> int:
        return self.cleaned_data.get("tahun") or current_year()


class RevokeForm(forms.Form):
    reason = forms.CharField(
        label=_("Alasan pencabutan (dibaca pegawai)"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    confirm = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def clean_reason(self) -> str:
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError(_("Tuliskan alasan pencabutan; pegawai akan membacanya."))
        return reason


class CorrectionForm(forms.Form):
    title = forms.CharField(label=_("Judul kegiatan"), max_length=255)
    date = forms.DateField(label=_("Tanggal kegiatan"), widget=DateInput())
    jp = forms.DecimalField(
        label=_("JP"),
        max_digits=6,
        decimal_places=2,
        min_value=Decimal("0.01"),
        widget=forms.NumberInput(attrs={"step": "0.01"}),
    )
    form = forms.ChoiceField(label=_("Bentuk pengembangan"), choices=DevelopmentForm.choices)
    category = forms.ChoiceField(label=_("Kategori kompetensi"), choices=CompetencyCategory.choices)
    reason = forms.CharField(label=_("Alasan koreksi"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))

    def clean_date(self):
        date = self.cleaned_data["date"]
        if date > jakarta_date(timezone.now()):
            raise forms.ValidationError(_("Tanggal kegiatan tidak boleh di masa depan."))
        if date < EARLIEST_CORRECTION:
            raise forms.ValidationError(
                _("Tanggal kegiatan tidak boleh sebelum %(date)s.")
                % {"date": formatting.short_date(EARLIEST_CORRECTION)}
            )
        return date

    def clean_reason(self) -> str:
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError(_("Tuliskan alasan koreksi."))
        return reason
