"""Development plans: items, suggestions for gaps, propose -> agree, and fulfilment computed from the LMS's
own records (enrolment, class registration, the ledger's credits), never ticked by hand."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from content.tests.factories import make_course
from lms import services as lms_services
from lms.classroom.tests.factories import make_session
from lms.courses.tests.test_prerequisites import complete
from lms.hours.models import LedgerEntry
from lms.hours.services import ledger_reverse
from lms.planning import selectors, services
from lms.planning.models import CourseCompetency, DevelopmentPlan, OfferCompetency, PlanItem
from shell.inbox.models import Notification

from .factories import answers_up_to, make_competency, make_position, make_team

pytestmark = pytest.mark.django_db


@pytest.fixture
def year():
    return selectors.planning_year()


@pytest.fixture
def validated(year):
    """An employee whose validated profile has a gap of 2 in PEL (level 1 of 3) and none in DATA."""
    pel, data = make_competency("PEL"), make_competency("DATA", "Pengelolaan Data", "teknis")
    position = make_position(standard={pel: 3, data: 2})
    supervisor, employee = make_team(position)
    indicators = selectors.indicators_for(competency_ids=[pel.pk, data.pk])
    answers = answers_up_to(indicators, {pel.pk: 1, data.pk: 2})
    assessment = services.check_self_assessment_save(user=employee, year=year, answers=answers, submit=True)
    services.check_assessment_validate(
        supervisor=supervisor, assessment_id=assessment.pk, answers={k: v for k, (v, _e) in answers.items()}
    )
    assessment.refresh_from_db()
    return pel, data, supervisor, employee, assessment


def _future_days():
    day = timezone.localdate() + dt.timedelta(days=30)
    return ((day, dt.time(8), dt.time(16)),)


def test_suggestions_match_the_gaps_competency_above_the_validated_level(validated):
    pel, data, _supervisor, _employee, assessment = validated
    fits = make_course(title="Pelayanan Prima Lanjut", lessons=("text",))
    too_low = make_course(title="Pelayanan Dasar", lessons=("text",))
    other = make_course(title="Data Lanjut", lessons=("text",))
    draft = make_course(title="Pelayanan Draf", lessons=("text",), publish=False)
    CourseCompetency.objects.create(course=fits, competency=pel, level=3)
    CourseCompetency.objects.create(course=too_low, competency=pel, level=1)
    CourseCompetency.objects.create(course=other, competency=data, level=3)
    CourseCompetency.objects.create(course=draft, competency=pel, level=2)
    offer = make_session(days=_future_days(), title="Angkatan I")
    OfferCompetency.objects.create(session=offer, competency=pel, level=2)
    # A classroom course tagged itself is suggested through its open class, not as a course.
    tagged_class = make_session(days=_future_days(), title="Angkatan Kursus")
    CourseCompetency.objects.create(course=tagged_class.course, competency=pel, level=3)
    past = make_session(days=((dt.date(2020, 1, 2), dt.time(8), dt.time(16)),), title="Lama")
    OfferCompetency.objects.create(session=past, competency=pel, level=2)

    suggestions = selectors.suggestions_for(gaps=selectors.gaps_for(assessment=assessment))
    assert set(suggestions) == {pel.pk}  # DATA has no gap
    titles = [s.course.title if s.course else s.offer.pk for s in suggestions[pel.pk]]
    assert titles == ["Pelayanan Prima Lanjut", offer.pk, tagged_class.pk]
    with pytest.raises(services.PlanningError, match="tatap muka"):
        services.check_plan_item_add(
            user=_employee,
            year=selectors.planning_year(),
            competency_id=pel.pk,
            course_id=tagged_class.course_id,
            quarter=1,
        )


def test_propose_agree_and_return(validated, year, django_capture_on_commit_callbacks):
    pel, _data, supervisor, employee, _assessment = validated
    with pytest.raises(services.PlanningError, match="paling sedikit satu"):
        services.check_plan_propose(user=employee, year=year)
    services.check_plan_item_add(
        user=employee, year=year, competency_id=pel.pk, external_title="Coaching", form="coaching", jp="4", quarter=2
    )
    with django_capture_on_commit_callbacks(execute=True):
        plan = services.check_plan_propose(user=employee, year=year)
    assert plan.status == DevelopmentPlan.Status.PROPOSED
    assert Notification.objects.filter(user=supervisor, kind=services.NOTIFY_PLAN_PROPOSED).exists()
    # Proposed: locked for the employee.
    with pytest.raises(services.PlanningError, match="sudah diajukan"):
        services.check_plan_item_add(
            user=employee, year=year, competency_id=pel.pk, external_title="Lagi", form="coaching", jp="2", quarter=1
        )
    other_supervisor, _ = make_team(make_position(name="Lain", code="LAIN"))
    for stranger in (other_supervisor, employee):
        with pytest.raises(services.PlanningError, match="atasan langsung"):
            services.check_plan_decide(supervisor=stranger, plan_id=plan.pk, agree=True)
    with pytest.raises(services.PlanningError, match="catatan"):
        services.check_plan_decide(supervisor=supervisor, plan_id=plan.pk, agree=False, note="  ")
    with django_capture_on_commit_callbacks(execute=True):
        plan = services.check_plan_decide(supervisor=supervisor, plan_id=plan.pk, agree=False, note="Tambah kursus")
    assert plan.status == DevelopmentPlan.Status.RETURNED and plan.editable
    assert Notification.objects.filter(user=employee, kind=services.NOTIFY_PLAN_DECIDED).count() == 1
    services.check_plan_propose(user=employee, year=year)
    plan = services.check_plan_decide(supervisor=supervisor, plan_id=plan.pk, agree=True)
    assert plan.status == DevelopmentPlan.Status.AGREED and plan.agreed_by == supervisor
    with pytest.raises(services.PlanningError, match="tidak sedang menunggu"):
        services.check_plan_decide(supervisor=supervisor, plan_id=plan.pk, agree=True)


def test_items_are_checked(validated, year):
    pel, _data, _supervisor, employee, _assessment = validated
    course = make_course(title="Kursus Katalog", jp="6", lessons=("text",))
    for bad in (
        {"course_id": course.pk, "external_title": "dan luar"},  # two kinds of learning
        {"external_title": "Seminar", "form": "bukan-bentuk", "jp": "2"},
        {"external_title": "Seminar", "form": "seminar", "jp": "banyak"},
        {"external_title": "Seminar", "form": "seminar", "jp": "999"},
        {"course_id": 999999},
        {"offer_id": 999999},
        {"external_title": "Seminar", "form": "seminar", "jp": "2", "quarter": 5},
    ):
        with pytest.raises(services.PlanningError):
            services.check_plan_item_add(user=employee, year=year, competency_id=pel.pk, **{"quarter": 1, **bad})
    with pytest.raises(services.PlanningError, match="kompetensi"):
        services.check_plan_item_add(user=employee, year=year, competency_id=None, course_id=course.pk, quarter=1)
    item = services.check_plan_item_add(user=employee, year=year, competency_id=pel.pk, course_id=course.pk, quarter=1)
    # A course brings its own form and JP, whatever the form said.
    assert (item.form, item.jp) == (course.development_form, Decimal("6.0"))
    with pytest.raises(services.PlanningError, match="sudah ada"):
        services.check_plan_item_add(user=employee, year=year, competency_id=pel.pk, course_id=course.pk, quarter=2)
    assert PlanItem.objects.count() == 1


def test_a_course_item_is_fulfilled_by_completing_the_course(validated, year):
    pel, _data, _supervisor, employee, _assessment = validated
    course = make_course(title="Pelayanan Prima", jp="4", lessons=("text",))
    services.check_plan_item_add(user=employee, year=year, competency_id=pel.pk, course_id=course.pk, quarter=1)
    plan = selectors.plan_of(user=employee, year=year)
    assert [p.state for p in selectors.plan_progress(plan=plan).items] == ["planned"]
    lms_services.check_enrollment_self(user=employee, course_id=course.pk)
    assert [p.state for p in selectors.plan_progress(plan=plan).items] == ["started"]
    complete(employee, course)
    progress = selectors.plan_progress(plan=plan)
    assert [(p.state, p.credited_jp) for p in progress.items] == [("fulfilled", Decimal("4.00"))]
    assert progress.credited_jp == Decimal("4.00") and progress.fulfilled == 1


def _entry(user, *, key, kind, jp="3", form="seminar", date=None):
    return LedgerEntry.objects.create(
        user=user,
        date=date or timezone.localdate(),
        jp=Decimal(jp),
        category="teknis",
        form=form,
        source_kind=kind,
        source_key=key,
        title="Uji",
    )


def test_offer_and_external_items_are_fulfilled_by_their_credits_and_a_reversal_undoes_it(validated, year):
    pel, _data, _supervisor, employee, _assessment = validated
    offer = make_session(days=_future_days(), title="Angkatan II", jp="8")
    services.check_plan_item_add(user=employee, year=year, competency_id=pel.pk, offer_id=offer.pk, quarter=3)
    services.check_plan_item_add(
        user=employee, year=year, competency_id=pel.pk, external_title="Seminar A", form="seminar", jp="3", quarter=2
    )
    services.check_plan_item_add(
        user=employee, year=year, competency_id=pel.pk, external_title="Seminar B", form="seminar", jp="3", quarter=4
    )
    plan = selectors.plan_of(user=employee, year=year)
    _entry(employee, key=f"classroom:{offer.pk}:user:{employee.pk}", kind="classroom", jp="8", form="pelatihan")
    claim = _entry(employee, key="claim:1", kind="claim")
    _entry(employee, key="claim:2", kind="claim", form="coaching")  # another form fulfils nothing here
    _entry(employee, key="claim:3", kind="claim", date=dt.date(year - 1, 12, 31))  # last year's
    states = {p.item.title: p.state for p in selectors.plan_progress(plan=plan).items}
    assert states == {"Seminar A": "fulfilled", "Seminar B": "planned", str(offer): "fulfilled"}  # one claim, one item
    ledger_reverse(entry=claim, date=timezone.localdate(), note="dicabut", evidence="revocation:1")
    states = {p.item.title: p.state for p in selectors.plan_progress(plan=plan).items}
    assert states["Seminar A"] == "planned"
