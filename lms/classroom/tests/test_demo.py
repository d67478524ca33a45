import pytest

from fixtures.demo import load_demo
from lms.claims.models import Claim
from lms.classroom.demo import classroom_demo_load
from lms.classroom.models import ClassSession, Registration
from lms.hours.models import CreditRule

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_class_today_and_a_claim_to_decide_and_loads_once():
    load_demo()
    assert "2 sesi" in classroom_demo_load()
    assert classroom_demo_load() is None
    assert ClassSession.objects.count() == 2
    # The demo learner holds one cohort of the course (today's); colleagues booked the other.
    assert Registration.objects.filter(user__username="pembelajar", status="registered").count() == 1
    later = ClassSession.objects.get(title="Angkatan II")
    assert later.registrations.filter(status="registered").count() == 3
    assert not later.registrations.filter(user__username="pembelajar").exists()
    assert Claim.objects.get().status == Claim.Status.SUBMITTED
    assert CreditRule.objects.filter(form="coaching").exists()
