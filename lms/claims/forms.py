from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from content.models import CompetencyCategory, DevelopmentForm
from shell.widgets import DateInput

from .models import Claim


class ClaimForm(forms.ModelForm):
    form = forms.ChoiceField(label=_("Bentuk pengembangan"), choices=DevelopmentForm.choices)
    category = forms.ChoiceField(label=_("Kategori kompetensi"), choices=CompetencyCategory.choices)

    class Meta:
        model = Claim
        fields = (
            "title",
            "organiser",
            "form",
            "category",
            "start_date",
            "end_date",
            "quantity",
            "jp_requested",
            "certificate_number",
            "evidence",
        )
        widgets = {
            "start_date": DateInput(),
            "end_date": DateInput(),
            "evidence": forms.ClearableFileInput(
                attrs={"accept": ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"}
            ),
        }
        error_messages = {
            "start_date": {"invalid": _("Tulis tanggal seperti 2026-03-31.")},
            "end_date": {"invalid": _("Tulis tanggal seperti 2026-03-31.")},
        }

    def _post_clean(self):
        # The service validates (with messages a person can act on) and saves; the form only parses.
        pass

    def data_for_service(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields if name != "evidence"}


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[("approve", _("Setujui")), ("return", _("Kembalikan untuk diperbaiki")), ("reject", _("Tolak"))]
    )
    reason = forms.CharField(label=_("Alasan / catatan"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Alasan"), widget=forms.Textarea(attrs={"rows": 3}))
