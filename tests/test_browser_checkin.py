"""A classroom day on phones: the trainer opens the session's rotating check-in code, a learner opens
the code's link on a phone-sized page and checks in, the trainer closes the class, and the JP appear
in the learner's Riwayat belajar and on the home tile."""

import datetime as dt

import pytest
from django.utils import timezone

from lms.classroom.services import check_registration_create
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
        assert "Presensi tercatat" in learner_page.locator(".messages").inner_text()
        learner_page.screenshot(path=str(ARTIFACTS / "learner-checkin-phone.png"), full_page=True)

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
