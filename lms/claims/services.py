"""Claim writes: submit (with evidence checks and duplicate refusal), decide (supervisor), verify or
reverse (BKPSDM). An approved claim becomes a statement and a ledger entry; a reversal voids the
statement and adds a compensating ledger entry, never deleting anything."""

from __future__ import annotations

import datetime as dt
import hashlib
from decimal import Decimal

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from content.models import CompetencyCategory, DevelopmentForm
from lms.hours.evidence import credit_for_statement
from lms.hours.models import CreditRule, LedgerEntry
from lms.hours.selectors import JAKARTA, credit_rule_for, jakarta_date, jp_allowed, year_policy
from lms.hours.services import ledger_credit, ledger_reverse
from lms.xapi.transformers import learning_event_record
from lms.xapi.transformers.classroom import statement_void
from shell import formatting
from shell.files import FileType, UploadRefused, upload_type_check
from shell.inbox.services import notification_create
from shell.people.models import User

from .models import Claim
from .selectors import can_audit, can_decide

FIELDS = (
    "title",
    "organiser",
    "form",
    "category",
    "start_date",
    "end_date",
    "quantity",
    "jp_requested",
    "certificate_number",
)


class ClaimError(Exception):
    """What the employee (or supervisor) must correct, in words."""


def evidence_check(upload: UploadedFile) -> tuple[str, FileType]:
    """The file's SHA-256 and type when it is a PDF/JPG/PNG (its bytes say so, and its name's extension
    agrees) within the size limit; else ClaimError."""
    limit = settings.CLAIM_EVIDENCE_MAX_BYTES
    if upload.size > limit:
        raise ClaimError(
            _("Berkas bukti terlalu besar (%(size)s MB); maksimal %(max)s MB.")
            % {"size": round(upload.size / 1048576, 1), "max": round(limit / 1048576, 1)}
        )
    try:
        found = upload_type_check(upload)
    except UploadRefused as error:
        raise ClaimError(str(error)) from error
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest(), found


def _validate(*, user, data: dict, today: dt.date, claim: Claim | None, evidence_hash: str) -> CreditRule:
    if data["form"] not in DevelopmentForm.values:
        raise ClaimError(_("Pilih bentuk pengembangan dari daftar."))
    if data["category"] not in CompetencyCategory.values:
        raise ClaimError(_("Pilih kategori kompetensi dari daftar."))
    if data["end_date"] < data["start_date"]:
        raise ClaimError(_("Tanggal selesai tidak boleh sebelum tanggal mulai."))
    if data["end_date"] > today:
        raise ClaimError(_("Kegiatan belum selesai; ajukan klaim setelah tanggal selesai."))
    if data["jp_requested"] <= 0 or data["quantity"] <= 0:
        raise ClaimError(_("JP dan jumlah satuan harus lebih dari nol."))
    rule = credit_rule_for(form=data["form"], year=data["end_date"].year)
    if rule.evidence_required and not evidence_hash and not (claim and claim.evidence):
        raise ClaimError(_("Bentuk pengembangan ini wajib melampirkan bukti (sertifikat atau surat tugas)."))
    active = Claim.objects.filter(status__in=Claim.ACTIVE)
    if claim is not None:
        active = active.exclude(pk=claim.pk)
    number = (data.get("certificate_number") or "").strip()
    if number and active.filter(certificate_number__iexact=number).exists():
        raise ClaimError(_("Nomor sertifikat %(number)s sudah pernah diklaim.") % {"number": number})
    if evidence_hash and active.filter(evidence_sha256=evidence_hash).exists():
        raise ClaimError(_("Berkas bukti yang sama sudah pernah dipakai untuk klaim lain."))
    return rule


