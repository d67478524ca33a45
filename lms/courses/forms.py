"""Forms of the course pages: what is wrong is said in words on the form, never a 500."""

from __future__ import annotations

import csv
import datetime as dt
import uuid

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from content.models import CoursePage

from ..services import NO_LESSON_YET
from .selectors import ORDERINGS, LearnerFilters, LearnerStatus

# A list of NIPs: a unit of the city has far fewer employees than this.
NIP_LIST_MAX_BYTES = 2 * 1024 * 1024
NIP_LIST_MAX_ROWS = 20000


class LearnerFilterForm(forms.Form):
    q = forms.CharField(label=_("Cari nama atau NIP"), required=False, max_length=100)
    status = forms.ChoiceField(label=_("Status"), required=False)
    unit = forms.ModelChoiceField(label=_("Unit"), required=False, queryset=None, empty_label=_("Semua unit"))
    urut = forms.ChoiceField(
        label=_("Urutkan"),
        required=False,
        choices=[
            ("nama", _("Nama")),
            ("kemajuan", _("Kemajuan")),
            ("aktivitas", _("Aktivitas terakhir")),
            ("terdaftar", _("Terbaru terdaftar")),
        ],
    )

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [("", _("Semua status")), *LearnerStatus.choices()]
        self.fields["unit"].queryset = units

    def filters(self) -> LearnerFilters:
        """The valid filters; an invalid one is ignored (and shown as an error)."""
        if not self.is_bound:
            return LearnerFilters()
        self.is_valid()
        data = {k: v for k, v in getattr(self, "cleaned_data", {}).items() if k not in self.errors}
        order = data.get("urut") or "nama"
        return LearnerFilters(
            status=data.get("status") or "",
            q=data.get("q") or "",
            unit=data.get("unit"),
            order=order if order in ORDERINGS else "nama",
        )


