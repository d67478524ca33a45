"""A classroom day on phones: the trainer opens the session's rotating check-in code, a learner opens
the code's link on a phone-sized page and checks in, the trainer confirms the people in the room, closes
the class, and the JP appear in the learner's Riwayat belajar and on the home tile. The other check-in
modes on phones: a learner's personal QR scanned by the trainer, and the phone's position."""

import datetime as dt

import pytest
from django.utils import timezone

from lms.classroom.services import check_registration_create, checkin_code_current
from lms.classroom.tests.factories import make_session
from lms.hours.selectors import JAKARTA
from shell.people import roles
from shell.people.tests.factories import UserFactory
from tests.browser import ARTIFACTS, PHONE, login, phone_page


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_trainer_shows_the_code_and_a_learner_checks_in_from_a_phone(live_server, settings):
    settings.CLASSROOM_CHECKIN_WINDOW_SECONDS = 300  # the test must not race the code's rotation
    trainer = UserFactory(username="pelatih", full_name="Budi Pelatih", roles=[roles.LEARNER, roles.TRAINER])
    learner = UserFactory(username="siti", full_name="Siti Rahmawati")
    today = timezone.now().astimezone(JAKARTA).date()
    session = make_session(days=[(today, dt.time(0, 0), dt.time(23, 59))], jp="6", trainer=trainer, title="Angkatan I")
    check_registration_create(user=learner, session_id=session.pk, now=timezone.now() - dt.timedelta(days=1))
    base = live_server.url

    with phone_page() as trainer_page:
        login(trainer_page, base, "pelatih", "secret-pass-123")
        trainer_page.goto(f"{base}/belajar/kelas/")
        trainer_page.click(f"a[href='/belajar/kelas/{session.pk}/pelatih/']")
        trainer_page.get_by_test_id("show-code").click()
        code = trainer_page.get_by_test_id("checkin-code").inner_text().strip()
        assert len(code) == 6 and code.isdigit()
        assert trainer_page.locator(".qr svg").count() == 1
        link = trainer_page.get_by_test_id("checkin-url").inner_text().strip()
        assert link.endswith(f"/belajar/kelas/{session.pk}/absen/?kode={code}")
        trainer_page.screenshot(path=str(ARTIFACTS / "trainer-checkin-code.png"), full_page=True)

        # The learner's own phone (another browser context: another session cookie).
        phone = trainer_page.context.browser.new_context(locale="id-ID", timezone_id="Asia/Jakarta", **PHONE)
        learner_page = phone.new_page()
        learner_page.set_default_timeout(15000)
        login(learner_page, base, "siti", "secret-pass-123")
        assert learner_page.get_by_test_id("badge-lms").inner_text() == "JP tahun ini: 0 / 20"
        learner_page.goto(link)  # what scanning the QR code opens
        assert learner_page.input_value("#id_kode") == code
        assert learner_page.evaluate("document.documentElement.scrollWidth") <= 390
        learner_page.get_by_test_id("checkin-submit").click()
        assert "menunggu konfirmasi pelatih" in learner_page.locator(".messages").inner_text()
        waiting = learner_page.get_by_test_id("checkin-pending")
        assert waiting.get_attribute("data-checkin-status") == "pending"
        learner_page.evaluate("window.notReloaded = true")  # gone if the page were loaded again
        learner_page.screenshot(path=str(ARTIFACTS / "learner-checkin-phone.png"), full_page=True)

        # The trainer confirms the people in the room (the code alone could have been relayed by chat).
        trainer_page.goto(f"{base}/belajar/kelas/{session.pk}/pelatih/")
        trainer_page.get_by_test_id("pending-link").click()
        assert "Siti Rahmawati" in trainer_page.get_by_test_id("pending").inner_text()
        assert trainer_page.evaluate("document.documentElement.scrollWidth") <= 390
        trainer_page.screenshot(path=str(ARTIFACTS / "trainer-pending-checkins.png"), full_page=True)
        trainer_page.get_by_test_id("confirm-all").click()
        assert "1 presensi dikonfirmasi" in trainer_page.locator(".messages").inner_text()

        # The learner's phone, left on the class page, shows the confirmation by itself (no reload), and the
        # inbox has a notice.
        learner_page.wait_for_selector("[data-testid=checkin-pending][data-checkin-status=present]", timeout=20000)
        assert learner_page.evaluate("window.notReloaded") is True
        assert "dikonfirmasi oleh Budi Pelatih" in waiting.inner_text()
        assert learner_page.get_by_test_id("checkin-link").is_hidden()
        assert learner_page.evaluate("document.documentElement.scrollWidth") <= 390
        learner_page.screenshot(path=str(ARTIFACTS / "learner-checkin-confirmed-phone.png"), full_page=True)
        learner_page.goto(f"{base}/kotak-masuk/")
        inbox = learner_page.locator("main").inner_text()
        assert "Kehadiran tercatat: " in inbox and "Angkatan I" in inbox and "dikonfirmasi pelatih" in inbox

        # The trainer sees the check-in on the roster and closes the class.
        trainer_page.goto(f"{base}/belajar/kelas/{session.pk}/pelatih/")
        roster = trainer_page.get_by_test_id("roster").inner_text()
        assert "Siti Rahmawati" in roster and "✓" in roster
        trainer_page.get_by_test_id("close-session").click()
        assert "1 peserta mendapat JP" in trainer_page.locator(".messages").inner_text()

        # The JP appear for the learner.
        learner_page.goto(f"{base}/")
        assert learner_page.get_by_test_id("badge-lms").inner_text() == "JP tahun ini: 6 / 20"
        learner_page.click("text=Riwayat belajar")
        history = learner_page.get_by_test_id("history").inner_text()
        assert "Angkatan I" in history and "Pelatihan klasikal" in history and "6" in history
        assert learner_page.evaluate("document.documentElement.scrollWidth") <= 390
        learner_page.screenshot(path=str(ARTIFACTS / "learner-history-classroom.png"), full_page=True)
        phone.close()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_learner_shows_a_personal_qr_and_the_trainer_records_it_from_a_phone(live_server, settings):
    # One QR window for the whole test: the QR page reloads itself when its window ends, and this test checks
    # that the page changes without a reload.
    settings.CLASSROOM_PERSONAL_QR_SECONDS = 10**9
    trainer = UserFactory(username="pelatih", full_name="Budi Pelatih", roles=[roles.LEARNER, roles.TRAINER])
    learner = UserFactory(username="siti", full_name="Siti Rahmawati")
    today = timezone.now().astimezone(JAKARTA).date()
    session = make_session(days=[(today, dt.time(0, 0), dt.time(23, 59))], trainer=trainer, title="Angkatan QR")
    session.checkin_mode = "personal_qr"
    session.save()
    check_registration_create(user=learner, session_id=session.pk, now=timezone.now() - dt.timedelta(days=1))
    base = live_server.url

    with phone_page() as learner_page:
        login(learner_page, base, "siti", "secret-pass-123")
        learner_page.goto(f"{base}/belajar/kelas/{session.pk}/")
        learner_page.get_by_test_id("my-qr-link").click()
        assert learner_page.locator(".qr svg").count() == 1
        code = learner_page.get_by_test_id("personal-code").inner_text().replace(" ", "")
        assert len(code) == 8 and code.isdigit()
        assert learner_page.evaluate("document.documentElement.scrollWidth") <= 390
        learner_page.screenshot(path=str(ARTIFACTS / "learner-personal-qr.png"), full_page=True)

        phone = learner_page.context.browser.new_context(locale="id-ID", timezone_id="Asia/Jakarta", **PHONE)
        trainer_page = phone.new_page()
        trainer_page.set_default_timeout(15000)
        login(trainer_page, base, "pelatih", "secret-pass-123")
        trainer_page.goto(f"{base}/belajar/kelas/{session.pk}/pelatih/")
        trainer_page.get_by_test_id("scan").click()
        trainer_page.fill("#id_kode", code)
        trainer_page.click("text=Cari peserta")
        assert "Siti Rahmawati" in trainer_page.get_by_test_id("scan-preview").inner_text()
        assert trainer_page.evaluate("document.documentElement.scrollWidth") <= 390
        trainer_page.screenshot(path=str(ARTIFACTS / "trainer-scan-personal-qr.png"), full_page=True)
        learner_page.evaluate("window.notReloaded = true")
        trainer_page.get_by_test_id("scan-record").click()
        assert "Kehadiran Siti Rahmawati tercatat" in trainer_page.locator(".messages").inner_text()
        phone.close()

        # The learner's phone, still showing the QR, says the attendance is recorded, by itself.
        learner_page.wait_for_selector("[data-checkin-status=present]", timeout=20000)
        assert learner_page.evaluate("window.notReloaded") is True
        assert "dicatat oleh Budi Pelatih" in learner_page.locator("[data-checkin-status=present]").inner_text()
        assert learner_page.get_by_test_id("my-qr").is_hidden()
        learner_page.screenshot(path=str(ARTIFACTS / "learner-personal-qr-recorded.png"), full_page=True)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_check_in_page_sends_the_phones_position(live_server, settings):
    settings.CLASSROOM_CHECKIN_WINDOW_SECONDS = 300
    learner = UserFactory(username="siti", full_name="Siti Rahmawati")
    today = timezone.now().astimezone(JAKARTA).date()
    session = make_session(days=[(today, dt.time(0, 0), dt.time(23, 59))], title="Angkatan Lokasi")
    session.checkin_mode = "location"
    session.save()
    check_registration_create(user=learner, session_id=session.pk, now=timezone.now() - dt.timedelta(days=1))
    base = live_server.url

    with phone_page() as page:
        context = page.context
        context.grant_permissions(["geolocation"], origin=base)
        login(page, base, "siti", "secret-pass-123")
        for (latitude, longitude), expected in (
            ((-6.2200, 106.6500), "radius 150 m"),  # at home, about 5 km away
            ((-6.1784, 106.6320), "Presensi tercatat"),  # at Grha Bhakti Karya
        ):
            context.set_geolocation({"latitude": latitude, "longitude": longitude, "accuracy": 20})
            code = checkin_code_current(session=session).code
            page.goto(f"{base}/belajar/kelas/{session.pk}/absen/?kode={code}")
            page.get_by_test_id("checkin-submit").click()
            page.wait_for_load_state()
            assert expected in page.locator(".messages").inner_text()
            assert page.evaluate("document.documentElement.scrollWidth") <= 390
        page.screenshot(path=str(ARTIFACTS / "learner-checkin-location.png"), full_page=True)
