"""Classroom pages: who may open what, and bad input answered in words with the right status."""

import datetime as dt

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from lms.classroom import services
from lms.classroom.models import Attendance, CheckinRequest, Registration
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
    response = client.post(url, {"kode": code}, follow=True)
    assert "menunggu konfirmasi pelatih" in response.content.decode()
    assert not Attendance.objects.exists()
    assert CheckinRequest.objects.get(registration__user=learner).status == "pending"


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


# Check-in bound to the room: the pages of each mode ---------------------------------------------------


def set_mode(session, mode):
    session.checkin_mode = mode
    session.save()
    return session


def seated(session):
    learner = UserFactory()
    services.check_registration_create(user=learner, session_id=session.pk, now=timezone.now() - dt.timedelta(days=1))
    return learner


def test_the_trainer_confirms_pending_check_ins_one_or_all_on_the_phone_page(client):
    session = today_session()
    first, second, third = seated(session), seated(session), seated(session)
    code = services.checkin_code_current(session=session).code
    for learner in (first, second, third):
        client.force_login(learner)
        client.post(reverse("classroom:checkin", args=[session.pk]), {"kode": code})
    detail = client.get(reverse("classroom:detail", args=[session.pk])).content.decode()
    assert 'data-testid="checkin-pending"' in detail
    client.force_login(first)
    assert client.get(reverse("classroom:trainer_pending", args=[session.pk])).status_code == 403
    client.force_login(session.trainers.get())
    page = client.get(reverse("classroom:trainer_pending", args=[session.pk])).content.decode()
    assert all(str(u) in page for u in (first, second, third)) and "Konfirmasi semua (3 orang)" in page
    assert "3 menunggu" in client.get(reverse("classroom:trainer", args=[session.pk])).content.decode()
    day = session.days.get()
    decide = reverse("classroom:trainer_decide", args=[session.pk])
    one = CheckinRequest.objects.get(registration__user=third)
    response = client.post(decide, {"hari": day.pk, "permintaan": one.pk, "keputusan": "tolak"}, follow=True)
    assert "1 presensi ditolak" in response.content.decode()
    response = client.post(decide, {"hari": day.pk, "semua": "1", "keputusan": "konfirmasi"}, follow=True)
    assert "2 presensi dikonfirmasi" in response.content.decode()
    assert set(Attendance.objects.values_list("registration__user", flat=True)) == {first.pk, second.pk}
    # Hostile or stale forms: a message, nothing changed.
    for data in ({"hari": "x", "semua": "1", "keputusan": "konfirmasi"}, {"hari": day.pk, "keputusan": "ya"}, {}):
        assert "tidak lengkap" in client.post(decide, data, follow=True).content.decode()
    response = client.post(decide, {"hari": 999999, "semua": "1", "keputusan": "konfirmasi"}, follow=True)
    assert "bukan bagian dari kelas ini" in response.content.decode()
    assert Attendance.objects.count() == 2


def test_personal_qr_the_learner_shows_it_and_the_trainer_scans_it(client, monkeypatch):
    from lms.classroom import views

    monkeypatch.setattr(views, "qr_svg", lambda url: f'<svg data-url="{url}"></svg>')
    session = set_mode(today_session(), "personal_qr")
    learner = seated(session)
    client.force_login(learner)
    # The room code's page sends the learner to their own QR; a room code posted anyway is refused.
    response = client.get(reverse("classroom:checkin", args=[session.pk]))
    assert response.status_code == 302 and response["Location"].endswith("/qr-saya/")
    response = client.post(reverse("classroom:checkin", args=[session.pk]), {"kode": "123456"})
    assert response.status_code == 400 and "QR pribadi" in response.content.decode()
    page = client.get(reverse("classroom:my_qr", args=[session.pk])).content.decode()
    assert "<svg" in page
    code = page.split('data-testid="personal-code">')[1].split("<")[0]
    scan_url = reverse("classroom:trainer_scan", args=[session.pk])
    assert client.get(scan_url + f"?kode={code}").status_code == 403
    client.force_login(session.trainers.get())
    typed = client.get(scan_url + f"?kode={code}").content.decode()
    token = typed.split('name="t" value="')[1].split('"')[0]
    assert f'data-url="{settings.SITE_URL}{scan_url}?t={token}"' in page  # what the QR carries: our address
    client.force_login(learner)
    assert client.get(scan_url + f"?t={token}").status_code == 403  # not the learner's own to scan
    client.force_login(session.trainers.get())
    preview = client.get(scan_url + f"?t={token}")
    assert preview.status_code == 200 and str(learner) in preview.content.decode()
    assert not Attendance.objects.exists()  # looking is not recording
    response = client.post(scan_url, {"t": token}, follow=True)
    assert f"Kehadiran {learner} tercatat" in response.content.decode()
    assert Attendance.objects.get().method == "personal_qr"
    again = client.post(scan_url, {"t": token})
    assert again.status_code == 400 and "sudah dipakai" in again.content.decode()
    for bad in ("?t=abc", "?t=1.2.3", "?kode=12", "?kode=00000000"):
        assert client.get(scan_url + bad).status_code == 400