class AnnouncementForm(forms.Form):
    title = forms.CharField(label=_("Judul"), max_length=150)
    body = forms.CharField(
        label=_("Isi pengumuman"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Teks biasa; tautan dan tanda HTML ditampilkan apa adanya."),
    )
    # One key per form shown: sending the same form twice makes one announcement.
    request_key = forms.UUIDField(widget=forms.HiddenInput, initial=uuid.uuid4)


def _due_date_checked(due: dt.date | None) -> dt.date | None:
    if due is None:
        return None
    if due < timezone.localdate():
        raise forms.ValidationError(_("Tenggat tidak boleh di masa lalu."))
    if due > timezone.localdate() + dt.timedelta(days=730):
        raise forms.ValidationError(_("Tenggat paling lama dua tahun dari hari ini."))
    return due


def nip_rows(text: str) -> list[tuple[int, str]]:
    """(row number, NIP as written) from one NIP per line, or a CSV (comma, semicolon or tab). A first
    row without any digit is a header: its column named like "NIP" is read (else the first column). Row
    numbers count every line, header included, as a spreadsheet shows them; empty lines are skipped."""
    lines = text.splitlines()
    first = next((line for line in lines if line.strip()), "")
    delimiter = max((";", ",", "\t"), key=first.count) if any(d in first for d in ";,\t") else ","
    rows: list[tuple[int, str]] = []
    column, seen_first = 0, False
    reader = csv.reader(lines, delimiter=delimiter)
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error:  # a field beyond csv's limit: usually one stray quote swallowing the rest
            raise forms.ValidationError(
                _(
                    'Baris %(n)s tidak dapat dibaca sebagai CSV (periksa tanda kutip " yang tidak ditutup), '
                    "atau tempel satu NIP per baris."
                )
                % {"n": reader.line_num}
            ) from None
        number = reader.line_num
        cells = [cell.strip() for cell in cells]
        if not any(cells):
            continue
        if not seen_first:
            seen_first = True
            if not any(ch.isdigit() for cell in cells for ch in cell):
                named = [i for i, cell in enumerate(cells) if "nip" in cell.lower()]
                column = named[0] if named else 0
                continue
        value = cells[column] if column < len(cells) else ""
        rows.append((number, value.lstrip("'")))  # Excel's "text" apostrophe
    return rows


class BulkEnrollForm(forms.Form):
    MODE_UNIT, MODE_LIST = "unit", "daftar"

    course = forms.ModelChoiceField(
        label=_("Kursus"),
        queryset=CoursePage.objects.live().order_by("title"),
        error_messages={"invalid_choice": _("Pilih kursus yang ada di katalog.")},
    )
    mode = forms.ChoiceField(
        label=_("Siapa yang didaftarkan"),
        choices=[(MODE_UNIT, _("Semua pegawai sebuah unit")), (MODE_LIST, _("Daftar NIP (CSV)"))],
        widget=forms.RadioSelect,
        initial=MODE_UNIT,
    )
    unit = forms.ModelChoiceField(
        label=_("Unit"),
        required=False,
        queryset=None,
        error_messages={"invalid_choice": _("Unit ini di luar cakupan Anda: Anda hanya dapat mendaftarkan unit Anda.")},
    )
    with_subunits = forms.BooleanField(label=_("Termasuk sub-unit"), required=False, initial=True)
    nip_file = forms.FileField(
        label=_("Berkas CSV"),
        required=False,
        help_text=_("Satu NIP per baris, atau CSV dengan kolom bernama NIP (dari Excel: Simpan sebagai CSV)."),
    )
    nip_text = forms.CharField(
        label=_("Atau tempel NIP di sini"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5, "inputmode": "numeric"}),
    )
    due_date = forms.DateField(
        label=_("Tenggat (tidak wajib)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("Tulis tanggal seperti 2026-12-31.")},
    )
    # Carried from the preview to the confirmation.
    fingerprint = forms.CharField(required=False, widget=forms.HiddenInput, max_length=64)
    request_key = forms.UUIDField(widget=forms.HiddenInput, initial=uuid.uuid4)

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["unit"].label_from_instance = lambda unit: "\u2003" * (unit.depth - 1) + unit.name

    def clean_due_date(self):
        return _due_date_checked(self.cleaned_data.get("due_date"))

    def clean_course(self):
        course = self.cleaned_data["course"]
        if not course.open_for_enrolment():
            raise forms.ValidationError(NO_LESSON_YET)
        return course

    def clean(self):
        cleaned = super().clean()
        mode = cleaned.get("mode")
        listed = cleaned.get("nip_file") or (cleaned.get("nip_text") or "").strip()
        if mode == self.MODE_UNIT and not cleaned.get("unit") and listed:
            # A file or pasted NIPs with no unit picked: the person meant the list, whatever the radio says.
            mode = cleaned["mode"] = self.MODE_LIST
        if mode == self.MODE_UNIT and not cleaned.get("unit") and "unit" not in self.errors:
            self.add_error("unit", _("Pilih unitnya."))
        if mode == self.MODE_LIST:
            text = self._list_text(cleaned)
            if text is not None:
                try:
                    rows = nip_rows(text)
                except forms.ValidationError as error:
                    self.add_error("nip_file" if cleaned.get("nip_file") else "nip_text", error)
                    return cleaned
                if not rows:
                    self.add_error("nip_text", _("Daftar ini tidak berisi NIP."))
                elif len(rows) > NIP_LIST_MAX_ROWS:
                    self.add_error(
                        "nip_text",
                        _("Paling banyak %(n)s baris sekali unggah; bagi daftarnya.") % {"n": NIP_LIST_MAX_ROWS},
                    )
                else:
                    cleaned["nip_text"], cleaned["rows"] = text, rows
        return cleaned

    def _list_text(self, cleaned) -> str | None:
        upload = cleaned.get("nip_file")
        if upload is not None:
            if upload.size > NIP_LIST_MAX_BYTES:
                self.add_error("nip_file", _("Berkas terlalu besar (paling besar 2 MB)."))
                return None
            raw = upload.read()
            for encoding in ("utf-8-sig", "cp1252"):
                try:
                    return raw.decode(encoding)
                except UnicodeDecodeError:
                    continue
            self.add_error("nip_file", _("Berkas ini bukan teks CSV. Simpan dari Excel sebagai CSV, lalu unggah lagi."))
            return None
        text = cleaned.get("nip_text") or ""
        if not text.strip():
            self.add_error("nip_text", _("Unggah berkas CSV atau tempel daftar NIP."))
            return None
        if len(text.encode()) > NIP_LIST_MAX_BYTES:
            self.add_error("nip_text", _("Daftar terlalu panjang (paling besar 2 MB)."))
            return None
        return text
