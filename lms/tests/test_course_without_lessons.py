"""A course approved before its lessons goes live with nothing to learn: nobody can enrol in it (self, assigned
or in bulk), an enrolment from before says so on "Mulai belajar" instead of reloading the course page, and the
reviewer opening the course in the editor is told its lessons still wait for their own approval."""

import datetime as dt

import pytest
from django.utils import timezone

from content.models import LessonPage
from content.services import catalog_setup, course_moderation_setup
from content.tests.factories import draft_course, make_course
from lms import services
from lms.models import Enrollment
from shell.people import roles
from shell.people.services import roles_setup
from shell.people.tests.factories import UnitFactory, UserFactory

pytestmark = pytest.mark.django_db
NO_LESSON = "Pelajaran kursus ini belum diterbitkan"


@pytest.fixture
def empty_course():
    return make_course(title="Etika Komunikasi Digital", lessons=())


def test_self_enrolment_is_refused_while_no_lesson_is_live(client, empty_course):
    learner = UserFactory()
    with pytest.raises(services.LearningError, match=NO_LESSON):
        services.check_enrollment_self(user=learner, course_id=empty_course.pk)
    client.force_login(learner)
    response = client.post(f"/belajar/kursus/{empty_course.pk}/daftar/", follow=True)
    assert NO_LESSON in response.content.decode()
    assert not Enrollment.objects.exists()


def test_the_course_page_says_lessons_are_not_published_and_offers_no_enrolment(client, empty_course):
    client.force_login(UserFactory())
    body = client.get(empty_course.url).content.decode()
    assert 'data-testid="no-lessons-yet"' in body
    assert 'data-testid="enroll"' not in body
    assert "Belum ada pelajaran yang terbit." in body


def test_a_draft_lesson_does_not_open_the_course(empty_course):
    empty_course.add_child(instance=LessonPage(title="Draf", slug="draf", live=False, body=[]))
    assert empty_course.open_for_enrolment() is False
    assert make_course(lessons=("text",)).open_for_enrolment() is True


def test_assigning_is_refused_too(empty_course):
    unit = UnitFactory()
    boss = UserFactory(unit=unit, roles=[roles.LEARNER, roles.SUPERVISOR])
    report = UserFactory(unit=unit, supervisor=boss)
    due = timezone.localdate() + dt.timedelta(days=30)
    with pytest.raises(services.LearningError, match=NO_LESSON):
        services.enrollment_assign(assigned_by=boss, employees=[report], course=empty_course, due_date=due)


def test_mulai_belajar_on_a_course_whose_lessons_went_away_says_so(client, empty_course):
    learner = UserFactory()
    services.enrollment_create(user=learner, course=empty_course, source=Enrollment.Source.SELF)
    client.force_login(learner)
    response = client.post(f"/belajar/kursus/{empty_course.pk}/mulai/", follow=True)
    body = response.content.decode()
    assert NO_LESSON in body
    assert 'data-testid="continue"' not in body  # no button that reloads the same page


def test_the_reviewer_is_warned_in_the_editor_and_after_approving(client):
    roles_setup()
    catalog = catalog_setup()
    course_moderation_setup(catalog=catalog)
    trainer = UserFactory(roles=[roles.LEARNER, roles.TRAINER])
    course, _ = draft_course(catalog=catalog, trainer=trainer)
    client.force_login(UserFactory(roles=[roles.ADMIN], is_superuser=True))
    response = client.get(f"/cms/pages/{course.pk}/edit/")
    assert "1 pelajaran kursus ini belum terbit" in response.content.decode()

    preview = client.get(f"/cms/pages/{course.pk}/view_draft/")
    assert 'data-testid="unpublished-lessons"' in preview.content.decode()
