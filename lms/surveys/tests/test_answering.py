"""Answering a survey: who may, once only, every statement scored, and the certificate that waits for it."""

import datetime as dt

import pytest
from django.urls import reverse

from lms.certificates.models import Certificate
from lms.classroom import services as classroom_services
from lms.surveys import selectors, services
from lms.surveys.models import Answer, CertificateHold, Respondent, Response
from shell.inbox.models import Notification
from shell.people.tests.factories import UserFactory

from .factories import (
    CLASS_DAY,
    answer,
    answers_for,
    at,
    attend_class,
    complete_course,
    form_data,
    survey_course,
    survey_session,
)

pytestmark = pytest.mark.django_db


def test_a_required_survey_holds_the_course_certificate_until_answered(django_capture_on_commit_callbacks):
    course, _trainer = survey_course(required=True)
    learner = UserFactory()
    complete_course(course, learner, django_capture_on_commit_callbacks)
    assert not Certificate.objects.filter(user=learner).exists()
    hold = CertificateHold.objects.get(user=learner)
    assert hold.source_key == f"course:{course.pk}:user:{learner.pk}" and hold.released_at is None
    notice = Notification.objects.get(user=learner, kind="lms.survey_pending")
    assert notice.url == f"/belajar/survei/isi/kursus/{course.pk}/"
    assert [t.course.pk for t in selectors.surveys_pending(user=learner)] == [course.pk]

    with django_capture_on_commit_callbacks(execute=True):
        answer(learner, course=course, score=5, comment="Bagus")
    certificate = Certificate.objects.get(user=learner)
    assert (certificate.title, certificate.end_date, certificate.kind) == ("Etika ASN", dt.date(2026, 4, 1), "course")
    assert CertificateHold.objects.get(user=learner).released_at is not None
    assert selectors.surveys_pending(user=learner) == []
    # The completion event delivered again (a retry) changes nothing.
    services.holds_release(user=learner, target=f"course:{course.pk}")
    assert Certificate.objects.filter(user=learner).count() == 1


def test_an_optional_survey_does_not_hold_the_certificate(django_capture_on_commit_callbacks):
    course, _trainer = survey_course(required=False)
    learner = UserFactory()
    complete_course(course, learner, django_capture_on_commit_callbacks)
    assert Certificate.objects.filter(user=learner).count() == 1
    assert not CertificateHold.objects.exists()
    assert len(selectors.surveys_pending(user=learner)) == 1  # still asked, not required


def test_making_the_survey_optional_releases_held_certificates(django_capture_on_commit_callbacks):
    course, trainer = survey_course(required=True)
    learner = UserFactory()
    complete_course(course, learner, django_capture_on_commit_callbacks)
    assert not Certificate.objects.filter(user=learner).exists()
    link = course.survey_link
    services.survey_link_save(
        by=trainer, template=link.template, course=course, required_for_certificate=False, follow_up=True
    )
    assert Certificate.objects.filter(user=learner).count() == 1


def test_a_class_certificate_waits_for_the_survey_and_is_issued_on_answering(django_capture_on_commit_callbacks):
    session = survey_session(required=True)
    learner = attend_class(session)
    trainer = session.trainers.get()
    with django_capture_on_commit_callbacks(execute=True):
        result = classroom_services.session_close(session=session, by=trainer, now=at(CLASS_DAY, 17))
    assert len(result.credited) == 1  # JP credited: only the certificate waits
    assert not Certificate.objects.filter(user=learner).exists()
    with django_capture_on_commit_callbacks(execute=True):
        answer(learner, session=session, today=CLASS_DAY)
    certificate = Certificate.objects.get(user=learner)
    assert certificate.source_key == f"classroom:{session.pk}:user:{learner.pk}"
    assert certificate.start_date == certificate.end_date == CLASS_DAY
    # Closing again (the beat) issues nothing new.
    classroom_services.session_close(session=session, now=at(CLASS_DAY + dt.timedelta(days=5), 9))
    assert Certificate.objects.filter(user=learner).count() == 1


def test_a_class_uses_its_courses_survey_and_asks_about_each_trainer():
    session = survey_session(trainers=2, link_course=True)
    learner = attend_class(session)
    target = selectors.survey_target_for(
        user=learner, course_id=session.course_id, session_id=session.pk, today=CLASS_DAY
    )
    assert target is not None and target.key == f"session:{session.pk}"
    trainer_items = [(item.text, t) for item, t in services.answer_keys(target=target) if t]
    assert len(trainer_items) == 4  # two statements for each of two trainers
    answer(learner, session=session, today=CLASS_DAY)
    assert Answer.objects.filter(trainer__isnull=False).values("trainer").distinct().count() == 2


