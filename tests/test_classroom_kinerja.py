"""Across modules: a credited classroom session becomes one e-Kinerja "pengembangan kompetensi" activity
with its certificate as evidence (through the lms.session.attended and lms.certificate.issued events),
however often the class is closed."""

import datetime as dt
from decimal import Decimal

import pytest

from lms.classroom import services
from lms.classroom.tests.factories import make_session
from lms.hours.selectors import JAKARTA
from shell.modules.kinerja.models import Activity
from shell.people.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_an_attended_session_becomes_one_kinerja_activity(django_capture_on_commit_callbacks):
    session = make_session(jp="8", title="Angkatan II")
    trainer = session.trainers.get()
    learner = UserFactory()
    reg = services.check_registration_create(
        user=learner, session_id=session.pk, now=dt.datetime(2026, 3, 1, tzinfo=JAKARTA)
    )
    day = session.days.get()
    close_at = dt.datetime(2026, 3, 10, 17, tzinfo=JAKARTA)
    with django_capture_on_commit_callbacks(execute=True):
        services.attendance_mark(
            trainer=trainer, session=session, registration_id=reg.pk, day_id=day.pk, present=True, now=close_at
        )
        services.session_close(session=session, by=trainer, now=close_at)
    with django_capture_on_commit_callbacks(execute=True):
        services.session_close(session=session, by=trainer, now=close_at)
    activity = Activity.objects.get(user=learner)
    assert activity.jp == Decimal("8") and activity.date == dt.date(2026, 3, 10)
    assert activity.source_key == f"lms.session:{session.pk}:user:{learner.pk}"
    assert session.course.title in activity.title
    certificate = learner.certificates.get()
    assert list(activity.evidence.values_list("url", flat=True)) == [f"/sertifikat/{certificate.pk}/"]
