"""BKPSDM's request-facing writes on the ledger: revoking a credit that looks wrong and adding a credit the
platform missed, each checked (HR whose scope covers the employee, never their own ledger) and validated
before the ledger's own services (lms.hours.services) do the writing."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from content.models import CompetencyCategory, DevelopmentForm
from shell import formatting

from .models import LedgerEntry
from .selectors import hr_may_review, jakarta_date
from .services import LedgerError, ledger_correction_create, ledger_revoke

EARLIEST_CORRECTION = dt.date(2000, 1, 1)


def _check_scope(*, by, user_id: int) -> None:
    if not hr_may_review(viewer=by, user_id=user_id):
        raise PermissionError(_("Pegawai ini di luar cakupan SDM Anda."))


def check_ledger_revoke(*, entry: LedgerEntry, by, reason: str) -> tuple[LedgerEntry, bool]:
    """Revoke ``entry`` for BKPSDM (``by``, whose HR scope must cover its employee): the reversal and whether
    this call made it. A credit already cancelled (revoked, or its statement voided) changes nothing."""
    _check_scope(by=by, user_id=entry.user_id)
    existing = LedgerEntry.objects.filter(reverses_id=entry.pk).first()
    if existing is not None:
        return existing, False
    return ledger_revoke(entry=entry, by=by, reason=reason), True


def check_ledger_correction_create(
    *,
    by,
    user,
    jp: Decimal,
    date: dt.date,
    category: str,
    form: str,
    title: str,
    reason: str,
    confirmation: uuid.UUID | None = None,
) -> LedgerEntry:
    """Credit ``user`` (within ``by``'s HR scope) learning the platform missed, with the reason; once per
    ``confirmation`` (the confirmation page's key)."""
    _check_scope(by=by, user_id=user.pk)
    if jp is None or not Decimal(jp).is_finite() or jp <= 0:
        raise LedgerError(_("JP koreksi harus lebih dari 0; untuk mengurangi JP, cabut entri yang bersangkutan."))
    if form not in DevelopmentForm.values:
        raise LedgerError(_("Pilih bentuk pengembangan dari daftar."))
    if category not in CompetencyCategory.values:
        raise LedgerError(_("Pilih kategori kompetensi dari daftar."))
    today = jakarta_date(timezone.now())
    if date > today:
        raise LedgerError(_("Tanggal kegiatan tidak boleh di masa depan."))
    if date < EARLIEST_CORRECTION:
        raise LedgerError(
            _("Tanggal kegiatan tidak boleh sebelum %(date)s.") % {"date": formatting.short_date(EARLIEST_CORRECTION)}
        )
    title = (title or "").strip()
    if not title:
        raise LedgerError(_("Tuliskan judul kegiatan."))
    return ledger_correction_create(
        by=by,
        user=user,
        jp=jp,
        date=date,
        category=category,
        form=form,
        title=title,
        reason=reason,
        confirmation=confirmation,
    )