def check_claim_submit(
    *, user, data: dict, evidence: UploadedFile | None = None, claim: Claim | None = None, now=None
) -> Claim:
    """Submit a new claim, or resubmit one returned for changes."""
    now = now or timezone.now()
    if claim is not None and (claim.user_id != user.pk or claim.status != Claim.Status.RETURNED):
        raise ClaimError(_("Hanya klaim yang dikembalikan untuk diperbaiki yang bisa diajukan ulang."))
    data = {**data, "certificate_number": (data.get("certificate_number") or "").strip()}
    evidence_hash, evidence_type = evidence_check(evidence) if evidence else ("", None)
    rule = _validate(user=user, data=data, today=jakarta_date(now), claim=claim, evidence_hash=evidence_hash)
    try:
        with transaction.atomic():
            if claim is None:
                claim = Claim(user=user)
            for name in FIELDS:
                setattr(claim, name, data[name])
            if evidence:
                # Stored as what its bytes are: the uploader's name and extension are kept nowhere.
                evidence.name = f"bukti.{evidence_type.extension}"
                claim.evidence = evidence
                claim.evidence_sha256 = evidence_hash
            claim.status, claim.submitted_at = Claim.Status.SUBMITTED, now
            claim.save()
            if not rule.approval_required:
                _approve(
                    claim=claim, by=None, reason=_("Tidak memerlukan persetujuan atasan (aturan bentuk)."), now=now
                )
            elif user.supervisor_id:
                notification_create(
                    user=user.supervisor,
                    kind="lms.claim_to_decide",
                    title=_("Klaim JP menunggu persetujuan: %(name)s") % {"name": user.display_name},
                    body=claim.title,
                    url=f"/belajar/klaim/{claim.pk}/",
                    dedupe_key=f"claim-submitted:{claim.pk}:{now.isoformat()}",
                )
    except IntegrityError as error:
        # The partial unique constraints: a twin submitted at the same moment.
        raise ClaimError(_("Klaim dengan nomor sertifikat atau berkas bukti yang sama sudah ada.")) from error
    return claim


def claim_withdraw(*, claim: Claim, by) -> Claim:
    if claim.user_id != by.pk or claim.status not in (Claim.Status.SUBMITTED, Claim.Status.RETURNED):
        raise ClaimError(_("Klaim ini tidak bisa ditarik lagi."))
    claim.status = Claim.Status.WITHDRAWN
    claim.save(update_fields=["status"])
    return claim


def claim_decide(*, claim: Claim, by, decision: str, reason: str = "", now=None) -> Claim:
    """The supervisor approves, returns for changes, or rejects (with a reason)."""
    now = now or timezone.now()
    reason = (reason or "").strip()
    if not can_decide(viewer=by, claim=claim):
        raise PermissionError(_("Anda bukan atasan langsung pegawai ini."))
    if decision not in ("approve", "return", "reject"):
        raise ClaimError(_("Keputusan tidak dikenal."))
    if decision in ("return", "reject") and not reason:
        raise ClaimError(_("Tuliskan alasannya agar pegawai tahu apa yang harus diperbaiki."))
    with transaction.atomic():
        claim = Claim.objects.select_for_update().get(pk=claim.pk)
        if claim.status != Claim.Status.SUBMITTED:
            raise ClaimError(_("Klaim ini sudah diputuskan (%(status)s).") % {"status": claim.get_status_display()})
        if decision == "approve":
            return _approve(claim=claim, by=by, reason=reason, now=now)
        claim.status = Claim.Status.RETURNED if decision == "return" else Claim.Status.REJECTED
        claim.decided_by, claim.decided_at, claim.decision_reason = by, now, reason
        claim.save(update_fields=["status", "decided_by", "decided_at", "decision_reason"])
        title = (
            _("Klaim dikembalikan untuk diperbaiki: %(title)s")
            if decision == "return"
            else _("Klaim ditolak: %(title)s")
        ) % {"title": claim.title}
        notification_create(
            user=claim.user,
            kind="lms.claim_decided",
            title=title,
            body=reason,
            url=f"/belajar/klaim/{claim.pk}/",
            dedupe_key=f"claim-decided:{claim.pk}:{now.isoformat()}",
        )
    return claim


def claim_jp(*, claim: Claim, rule: CreditRule) -> tuple[Decimal, str]:
    """The JP the form's conversion gives (never more than asked for), and a note when it differs."""
    if rule.unit == CreditRule.Unit.JP:
        return claim.jp_requested, ""
    per_unit = rule.jp_per_unit
    if per_unit is None:  # hours, at the year's minutes per JP (default 45: one hour is 1.33 JP)
        per_unit = Decimal(60) / Decimal(year_policy(claim.end_date.year).minutes_per_jp)
    converted = (claim.quantity * per_unit).quantize(Decimal("0.01"))
    if converted >= claim.jp_requested:
        return claim.jp_requested, ""
    return converted, _("Dikonversi: %(q)s %(unit)s x %(per)s JP = %(jp)s JP (diajukan %(asked)s JP).") % {
        "q": formatting.number(claim.quantity),
        "unit": rule.get_unit_display(),
        "per": formatting.jp(per_unit),
        "jp": formatting.jp(converted),
        "asked": formatting.jp(claim.jp_requested),
    }


