"""NIP (Nomor Induk Pegawai): 18 digits = birth date (8), appointment year-month (6), sex (1), sequence (3)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


def validate_nip(value: str) -> None:
    nip = (value or "").strip()
    if not nip.isdigit():
        raise ValidationError(_("NIP hanya boleh berisi angka (tanpa spasi atau titik)."), code="nip_digits")
    if len(nip) != 18:
        raise ValidationError(
            _("NIP harus 18 digit; yang diisi %(count)s digit.") % {"count": len(nip)}, code="nip_length"
        )
    try:
        born = dt.date(int(nip[0:4]), int(nip[4:6]), int(nip[6:8]))
    except ValueError:
        raise ValidationError(
            _("Digit 1-8 NIP harus tanggal lahir yang sah (TTTTBBHH); %(part)s bukan tanggal.") % {"part": nip[0:8]},
            code="nip_birth_date",
        ) from None
    year, month = int(nip[8:12]), int(nip[12:14])
    if not 1 <= month <= 12:
        raise ValidationError(
            _("Digit 9-14 NIP harus tahun dan bulan pengangkatan (TTTTBB); bulan %(month)s tidak ada.")
            % {"month": nip[12:14]},
            code="nip_appointment_month",
        )
    if year < born.year + 15:
        raise ValidationError(
            _("Tahun pengangkatan pada NIP (%(year)s) tidak masuk akal untuk tanggal lahir %(born)s.")
            % {"year": year, "born": born.isoformat()},
            code="nip_appointment_year",
        )
    if nip[14] not in "12":
        raise ValidationError(
            _("Digit ke-15 NIP adalah jenis kelamin: 1 (laki-laki) atau 2 (perempuan), bukan %(digit)s.")
            % {"digit": nip[14]},
            code="nip_sex",
        )
    if nip[15:18] == "000":
        raise ValidationError(_("Tiga digit terakhir NIP (nomor urut) tidak boleh 000."), code="nip_sequence")


def validate_nik(value: str) -> None:
    nik = (value or "").strip()
    if not nik.isdigit() or len(nik) != 16:
        raise ValidationError(_("NIK harus 16 digit angka."), code="nik_format")
