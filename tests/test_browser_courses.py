"""The course pages on a phone (390x844): the trainer follows their learners and announces; the learner
reads it, escaped, in the inbox; HR enrols a list of NIPs after a preview; the learner's calendar page."""

import pytest

from content.tests.factories import make_course
from lms import services
from lms.courses.tests.factories import coordinator
from shell.people import roles
from shell.people.tests.factories import UnitFactory, UserFactory
from tests.browser import ARTIFACTS, login, phone_page

PASSWORD = "secret-pass-123"
SCRIPT = "<script>window.pwned = 1</script> Bawa laptop."


def fits(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= 390, page.url


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_trainer_learner_and_coordinator_on_a_phone(live_server):
    unit = UnitFactory(name="Dinas Kependudukan dan Pencatatan Sipil")
    trainer = UserFactory(username="budi", full_name="Budi Pelatih", roles=[roles.LEARNER, roles.TRAINER])
    learner = UserFactory(username="siti", full_name="Siti Rahmawati", unit=unit)
    colleague = UserFactory(full_name="Ahmad Kolega", unit=unit)
    coordinator(unit, username="yuni", full_name="Yuni Koordinator")
    course = make_course(title="Pelayanan Publik Prima", lessons=("text", "quiz"))
    course.trainers.add(trainer)
    course.save()
    services.check_enrollment_self(user=learner, course_id=course.pk)
    base = live_server.url

    with phone_page() as page:
        login(page, base, "budi", PASSWORD)
        page.click("a[data-tile=pantau-kursus]")
        page.click(f"text={course.title}")
        rows = page.get_by_test_id("learner-row")
        assert rows.count() == 1 and "Siti Rahmawati" in rows.first.inner_text()
        fits(page)
        page.screenshot(path=str(ARTIFACTS / "course-learners-phone.png"), full_page=True)
        page.click("a.btn:has-text('Pengumuman')")
        page.fill("#id_title", "Kelas daring Jumat")
        page.fill("#id_body", SCRIPT)
        page.get_by_test_id("announce").click()
        assert "Pengumuman dikirim" in page.locator(".messages").inner_text()
        fits(page)
        page.locator("form[action='/keluar/'] button").click()

        login(page, base, "siti", PASSWORD)
        page.goto(f"{base}/kotak-masuk/")
        inbox = page.get_by_test_id("inbox").inner_text()
        assert "Pengumuman Pelayanan Publik Prima: Kelas daring Jumat" in inbox
        assert "<script>window.pwned = 1</script>" in inbox  # shown as text
        assert page.evaluate("window.pwned === undefined")
        page.goto(base + course.url)
        assert "Kelas daring Jumat" in page.get_by_test_id("course-announcements").inner_text()
        assert page.evaluate("window.pwned === undefined")
        fits(page)
        page.goto(f"{base}/belajar/")
        page.get_by_test_id("calendar-link").click()
        feed_url = page.get_by_test_id("feed-url").input_value()
        assert feed_url.endswith(".ics")
        fits(page)
        page.locator("form[action='/keluar/'] button").click()

        login(page, base, "yuni", PASSWORD)
        page.click("a[data-tile=daftar-massal]")
        page.select_option("#id_course", str(course.pk))
        page.check("input[name=mode][value=daftar]")
        page.fill("#id_nip_text", f"NIP\n{colleague.nip}\n{learner.nip}\n12345\n")
        page.get_by_test_id("preview-button").click()
        assert page.get_by_test_id("to-enroll-count").inner_text() == "1"
        assert page.get_by_test_id("already-count").inner_text() == "1"
        assert "Baris 4" in page.get_by_test_id("row-errors").inner_text()
        assert page.get_by_test_id("confirm-button").count() == 0
        fits(page)
        page.fill("#id_nip_text", f"NIP\n{colleague.nip}\n{learner.nip}\n")
        page.get_by_test_id("preview-button").click()
        page.get_by_test_id("confirm-button").click()
        assert "1 pegawai didaftarkan ke Pelayanan Publik Prima" in page.locator(".messages").inner_text()
        fits(page)
        page.screenshot(path=str(ARTIFACTS / "bulk-enrolment-phone.png"), full_page=True)
    assert course.enrollments.filter(user=colleague).exists()
