from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtailmedia.forms import BaseMediaForm

from .models import CompetencyCategory, DeliveryMode
from .selectors import lessons_using_media
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
    """The CMS's video upload (settings.WAGTAILMEDIA["MEDIA_FORM_BASE"]): a video's duration is always read from
    its file, never typed, so that the platform, not the trainer or the learner's player, knows how long a
    video is; a video a lesson places is not replaced in place (the lesson was reviewed with it)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.type == "video" and "duration" in self.fields:
            self.fields["duration"].disabled = True
            self.fields["duration"].required = False
            self.fields["duration"].help_text = _("Dibaca dari berkas videonya.")

    def clean(self):
        cleaned = super().clean()
        if self.instance.type != "video":
            return cleaned
        upload = cleaned.get("file") if "file" in self.changed_data else None
        if upload and self.instance.pk and lessons_using_media(media_id=self.instance.pk):
            self.add_error(
                "file",
                _(
                    "Video ini dipakai di pelajaran, jadi berkasnya tidak diganti di tempat. Unggah video baru "
                    "sebagai media baru, lalu pilih di pelajaran: perubahan pelajaran melewati moderasi."
                ),
            )
            return cleaned
        if upload:
            seconds = file_duration(upload)
            if not seconds:
                self.add_error(
                    "file",
                    _(
                        "Durasi video ini tidak dapat dibaca dari berkasnya. Simpan sebagai MP4 atau WebM "
                        "(misalnya dengan fitur ekspor aplikasi penyunting video), lalu unggah lagi."
                    ),
                )
                return cleaned
            cleaned["duration"] = round(seconds, 3)
        elif self.instance.pk:
            cleaned["duration"] = self.instance.duration  # what was read from the file; never typed
        return cleaned