def test_the_location_mode_page_asks_for_the_position_and_refuses_one_far_away(client):
    session = set_mode(today_session(), "location")
    learner = seated(session)
    client.force_login(learner)
    url = reverse("classroom:checkin", args=[session.pk])
    page = client.get(url).content.decode()
    assert "classroom/checkin.js" in page and 'name="lintang"' in page
    code = services.checkin_code_current(session=session).code
    far = client.post(url, {"kode": code, "lintang": "-6.2200", "bujur": "106.6500", "akurasi": "10"})
    assert far.status_code == 400 and "radius 150 m" in far.content.decode()
    garbled = client.post(url, {"kode": code, "lintang": "<script>", "bujur": "1", "akurasi": "1"})
    assert garbled.status_code == 400 and "tidak terbaca" in garbled.content.decode()
    near = client.post(url, {"kode": code, "lintang": "-6.1784", "bujur": "106.6320", "akurasi": "25"})
    assert near.status_code == 302
    assert Attendance.objects.get(registration__user=learner).method == "location"


def test_the_new_pages_fit_a_phone_and_are_the_trainers(client):
    session = today_session()
    learner = seated(session)
    client.force_login(learner)
    for name in ("classroom:trainer_pending", "classroom:trainer_scan"):
        assert client.get(reverse(name, args=[session.pk])).status_code == 403
    assert client.post(reverse("classroom:trainer_decide", args=[session.pk])).status_code == 403
    assert client.get(reverse("classroom:my_qr", args=[session.pk])).status_code == 200  # says: not this mode
    client.force_login(UserFactory())
    assert client.get(reverse("classroom:my_qr", args=[session.pk])).status_code == 404
    client.force_login(session.trainers.get())
    for name in ("classroom:trainer_pending", "classroom:trainer_scan", "classroom:trainer"):
        page = client.get(reverse(name, args=[session.pk])).content.decode()
        assert 'name="viewport" content="width=device-width' in page
        assert "<table" not in page or name == "classroom:trainer"


# The learner hears back: the page (and its small JSON answer) and the inbox ------------------------------


def _status(client, session):
    return client.get(reverse("classroom:checkin_status", args=[session.pk]))


def test_a_learner_waiting_for_the_trainer_sees_the_confirmation_and_gets_a_notice(client):
    from shell.inbox.models import Notification

    session = today_session()
    learner, colleague = seated(session), seated(session)
    trainer = session.trainers.get()
    code = services.checkin_code_current(session=session).code
    client.force_login(learner)
    assert _status(client, session).json() == {"status": "none", "message": ""}
    client.post(reverse("classroom:checkin", args=[session.pk]), {"kode": code})
    # Waiting: the page says so and asks the server every few seconds (its script, its address).
    detail = client.get(reverse("classroom:detail", args=[session.pk])).content.decode()
    poll = reverse("classroom:checkin_status", args=[session.pk])
    assert 'data-testid="checkin-pending"' in detail and f'data-checkin-poll="{poll}"' in detail
    assert "classroom/checkin_status.js" in detail
    body = _status(client, session).json()
    assert body["status"] == "pending" and "menunggu konfirmasi pelatih" in body["message"]
    assert _status(client, session)["Cache-Control"].startswith("max-age=0")

    services.checkin_requests_decide(trainer=trainer, session=session, day_id=session.days.get().pk, confirm=True)
    body = _status(client, session).json()
    assert body["status"] == "present" and f"dikonfirmasi oleh {trainer.display_name}" in body["message"]
    detail = client.get(reverse("classroom:detail", args=[session.pk])).content.decode()
    assert 'data-testid="checkin-confirmed"' in detail and f"dikonfirmasi oleh {trainer.display_name}" in detail
    assert 'data-testid="checkin-link"' not in detail and "checkin_status.js" not in detail  # nothing left to do
    note = Notification.objects.get(user=learner, kind="lms.class_attendance_recorded")
    assert session.display_title in note.title and note.url == f"/belajar/kelas/{session.pk}/"
    assert "dikonfirmasi pelatih" in note.body
    # Once: confirming again (nothing pending) tells nobody twice; the colleague who did not check in, nothing.
    services.checkin_requests_decide(trainer=trainer, session=session, day_id=session.days.get().pk, confirm=True)
    assert Notification.objects.filter(kind="lms.class_attendance_recorded").count() == 1
    assert not Notification.objects.filter(user=colleague, kind="lms.class_attendance_recorded").exists()


