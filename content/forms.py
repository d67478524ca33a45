from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtailmedia.forms import BaseMediaForm

from .models import CompetencyCategory, DeliveryMode
from .video import file_duration


class CatalogFilterForm(forms.Form):
    q = forms.CharField(label=_("Cari"), required=False, max_length=200)
    kategori = forms.ChoiceField(
        label=_("Kategori"), required=False, choices=[("", _("Semua")), *CompetencyCategory.choices]
    )
    mode = forms.ChoiceField(label=_("Moda"), required=False, choices=[("", _("Semua")), *DeliveryMode.choices])
    jp_min = forms.DecimalField(label=_("JP minimal"), required=False, min_value=0, max_digits=5, decimal_places=1)
    jp_max = forms.DecimalField(label=_("JP maksimal"), required=False, min_value=0, max_digits=5, decimal_places=1)

    def clean(self):
        cleaned = super().clean()
        lo, hi = cleaned.get("jp_min"), cleaned.get("jp_max")
        if lo is not None and hi is not None and lo > hi:
            raise forms.ValidationError(_("JP minimal tidak boleh lebih besar dari JP maksimal."))
        return cleaned

    def cleaned_filters(self) -> dict[str, Any]:
        """The valid filters only: an invalid one is shown as an error and ignored, never a 500."""
        if not self.is_bound or not self.is_valid():
            data = getattr(self, "cleaned_data", {}) if self.is_bound else {}
            valid = {k: v for k, v in data.items() if k not in self.errors}
            if self.is_bound and self.non_field_errors():  # a contradictory JP range: ignore both ends
                valid.pop("jp_min", None)
                valid.pop("jp_max", None)
        else:
            valid = self.cleaned_data
        return {
            "q": valid.get("q") or "",
            "category": valid.get("kategori") or "",
            "mode": valid.get("mode") or "",
            "jp_min": valid.get("jp_min"),
            "jp_max": valid.get("jp_max"),
        }


class MediaForm(BaseMediaForm):
    """The CMS's video upload (settings.WAGTAILMEDIA["MEDIA_FORM_BASE"]): the duration is read from the file, so
    that the platform, not the learner's player, knows how long a video is."""

    def clean(self):
        cleaned = super().clean()
        upload = cleaned.get("file")
        if upload and "file" in self.changed_data and self.instance.type == "video":
            seconds = file_duration(upload)
            if seconds:
                cleaned["duration"] = round(seconds, 3)
            elif not cleaned.get("duration"):
                self.add_error(
                    "duration", _("Durasi video ini tidak dapat dibaca dari berkasnya; isi durasinya (detik).")
                )
        return cleaned
