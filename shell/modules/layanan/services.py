"""Writes of the service module. Every change of status goes through ``request_transition`` and leaves
a row in the audit trail; a finished request is published as ``layanan.request.done``."""

from __future__ import annotations

import secrets

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shell import events, formatting
from shell.inbox.services import notification_create

from . import selectors
from .events import EVENT_REQUEST_DONE
from .models import RequestAttachment, RequestTransition, ServiceRequest, ServiceType
from .workflow import FINAL, NEEDS_NOTE, allowed_targets

NOTIFY_ASSIGNED = "layanan.assigned"
NOTIFY_STATUS = "layanan.status_changed"
NOTIFY_OVERDUE = "layanan.overdue"

_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford base32: no I, L, O, U to misread


class IllegalTransition(ValidationError):
    """A status change the workflow does not allow from where the request is."""


def _new_number() -> str:
    # Random, not sequential: a number found on a receipt reveals nothing about other requests.
    code = "".join(secrets.choice(_ALPHABET) for _ in range(8))
    return f"LYN-{code[:4]}-{code[4:]}"


def _request_url(request: ServiceRequest) -> str:
    return f"/layanan/permohonan/{request.number}/"


def _log(request: ServiceRequest, *, from_status: str, to_status: str, actor, note: str = "") -> RequestTransition:
    return RequestTransition.objects.create(
        request=request, from_status=from_status, to_status=to_status, actor=actor, at=timezone.now(), note=note
    )


def request_register(
    *,
    service: ServiceType,
    citizen_nik: str,
    citizen_name: str,
    citizen_contact: str = "",
    description: str = "",
    registered_by=None,
    channel: str = ServiceRequest.Channel.COUNTER,
    external_ref: str | None = None,
    attachments: list | None = None,
) -> tuple[ServiceRequest, bool]:
    """Register a request for a citizen; returns (request, created). With ``external_ref`` a retried
    API call returns the request registered the first time."""
    from shell.people.validators import validate_nik

    if not service.active:
        raise ValidationError({"service": _("Layanan ini tidak aktif.")})
    try:
        validate_nik(citizen_nik)
    except ValidationError as exc:
        raise ValidationError({"citizen_nik": exc.messages}) from exc
    if not citizen_name.strip():
        raise ValidationError({"citizen_name": _("Nama pemohon wajib diisi.")})
    if external_ref:
        existing = ServiceRequest.objects.filter(registered_by=registered_by, external_ref=external_ref).first()
        if existing is not None:
            return existing, False
    now = timezone.now()
    for _attempt in range(5):
        try:
            with transaction.atomic():
                request = ServiceRequest.objects.create(
                    number=_new_number(),
                    service=service,
                    citizen_nik=citizen_nik,
                    citizen_name=citizen_name.strip(),
                    citizen_contact=citizen_contact.strip(),
                    description=description,
                    channel=channel,
                    registered_by=registered_by,
                    unit=service.unit,
                    submitted_at=now,
                    due_date=selectors.working_days_add(start=timezone.localdate(now), days=service.sla_days),
                    external_ref=external_ref or None,
                )
                _log(request, from_status="", to_status=request.status, actor=registered_by)
                for upload in attachments or []:
                    RequestAttachment.objects.create(
                        request=request, file=upload, name=upload.name[:200], uploaded_by=registered_by
                    )
                return request, True
        except IntegrityError:
            if external_ref:
                existing = ServiceRequest.objects.filter(registered_by=registered_by, external_ref=external_ref).first()
                if existing is not None:
                    return existing, False
            continue  # a number collision: draw another
    raise RuntimeError("could not allocate a request number")


def _check_may_handle(*, actor, request: ServiceRequest) -> None:
    if not selectors.request_may_be_handled_by(user=actor, request=request):
        raise PermissionDenied(_("Anda tidak berwenang menangani permohonan ini."))


@transaction.atomic
def request_assign(*, request_id: int, actor, assignee) -> ServiceRequest:
    request = ServiceRequest.objects.select_for_update().select_related("unit").get(pk=request_id)
    _check_may_handle(actor=actor, request=request)
    if request.status in FINAL:
        raise IllegalTransition(_("Permohonan yang sudah ditutup tidak bisa ditugaskan."))
    if not selectors.officers_for(request=request).filter(pk=assignee.pk).exists():
        raise ValidationError(
            {
                "assignee": _("%(name)s bukan petugas layanan di unit %(unit)s.")
                % {"name": assignee, "unit": request.unit}
            }
        )
    if request.assignee_id == assignee.pk:
        return request
    request.assignee = assignee
    request.save(update_fields=["assignee", "updated_at"])
    entry = _log(
        request,
        from_status=request.status,
        to_status=request.status,
        actor=actor,
        note=_("Ditugaskan kepada %(name)s") % {"name": assignee.display_name},
    )
    if assignee.pk != actor.pk:
        notification_create(
            user=assignee,
            kind=NOTIFY_ASSIGNED,
            title=_("Permohonan %(number)s ditugaskan kepada Anda") % {"number": request.number},
            body=f"{request.service.name} · {request.citizen_name}",
            url=_request_url(request),
            dedupe_key=f"layanan-assigned:{entry.pk}",
        )
    return request


