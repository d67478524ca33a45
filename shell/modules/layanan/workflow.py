"""The status workflow of a service request (docs/domain/layanan.md): which transition is legal from where."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from .models import ServiceRequest

S = ServiceRequest.Status

OPEN = (S.SUBMITTED, S.VERIFICATION, S.NEEDS_REVISION, S.PROCESSING, S.REVIEW)
FINAL = (S.DONE, S.REJECTED, S.CANCELLED)

TRANSITIONS: dict[str, tuple[str, ...]] = {
    S.SUBMITTED: (S.VERIFICATION, S.REJECTED, S.CANCELLED),
    S.VERIFICATION: (S.PROCESSING, S.NEEDS_REVISION, S.REJECTED, S.CANCELLED),
    S.NEEDS_REVISION: (S.VERIFICATION, S.CANCELLED),
    S.PROCESSING: (S.DONE, S.REVIEW, S.REJECTED),
    S.REVIEW: (S.DONE, S.PROCESSING),
    S.DONE: (),
    S.REJECTED: (),
    S.CANCELLED: (),
}

# A transition that must say why (the citizen and the audit trail are owed a reason).
NEEDS_NOTE = (S.NEEDS_REVISION, S.REJECTED, S.CANCELLED)

# The button label of each target status.
ACTION_LABELS = {
    S.VERIFICATION: _("Verifikasi berkas"),
    S.NEEDS_REVISION: _("Minta perbaikan"),
    S.PROCESSING: _("Proses"),
    S.REVIEW: _("Periksa ulang"),
    S.DONE: _("Selesaikan"),
    S.REJECTED: _("Tolak"),
    S.CANCELLED: _("Batalkan"),
}


def allowed_targets(*, status: str, is_complaint: bool) -> tuple[str, ...]:
    """Complaints are checked again before they close: processing -> review -> done. Other services
    go from processing straight to done and have no review step."""
    targets = TRANSITIONS.get(status, ())
    if is_complaint and status == S.PROCESSING:
        return tuple(t for t in targets if t != S.DONE)
    if not is_complaint:
        return tuple(t for t in targets if t != S.REVIEW)
    return targets
