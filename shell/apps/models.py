"""The city's external apps: what an administrator registers (no code, no deploy), and the keys that
sign the ID tokens the shell issues to them as their OpenID Connect provider."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.validators import RegexValidator
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
    api_rate = models.CharField(
        _("batas panggilan API"),
        max_length=20,
        blank=True,
        validators=[RegexValidator(r"^[1-9][0-9]{0,6}/(s|sec|m|min|h|hour|d|day)$", _("Contoh: 600/min."))],
        help_text=_("Mis. 600/min atau 10000/day. Kosong: batas umum (APPS_API_RATE)."),
    )
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


class AppBadge(models.Model):
    """The number an app shows on its own tile on one employee's home screen (inbound API)."""

    app = models.ForeignKey(ExternalApp, on_delete=models.CASCADE, related_name="badges")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    count = models.PositiveIntegerField()
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("angka ubin aplikasi")
        verbose_name_plural = _("angka ubin aplikasi")
        constraints = [models.UniqueConstraint(fields=["user", "app"], name="apps_badge_one_per_user_app")]

    def __str__(self) -> str:
        return f"{self.app} / {self.user_id}: {self.count}"


class InboundRequest(models.Model):
    """A write an app made through the inbound API, kept under the app's own id: the same id with the
    same body is answered again from here (recorded once); with another body it is refused (409)."""

    app = models.ForeignKey(ExternalApp, on_delete=models.CASCADE, related_name="+")
    endpoint = models.CharField(max_length=32)
    key = models.CharField(max_length=100)
    body_hash = models.CharField(max_length=64)
    status_code = models.PositiveSmallIntegerField()
    response = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["app", "endpoint", "key"], name="apps_inbound_once_per_app_id")]

    def __str__(self) -> str:
        return f"{self.app_id} {self.endpoint} {self.key}"


class InboundCall(models.Model):
    """One call of the inbound API by an app, whatever its outcome (the audit trail admins read)."""

    class Outcome(models.TextChoices):
        RECORDED = "recorded", _("dicatat")
        REPLAYED = "replayed", _("diulang (sudah dicatat)")
        CONFLICT = "conflict", _("id dipakai untuk isi lain")
        INVALID = "invalid", _("masukan salah")
        REFUSED = "refused", _("ditolak")
        THROTTLED = "throttled", _("melebihi batas")
        ERROR = "error", _("galat")

    app = models.ForeignKey(ExternalApp, verbose_name=_("aplikasi"), on_delete=models.CASCADE, related_name="+")
    endpoint = models.CharField(_("endpoint"), max_length=32)
    key = models.CharField(_("id dari aplikasi"), max_length=100, blank=True)
    employee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("pegawai"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    nip = models.CharField(_("NIP"), max_length=32, blank=True)
    status_code = models.PositiveSmallIntegerField(_("kode status"))
    outcome = models.CharField(_("hasil"), max_length=16, choices=Outcome.choices)
    detail = models.CharField(_("keterangan"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("waktu"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("panggilan API aplikasi")
        verbose_name_plural = _("panggilan API aplikasi")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["app", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.app_id} {self.endpoint} {self.status_code}"


class LaunchCode(models.Model):
    """Marks an authorization code the shell issued itself when the mobile app opened the app (no browser
    sign-in, so no PKCE): redeemable once, within a minute, by that app's confidential client only. It goes
    with its code (django-oauth-toolkit deletes the grant when it is redeemed or expires)."""

    grant = models.OneToOneField("oauth2_provider.Grant", on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return str(self.grant_id)
