"""Survey test data: templates, links, completed courses and attended classes, answers."""

from __future__ import annotations

import datetime as dt

from content.tests.factories import make_course
from lms import services as lms_services
from lms.classroom import services as classroom_services
from lms.classroom.tests.factories import make_session
from lms.hours.selectors import JAKARTA
from lms.surveys import selectors, services
from lms.surveys.models import Section, SurveyItem
from lms.xapi.transformers import learning_event_record
from shell.people import roles
from shell.people.tests.factories import UserFactory

SECTIONS = {
    Section.MATERIAL: ["Materi sesuai kebutuhan pekerjaan saya", "Materi mudah dipahami"],
    Section.TRAINER: ["Pelatih menguasai materi", "Pelatih menjawab pertanyaan dengan jelas"],
    Section.ORGANISATION: ["Jadwal pelatihan tertib"],
    Section.VENUE: ["Ruang kelas nyaman"],
    Section.COMMENT: ["Saran untuk pelatihan berikutnya"],
}


def make_template(by=None, sections=None, title="Evaluasi penyelenggaraan"):
    by = by or UserFactory(roles=[roles.LEARNER, roles.TRAINER])
    return services.survey_template_save(
        by=by, title=title, description="Mohon diisi dengan jujur.", sections=sections or SECTIONS
    )


def survey_course(*, required=True, follow_up=True, trainer=None, title="Etika ASN"):
    """An online course with a survey (and a trainer named on the course)."""
    course = make_course(title=title, jp="4", lessons=("text",))
    trainer = trainer or UserFactory(roles=[roles.LEARNER, roles.TRAINER], full_name="Widyaiswara Satu")
    course.trainers.add(trainer)
    course.save()
    template = make_template(by=trainer)
    services.survey_link_save(
        by=trainer, template=template, course=course, required_for_certificate=required, follow_up=follow_up
    )
    return course, trainer


def complete_course(course, user, capture, when=dt.datetime(2026, 4, 1, 3, tzinfo=dt.UTC)):
    with capture(execute=True):
        enrollment = lms_services.check_enrollment_self(user=user, course_id=course.pk)
    with capture(execute=True):
        learning_event_record("lms.course.completed", user=user, enrollment=enrollment, timestamp=when)
    return enrollment


def at(date: dt.date, hour: int) -> dt.datetime:
    return dt.datetime(date.year, date.month, date.day, hour, tzinfo=JAKARTA)


CLASS_DAY = dt.date(2026, 3, 10)


def survey_session(*, required=True, trainers=1, link_course=False):
    """A one-day class (10 March 2026) with a survey on the class (or on its course)."""
    session = make_session(jp="8")
    first = session.trainers.get()
    for _n in range(trainers - 1):
        session.trainers.add(UserFactory(roles=[roles.LEARNER, roles.TRAINER]))
    template = make_template(by=first)
    target = {"course": session.course} if link_course else {"session": session}
    services.survey_link_save(by=first, template=template, required_for_certificate=required, follow_up=True, **target)
    return session


def attend_class(session, user=None):
    user = user or UserFactory()
    reg = classroom_services.check_registration_create(
        user=user, session_id=session.pk, now=dt.datetime(2026, 3, 1, 9, tzinfo=JAKARTA)
    )
    trainer = session.trainers.order_by("pk").first()
    for day in session.days.all():
        classroom_services.attendance_mark(
            trainer=trainer, session=session, registration_id=reg.pk, day_id=day.pk, present=True, now=at(day.date, 9)
        )
    return user


def answers_for(target, score=4, comment="", scores=None):
    """Every question answered: ``score`` for each statement (or ``scores[item text]``), ``comment`` in
    the open questions."""
    out = {}
    for item, trainer in services.answer_keys(target=target):
        if item.kind == SurveyItem.Kind.LIKERT:
            out[(item.pk, trainer)] = (scores or {}).get(item.text, score)
        else:
            out[(item.pk, trainer)] = comment
    return out


def answer(user, *, course=None, session=None, today=None, **kwargs):
    course_id = session.course_id if session else course.pk
    target = selectors.survey_target_for(
        user=user, course_id=course_id, session_id=session.pk if session else None, today=today
    )
    assert target is not None, "not eligible"
    return services.survey_submit(user=user, target=target, answers=answers_for(target, **kwargs))


def form_data(target, score=4, comment=""):
    from lms.surveys.forms import field_name

    return {
        field_name(item_id, trainer): str(value)
        for (item_id, trainer), value in answers_for(target, score, comment).items()
    }


def target_of(course=None, session=None, completed_on=dt.date(2026, 4, 1)):
    """The Target a participant of ``course`` or ``session`` answers (eligibility is the answering tests')."""
    course = session.course if session else course
    link = selectors.link_for(course_id=course.pk, session_id=session.pk if session else None)
    return selectors.Target(course, session, link, completed_on)


def responses(n, *, course=None, session=None, completed_on=dt.date(2026, 4, 1), **kwargs):
    """``n`` participants answer (each a new employee)."""
    target = target_of(course, session, completed_on)
    for _i in range(n):
        services.survey_submit(user=UserFactory(), target=target, answers=answers_for(target, **kwargs))
    return target
