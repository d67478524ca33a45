"""Trainers and reviewers find their work: a home tile each with what waits, inbox notices for submissions
and decisions (with the reviewer's comment), and a preview that shows a submitted lesson whole (text,
video, every quiz question with its answers, H5P) to a reviewer who never enrolled."""

import pytest
from wagtail.models import WorkflowState

from content.h5p.services import h5p_content_import
from content.h5p.tests.factories import build_package
from content.models import CoursePage, LessonPage
from content.selectors import changes_requested_for, drafts_of, review_tasks_waiting_for
from content.services import catalog_setup, course_moderation_setup
from content.tests.factories import QUIZ
from content.tests.factories import draft_course as make_draft_course
from shell.inbox.models import Notification
from shell.people import roles
from shell.people.services import roles_setup
from shell.people.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalog(db):
    roles_setup()
    catalog = catalog_setup()
    course_moderation_setup(catalog=catalog)
    return catalog


@pytest.fixture
def people(catalog):
    return {
        "trainer": UserFactory(roles=[roles.LEARNER, roles.TRAINER], full_name="Tia Pelatih"),
        "reviewer": UserFactory(roles=[roles.LEARNER, roles.REVIEWER], full_name="Rudi Peninjau"),
        "learner": UserFactory(roles=[roles.LEARNER]),
        "admin": UserFactory(roles=[roles.ADMIN]),
    }


def draft_course(catalog, trainer) -> tuple[CoursePage, LessonPage]:
    h5p = h5p_content_import(upload=build_package(), user=UserFactory(roles=[roles.ADMIN]))
    return make_draft_course(catalog=catalog, trainer=trainer, h5p=h5p)


def submit(page, user):
    workflow = page.get_workflow()
    return workflow.start(page, user)


def test_a_submission_tells_the_reviewers_and_the_tile_counts_it(
    client, catalog, people, django_capture_on_commit_callbacks
):
    trainer, reviewer = people["trainer"], people["reviewer"]
    other_reviewer = UserFactory(roles=[roles.REVIEWER])
    course, lesson = draft_course(catalog, trainer)

    assert drafts_of(user=trainer).count() == 2
    client.force_login(trainer)
    home = client.get("/").content.decode()
    assert 'data-tile="cms-pelatih"' in home and "2 draf" in home and 'href="/cms/"' in home
    assert 'data-tile="cms-tinjauan"' not in home

    with django_capture_on_commit_callbacks(execute=True):
        state = submit(lesson, trainer)
    task_state = state.current_task_state

    notes = Notification.objects.filter(kind="content.review_submitted")
    assert {n.user for n in notes} == {reviewer, other_reviewer}
    note = notes.get(user=reviewer)
    assert "Pelajaran menunggu tinjauan Anda: Surat Dinas" == note.title
    assert "Tia Pelatih" in note.body
    assert note.url == f"/cms/pages/workflow/preview/{lesson.pk}/{task_state.task_id}/"
    assert list(review_tasks_waiting_for(user=reviewer)) == [task_state]

    client.force_login(reviewer)
    home = client.get("/").content.decode()
    assert 'data-tile="cms-tinjauan"' in home and "1 menunggu tinjauan" in home
    assert "Pelajaran menunggu tinjauan Anda" in client.get("/kotak-masuk/").content.decode()
    # Submitted: no longer a draft of the trainer's.
    assert drafts_of(user=trainer).count() == 1


