"""The statement store. The full statement is kept as JSON (JSONB on PostgreSQL); what queries filter
on is copied into indexed columns when the statement is stored, and never changes afterwards."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def key(value: str) -> str:
    """A fixed-size index key of an IRI or IFI (128 bits of SHA-256): values may be longer than a
    B-tree entry allows, keys never are."""
    return hashlib.sha256(value.encode("utf-8", "surrogatepass")).hexdigest()[:32]


class Statement(models.Model):
    class Source(models.TextChoices):
        """Who sent the statement: what the platform may believe of it depends on this (docs/trust.md)."""

        PLATFORM = "platform", _("Platform (dicatat sendiri)")
        PLAYER = "player", _("Pemutar H5P (diperiksa server)")
        SESSION = "session", _("Sesi peramban pegawai")
        CLIENT = "client", _("Klien LRS")

    id = models.UUIDField(primary_key=True, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="statements"
    )
    actor_key = models.CharField(max_length=32, help_text="key() of the actor's IFI.")
    # key() of the object's IFI when the object is an Agent or identified Group (the agent filter matches it).
    object_agent_key = models.CharField(max_length=32, blank=True, default="")
    verb = models.TextField()
    verb_key = models.CharField(max_length=32)
    activity_id = models.TextField(blank=True, default="", help_text="Object id when it is an Activity.")
    activity_key = models.CharField(max_length=32, blank=True, default="")
    registration = models.UUIDField(null=True, blank=True)
    timestamp = models.DateTimeField()
    stored = models.DateTimeField()
    voided = models.BooleanField(default=False)
    # The id of the statement this one voids (verb voided with a StatementRef object).
    voids = models.UUIDField(null=True, blank=True)
    # The statement this one refers to (object StatementRef, voiding or not): queries that match the
    # target also return the statements referring to it (Communication 2.1.3, filter conditions).
    ref_target = models.UUIDField(null=True, blank=True)
    data = models.JSONField()
    projected_at = models.DateTimeField(null=True, blank=True)
    # Who sent it: an LRS client, or None for the platform itself and browser sessions.
    client = models.ForeignKey("xapi.LrsClient", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    source = models.CharField(max_length=8, choices=Source.choices, default=Source.CLIENT)
    # The logged-in user whose browser sent it (sources session and player): who may void it.
    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # A projection that raised: the statement is set aside (projected_at set) with the error, and the run goes on.
    projection_error = models.TextField(blank=True, default="")

    class Meta:
        verbose_name = _("statement xAPI")
        verbose_name_plural = _("statement xAPI")
        indexes = [
            models.Index(fields=["actor_key", "stored"], name="stmt_actor_stored"),
            models.Index(
                fields=["object_agent_key", "stored"],
                name="stmt_objagent_stored",
                condition=~models.Q(object_agent_key=""),
            ),
            models.Index(fields=["verb_key", "stored"], name="stmt_verb_stored"),
            models.Index(fields=["activity_key", "stored"], name="stmt_activity_stored"),
            models.Index(fields=["registration"], name="stmt_registration"),
            models.Index(fields=["stored"], name="stmt_stored"),
            models.Index(fields=["user", "verb_key"], name="stmt_user_verb"),
            models.Index(fields=["stored"], name="stmt_unprojected", condition=models.Q(projected_at__isnull=True)),
            models.Index(fields=["ref_target"], name="stmt_ref_target", condition=models.Q(ref_target__isnull=False)),
            models.Index(fields=["stored"], name="stmt_projection_failed", condition=~models.Q(projection_error="")),
        ]

    def __str__(self) -> str:
        return f"{self.id} {self.verb.rsplit('/', 1)[-1]} {self.activity_id}"


class StatementRelation(models.Model):
    """Every agent and activity a statement mentions, for the related_agents / related_activities
    queries (actor and object alone are columns of Statement)."""

    class Kind(models.TextChoices):
        AGENT = "agent"
        ACTIVITY = "activity"

    statement = models.ForeignKey(Statement, on_delete=models.CASCADE, related_name="relations")
    kind = models.CharField(max_length=8, choices=Kind.choices)
    value_key = models.CharField(max_length=32, help_text="key() of the agent IFI or activity id.")
    stored = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["kind", "value_key", "stored"], name="stmtrel_lookup")]
        constraints = [
            models.UniqueConstraint(fields=["statement", "kind", "value_key"], name="stmtrel_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.statement_id} {self.kind} {self.value_key}"


class LrsClient(models.Model):
    """A system that reports to or reads from the LRS with HTTP Basic credentials (key:secret)."""

    SCOPES = (
        "statements/write",
        "statements/read",
        "statements/read/mine",
        "state",
        "define",
        "profile",
        "all/read",
        "all",
    )

    name = models.CharField(_("nama"), max_length=200)
    key = models.CharField(_("kunci"), max_length=100, unique=True)
    secret_hash = models.CharField(max_length=128, editable=False)
    scopes = models.CharField(
        _("cakupan"),
        max_length=300,
        default="all",
        help_text=_(
            "Dipisah koma: statements/write, statements/read, statements/read/mine, state, profile, all/read, all."
        ),
    )
    is_active = models.BooleanField(_("aktif"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("klien LRS")
        verbose_name_plural = _("klien LRS")

    def __str__(self) -> str:
        return f"{self.name} ({self.key})"

    @property
    def scope_set(self) -> frozenset[str]:
        return frozenset(s.strip() for s in self.scopes.split(",") if s.strip())


class Document(models.Model):
    """The document resources: activity state, activity profile and agent profile."""

    class Kind(models.TextChoices):
        STATE = "state"
        ACTIVITY_PROFILE = "activity_profile"
        AGENT_PROFILE = "agent_profile"

    kind = models.CharField(max_length=16, choices=Kind.choices)
    activity_id = models.TextField(blank=True, default="")
    agent = models.JSONField(null=True, blank=True)
    registration = models.UUIDField(null=True, blank=True)
    document_id = models.TextField()
    # key() of (kind, activity, agent IFI, registration): the set a listing or a DELETE of many covers.
    scope_key = models.CharField(max_length=32)
    # key() of the scope and the document id: one document.
    document_key = models.CharField(max_length=32, unique=True)
    content = models.BinaryField()
    content_type = models.CharField(max_length=255, default="application/octet-stream")
    etag = models.CharField(max_length=64)
    updated = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["scope_key", "updated"], name="doc_scope_updated")]

    def __str__(self) -> str:
        return f"{self.kind}: {self.document_id}"


class AttachmentPayload(models.Model):
    """An attachment's raw content, stored once per SHA-256 and shared by statements that carry it."""

    sha2 = models.CharField(max_length=128, primary_key=True)
    content_type = models.CharField(max_length=255)
    file = models.FileField(upload_to="xapi/attachments/")
    length = models.PositiveBigIntegerField()

    def __str__(self) -> str:
        return self.sha2


