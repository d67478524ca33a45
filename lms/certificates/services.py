"""Issuing, revoking and reissuing certificates. A certificate is never deleted or edited in what it
certifies: a correction revokes it and issues a new one with a new number and code."""

from __future__ import annotations

import datetime as dt
import secrets
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shell import events
from shell.inbox.services import notification_create

from ..events import EVENT_CERTIFICATE_ISSUED
from ..surveys.holds import certificate_hold
from .models import Certificate, NumberSequence, Signatory

# No 0/O, 1/I/L: read aloud or typed from paper without doubt.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 10


class CertificateError(Exception):
    pass


def _code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def _next_number(year: int) -> str:
    try:
        with transaction.atomic():
            NumberSequence.objects.get_or_create(year=year)
    except IntegrityError:
        pass
    sequence = NumberSequence.objects.select_for_update().get(year=year)
    sequence.last += 1
    sequence.save(update_fields=["last"])
    return f"UPKT/{year}/{sequence.last:06d}"


def signatory_for(*, year: int) -> Signatory:
    signatory = Signatory.objects.filter(year__lte=year).order_by("-year").first()
    if signatory is None:
        # Unconfigured: the office signs; an administrator sets the person per year.
        return Signatory(year=year, name=_("Kepala BKPSDM Kota Tangerang"), position=_("Kepala BKPSDM"))
    return signatory


def certificate_issue(
    *,
    user,
    kind: str,
    source_key: str,
    title: str,
    jp: Decimal,
    start_date: dt.date,
    end_date: dt.date,
    issued_at: dt.datetime | None = None,
    replaces: Certificate | None = None,
    extra_event: dict | None = None,
) -> Certificate | None:
    """Issue the certificate of ``source_key`` once: while a valid one exists, it is returned. None while it
    waits for the holder's participants' survey (when its course or class requires one): answering the
    survey issues it (``lms.surveys``)."""
    existing = Certificate.objects.filter(source_key=source_key, revoked_at__isnull=True).first()
    if existing is not None:
        return existing
    if replaces is None and certificate_hold(
        user=user,
        source_key=source_key,
        course_id=(extra_event or {}).get("course_id"),
        session_id=(extra_event or {}).get("session_id"),
        issue={
            "kind": kind,
            "source_key": source_key,
            "title": title,
            "jp": jp,
            "start_date": start_date,
            "end_date": end_date,
            "extra_event": extra_event,
        },
    ):
        return None
    issued_at = issued_at or timezone.now()
    signatory = signatory_for(year=end_date.year)
    try:
        with transaction.atomic():
            certificate = Certificate.objects.create(
                number=_next_number(end_date.year),
                code=_code(),
                user=user,
                kind=kind,
                source_key=source_key,
                title=title[:255],
                jp=jp,
                start_date=start_date,
                end_date=end_date,
                holder_name=user.display_name,
                holder_nip=user.nip or "",
                signatory_name=signatory.name,
                signatory_position=signatory.position,
                signatory_nip=signatory.nip,
                issued_at=issued_at,
                replaces=replaces,
            )
    except IntegrityError:
        # A concurrent twin issued it first (one valid certificate per source: a DB constraint).
        return Certificate.objects.get(source_key=source_key, revoked_at__isnull=True)
    notification_create(
        user=user,
        kind="lms.certificate_issued",
        title=_("Sertifikat terbit: %(title)s") % {"title": title},
        body=_("Nomor %(number)s. Unduh PDF-nya di halaman Sertifikat saya.") % {"number": certificate.number},
        url=f"/sertifikat/{certificate.pk}/",
        dedupe_key=f"certificate-issued:{certificate.pk}",
    )
    from .selectors import certificate_url

    events.publish(
        EVENT_CERTIFICATE_ISSUED,
        {
            "user_id": user.pk,
            "number": certificate.number,
            "url": certificate_url(certificate=certificate),
            "title": certificate.title,
            "jp": str(certificate.jp),
            "date": certificate.end_date.isoformat(),
            **(extra_event or {}),
        },
        event_id=f"{EVENT_CERTIFICATE_ISSUED}:{certificate.pk}",
    )
    return certificate


