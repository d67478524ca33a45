from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shell.files import UploadRefused, megabytes, upload_type_check
from shell.widgets import DateInput

from .models import SkpIndicator, SkpResult


class ActivityForm(forms.Form):
    date = forms.DateField(label=_("Tanggal"), widget=DateInput())
    title = forms.CharField(label=_("Aktivitas"), max_length=300)
    description = forms.CharField(label=_("Uraian"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    quantity = forms.DecimalField(label=_("Volume"), min_value=0.01, max_digits=10, decimal_places=2, initial=1)
    output_unit = forms.CharField(label=_("Satuan"), max_length=50, initial="kegiatan")
    result = forms.ModelChoiceField(
        label=_("Rencana hasil kerja (SKP)"), queryset=SkpResult.objects.none(), required=False
    )
    evidence_url = forms.URLField(label=_("Tautan bukti dukung"), required=False, assume_scheme="https")
    evidence_file = forms.FileField(label=_("Berkas bukti dukung (PDF/JPG/PNG)"), required=False)

    def __init__(self, *args, results=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["result"].queryset = results if results is not None else SkpResult.objects.none()
        self.fields["date"].initial = timezone.localdate()
        self.fields["evidence_file"].label = _("Berkas bukti dukung (PDF/JPG/PNG, maks. %(max)s MB)") % {
            "max": megabytes(settings.KINERJA_EVIDENCE_MAX_BYTES)
        }

    def clean_evidence_file(self):
        upload = self.cleaned_data.get("evidence_file")
        if upload is None:
            return upload
        limit = settings.KINERJA_EVIDENCE_MAX_BYTES
        if upload.size > limit:
            raise forms.ValidationError(_("Berkas terlalu besar (maksimal %(max)s MB).") % {"max": megabytes(limit)})
        try:
            upload_type_check(upload)  # its bytes, not the browser's word; and its name agrees
        except UploadRefused as error:
            raise forms.ValidationError(str(error)) from error
        return upload


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approve", _("Setujui")), ("return", _("Kembalikan"))])
    note = forms.CharField(
        label=_("Catatan"), required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )


class SkpResultForm(forms.Form):
    text = forms.CharField(label=_("Rencana hasil kerja"), widget=forms.Textarea(attrs={"rows": 2}))
    parent = forms.ModelChoiceField(
        label=_("Hasil kerja atasan yang diintervensi"), queryset=SkpResult.objects.none(), required=False
    )
    indicator = forms.CharField(label=_("Indikator"), max_length=300)
    aspect = forms.ChoiceField(label=_("Aspek"), choices=SkpIndicator.Aspect.choices)
    target = forms.DecimalField(label=_("Target"), min_value=0.01, max_digits=10, decimal_places=2)
    unit = forms.CharField(label=_("Satuan"), max_length=50)

    def __init__(self, *args, parents=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = parents if parents is not None else SkpResult.objects.none()


class ResubmitForm(forms.Form):
    title = forms.CharField(label=_("Aktivitas"), max_length=300)
    description = forms.CharField(label=_("Uraian"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    quantity = forms.DecimalField(label=_("Volume"), min_value=0.01, max_digits=10, decimal_places=2)
