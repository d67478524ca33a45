"""A learner on a phone: log in, enrol, complete a short course, and see the JP on the home page."""

import pytest

from content.tests.factories import make_course
from shell.people.tests.factories import UserFactory
from tests.browser import ARTIFACTS, login, phone_page


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_learner_completes_a_course_on_a_phone(live_server):
    UserFactory(username="siti", full_name="Siti Rahmawati")
    course = make_course(title="Pelayanan Publik Prima", jp="4", lessons=("text", "video", "quiz"))
    base = live_server.url

    with phone_page() as page:
        login(page, base, "siti", "secret-pass-123")
        assert page.get_by_test_id("badge-lms").inner_text() == "JP tahun ini: 0 / 20"

        page.click("a[data-tile=katalog]")
        page.click(f"text={course.title}")
        page.get_by_test_id("enroll").click()
        page.get_by_test_id("continue").click()

        # Lesson 1 (text) and lesson 2 (video): study and mark done.
        page.get_by_test_id("lesson-done").click()
        assert page.locator("iframe[src*='youtube-nocookie.com/embed/abcdefghijk']").count() == 1
        page.get_by_test_id("lesson-done").click()

        # Lesson 3: a wrong answer first, then the right ones.
        page.check("input[name=q0][value='1']")
        page.check("input[name=q1][value='0']")
        page.check("input[name=q2][value='2']")
        page.get_by_test_id("quiz-submit").click()
        assert "Belum lulus" in page.locator(".messages").inner_text()
        page.check("input[name=q0][value='0']")
        page.check("input[name=q1][value='0']")
        page.uncheck("input[name=q2][value='2']")
        page.check("input[name=q2][value='0']")
        page.check("input[name=q2][value='1']")
        page.get_by_test_id("quiz-submit").click()

        page.get_by_test_id("course-completed").wait_for()
        assert "Kursus selesai! 4 JP dikreditkan." in page.locator(".messages").inner_text()

        page.goto(f"{base}/")
        assert page.get_by_test_id("badge-lms").inner_text() == "JP tahun ini: 4 / 20"
        # The page fits the phone: nothing wider than the viewport.
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        page.screenshot(path=str(ARTIFACTS / "learner-home-phone.png"), full_page=True)

        page.click("text=Riwayat belajar")
        history = page.get_by_test_id("history").inner_text()
        assert course.title in history and "4" in history
        assert page.get_by_test_id("jp-year").inner_text().endswith("4 / 20")
