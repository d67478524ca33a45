"""BKPSDM's forms on the ledger: the anomaly filters, a revocation's reason, a correction."""

from __future__ import annotations

import re
from decimal import Decimal

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from content.models import CompetencyCategory, DevelopmentForm
from shell import formatting
from shell.people.models import Unit
from shell.widgets import DateInput

from .anomalies import DETECTORS
from .review import EARLIEST_CORRECTION
from .selectors import current_year, jakarta_date

UNIT_WITH_CODE = re.compile(r"^.*\((?P<code>[^()]+)\)$")  # "Dinas Kesehatan (DINKES)", as the list offers it
MANY_UNITS = 10  # units offered when a part of a name fits several


class AnomalyFilterForm(forms.Form):
    """The anomaly list's filters. The unit is typed as people know it: its code, its name, or the list's
    "name (code)", in any letter case; a part of a name that fits one unit of the scope will do too."""

    tahun = forms.IntegerField(label=_("Tahun"), min_value=2000, max_value=2100, required=False)
    unit = forms.CharField(label=_("Unit"), max_length=250, required=False)
    jenis = forms.ChoiceField(label=_("Jenis anomali"), required=False)

    def __init__(self, data=None, *, units, **kwargs):
        super().__init__(data, **kwargs)
        self.units = units  # the units of the viewer's scope (lms.hours.anomalies.anomaly_units)
        self.out_of_scope = False
        self.candidates: list[Unit] = []  # units a part of a name fits, when it fits several
        self.fields["jenis"].choices = [("", _("Semua"))] + [(d.kind, d.label) for d in DETECTORS]

    def clean_unit(self) -> Unit | None:
        text = " ".join((self.cleaned_data.get("unit") or "").replace("\x00", "").split())
        if not text:
            return None
        named = UNIT_WITH_CODE.match(text)
        codes = Q(code__iexact=text) | (Q(code__iexact=named["code"].strip()) if named else Q(pk__in=[]))
        by_code = self.units.filter(codes).first()
        if by_code is not None:
            return by_code
        found = list(self.units.filter(name__iexact=text).order_by("code")[:MANY_UNITS]) or list(
            self.units.filter(name__icontains=text).order_by("name", "code")[:MANY_UNITS]
        )
        if len(found) == 1:
            return found[0]
        if found:
            self.candidates = found
            raise forms.ValidationError(
                _("Beberapa unit cocok dengan “%(text)s”; pilih salah satu.") % {"text": text}, code="ambiguous"
            )
        exact = codes | Q(name__iexact=text)
        if Unit.objects.filter(exact).exists():
            self.out_of_scope = True
            raise forms.ValidationError(_("Unit “%(text)s” di luar cakupan Anda.") % {"text": text}, code="scope")
        raise forms.ValidationError(
            _("Tidak ada unit dalam cakupan Anda yang cocok dengan “%(text)s”. Ketik nama atau kode unit.")
            % {"text": text},
            code="unknown",
        )

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
    """What HR types; posted once to a confirmation page that shows it back, and written only from there."""

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
    reason = forms.CharField(
        label=_("Alasan koreksi (dibaca pegawai)"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    # Set by the confirmation page: only a confirmed form writes, once per key.
    confirm = forms.BooleanField(required=False, widget=forms.HiddenInput)
    confirmation = forms.UUIDField(required=False, widget=forms.HiddenInput)

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