def test_a_rejected_check_in_is_said_on_the_page_and_in_the_inbox(client):
    from shell.inbox.models import Notification

    session = today_session()
    learner = seated(session)
    client.force_login(learner)
    client.post(
        reverse("classroom:checkin", args=[session.pk]), {"kode": services.checkin_code_current(session=session).code}
    )
    services.checkin_requests_decide(
        trainer=session.trainers.get(), session=session, day_id=session.days.get().pk, confirm=False
    )
    body = _status(client, session).json()
    assert body["status"] == "rejected" and "temui pelatih" in body["message"]
    assert (
        'data-testid="checkin-rejected"' in client.get(reverse("classroom:detail", args=[session.pk])).content.decode()
    )
    note = Notification.objects.get(user=learner, kind="lms.class_checkin_rejected")
    assert "temui pelatih" in note.body


def test_the_trainer_marking_by_hand_or_scanning_tells_the_learner_too():
    from shell.inbox.models import Notification

    session = today_session()
    learner = seated(session)
    trainer = session.trainers.get()
    registration = Registration.objects.get(user=learner)
    services.attendance_mark(
        trainer=trainer, session=session, registration_id=registration.pk, day_id=session.days.get().pk, present=True
    )
    note = Notification.objects.get(user=learner, kind="lms.class_attendance_recorded")
    assert "Dicatat pelatih" in note.body


def test_the_personal_qr_page_says_present_once_scanned(client, monkeypatch):
    from lms.classroom import views

    monkeypatch.setattr(views, "qr_svg", lambda url: "<svg></svg>")
    session = set_mode(today_session(), "personal_qr")
    learner = seated(session)
    client.force_login(learner)
    page = client.get(reverse("classroom:my_qr", args=[session.pk])).content.decode()
    assert 'data-testid="my-qr"' in page and "data-checkin-poll=" in page and "checkin_status.js" in page
    code = page.split('data-testid="personal-code">')[1].split("<")[0]
    trainer = session.trainers.get()
    scan = services.personal_qr_resolve(trainer=trainer, session=session, code=code)
    services.check_personal_qr_scan(trainer=trainer, session=session, token=scan.token)
    page = client.get(reverse("classroom:my_qr", args=[session.pk])).content.decode()
    assert 'data-testid="my-qr-present"' in page and f"dicatat oleh {trainer.display_name}" in page
    assert 'data-testid="my-qr"' not in page and "<svg" not in page and 'http-equiv="refresh"' not in page
    assert _status(client, session).json()["status"] == "present"


def test_the_status_is_only_ones_own_and_only_when_registered(client):
    session = today_session()
    learner = seated(session)
    client.force_login(learner)
    client.post(
        reverse("classroom:checkin", args=[session.pk]), {"kode": services.checkin_code_current(session=session).code}
    )
    # Someone not registered (a colleague, even the trainer) has no check-in here: 404, nothing about the learner.
    for other in (UserFactory(), session.trainers.get()):
        client.force_login(other)
        response = _status(client, session)
        assert response.status_code == 404 and str(learner) not in response.content.decode()
    # Reading only. A cancelled registration: 404. An unknown class: 404. Not logged in: to the login page.
    client.force_login(learner)
    assert client.post(reverse("classroom:checkin_status", args=[session.pk])).status_code == 405
    services.registration_cancel(registration=Registration.objects.get(user=learner))
    assert _status(client, session).status_code == 404
    assert client.get(reverse("classroom:checkin_status", args=[999999])).status_code == 404
    client.logout()
    assert _status(client, session).status_code == 302
