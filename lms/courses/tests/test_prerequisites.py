"""A course may require others completed first: edited on the course page in /cms/ (a cycle is refused
there), enforced on every enrolment path with a message naming what is missing."""

import datetime as dt

import pytest
from wagtail.test.utils.form_data import nested_form_data, rich_text

from content.models import CoursePage
from content.prerequisites import prerequisite_cycle
from content.tests.factories import RIGHT_ANSWERS, make_course
from lms import services
from lms.classroom import services as classroom_services
from lms.classroom.tests.factories import make_session
from lms.courses.selectors import prerequisites_missing
from lms.hours.tests.factories import credit  # noqa: F401  (the ledger's factory, for the classroom case)
from lms.models import Enrollment
from shell.people import roles
from shell.people.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def complete(user, course):
    enrollment = services.check_enrollment_self(user=user, course_id=course.pk)
    for lesson in course.lessons():
        if lesson.quiz is None:
            services.lesson_complete(enrollment=enrollment, lesson=lesson)
        else:
            services.quiz_submit(enrollment=enrollment, lesson=lesson, answers=RIGHT_ANSWERS)
    enrollment.refresh_from_db()
    assert enrollment.completed_at is not None
    return enrollment


def require(course, *prerequisites):
    course.prerequisites.set(prerequisites)
    course.save()


@pytest.fixture
def courses():
    basics = make_course(title="Dasar Keamanan Informasi", lessons=("text",))
    privacy = make_course(title="Pelindungan Data Pribadi", lessons=("text",))
    advanced = make_course(title="Analisis Data Lanjut", lessons=("text",))
    require(advanced, basics, privacy)
    return basics, privacy, advanced


def test_self_enrolment_is_refused_naming_every_missing_course(client, courses):
    basics, privacy, advanced = courses
    learner = UserFactory()
    with pytest.raises(services.LearningError) as refused:
        services.check_enrollment_self(user=learner, course_id=advanced.pk)
    assert "“Dasar Keamanan Informasi”" in str(refused.value)
    assert "“Pelindungan Data Pribadi”" in str(refused.value)
    assert not Enrollment.objects.filter(user=learner, course=advanced).exists()

    complete(learner, basics)
    client.force_login(learner)
    response = client.post(f"/belajar/kursus/{advanced.pk}/daftar/", follow=True)
    text = response.content.decode()
    assert "Selesaikan dulu kursus prasyarat: “Pelindungan Data Pribadi”" in text
    assert "Dasar Keamanan Informasi”." not in text.split("Selesaikan dulu")[1].split("</li>")[0]
    assert 'data-testid="prerequisites"' in text

    complete(learner, privacy)
    client.post(f"/belajar/kursus/{advanced.pk}/daftar/")
    assert Enrollment.objects.filter(user=learner, course=advanced).exists()
    page = client.get(advanced.url).content.decode()
    assert page.count("✓") >= 2  # both prerequisites shown as completed


def test_an_enrolment_made_before_the_prerequisite_was_added_stays(courses):
    basics, privacy, advanced = courses
    learner = UserFactory()
    other = make_course(title="Kursus Tanpa Prasyarat", lessons=("text",))
    enrollment = services.check_enrollment_self(user=learner, course_id=other.pk)
    require(other, basics)
    assert services.check_enrollment_self(user=learner, course_id=other.pk) == enrollment


def test_a_withdrawn_prerequisite_no_longer_blocks(courses):
    basics, privacy, advanced = courses
    privacy.unpublish()
    learner = UserFactory()
    assert [c.title for c in prerequisites_missing(user=learner, course=CoursePage.objects.get(pk=advanced.pk))] == [
        "Dasar Keamanan Informasi"
    ]


def test_a_supervisor_cannot_assign_a_course_whose_prerequisites_are_missing(courses):
    basics, privacy, advanced = courses
    supervisor = UserFactory(roles=[roles.LEARNER, roles.SUPERVISOR])
    report = UserFactory(full_name="Dewi Bawahan", supervisor=supervisor)
    due = dt.date.today() + dt.timedelta(days=30)
    with pytest.raises(services.LearningError) as refused:
        services.enrollment_assign(assigned_by=supervisor, employees=[report], course=advanced, due_date=due)
    assert "Dewi Bawahan" in str(refused.value) and "“Dasar Keamanan Informasi”" in str(refused.value)
    assert not Enrollment.objects.filter(course=advanced).exists()


def test_a_classroom_session_of_a_course_with_prerequisites_refuses_registration(courses):
    basics, privacy, advanced = courses
    day = dt.date.today() + dt.timedelta(days=10)
    classroom_course = make_course(title="Lokakarya Data", delivery_mode="classroom", lessons=("text",))
    require(classroom_course, basics)
    session = make_session(days=((day, dt.time(8), dt.time(16)),), course=classroom_course)
    learner = UserFactory()
    with pytest.raises(classroom_services.ClassroomError) as refused:
        classroom_services.check_registration_create(user=learner, session_id=session.pk)
    assert "“Dasar Keamanan Informasi”" in str(refused.value)
    complete(learner, basics)
    assert classroom_services.check_registration_create(user=learner, session_id=session.pk).pk


