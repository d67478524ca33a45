"""Identity is the shell's, shared by every module: users (employees), org units, HR scopes."""

from __future__ import annotations

import uuid

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _
from treebeard.mp_tree import MP_Node

from .validators import validate_nik, validate_nip


class Unit(MP_Node):
    """Perangkat daerah as a tree: OPD -> bidang/bagian -> seksi/UPT."""

    class Kind(models.TextChoices):
        OPD = "opd", _("Perangkat daerah (OPD)")
        BIDANG = "bidang", _("Bidang")
        BAGIAN = "bagian", _("Bagian")
        SEKSI = "seksi", _("Seksi / subbagian")
        UPT = "upt", _("UPT")

    code = models.CharField(_("kode"), max_length=32, unique=True)
    name = models.CharField(_("nama"), max_length=200)
    kind = models.CharField(_("jenis"), max_length=16, choices=Kind.choices, default=Kind.OPD)

    node_order_by = ["code"]

    class Meta:
        verbose_name = _("unit kerja")
        verbose_name_plural = _("unit kerja")

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    """An employee (or a technical account such as an administrator)."""

    class EmploymentType(models.TextChoices):
        PNS = "pns", _("PNS")
        PPPK = "pppk", _("PPPK")
        NON_ASN = "non_asn", _("Non-ASN")

    class PositionType(models.TextChoices):
        STRUKTURAL = "struktural", _("Struktural")
        FUNGSIONAL = "fungsional", _("Fungsional")
        PELAKSANA = "pelaksana", _("Pelaksana")

    # A stable, opaque identifier used in xAPI actors and URLs (never the NIP).
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    full_name = models.CharField(_("nama lengkap"), max_length=200, blank=True)
    nip = models.CharField(
        _("NIP"),
        max_length=18,
        unique=True,
        null=True,
        blank=True,
        validators=[validate_nip],
        help_text=_("18 digit, wajib untuk PNS dan PPPK."),
    )
    nik = models.CharField(_("NIK"), max_length=16, blank=True, validators=[validate_nik])
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit kerja"), null=True, blank=True, on_delete=models.PROTECT, related_name="members"
    )
    position = models.CharField(_("jabatan"), max_length=200, blank=True)
    position_type = models.CharField(
        _("jenis jabatan"), max_length=16, choices=PositionType.choices, default=PositionType.PELAKSANA
    )
    employment_type = models.CharField(
        _("status kepegawaian"), max_length=16, choices=EmploymentType.choices, default=EmploymentType.PNS
    )
    supervisor = models.ForeignKey(
        "self",
        verbose_name=_("atasan langsung"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="team",
    )
    hired_on = models.DateField(_("tanggal mulai bekerja"), null=True, blank=True)

    class Meta:
        verbose_name = _("pegawai")
        verbose_name_plural = _("pegawai")
        indexes = [
            models.Index(fields=["unit", "is_active"]),
            models.Index(fields=["supervisor"]),
            # statements identify people by mbox: a case-insensitive e-mail lookup
            models.Index(Lower("email"), name="user_email_lower"),
        ]
        # Who sees whom is the shell's (shell.people.selectors); every module reuses these two.
        permissions = [
            ("view_team", _("Dapat melihat data tim langsung")),
            ("view_scope", _("Dapat melihat data pegawai dalam cakupan SDM")),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.full_name or self.get_full_name() or self.username

    def get_full_name(self) -> str:  # used by Wagtail and the admin
        return self.full_name or super().get_full_name()

    def clean(self) -> None:
        super().clean()
        if self.nip == "":
            self.nip = None
        needs_nip = self.employment_type in (self.EmploymentType.PNS, self.EmploymentType.PPPK)
        if needs_nip and not self.nip and not self.is_superuser:
            raise ValidationError({"nip": _("NIP wajib diisi untuk pegawai PNS dan PPPK.")})
        if self.supervisor_id and self.pk and self.supervisor_id == self.pk:
            raise ValidationError({"supervisor": _("Pegawai tidak bisa menjadi atasan dirinya sendiri.")})


class HrScope(models.Model):
    """What an HR (BKPSDM) officer may see: a unit subtree, or the whole city when ``unit`` is empty."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="hr_scopes")
    unit = models.ForeignKey(
        Unit,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        verbose_name=_("unit"),
        help_text=_("Kosongkan untuk seluruh kota."),
    )

    class Meta:
        verbose_name = _("cakupan SDM")
        verbose_name_plural = _("cakupan SDM")
        constraints = [models.UniqueConstraint(fields=["user", "unit"], name="hrscope_user_unit_unique")]

    def __str__(self) -> str:
        return f"{self.user}: {self.unit or _('seluruh kota')}"