class OutboxEntry(models.Model):
    """A stored statement to forward to the upstream LRS (settings.LRS_FORWARD_*, see forwarding.py). One row
    per statement, written in the transaction that stores it; kept once sent (sent_at), so it is never sent
    twice. next_attempt_at is the backoff after a failure; claimed_until marks a batch a sender is sending."""

    statement = models.OneToOneField(Statement, on_delete=models.CASCADE, related_name="outbox_entry")
    created = models.DateTimeField(default=timezone.now)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    claimed_until = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True, default="")
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("antrean LRS hulu")
        verbose_name_plural = _("antrean LRS hulu")
        indexes = [models.Index(fields=["id"], name="outbox_unsent", condition=models.Q(sent_at__isnull=True))]

    def __str__(self) -> str:
        return f"{self.statement_id} {'sent' if self.sent_at else f'pending ({self.attempts} attempts)'}"


class TrustedActivity(models.Model):
    """An admin's word that one LRS client is a trusted source for one activity: that client's
    ``completed`` or ``passed`` statements about it complete the course it maps to. The JP, category and
    form are the course's own (our configuration), never what the statement says (docs/trust.md)."""

    client = models.ForeignKey(LrsClient, on_delete=models.CASCADE, related_name="trusted_activities")
    activity_id = models.TextField(_("IRI aktivitas"), help_text=_("IRI aktivitas persis seperti dikirim klien."))
    activity_key = models.CharField(max_length=32, editable=False)
    course = models.ForeignKey(
        "content.CoursePage",
        verbose_name=_("kursus"),
        on_delete=models.CASCADE,
        related_name="+",
        help_text=_("Kursus yang dinyatakan selesai; JP-nya diambil dari kursus ini."),
    )
    note = models.CharField(_("catatan"), max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("aktivitas tepercaya")
        verbose_name_plural = _("aktivitas tepercaya")
        constraints = [
            models.UniqueConstraint(fields=["client", "activity_key"], name="trustedactivity_client_activity_unique")
        ]

    def __str__(self) -> str:
        return f"{self.client} → {self.activity_id}"

    def save(self, *args, **kwargs):
        self.activity_key = key(self.activity_id)
        super().save(*args, **kwargs)
