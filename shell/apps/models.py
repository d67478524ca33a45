"""The city's external apps: what an administrator registers (no code, no deploy), and the keys that
sign the ID tokens the shell issues to them as their OpenID Connect provider."""

from __future__ import annotations

from django.contrib.auth.models import Group
from django.db import models
from django.utils.translation import gettext_lazy as _

from shell.people.models import Unit


class ExternalApp(models.Model):
    """An app of the city with its own server and team, shown as a tile to the employees it names and
    signed in through the shell. Its OpenID Connect client is a django-oauth-toolkit Application."""

    slug = models.SlugField(_("kode"), max_length=50, unique=True)
    name = models.CharField(_("nama"), max_length=100)
    icon = models.CharField(
        _("ikon"), max_length=40, default="grid", help_text=_("Nama ikon dari set ikon Tangerang Ayo.")
    )
    description = models.CharField(_("keterangan"), max_length=300, blank=True)
    launch_url = models.URLField(_("alamat pembuka"), help_text=_("Halaman aplikasi yang dibuka dari ubin beranda."))
    owner_unit = models.ForeignKey(
        Unit, verbose_name=_("unit pemilik"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Who sees it: every condition that is filled must hold (empty = everyone).
    roles = models.ManyToManyField(Group, verbose_name=_("peran"), blank=True, related_name="+")
    units = models.ManyToManyField(
        Unit, verbose_name=_("unit kerja"), blank=True, related_name="+", help_text=_("Termasuk sub-unitnya.")
    )
    employment_types = models.JSONField(_("status kepegawaian"), default=list, blank=True)
    client = models.OneToOneField(
        "oauth2_provider.Application", verbose_name=_("klien OIDC"), on_delete=models.PROTECT, related_name="city_app"
    )
    scopes = models.JSONField(_("cakupan"), default=list, blank=True)
    first_party = models.BooleanField(
        _("aplikasi milik Pemkot"), default=True, help_text=_("Tanpa layar persetujuan bagi pegawai.")
    )
    enabled = models.BooleanField(_("aktif"), default=True)
    order = models.PositiveIntegerField(_("urutan"), default=500)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("aplikasi kota")
        verbose_name_plural = _("aplikasi kota")
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name

    @property
    def client_id(self) -> str:
        return self.client.client_id


class SigningKey(models.Model):
    """An RSA key for ID tokens. One is current; retired ones stay in the JWKS until every ID token they
    signed has expired (shell.apps.keys). The private key is kept encrypted (OIDC_KEY_ENCRYPTION_KEY)."""

    kid = models.CharField(max_length=64, unique=True)
    private_key = models.TextField(help_text="Fernet-encrypted PEM")
    # True for the one current key, NULL once retired: the unique constraint allows one current key.
    current = models.BooleanField(null=True, default=True, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    retired_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("kunci penanda tangan OIDC")
        verbose_name_plural = _("kunci penanda tangan OIDC")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.kid
