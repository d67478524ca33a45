"""A course approved before its lessons, on a learner's phone: the page says plainly that its lessons are not
published yet, offers no enrolment, and has no button that reloads the same page."""

import pytest

from content.tests.factories import make_course
from shell.people.tests.factories import UserFactory
from tests.browser import ARTIFACTS, login, phone_page


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_course_with_no_live_lesson_says_so_and_cannot_be_enrolled(live_server):
    course = make_course(title="Etika Komunikasi Digital ASN", lessons=())
    UserFactory(username="pegawai08")
    with phone_page() as page:
        login(page, live_server.url, "pegawai08", "secret-pass-123")
        page.goto(live_server.url + course.url)
        notice = page.get_by_test_id("no-lessons-yet")
        assert notice.is_visible()
        assert "Pelajaran kursus ini belum diterbitkan" in notice.inner_text()
        assert page.get_by_test_id("enroll").count() == 0 and page.get_by_test_id("continue").count() == 0
        assert "Belum ada pelajaran yang terbit." in page.inner_text("ol.lessons")
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        page.screenshot(path=str(ARTIFACTS / "course-without-lessons-phone.png"), full_page=True)