def _approve(*, claim: Claim, by, reason: str, now) -> Claim:
    year = claim.end_date.year
    # One approval at a time per employee: the form's yearly cap is counted, then credited.
    User.objects.select_for_update().filter(pk=claim.user_id).first()
    rule = credit_rule_for(form=claim.form, year=year)
    converted, conversion_note = claim_jp(claim=claim, rule=rule)
    jp, cap_note = jp_allowed(user=claim.user, form=claim.form, year=year, jp=converted)
    note = " ".join(n for n in (conversion_note, cap_note) if n)
    recorded = learning_event_record(
        "claims.claim.completed",
        user=claim.user,
        enrollment=claim,
        timestamp=dt.datetime.combine(claim.end_date, dt.time(12), tzinfo=JAKARTA),
        jp=jp,
        note=note,
    )
    # The statement the platform just wrote (dated on the claim's end date: a claim counts in the year its
    # activity ended, docs/domain/claims.md) is the evidence; the credit is derived from it (one path).
    ledger_credit(credit=credit_for_statement(recorded.statement))
    claim.status = Claim.Status.APPROVED
    claim.jp_credited, claim.credit_note = jp, note[:500]
    claim.decided_by, claim.decided_at, claim.decision_reason = by, now, reason
    claim.statement_id = recorded.statement.id
    claim.save(
        update_fields=[
            "status",
            "jp_credited",
            "credit_note",
            "decided_by",
            "decided_at",
            "decision_reason",
            "statement_id",
        ]
    )
    notification_create(
        user=claim.user,
        kind="lms.claim_decided",
        title=_("Klaim disetujui: %(title)s") % {"title": claim.title},
        body=_("%(jp)s JP dikreditkan.") % {"jp": formatting.jp(jp)} + (f" {note}" if note else ""),
        url=f"/belajar/klaim/{claim.pk}/",
        dedupe_key=f"claim-approved:{claim.pk}",
    )
    return claim


def claim_verify(*, claim: Claim, by, now=None) -> Claim:
    """BKPSDM confirms an approved claim after its audit."""
    if not can_audit(viewer=by, claim=claim):
        raise PermissionError(_("Klaim ini di luar cakupan SDM Anda."))
    with transaction.atomic():
        claim = Claim.objects.select_for_update().get(pk=claim.pk)
        if claim.status == Claim.Status.VERIFIED:
            return claim
        if claim.status != Claim.Status.APPROVED:
            raise ClaimError(_("Hanya klaim yang sudah disetujui atasan yang bisa diverifikasi."))
        claim.status, claim.verified_by, claim.verified_at = Claim.Status.VERIFIED, by, now or timezone.now()
        claim.save(update_fields=["status", "verified_by", "verified_at"])
    return claim


def claim_reverse(*, claim: Claim, by, reason: str, now=None) -> Claim:
    """BKPSDM reverses an approved claim: the statement is voided and the credit cancelled by a
    compensating entry (in the credit's own year), never deleted."""
    now = now or timezone.now()
    reason = (reason or "").strip()
    if not can_audit(viewer=by, claim=claim):
        raise PermissionError(_("Klaim ini di luar cakupan SDM Anda."))
    if not reason:
        raise ClaimError(_("Tuliskan alasan pembatalan klaim."))
    if "\x00" in reason:  # PostgreSQL text cannot hold one
        raise ClaimError(_("Alasan memuat karakter NUL (kode 0) yang tidak diizinkan. Tulis ulang alasannya."))
    with transaction.atomic():
        claim = Claim.objects.select_for_update().get(pk=claim.pk)
        if claim.status == Claim.Status.REVERSED:
            return claim
        if claim.status not in Claim.CREDITED:
            raise ClaimError(_("Hanya klaim yang sudah dikreditkan yang bisa dibatalkan."))
        entry = LedgerEntry.objects.filter(source_key=claim.source_key).first()
        void = (
            statement_void(statement_id=claim.statement_id, by_user=by, timestamp=now) if claim.statement_id else None
        )
        if entry is not None:
            ledger_reverse(
                entry=entry,
                date=entry.date,
                note=_("Klaim dibatalkan BKPSDM: %(reason)s") % {"reason": reason},
                evidence=f"void:{void.id}" if void is not None else f"claim:{claim.pk}",
            )
        claim.status, claim.reversed_by, claim.reversed_at, claim.reversal_reason = (
            Claim.Status.REVERSED,
            by,
            now,
            reason,
        )
        claim.save(update_fields=["status", "reversed_by", "reversed_at", "reversal_reason"])
        notification_create(
            user=claim.user,
            kind="lms.claim_reversed",
            title=_("Klaim dibatalkan BKPSDM: %(title)s") % {"title": claim.title},
            body=reason,
            url=f"/belajar/klaim/{claim.pk}/",
            dedupe_key=f"claim-reversed:{claim.pk}",
        )
    return claim
