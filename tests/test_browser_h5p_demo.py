"""The demo's H5P course on a phone, as a new learner meets it: the questions and the player's buttons are in
Indonesian, in the app's sans-serif font (not the browser's Times), and a wrong answer to the true/false
question does not complete the lesson (the demo's pass mark); the right one does."""

from pathlib import Path

import pytest

from content.h5p.demo import DEMO_COURSE, h5p_demo_load
from content.models import CoursePage
from lms.models import Enrollment, LessonProgress
from shell.people.tests.factories import UserFactory
from tests.browser import ARTIFACTS, login, phone_page


@pytest.fixture(autouse=True)
def _player_built():
    from conftest import require

    built = Path(__file__).resolve().parent.parent / "static" / "h5p" / "player" / "main.bundle.js"
    require(built.exists(), "the H5P player is not built: run `make player` (make test does)")


def _open(page, url):
    page.goto(url)
    page.wait_for_selector("iframe[data-h5p-frame][data-h5p-ready='1']", timeout=30000)
    return page.frame_locator("iframe[data-h5p-frame]")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_demo_h5p_lessons_speak_indonesian_and_a_wrong_answer_does_not_pass(live_server, settings):
    settings.H5P_MIN_SECONDS_PER_ITEM = 0  # a robot answers in under a second; the minimum has its own tests
    h5p_demo_load()
    course = CoursePage.objects.get(title=DEMO_COURSE)
    learner = UserFactory(username="siti")
    enrollment = Enrollment.objects.create(user=learner, course=course)
    _quiz, true_false, drag = course.lessons()
    with phone_page() as page:
        login(page, live_server.url, "siti", "secret-pass-123")

        frame = _open(page, live_server.url + drag.url)
        frame.locator(".h5p-drag-text").wait_for()
        text = frame.locator("body").inner_text()
        assert "SP4N-LAPOR!" in text and "Periksa" in text
        assert "Blueberries" not in text and "Check" not in text

        frame = _open(page, live_server.url + true_false.url)
        frame.locator(".h5p-true-false-answer").first.wait_for()
        body = frame.locator("body")
        assert "Pengaduan pelayanan publik" in body.inner_text()
        assert "Is this false" not in body.inner_text()
        font = frame.locator(".h5p-question-content").evaluate("e => getComputedStyle(e).fontFamily")
        assert "Times" not in font and "system-ui" in font, font
        assert (
            page.locator("iframe[data-h5p-frame]")
            .element_handle()
            .content_frame()
            .evaluate("document.documentElement.lang")
            == "id"
        )

        # "Benar" is wrong here: 0 of 1 is below the pass mark.
        frame.get_by_role("radio", name="Benar").click()
        frame.locator(".h5p-question-check-answer").click()
        page.wait_for_function("() => (+document.body.getAttribute('data-h5p-sent') || 0) > 0", timeout=15000)
        page.wait_for_timeout(1500)  # the answer's statement is stored; the page must not call it done
        assert page.locator("[data-h5p-status][data-lesson-done='1']").count() == 0
        assert page.get_by_test_id("h5p-pending").is_visible()
        page.screenshot(path=str(ARTIFACTS / "h5p-demo-wrong-answer.png"), full_page=True)
        assert not LessonProgress.objects.filter(enrollment=enrollment, lesson=true_false, completed_at__isnull=False)

        frame.locator(".h5p-question-try-again").click()
        frame.get_by_role("radio", name="Salah").click()
        frame.locator(".h5p-question-check-answer").click()
        page.wait_for_selector("[data-h5p-status][data-lesson-done='1']", timeout=20000)
        assert page.get_by_test_id("h5p-pending").is_hidden()  # no "do the content above" under the ✓
    assert LessonProgress.objects.get(enrollment=enrollment, lesson=true_false).completed_at is not None