def test_the_reviewer_previews_the_whole_submitted_lesson_without_enrolling(client, catalog, people):
    trainer, reviewer = people["trainer"], people["reviewer"]
    course, lesson = draft_course(catalog, trainer)
    state = submit(lesson, trainer)

    client.force_login(reviewer)
    response = client.get(f"/cms/pages/workflow/preview/{lesson.pk}/{state.current_task_state.task_id}/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "terlebih dahulu" not in html  # not "enrol first"
    assert 'data-testid="preview-banner"' in html
    assert "Materi surat dinas" in html
    assert "youtube-nocookie.com/embed/abcdefghijk" in html or "abcdefghijk" in html  # the video
    for question in QUIZ["questions"]:
        assert question["prompt"] in html
        for choice in question["choices"]:
            assert choice["text"] in html
    assert html.count('data-testid="correct-choice"') == 4
    assert 'data-testid="h5p-item"' in html and "/h5p/main/" in html or "h5p-frame" in html
    assert "Kirim jawaban" not in html  # nothing to submit in a preview

    # The course's preview lists its lessons as drafted, each linking to its draft view.
    response = client.get(f"/cms/pages/{course.pk}/view_draft/")
    html = response.content.decode()
    assert response.status_code == 200
    assert f"/cms/pages/{lesson.pk}/view_draft/" in html and "Surat Dinas" in html
    assert 'data-testid="enroll"' not in html
    assert client.get(f"/cms/pages/{lesson.pk}/view_draft/").status_code == 200


def test_a_learner_still_enrols_first(client, catalog, people):
    course, lesson = draft_course(catalog, people["trainer"])
    course.save_revision().publish()
    lesson.save_revision().publish()
    client.force_login(people["learner"])
    html = client.get(lesson.url).content.decode()
    assert "Daftar kursus ini terlebih dahulu" in html and "Materi surat dinas" not in html


def test_changes_requested_and_approval_reach_the_trainer_with_the_comment(
    client, catalog, people, django_capture_on_commit_callbacks
):
    trainer, reviewer = people["trainer"], people["reviewer"]
    course, lesson = draft_course(catalog, trainer)
    with django_capture_on_commit_callbacks(execute=True):
        state = submit(lesson, trainer)

    client.force_login(reviewer)
    assert "1 menunggu tinjauan" in client.get("/").content.decode()  # and the page is kept (HOME_CACHE_SECONDS)
    task_state = state.current_task_state
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/cms/pages/workflow/action/{lesson.pk}/reject/{task_state.pk}/",
            {"comment": "Tambahkan contoh surat undangan."},
        )
    assert response.status_code in (200, 302)
    # The decision drops the reviewer's kept home page: the tile no longer counts it.
    assert "menunggu tinjauan" not in client.get("/").content.decode()
    state.refresh_from_db()
    assert state.status == WorkflowState.STATUS_NEEDS_CHANGES
    note = Notification.objects.get(user=trainer, kind="content.review_changes_requested")
    assert note.title == "Perlu perbaikan: Pelajaran Surat Dinas"
    assert "Rudi Peninjau" in note.body and "Tambahkan contoh surat undangan." in note.body
    assert note.url == f"/cms/pages/{lesson.pk}/edit/"
    assert list(changes_requested_for(user=trainer)) == [state]
    client.force_login(trainer)
    assert "1 perlu perbaikan" in client.get("/").content.decode()

    # Resubmitted: the reviewers are told again; approved: published, and the trainer hears it.
    with django_capture_on_commit_callbacks(execute=True):
        state.resume(user=trainer)
    state.refresh_from_db()
    assert Notification.objects.filter(user=reviewer, kind="content.review_submitted").count() == 2
    client.force_login(reviewer)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            f"/cms/pages/workflow/action/{lesson.pk}/approve/{state.current_task_state.pk}/", {"comment": "Bagus."}
        )
    lesson.refresh_from_db()
    assert lesson.live
    note = Notification.objects.get(user=trainer, kind="content.review_approved")
    assert note.title == "Pelajaran disetujui dan diterbitkan: Surat Dinas"
    assert "Bagus." in note.body
    assert not Notification.objects.filter(user=reviewer, kind__startswith="content.review_a").exists()


def test_learners_see_no_cms_tiles(client, people):
    client.force_login(people["learner"])
    home = client.get("/").content.decode()
    assert "cms-pelatih" not in home and "cms-tinjauan" not in home
