"""The status workflow (docs/domain/layanan.md): every transition audited, an illegal one refused with a message
that says what is allowed, complaints checked again before they close."""

import pytest
from django.core.exceptions import ValidationError

from shell import events
from shell.inbox.models import Notification
from shell.modules.layanan.models import RequestTransition, ServiceRequest
from shell.modules.layanan.services import (
    IllegalTransition,
    request_assign,
    request_register,
    request_transition,
    requests_notify_overdue,
)

from .factories import NIK, ServiceTypeFactory, officer

pytestmark = pytest.mark.django_db


@pytest.fixture
def service():
    return ServiceTypeFactory()


def _register(service, by=None):
    return request_register(service=service, citizen_nik=NIK, citizen_name="Nur Aisyah", registered_by=by)[0]


def test_the_happy_path_is_audited_step_by_step(service, django_capture_on_commit_callbacks, monkeypatch):
    worker = officer(service.unit)
    published = []
    monkeypatch.setattr(events, "publish", lambda event, payload, event_id=None: published.append((event, event_id)))
    request = _register(service, by=worker)
    for status in ("verification", "processing", "done"):
        request_transition(request_id=request.pk, actor=worker, to_status=status, note=f"ke {status}")
    request.refresh_from_db()
    assert request.status == "done" and request.closed_at is not None
    assert request.assignee == worker  # taking it into processing made them the owner
    trail = list(RequestTransition.objects.filter(request=request).values_list("from_status", "to_status", "actor"))
    assert trail == [
        ("", "submitted", worker.pk),
        ("submitted", "verification", worker.pk),
        ("verification", "processing", worker.pk),
        ("processing", "done", worker.pk),
    ]
    assert published == [("layanan.request.done", f"layanan.request.done:{request.pk}")]


def test_an_illegal_transition_is_refused_with_a_clear_message(service):
    worker = officer(service.unit)
    request = _register(service)
    with pytest.raises(IllegalTransition) as exc:
        request_transition(request_id=request.pk, actor=worker, to_status="done")
    message = " ".join(exc.value.messages)
    assert "tidak bisa diubah dari Diajukan menjadi Selesai" in message
    assert "hanya bisa ke: Verifikasi, Ditolak, Dibatalkan" in message
    request.refresh_from_db()
    assert request.status == "submitted" and request.transitions.count() == 1

    request_transition(request_id=request.pk, actor=worker, to_status="rejected", note="Berkas palsu")
    with pytest.raises(IllegalTransition, match="sudah ditutup"):
        request_transition(request_id=request.pk, actor=worker, to_status="verification")
    with pytest.raises(IllegalTransition, match="Status tidak dikenal"):
        request_transition(request_id=request.pk, actor=worker, to_status="selesai")


def test_rejection_and_revision_need_a_reason(service):
    worker = officer(service.unit)
    request = _register(service)
    request_transition(request_id=request.pk, actor=worker, to_status="verification")
    with pytest.raises(ValidationError) as exc:
        request_transition(request_id=request.pk, actor=worker, to_status="needs_revision", note="  ")
    assert "alasan" in " ".join(exc.value.messages).lower()
    request_transition(request_id=request.pk, actor=worker, to_status="needs_revision", note="KK buram")
    request_transition(request_id=request.pk, actor=worker, to_status="verification")
    assert ServiceRequest.objects.get(pk=request.pk).status == "verification"


def test_a_complaint_is_checked_again_before_it_closes():
    complaint = ServiceTypeFactory(is_complaint=True)
    worker = officer(complaint.unit)
    request = _register(complaint)
    request_transition(request_id=request.pk, actor=worker, to_status="verification")
    request_transition(request_id=request.pk, actor=worker, to_status="processing")
    with pytest.raises(IllegalTransition, match="Pemeriksaan ulang"):
        request_transition(request_id=request.pk, actor=worker, to_status="done")
    request_transition(request_id=request.pk, actor=worker, to_status="review")
    request_transition(request_id=request.pk, actor=worker, to_status="done")
    # An ordinary service has no review step.
    plain = _register(ServiceTypeFactory(unit=complaint.unit))
    request_transition(request_id=plain.pk, actor=worker, to_status="verification")
    request_transition(request_id=plain.pk, actor=worker, to_status="processing")
    with pytest.raises(IllegalTransition):
        request_transition(request_id=plain.pk, actor=worker, to_status="review")


def test_assignment_notifies_the_officer_once_and_only_officers_of_the_unit_qualify(service):
    lead, colleague = officer(service.unit), officer(service.unit)
    outsider = officer(ServiceTypeFactory().unit)
    request = _register(service)
    request_assign(request_id=request.pk, actor=lead, assignee=colleague)
    request_assign(request_id=request.pk, actor=lead, assignee=colleague)  # the same again: no new note
    notes = Notification.objects.filter(user=colleague, kind="layanan.assigned")
    assert notes.count() == 1 and notes.get().url == f"/layanan/permohonan/{request.number}/"
    with pytest.raises(ValidationError, match="bukan petugas layanan"):
        request_assign(request_id=request.pk, actor=lead, assignee=outsider)


def test_the_overdue_reminder_goes_once_per_deadline(service):
    worker = officer(service.unit)
    request = _register(service)
    request_assign(request_id=request.pk, actor=worker, assignee=worker)
    assert requests_notify_overdue() == 0
    ServiceRequest.objects.filter(pk=request.pk).update(due_date="2020-01-02")
    requests_notify_overdue()
    requests_notify_overdue()
    assert Notification.objects.filter(user=worker, kind="layanan.overdue").count() == 1


def test_a_retried_api_registration_registers_once(service):
    client_account = officer(service.unit)
    a, created_a = request_register(
        service=service, citizen_nik=NIK, citizen_name="X", registered_by=client_account, external_ref="live-123"
    )
    b, created_b = request_register(
        service=service, citizen_nik=NIK, citizen_name="X", registered_by=client_account, external_ref="live-123"
    )
    assert created_a and not created_b and a.pk == b.pk


def test_a_bad_nik_is_refused(service):
    with pytest.raises(ValidationError):
        request_register(service=service, citizen_nik="123", citizen_name="X")
