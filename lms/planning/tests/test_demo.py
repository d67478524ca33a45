import pytest

from fixtures.demo import load_demo
from lms.planning import selectors
from lms.planning.demo import planning_demo_load
from lms.planning.models import Assessment, CourseCompetency, DevelopmentPlan, Position
from shell.people.models import User

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_dictionary_standards_and_sitis_profile_and_plan_to_walk_through():
    load_demo()  # the city; load_demo's command then runs each module's demo hook
    assert "planning" in planning_demo_load()
    assert planning_demo_load() is None  # loads once
    siti, atasan = User.objects.get(username="pembelajar"), User.objects.get(username="atasan")
    for user in (siti, atasan, User.objects.get(username="sdm")):
        assert selectors.position_for(user=user) is not None, user.position
    assert CourseCompetency.objects.count() == 5 and Position.objects.count() == 4
    year = selectors.planning_year()
    assessment = Assessment.objects.get(user=siti, year=year)
    assert assessment.status == Assessment.Status.VALIDATED
    gaps = {g.competency.code: g.size for g in selectors.gaps_for(assessment=assessment)}
    assert gaps == {"PEL": 1, "DATA": 1, "INT": 0, "KEAM": 0}
    plan = DevelopmentPlan.objects.get(user=siti, year=year)
    assert plan.status == DevelopmentPlan.Status.PROPOSED and plan.items.count() == 2
    assert selectors.waiting_count(user=atasan, year=year) == 1
    # The catalogue has something for each of her gaps.
    suggestions = selectors.suggestions_for(gaps=selectors.gaps_for(assessment=assessment))
    assert all(suggestions[g.competency.pk] for g in selectors.gaps_for(assessment=assessment) if g.size)