def test_a_credited_classroom_session_completes_its_course_as_a_prerequisite(courses):
    from lms.courses.selectors import courses_completed
    from lms.hours.evidence import ledger_source_key
    from lms.hours.models import LedgerEntry

    basics, privacy, advanced = courses
    workshop = make_course(title="Pelatihan Klasikal Data", delivery_mode="classroom", lessons=("text",))
    session = make_session(course=workshop)
    learner = UserFactory()
    assert courses_completed(user_ids=[learner.pk], course_ids=[workshop.pk]) == {}
    LedgerEntry.objects.create(
        user=learner,
        date=dt.date.today(),
        jp=8,
        category="teknis",
        form="pelatihan",
        source_kind=LedgerEntry.SourceKind.CLASSROOM,
        source_key=ledger_source_key(kind=LedgerEntry.SourceKind.CLASSROOM, ref=session.pk, user_id=learner.pk),
        title="Pelatihan Klasikal Data",
    )
    assert courses_completed(user_ids=[learner.pk], course_ids=[workshop.pk]) == {learner.pk: {workshop.pk}}


# The editor ---------------------------------------------------------------------------------------------


@pytest.fixture
def admin_client(client):
    from content.services import catalog_setup, course_moderation_setup
    from shell.people.services import roles_setup

    roles_setup()
    course_moderation_setup(catalog=catalog_setup())
    client.force_login(UserFactory(is_superuser=True, is_staff=True, roles=[roles.ADMIN]))
    return client


def edit_form(course, prerequisites, **extra):
    data = {
        "title": course.title,
        "slug": course.slug,
        "summary": course.summary,
        "category": course.category,
        "delivery_mode": course.delivery_mode,
        "development_form": course.development_form,
        "jp": str(course.jp),
        "objectives": rich_text(""),
        **extra,
    }
    form = nested_form_data(data)
    form["prerequisites"] = [str(c.pk) for c in prerequisites]
    return form


def test_the_editor_refuses_a_cycle_and_names_it(admin_client, courses):
    basics, privacy, advanced = courses  # advanced requires basics
    response = admin_client.post(
        f"/cms/pages/{basics.pk}/edit/", {**edit_form(basics, [advanced]), "action-publish": "1"}
    )
    assert response.status_code == 200
    errors = response.context["form"].errors["prerequisites"]
    assert errors == [
        "Prasyarat melingkar: Dasar Keamanan Informasi → Analisis Data Lanjut → Dasar Keamanan Informasi. "
        "Hapus salah satu prasyarat itu."
    ]
    assert not CoursePage.objects.get(pk=basics.pk).prerequisites.exists()


def test_the_editor_refuses_a_course_as_its_own_prerequisite(admin_client, courses):
    basics, privacy, advanced = courses
    form = admin_client.get(f"/cms/pages/{basics.pk}/edit/").context["form"]
    assert basics.pk not in [c.pk for c in form.fields["prerequisites"].queryset]  # not offered
    response = admin_client.post(
        f"/cms/pages/{basics.pk}/edit/", {**edit_form(basics, [basics]), "action-publish": "1"}
    )
    assert response.context["form"].errors["prerequisites"]
    assert not CoursePage.objects.get(pk=basics.pk).prerequisites.exists()


def test_the_editor_saves_prerequisites_and_a_due_date(admin_client, courses):
    basics, privacy, advanced = courses
    due = dt.date.today() + dt.timedelta(days=40)
    response = admin_client.post(
        f"/cms/pages/{privacy.pk}/edit/",
        {**edit_form(privacy, [basics], due_date=due.isoformat()), "action-publish": "1"},
    )
    assert response.status_code == 302, response.context["form"].errors
    privacy = CoursePage.objects.get(pk=privacy.pk)
    assert list(privacy.prerequisites.all()) == [basics]
    assert privacy.due_date == due


def test_a_cycle_through_a_draft_waiting_for_review_is_refused_too(admin_client, courses):
    """A draft is published later by a reviewer's approval, without this form: its links count now."""
    basics, privacy, advanced = courses
    response = admin_client.post(f"/cms/pages/{privacy.pk}/edit/", edit_form(privacy, [basics]))  # a draft
    assert response.status_code == 302
    privacy = CoursePage.objects.get(pk=privacy.pk)
    assert not privacy.prerequisites.exists() and privacy.has_unpublished_changes
    assert prerequisite_cycle(model=CoursePage, course_id=basics.pk, prerequisite_ids=[privacy.pk]) == [
        "Pelindungan Data Pribadi",
        "Dasar Keamanan Informasi",
    ]
    response = admin_client.post(
        f"/cms/pages/{basics.pk}/edit/", {**edit_form(basics, [privacy]), "action-publish": "1"}
    )
    assert "Prasyarat melingkar" in response.context["form"].errors["prerequisites"][0]
