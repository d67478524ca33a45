"""Two workers delivering the same event at the same moment still make one activity (the unique
source key decides the race). PostgreSQL only: SQLite serialises writers."""

import pytest

from conftest import run_at_once
from shell import events
from shell.modules.kinerja.models import Activity
from shell.modules.layanan.services import IllegalTransition, request_register, request_transition
from shell.modules.layanan.tests.factories import NIK, ServiceTypeFactory, officer
from shell.people.tests.factories import UserFactory


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_workers_with_the_same_course_event_make_one_activity(postgres_only):
    learner = UserFactory()
    payload = {"user_id": learner.pk, "course_id": 9, "course_title": "Etika ASN", "jp": "2"}
    results, errors = run_at_once(lambda: events.dispatch("lms.course.completed", "ev-9", payload), count=4)
    assert errors == [] and len(results) == 4
    assert Activity.objects.filter(user=learner).count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_officers_finishing_one_request_at_once_finish_it_once(postgres_only):
    service = ServiceTypeFactory()
    a, b = officer(service.unit), officer(service.unit)
    request, _ = request_register(service=service, citizen_nik=NIK, citizen_name="Warga")
    request_transition(request_id=request.pk, actor=a, to_status="verification")
    request_transition(request_id=request.pk, actor=a, to_status="processing")
    actors = iter([a, b])

    def finish():
        return request_transition(request_id=request.pk, actor=next(actors), to_status="done")

    results, errors = run_at_once(finish)
    assert len(results) == 1 and len(errors) == 1 and isinstance(errors[0], IllegalTransition), errors
    assert request.transitions.filter(to_status="done").count() == 1
