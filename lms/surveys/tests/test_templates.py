"""Templates and links: trainers build their own and attach them to what they teach; BKPSDM manages all;
an answered template keeps its questions."""

import pytest
from django.urls import reverse

from content.tests.factories import make_course
from lms.surveys.models import SurveyItem, SurveyLink, SurveyTemplate
from shell.people import roles
from shell.people.tests.factories import UserFactory, hr_user

from .factories import make_template, responses, survey_course

pytestmark = pytest.mark.django_db


def template_post(**sections):
    data = {"title": "Evaluasi Diklat", "description": "Isi dengan jujur"}
    data.update({f"section_{k}": v for k, v in sections.items()})
    return data


def test_a_trainer_builds_a_template_from_lines_per_section(client):
    trainer = UserFactory(roles=[roles.LEARNER, roles.TRAINER])
    client.force_login(trainer)
    assert client.get(reverse("surveys:manage")).status_code == 200
    response = client.post(
        reverse("surveys:template_create"),
        template_post(
            material="Materi relevan\n\n  Materi jelas  ", trainer="Pelatih menguasai materi", comment="Saran?"
        ),
    )
    assert response.status_code == 302
    template = SurveyTemplate.objects.get(created_by=trainer)
    assert [(i.section, i.kind, i.text) for i in template.items.order_by("position")] == [
        ("material", "likert", "Materi relevan"),
        ("material", "likert", "Materi jelas"),
        ("trainer", "likert", "Pelatih menguasai materi"),
        ("comment", "comment", "Saran?"),
    ]


def test_a_template_needs_a_statement_and_says_so(client):
    client.force_login(UserFactory(roles=[roles.LEARNER, roles.TRAINER]))
    response = client.post(reverse("surveys:template_create"), template_post(comment="Saran?"))
    assert response.status_code == 400 and "paling sedikit satu pernyataan" in response.content.decode()
    assert not SurveyTemplate.objects.exists()


def test_an_answered_template_keeps_its_questions_and_can_be_copied(client, settings):
    course, trainer = survey_course()
    template = course.survey_link.template
    responses(1, course=course)
    client.force_login(trainer)
    url = reverse("surveys:template", args=[template.pk])
    before = list(template.items.values_list("pk", "text"))
    response = client.post(url, template_post(material="Pertanyaan baru"))
    assert response.status_code == 400 and "Salin" in response.content.decode()
    assert list(template.items.values_list("pk", "text")) == before
    copy = client.post(reverse("surveys:template_copy", args=[template.pk]))
    assert copy.status_code == 302
    new = SurveyTemplate.objects.exclude(pk=template.pk).get()
    assert new.items.count() == template.items.count() and new.created_by == trainer


def test_only_the_author_or_bkpsdm_edit_a_template_and_learners_manage_nothing(client):
    template = make_template()
    other = UserFactory(roles=[roles.LEARNER, roles.TRAINER])
    client.force_login(other)
    assert client.get(reverse("surveys:template", args=[template.pk])).status_code == 404
    client.force_login(hr_user())
    assert client.get(reverse("surveys:template", args=[template.pk])).status_code == 200
    client.force_login(UserFactory())
    for url in (reverse("surveys:manage"), reverse("surveys:template_create"), reverse("surveys:link_create")):
        assert client.get(url).status_code == 403


def test_a_trainer_attaches_only_to_what_they_teach(client):
    template = make_template()
    trainer = template.created_by
    mine, theirs = (
        make_course(title="Kursus Saya", lessons=("text",)),
        make_course(title="Kursus Lain", lessons=("text",)),
    )
    mine.trainers.add(trainer)
    mine.save()
    client.force_login(trainer)
    response = client.post(reverse("surveys:link_create"), {"template": template.pk, "course": theirs.pk})
    assert response.status_code == 400 and not SurveyLink.objects.exists()
    both = client.post(reverse("surveys:link_create"), {"template": template.pk})
    assert both.status_code == 400 and "Pilih satu kursus atau satu kelas" in both.content.decode()
    response = client.post(
        reverse("surveys:link_create"), {"template": template.pk, "course": mine.pk, "required_for_certificate": "on"}
    )
    assert response.status_code == 302
    link = SurveyLink.objects.get()
    assert (link.course_id, link.required_for_certificate, link.follow_up) == (mine.pk, True, False)
    # Another trainer cannot take it off.
    client.force_login(UserFactory(roles=[roles.LEARNER, roles.TRAINER]))
    assert client.post(reverse("surveys:link_delete", args=[link.pk])).status_code == 404
    client.force_login(trainer)
    assert client.post(reverse("surveys:link_delete", args=[link.pk])).status_code == 302
    assert not SurveyLink.objects.exists() and SurveyItem.objects.exists()


def test_script_in_a_template_is_shown_as_text(client, django_capture_on_commit_callbacks):
    from .factories import complete_course

    course, trainer = survey_course()
    template = course.survey_link.template
    template.items.filter(section="material").update(text="<img src=x onerror=alert(1)>")
    learner = UserFactory()
    complete_course(course, learner, django_capture_on_commit_callbacks)
    client.force_login(learner)
    page = client.get(reverse("surveys:answer_course", args=[course.pk])).content.decode()
    assert "<img src=x" not in page and "&lt;img src=x onerror=alert(1)&gt;" in page
