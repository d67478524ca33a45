"""A trainer writes a course in the Wagtail admin and submits it; a curriculum reviewer approves and
publishes it. Trainers cannot publish on their own."""

import pytest
from wagtail.models import WorkflowState
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from content.models import CoursePage, LessonPage
from content.services import catalog_setup, course_moderation_setup
from shell.people import roles
from shell.people.tests.factories import UserFactory


@pytest.fixture
def catalog(db):
    from shell.people.services import roles_setup

    roles_setup()
    catalog = catalog_setup()
    course_moderation_setup(catalog=catalog)
    return catalog


def list_block(items):
    """Admin form data of a ListBlock (wagtail.test.utils has helpers for StreamField only)."""
    data = {"count": len(items)}
    for i, item in enumerate(items):
        data[str(i)] = {"value": item, "deleted": "", "order": str(i)}
    return data


def course_form(**overrides):
    data = {
        "title": "Menulis Naskah Dinas",
        "slug": "menulis-naskah-dinas",
        "summary": "Tata naskah dinas elektronik.",
        "category": "teknis",
        "delivery_mode": "online",
        "development_form": "e_learning",
        "jp": "3",
        "objectives": rich_text("<ul><li>Menyusun surat dinas</li></ul>"),
    }
    data.update(overrides)
    return nested_form_data(data)


def test_trainer_submits_and_reviewer_approves_and_publishes(client, catalog):
    trainer = UserFactory(roles=[roles.LEARNER, roles.TRAINER])
    reviewer = UserFactory(roles=[roles.LEARNER, roles.REVIEWER])

    client.force_login(trainer)
    response = client.post(f"/cms/pages/add/content/coursepage/{catalog.pk}/", {**course_form(), "action-submit": "1"})
    assert response.status_code == 302, response.context["form"].errors if response.context else response
    course = CoursePage.objects.get(slug="menulis-naskah-dinas")
    assert not course.live
    state = WorkflowState.objects.get(object_id=str(course.pk), status=WorkflowState.STATUS_IN_PROGRESS)
    assert state.workflow.name == "Moderasi kursus"

    # The trainer cannot publish it themself.
    response = client.post(f"/cms/pages/{course.pk}/edit/", {**course_form(), "action-publish": "1"})
    course.refresh_from_db()
    assert not course.live

    client.force_login(reviewer)
    task_state = state.current_task_state
    response = client.post(f"/cms/pages/workflow/action/{course.pk}/approve/{task_state.pk}/", {"comment": "Bagus."})
    assert response.status_code in (200, 302)
    course.refresh_from_db()
    assert course.live
    assert course.title == "Menulis Naskah Dinas"
    state.refresh_from_db()
    assert state.status == WorkflowState.STATUS_APPROVED


def test_trainer_adds_a_lesson_with_every_block(client, catalog):
    trainer = UserFactory(roles=[roles.LEARNER, roles.TRAINER])
    client.force_login(trainer)
    client.post(f"/cms/pages/add/content/coursepage/{catalog.pk}/", course_form())
    course = CoursePage.objects.get(slug="menulis-naskah-dinas")
    body = streamfield(
        [
            ("text", rich_text("<p>Materi</p>")),
            ("video", {"url": "https://youtu.be/abcdefghijk", "caption": ""}),
            (
                "quiz",
                {
                    "title": "Kuis",
                    "pass_mark": "70",
                    "questions": list_block(
                        [
                            {
                                "prompt": "Benar?",
                                "choices": list_block(
                                    [
                                        {"text": "Ya", "correct": "on"},
                                        {"text": "Tidak"},
                                    ]
                                ),
                            },
                        ]
                    ),
                },
            ),
        ]
    )
    data = nested_form_data(
        {"title": "Pelajaran 1", "slug": "pelajaran-1", "body": body, "required": "on", "estimated_minutes": "10"}
    )
    response = client.post(f"/cms/pages/add/content/lessonpage/{course.pk}/", data)
    assert response.status_code == 302, response.context["form"].errors if response.context else response
    lesson = LessonPage.objects.get(slug="pelajaran-1")
    assert [b.block_type for b in lesson.body] == ["text", "video", "quiz"]
    assert lesson.quiz["questions"][0]["choices"][0]["correct"] is True


def test_invalid_course_and_quiz_input_gets_clear_messages(client, catalog):
    trainer = UserFactory(roles=[roles.LEARNER, roles.TRAINER])
    client.force_login(trainer)
    response = client.post(f"/cms/pages/add/content/coursepage/{catalog.pk}/", course_form(jp="-1"))
    assert response.status_code == 200
    assert "jp" in response.context["form"].errors
    client.post(f"/cms/pages/add/content/coursepage/{catalog.pk}/", course_form())
    course = CoursePage.objects.get(slug="menulis-naskah-dinas")
    body = streamfield(
        [
            ("video", {"url": "https://example.com/page.html", "caption": ""}),
            (
                "quiz",
                {
                    "title": "Kuis",
                    "pass_mark": "70",
                    "questions": list_block(
                        [
                            {"prompt": "Benar?", "choices": list_block([{"text": "Ya"}, {"text": "Tidak"}])},
                        ]
                    ),
                },
            ),
        ]
    )
    data = nested_form_data({"title": "Pelajaran 1", "slug": "pelajaran-1", "body": body, "estimated_minutes": "10"})
    response = client.post(f"/cms/pages/add/content/lessonpage/{course.pk}/", data)
    assert response.status_code == 200
    text = str(response.context["form"].errors["body"].as_data()[0].as_json_data())
    assert "YouTube, Vimeo" in text
    assert "Tandai setidaknya satu pilihan" in text
    assert not LessonPage.objects.exists()
