from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from .selectors import h5p_content_in_use, installed_libraries
from .services import (
    IN_USE_REPLACE_MESSAGE,
    h5p_content_editable_by,
    h5p_content_import,
    h5p_package_check,
    installed_content_types,
    user_can_install_libraries,
)
from .validation import PackageError


class H5PContentForm(WagtailAdminModelForm):
    """Upload (or replace) a package; the package is checked in clean() and stored by the service."""

    package = forms.FileField(
        label=_("Berkas .h5p"),
        required=False,
        help_text=_("Paket H5P hasil ekspor editor H5P (misalnya Lumi atau h5p.org)."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["title"].required = False
        self.fields["title"].help_text = _("Kosongkan untuk memakai judul dari paket.")
        if not self.instance.pk:
            self.fields["package"].required = True
        elif h5p_content_in_use(content=self.instance):
            self.fields["package"].help_text = IN_USE_REPLACE_MESSAGE
        else:
            self.fields["package"].help_text = _("Unggah paket baru untuk mengganti isi konten ini.")
        # Before a trainer tries: which content types play here (an admin's upload installs new ones).
        types = installed_content_types(installed=installed_libraries())
        if user_can_install_libraries(self.for_user):
            note = _("Pustaka baru yang dibawa paket ikut terpasang.")
        elif types:
            note = _("Jenis konten yang dapat Anda unggah: %(types)s.") % {"types": types}
        else:
            note = _("Belum ada pustaka H5P terpasang: minta admin menjalankan manage.py h5p_install_libraries.")
        self.fields["package"].help_text = f"{self.fields['package'].help_text} {note}"

    def clean(self):
        cleaned = super().clean()
        upload = cleaned.get("package")
        if self.instance.pk and not h5p_content_editable_by(content=self.instance, user=self.for_user):
            raise forms.ValidationError(
                _(
                    "Konten ini dipakai di pelajaran yang tidak boleh Anda sunting; hanya penyunting pelajaran itu yang boleh mengubahnya."
                )
            )
        if upload and self.instance.pk and h5p_content_in_use(content=self.instance):
            self.add_error("package", IN_USE_REPLACE_MESSAGE)
        elif upload:
            try:
                h5p_package_check(upload=upload, user=self.for_user)
            except PackageError as error:
                for message in error.messages:
                    self.add_error("package", message)
        elif not self.instance.pk:
            self.add_error("package", _("Pilih berkas .h5p."))
        if self.instance.pk and not upload and not cleaned.get("title"):
            self.add_error("title", _("Judul wajib diisi."))
        return cleaned

    def save(self, commit=True):
        upload = self.cleaned_data.get("package")
        title = self.cleaned_data.get("title") or None
        if upload:
            upload.seek(0)
            return h5p_content_import(
                upload=upload, user=self.for_user, title=title, content=self.instance if self.instance.pk else None
            )
        return super().save(commit=commit)
