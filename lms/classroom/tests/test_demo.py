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
    assert Registration.objects.filter(user__username="pembelajar", status="registered").count() == 2
    assert Claim.objects.get().status == Claim.Status.SUBMITTED
    assert CreditRule.objects.filter(form="coaching").exists()
