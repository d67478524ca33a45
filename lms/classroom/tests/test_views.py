"""Classroom pages: who may open what, and bad input answered in words with the right status."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from lms.classroom import services
from lms.classroom.models import Attendance, Registration
from lms.hours.selectors import JAKARTA
from shell.people.tests.factories import UserFactory

from .factories import make_session

pytestmark = pytest.mark.django_db


def today_session(**kwargs):
    today = timezone.now().astimezone(JAKARTA).date()
    return make_session(days=[(today, dt.time(0, 0), dt.time(23, 59))], **kwargs)


def test_learner_registers_through_the_page_and_sees_the_waiting_list(client):
    session = make_session(days=[(dt.date.today() + dt.timedelta(days=30), dt.time(8), dt.time(16))], capacity=1)
    first, second = UserFactory(), UserFactory()
    for user in (first, second):
        client.force_login(user)
        assert client.post(reverse("classroom:register", args=[session.pk])).status_code == 302
    page = client.get(reverse("classroom:detail", args=[session.pk])).content.decode()
    assert "daftar tunggu, urutan ke-1" in page
    assert session.display_title in client.get(reverse("classroom:list")).content.decode()
    assert Registration.objects.get(user=first).status == Registration.Status.REGISTERED


def test_only_the_trainer_opens_the_code_and_roster(client):
    session = today_session()
    client.force_login(UserFactory())
    for name in ("classroom:trainer", "classroom:trainer_code"):
        assert client.get(reverse(name, args=[session.pk])).status_code == 403
    assert client.post(reverse("classroom:trainer_close", args=[session.pk])).status_code == 403
    client.force_login(session.trainers.get())
    page = client.get(reverse("classroom:trainer_code", args=[session.pk])).content.decode()
    shown = services.checkin_code_current(session=session)
    assert "<svg" in page and "absen/?kode=" in page
    data = client.get(reverse("classroom:trainer_code", args=[session.pk]) + "?format=json").json()
    assert len(data["code"]) == 6 and shown is not None


def test_check_in_page_refuses_a_wrong_code_with_400_and_accepts_the_shown_one(client):
    session = today_session()
    learner = UserFactory()
    services.check_registration_create(user=learner, session_id=session.pk, now=timezone.now() - dt.timedelta(days=1))
    client.force_login(learner)
    url = reverse("classroom:checkin", args=[session.pk])
    assert client.get(url + "?kode=123456").status_code == 200
    response = client.post(url, {"kode": "abc"})
    assert response.status_code == 400 and "6 angka" in response.content.decode()
    code = services.checkin_code_current(session=session).code
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    assert client.post(url, {"kode": wrong}).status_code == 400
    assert client.post(url, {"kode": code}).status_code == 302
    assert Attendance.objects.filter(registration__user=learner).count() == 1


def test_unknown_session_is_404(client):
    client.force_login(UserFactory())
    assert client.get(reverse("classroom:detail", args=[999999])).status_code == 404
    assert client.post(reverse("classroom:register", args=[999999])).status_code == 302  # message: not found


def test_manual_marking_with_bad_ids_says_so(client):
    session = today_session()
    client.force_login(session.trainers.get())
    response = client.post(
        reverse("classroom:trainer_mark", args=[session.pk]), {"registration": "x", "day": "1"}, follow=True
    )
    assert "tidak lengkap" in response.content.decode()
    response = client.post(
        reverse("classroom:trainer_mark", args=[session.pk]),
        {"registration": "9999", "day": "1", "present": "1"},
        follow=True,
    )
    assert "bukan bagian dari kelas ini" in response.content.decode()


def test_after_closing_the_participant_sees_the_jp_and_the_certificate(client):
    session = make_session(jp="8")
    trainer = session.trainers.get()
    learner = UserFactory()
    at = dt.datetime(2026, 3, 10, 17, tzinfo=JAKARTA)
    reg = services.check_registration_create(user=learner, session_id=session.pk, now=at - dt.timedelta(days=20))
    services.attendance_mark(
        trainer=trainer, session=session, registration_id=reg.pk, day_id=session.days.get().pk, present=True, now=at
    )
    services.session_close(session=session, by=trainer, now=at)
    client.force_login(learner)
    page = client.get(reverse("classroom:detail", args=[session.pk])).content.decode()
    assert "8 JP dikreditkan" in page and "hadir 1 hari" in page and "Lihat sertifikat" in page
