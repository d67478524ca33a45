"""H5P packages: libraries (stored once per machine name and version, shared by every content) and the
content trainers upload. Files live in Django's default storage under the prefixes kept here."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class H5PLibrary(models.Model):
    machine_name = models.CharField(_("nama mesin"), max_length=127)
    major_version = models.PositiveIntegerField(_("versi mayor"))
    minor_version = models.PositiveIntegerField(_("versi minor"))
    patch_version = models.PositiveIntegerField(_("versi patch"))
    title = models.CharField(_("judul"), max_length=255)
    runnable = models.BooleanField(_("dapat dijalankan"), default=False)
    # library.json as installed: dependencies, preloaded files, embed types.
    metadata = models.JSONField(default=dict)
    # Folder in default storage holding the library's files (a new one on every replacement).
    storage_prefix = models.CharField(max_length=255, unique=True)
    installed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    installed_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("pustaka H5P")
        verbose_name_plural = _("pustaka H5P")
        ordering = ["machine_name", "major_version", "minor_version"]
        constraints = [
            models.UniqueConstraint(
                fields=["machine_name", "major_version", "minor_version"], name="h5p_library_version_unique"
            ),
        ]
        permissions = [("install_h5plibrary", _("Dapat memasang dan mengganti pustaka H5P"))]

    def __str__(self) -> str:
        return f"{self.machine_name} {self.major_version}.{self.minor_version}.{self.patch_version}"

    @property
    def folder_name(self) -> str:
        return f"{self.machine_name}-{self.major_version}.{self.minor_version}"


class H5PContent(models.Model):
    title = models.CharField(_("judul"), max_length=255)
    main_library = models.ForeignKey(
        H5PLibrary, verbose_name=_("pustaka utama"), on_delete=models.PROTECT, related_name="main_of"
    )
    libraries = models.ManyToManyField(H5PLibrary, related_name="used_by", blank=True)
    # h5p.json and content/content.json as uploaded (both small), kept for the player and for scoring.
    h5p_json = models.JSONField(default=dict)
    content_json = models.JSONField(default=dict)
    # Highest score the package can give, when its content types let us compute it; None otherwise.
    max_score = models.PositiveIntegerField(_("skor maksimum"), null=True, blank=True)
    # Scorable nested items: {subContentId: {"library": "H5P.MultiChoice", "max_score": 1 | None, "title": ...}}.
    sub_items = models.JSONField(default=dict, blank=True)
    storage_prefix = models.CharField(max_length=255, unique=True)
    package_size = models.PositiveBigIntegerField(_("ukuran paket (byte)"), default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("diunggah"), auto_now_add=True)
    updated_at = models.DateTimeField(_("diperbarui"), auto_now=True)

    class Meta:
        verbose_name = _("konten H5P")
        verbose_name_plural = _("konten H5P")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title

    @property
    def main_library_name(self) -> str:
        return self.h5p_json.get("mainLibrary", "")

    @property
    def scorable(self) -> bool:
        return bool(self.max_score) or bool(self.sub_items)


class QuarantinedStatement(models.Model):
    """A statement the player sent that our LRS refused: kept with the reason so no learner's work is lost."""

    content = models.ForeignKey(H5PContent, on_delete=models.CASCADE, related_name="quarantined")
    lesson = models.ForeignKey("content.LessonPage", null=True, on_delete=models.SET_NULL, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    statement_id = models.UUIDField(null=True, blank=True)
    statement = models.JSONField()
    reason = models.TextField(_("alasan"))
    received_at = models.DateTimeField(_("diterima"), auto_now_add=True)

    class Meta:
        verbose_name = _("pernyataan karantina")
        verbose_name_plural = _("pernyataan karantina")
        ordering = ["-received_at"]
        constraints = [
            # The player may send the same refused statement again (a retry): it is kept once.
            models.UniqueConstraint(fields=["user", "statement_id"], name="h5p_quarantine_statement_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.content} / {self.user} / {self.received_at:%Y-%m-%d %H:%M}"
