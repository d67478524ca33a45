"""The performance gap crosses modules only through the shell's event: e-Kinerja's supervisor rates an approved
SKP, kinerja publishes kinerja.skp.rated, and competency planning keeps the verdict (docs/planning.md)."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from lms.planning import selectors
from shell.modules.kinerja import services as kinerja
from shell.people import roles
from shell.people.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_a_rating_below_baik_reaches_the_plan_as_a_performance_gap(django_capture_on_commit_callbacks):
    supervisor = UserFactory(roles=[roles.LEARNER, roles.SUPERVISOR])
    employee = UserFactory(supervisor=supervisor)
    year = selectors.planning_year()
    kinerja.skp_result_add(
        user=employee,
        year=year,
        text="Layanan KTP",
        parent=None,
        indicator="KTP terbit",
        target=Decimal("100"),
        unit="dokumen",
        aspect="kuantitas",
    )
    skp = kinerja.skp_submit(user=employee, year=year)
    with pytest.raises(ValidationError):  # not approved yet
        kinerja.skp_rate(skp_id=skp.pk, reviewer=supervisor, rating="baik", targets_met=True)
    kinerja.skp_approve(skp_id=skp.pk, reviewer=supervisor)
    with pytest.raises(ValidationError):
        kinerja.skp_rate(skp_id=skp.pk, reviewer=supervisor, rating="istimewa", targets_met=True)
    with django_capture_on_commit_callbacks(execute=True):
        kinerja.skp_rate(skp_id=skp.pk, reviewer=supervisor, rating="butuh_perbaikan", targets_met=False)
    rating = selectors.performance_rating(user=employee, year=year)
    assert rating is not None and rating.rating == "butuh_perbaikan" and rating.has_gap
    with django_capture_on_commit_callbacks(execute=True):
        kinerja.skp_rate(skp_id=skp.pk, reviewer=supervisor, rating="baik", targets_met=True)
    assert not selectors.performance_rating(user=employee, year=year).has_gap