def test_a_class_survey_opens_on_its_last_day_for_those_who_attended():
    session = survey_session()
    learner = attend_class(session)
    registered_only = UserFactory()
    classroom_services.check_registration_create(
        user=registered_only, session_id=session.pk, now=dt.datetime(2026, 3, 1, 9, tzinfo=dt.UTC)
    )
    before = CLASS_DAY - dt.timedelta(days=1)
    assert (
        selectors.survey_target_for(user=learner, course_id=session.course_id, session_id=session.pk, today=before)
        is None
    )
    assert selectors.survey_target_for(
        user=learner, course_id=session.course_id, session_id=session.pk, today=CLASS_DAY
    )
    assert (
        selectors.survey_target_for(
            user=registered_only, course_id=session.course_id, session_id=session.pk, today=CLASS_DAY
        )
        is None
    )


def test_answering_twice_is_refused_and_keeps_one_response(client, django_capture_on_commit_callbacks):
    course, _trainer = survey_course()
    learner = UserFactory()
    complete_course(course, learner, django_capture_on_commit_callbacks)
    answer(learner, course=course)
    target = selectors.survey_target_for(user=learner, course_id=course.pk, session_id=None)
    with pytest.raises(services.SurveyError, match="sudah mengisi"):
        services.survey_submit(user=learner, target=target, answers=answers_for(target))
    client.force_login(learner)
    page = client.post(reverse("surveys:answer_course", args=[course.pk]), form_data(target))
    assert page.status_code == 409 and "sudah mengisi" in page.content.decode()
    assert (Response.objects.count(), Respondent.objects.count()) == (1, 1)


def test_a_learner_cannot_answer_for_a_course_they_did_not_take_or_finish(client, django_capture_on_commit_callbacks):
    course, _trainer = survey_course()
    outsider, unfinished = UserFactory(), UserFactory()
    from lms import services as lms_services

    with django_capture_on_commit_callbacks(execute=True):
        lms_services.check_enrollment_self(user=unfinished, course_id=course.pk)
    for user in (outsider, unfinished):
        client.force_login(user)
        assert client.get(reverse("surveys:answer_course", args=[course.pk])).status_code == 404
        assert client.post(reverse("surveys:answer_course", args=[course.pk]), {}).status_code == 404
    assert client.get(reverse("surveys:answer_session", args=[999999])).status_code == 404
    assert not Response.objects.exists()


def test_bad_answers_are_refused_with_a_message_and_nothing_kept(client, django_capture_on_commit_callbacks):
    course, _trainer = survey_course()
    learner = UserFactory()
    complete_course(course, learner, django_capture_on_commit_callbacks)
    target = selectors.survey_target_for(user=learner, course_id=course.pk, session_id=None)
    client.force_login(learner)
    url = reverse("surveys:answer_course", args=[course.pk])
    data = form_data(target)
    missing = dict(list(data.items())[1:])
    assert client.post(url, missing).status_code == 400
    out_of_range = {**data, next(iter(data)): "7"}
    page = client.post(url, out_of_range)
    assert page.status_code == 400
    # Forged keys straight to the service: another template's item, a trainer who does not teach it, a score of 9.
    answers = answers_for(target)
    for forged in (
        {**answers, (999999, None): 5},
        {**answers, (next(iter(answers))[0], learner.pk): 5},
        {**answers, next(iter(answers)): 9},
        {**answers, next(iter(answers)): "lima"},
    ):
        with pytest.raises(services.SurveyError):
            services.survey_submit(user=learner, target=target, answers=forged)
    comment_key = next(k for k, v in answers.items() if v == "")
    with pytest.raises(services.SurveyError, match="NUL"):
        services.survey_submit(user=learner, target=target, answers={**answers, comment_key: "a\x00b"})
    assert not Response.objects.exists() and not Respondent.objects.exists() and not Answer.objects.exists()


def test_the_phone_form_lists_every_section_and_posting_it_thanks_the_learner(
    client, django_capture_on_commit_callbacks
):
    course, trainer = survey_course()
    learner = UserFactory()
    complete_course(course, learner, django_capture_on_commit_callbacks)
    client.force_login(learner)
    page = client.get(reverse("surveys:mine")).content.decode()
    assert reverse("surveys:answer_course", args=[course.pk]) in page
    url = reverse("surveys:answer_course", args=[course.pk])
    form = client.get(url).content.decode()
    for heading in (
        "Materi",
        "Pelatih: Widyaiswara Satu",
        "Penyelenggaraan",
        "Tempat dan sarana",
        "Saran dan komentar",
    ):
        assert heading in form
    target = selectors.survey_target_for(user=learner, course_id=course.pk, session_id=None)
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(url, form_data(target, comment="Materi sangat relevan"))
    assert done.status_code == 302 and done["Location"] == reverse("surveys:mine")
    assert Certificate.objects.filter(user=learner).exists()
