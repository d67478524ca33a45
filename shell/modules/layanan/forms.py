from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from shell.files import UploadRefused, megabytes, upload_type_check
from shell.people.validators import validate_nik

from .models import ServiceRequest, ServiceType


class RegisterForm(forms.Form):
    service = forms.ModelChoiceField(label=_("Layanan"), queryset=ServiceType.objects.none())
    citizen_nik = forms.CharField(label=_("NIK pemohon"), max_length=16, validators=[validate_nik])
    citizen_name = forms.CharField(label=_("Nama pemohon"), max_length=200)
    citizen_contact = forms.CharField(label=_("Nomor HP / e-mail pemohon"), max_length=100, required=False)
    description = forms.CharField(label=_("Keterangan"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    attachment = forms.FileField(label=_("Lampiran (PDF/JPG/PNG)"), required=False)

    def __init__(self, *args, services=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service"].queryset = services if services is not None else ServiceType.objects.filter(active=True)
        self.fields["citizen_nik"].widget.attrs.update(inputmode="numeric", autocomplete="off")
        self.fields["attachment"].label = _("Lampiran (PDF/JPG/PNG, maks. %(max)s MB)") % {
            "max": megabytes(settings.LAYANAN_ATTACHMENT_MAX_BYTES)
        }

    def clean_attachment(self):
        upload = self.cleaned_data.get("attachment")
        if upload is None:
            return upload
        limit = settings.LAYANAN_ATTACHMENT_MAX_BYTES
        if upload.size > limit:
            raise forms.ValidationError(_("Lampiran terlalu besar (maksimal %(max)s MB).") % {"max": megabytes(limit)})
        try:
            upload_type_check(upload)  # its bytes, not the browser's word; and its name agrees
        except UploadRefused as error:
            raise forms.ValidationError(str(error)) from error
        return upload


class TransitionForm(forms.Form):
    to_status = forms.ChoiceField(choices=ServiceRequest.Status.choices)
    note = forms.CharField(label=_("Catatan"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class AssignForm(forms.Form):
    assignee = forms.IntegerField(label=_("Petugas"))