def check_request_transition(*, request_id: int, actor, to_status: str, note: str = "") -> ServiceRequest:
    """The request-facing entry: checks the actor may act, then changes the status."""
    request = ServiceRequest.objects.get(pk=request_id)
    if to_status == ServiceRequest.Status.CANCELLED and request.registered_by_id == actor.pk:
        pass  # whoever registered a request may cancel it for the citizen
    else:
        _check_may_handle(actor=actor, request=request)
    return request_transition(request_id=request_id, actor=actor, to_status=to_status, note=note)


@transaction.atomic
def request_transition(*, request_id: int, actor, to_status: str, note: str = "") -> ServiceRequest:
    request = ServiceRequest.objects.select_for_update().select_related("service").get(pk=request_id)
    labels = dict(ServiceRequest.Status.choices)
    if to_status not in labels:
        raise IllegalTransition(_("Status tidak dikenal: %(status)s.") % {"status": to_status})
    allowed = allowed_targets(status=request.status, is_complaint=request.service.is_complaint)
    if to_status not in allowed:
        if allowed:
            hint = _("Dari status %(from)s hanya bisa ke: %(allowed)s.") % {
                "from": labels[request.status],
                "allowed": ", ".join(str(labels[s]) for s in allowed),
            }
        else:
            hint = _("Permohonan sudah ditutup.")
        raise IllegalTransition(
            _("Permohonan %(number)s tidak bisa diubah dari %(from)s menjadi %(to)s. %(hint)s")
            % {"number": request.number, "from": labels[request.status], "to": labels[to_status], "hint": hint},
            code="illegal_transition",
        )
    note = note.strip()
    if to_status in NEEDS_NOTE and not note:
        raise ValidationError({"note": _("Tuliskan alasannya untuk status %(to)s.") % {"to": labels[to_status]}})
    from_status = request.status
    request.status = to_status
    if to_status in FINAL:
        request.closed_at = timezone.now()
    if to_status == ServiceRequest.Status.PROCESSING and request.assignee_id is None:
        request.assignee = actor  # whoever takes it into processing owns it unless assigned
    request.save(update_fields=["status", "closed_at", "assignee", "updated_at"])
    entry = _log(request, from_status=from_status, to_status=to_status, actor=actor, note=note)
    if (
        request.registered_by_id
        and request.registered_by_id != actor.pk
        and to_status
        in (
            ServiceRequest.Status.NEEDS_REVISION,
            *FINAL,
        )
    ):
        notification_create(
            user=request.registered_by,
            kind=NOTIFY_STATUS,
            title=_("Permohonan %(number)s: %(status)s") % {"number": request.number, "status": labels[to_status]},
            body=note,
            url=_request_url(request),
            dedupe_key=f"layanan-status:{entry.pk}",
        )
    if to_status == ServiceRequest.Status.DONE:
        worker = request.assignee or actor
        events.publish(
            EVENT_REQUEST_DONE,
            {
                "request_id": request.pk,
                "number": request.number,
                "service": request.service.name,
                "service_code": request.service.code,
                "user_id": worker.pk,
                "finished_at": request.closed_at.isoformat(),
                "on_time": not selectors.request_is_overdue(request=request),
                "url": _request_url(request),
            },
            event_id=f"{EVENT_REQUEST_DONE}:{request.pk}",
        )
    return request


def requests_notify_overdue() -> int:
    """One inbox note per overdue request to its assignee (per deadline: safe to run on every beat)."""
    sent = 0
    overdue = (
        ServiceRequest.objects.filter(selectors.overdue_q(), assignee__isnull=False)
        .select_related("assignee", "service")
        .iterator()
    )
    for request in overdue:
        notification_create(
            user=request.assignee,
            kind=NOTIFY_OVERDUE,
            title=_("Permohonan %(number)s melewati batas waktu") % {"number": request.number},
            body=_("%(service)s, batas waktu %(due)s.")
            % {"service": request.service.name, "due": formatting.short_date(request.due_date)},
            url=_request_url(request),
            dedupe_key=f"layanan-overdue:{request.pk}:{request.due_date.isoformat()}",
        )
        sent += 1
    return sent
