"""Work done elsewhere becomes an e-Kinerja activity exactly once (docs/domain/kinerja.md: "never type the
same work twice"), however often the event is delivered."""

import datetime as dt
import uuid
from decimal import Decimal

import pytest

from content.tests.factories import RIGHT_ANSWERS, make_course
from lms import services as lms_services
from shell import events
from shell.modules.kinerja.models import Activity, Evidence
from shell.modules.layanan.services import request_register, request_transition
from shell.modules.layanan.tests.factories import NIK, ServiceTypeFactory, officer
from shell.people.tests.factories import UserFactory
from shell.tasks import dispatch_event_task

pytestmark = pytest.mark.django_db


@pytest.fixture
def delivered(monkeypatch):
    """Every event dispatched to handlers, as (event, event_id, payload)."""
    seen = []
    real = events.dispatch

    def spy(event, event_id, payload):
        seen.append((event, event_id, payload))
        return real(event, event_id, payload)

    monkeypatch.setattr(events, "dispatch", spy)
    return seen


def complete_course(user, course, capture):
    with capture(execute=True):
        enrollment = lms_services.check_enrollment_self(user=user, course_id=course.pk)
    text, quiz = list(course.lessons())
    with capture(execute=True):
        lms_services.lesson_complete(enrollment=enrollment, lesson=text)
    with capture(execute=True):
        lms_services.quiz_submit(enrollment=enrollment, lesson=quiz, answers=RIGHT_ANSWERS)


def test_completing_a_course_makes_exactly_one_activity_even_when_the_event_comes_twice(
    django_capture_on_commit_callbacks, delivered
):
    learner = UserFactory()
    course = make_course(title="Pelayanan Publik Prima", jp="4")
    complete_course(learner, course, django_capture_on_commit_callbacks)

    completed = [d for d in delivered if d[0] == "lms.course.completed"]
    assert len(completed) == 1
    activity = Activity.objects.get(user=learner)
    assert activity.kind == Activity.Kind.COMPETENCY
    assert activity.title == "Pengembangan kompetensi: Pelayanan Publik Prima"
    assert activity.jp == Decimal("4") and activity.output_unit == "JP"
    assert activity.status == Activity.Status.SUBMITTED  # the supervisor still checks it
    assert activity.source_key == f"lms.course:{course.pk}:user:{learner.pk}"
    evidence = set(activity.evidence.values_list("kind", "url"))
    assert ("link", "/belajar/riwayat/") in evidence
    # The LMS issues a certificate for the course (lms.certificate.issued): it lands on the same activity.
    assert {kind for kind, _ in evidence} <= {"link", "certificate"}
    evidence_count = len(evidence)

    # The broker delivers the same event again (acks_late after a worker died), twice.
    event, event_id, payload = completed[0]
    dispatch_event_task.delay(event, event_id, payload)
    dispatch_event_task.apply(args=(event, event_id, dict(payload)))
    assert Activity.objects.filter(user=learner).count() == 1
    for event_name, again_id, again in [d for d in delivered if d[0] == "lms.certificate.issued"]:
        dispatch_event_task.apply(args=(event_name, again_id, again))
    assert Activity.objects.filter(user=learner).count() == 1
    assert Evidence.objects.filter(activity=activity).count() == evidence_count


def test_a_certificate_adds_its_evidence_to_the_same_activity_in_either_order():
    learner = UserFactory()
    certificate = {
        "user_id": learner.pk,
        "course_id": 77,
        "title": "Etika ASN",
        "number": "UP-2026-0001",
        "url": "/sertifikat/verifikasi/ABC123/",
    }
    completed = {
        "user_id": learner.pk,
        "course_id": 77,
        "course_title": "Etika ASN",
        "jp": "2",
        "statement_id": str(uuid.uuid4()),
    }
    events.dispatch("lms.certificate.issued", "c1", certificate)  # the certificate arrives first
    events.dispatch("lms.course.completed", "e1", completed)
    events.dispatch("lms.certificate.issued", "c1", certificate)
    activity = Activity.objects.get(user=learner)
    assert activity.jp == Decimal("2")
    assert sorted(activity.evidence.values_list("kind", flat=True)) == ["certificate", "link"]
    assert activity.evidence.get(kind="certificate").label == "Sertifikat UP-2026-0001"


def test_an_attended_classroom_session_is_a_competency_activity_once():
    learner = UserFactory()
    payload = {
        "user_id": learner.pk,
        "session_id": 5,
        "title": "Pelatihan Kepemimpinan",
        "jp": "8",
        "date": "2026-03-10",
    }
    events.dispatch("lms.session.attended", "s1", payload)
    events.dispatch("lms.session.attended", "s1-again", payload)
    activity = Activity.objects.get(user=learner)
    assert (activity.date, activity.jp, activity.kind) == (dt.date(2026, 3, 10), Decimal("8"), "competency")


def test_a_finished_service_request_is_a_service_activity_of_the_officer_once(django_capture_on_commit_callbacks):
    service = ServiceTypeFactory(name="Pencetakan KTP-el")
    worker = officer(service.unit)
    request, _ = request_register(service=service, citizen_nik=NIK, citizen_name="Nur Aisyah")
    request_transition(request_id=request.pk, actor=worker, to_status="verification")
    request_transition(request_id=request.pk, actor=worker, to_status="processing")
    with django_capture_on_commit_callbacks(execute=True):
        request_transition(request_id=request.pk, actor=worker, to_status="done")
    activity = Activity.objects.get(user=worker)
    assert activity.kind == Activity.Kind.SERVICE
    assert activity.title == f"Melayani permohonan Pencetakan KTP-el ({request.number})"
    assert activity.evidence.get().url == f"/layanan/permohonan/{request.number}/"
    events.dispatch(
        "layanan.request.done", "again", {"request_id": request.pk, "user_id": worker.pk, "number": request.number}
    )
    assert Activity.objects.filter(user=worker).count() == 1


def test_an_event_for_a_deactivated_employee_is_dropped():
    gone = UserFactory(is_active=False)
    events.dispatch("lms.course.completed", "e", {"user_id": gone.pk, "course_id": 1, "course_title": "X", "jp": "1"})
    assert not Activity.objects.exists()