def certificate_revoke(*, certificate: Certificate, by, reason: str, now: dt.datetime | None = None) -> Certificate:
    reason = (reason or "").strip()
    if not reason:
        raise CertificateError(_("Tuliskan alasan pencabutan sertifikat."))
    if "\x00" in reason:  # PostgreSQL text cannot hold one
        raise CertificateError(_("Alasan memuat karakter NUL (kode 0) yang tidak diizinkan. Tulis ulang alasannya."))
    with transaction.atomic():
        certificate = Certificate.objects.select_for_update().get(pk=certificate.pk)
        if certificate.revoked_at is not None:
            return certificate
        certificate.revoked_at = now or timezone.now()
        certificate.revoked_reason = reason[:500]
        certificate.revoked_by = by
        certificate.save(update_fields=["revoked_at", "revoked_reason", "revoked_by"])
    return certificate


def certificate_reissue(*, certificate: Certificate, by, reason: str) -> Certificate:
    """Revoke and issue anew (e.g. a corrected name): a new number and code; the old code shows "revoked"."""
    with transaction.atomic():
        old = certificate_revoke(certificate=certificate, by=by, reason=reason)
        if Certificate.objects.filter(replaces=old).exists():
            return old.replaced_by
        old.user.refresh_from_db()
        return certificate_issue(
            user=old.user,
            kind=old.kind,
            source_key=old.source_key,
            title=old.title,
            jp=old.jp,
            start_date=old.start_date,
            end_date=old.end_date,
            replaces=old,
            extra_event=_source_ids(old.source_key),
        )


def _source_ids(source_key: str) -> dict:
    kind, _sep, rest = source_key.partition(":")
    pk = rest.split(":", 1)[0]
    if kind == "course" and pk.isdigit():
        return {"course_id": int(pk)}
    if kind == "classroom" and pk.isdigit():
        return {"session_id": int(pk)}
    return {}


def certificate_for_completed_course(event_id: str, payload: dict) -> None:
    """Event handler of ``lms.course.completed``: the course's certificate (idempotent)."""
    from django.contrib.auth import get_user_model

    from lms.hours.selectors import jakarta_date
    from lms.models import Enrollment
    from lms.xapi.models import Statement

    user = get_user_model().objects.filter(pk=payload["user_id"]).first()
    statement = Statement.objects.filter(pk=payload.get("statement_id")).first()
    if user is None or statement is None:
        return
    enrollment = Enrollment.objects.filter(user=user, course_id=payload["course_id"]).first()
    end = jakarta_date(statement.timestamp)
    start = jakarta_date(enrollment.enrolled_at) if enrollment else end
    certificate_issue(
        user=user,
        kind=Certificate.Kind.COURSE,
        source_key=f"course:{payload['course_id']}:user:{user.pk}",
        title=payload.get("course_title") or "",
        jp=Decimal(payload.get("jp") or "0"),
        start_date=min(start, end),
        end_date=end,
        extra_event={"course_id": payload["course_id"]},
    )


def certificate_on_jp_revoked(event_id: str, payload: dict) -> None:
    """Event handler of ``lms.jp.revoked``: a certificate issued for the credit that was taken back (BKPSDM's
    revocation, an attendance or claim voided) is revoked too, with the same reason, so that its QR no longer
    says valid. Idempotent: a revoked certificate stays as it is."""
    from lms.hours.models import LedgerEntry, LedgerRevocation

    reversal = LedgerEntry.objects.select_related("reverses").filter(pk=payload.get("entry_id")).first()
    if reversal is None or reversal.reverses is None:
        return
    source_key = reversal.reverses.source_key
    revocation = LedgerRevocation.objects.filter(source_key=source_key).first()
    reason = (revocation.reason if revocation else reversal.note) or _("JP untuk kegiatan ini dibatalkan.")
    by = revocation.revoked_by if revocation else None
    for certificate in Certificate.objects.filter(source_key=source_key, revoked_at__isnull=True):
        certificate_revoke(certificate=certificate, by=by, reason=_("JP dicabut: %(reason)s") % {"reason": reason})
