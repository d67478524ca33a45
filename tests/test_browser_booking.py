"""Booking a class on a phone (390x844): the schedule and the class page agree on the seats; a second
cohort of a course the learner already booked is refused in words; cancelling asks first, and "no"
keeps the seat; after cancelling, the other cohort can be booked."""

import datetime as dt

import pytest
from django.utils import timezone

from lms.classroom.models import Registration
from lms.classroom.services import check_registration_create
from lms.classroom.tests.factories import make_session
from lms.hours.selectors import JAKARTA
from shell.people.tests.factories import UserFactory
from tests.browser import ARTIFACTS, login, phone_page


def _days(ahead: int):
    start = timezone.now().astimezone(JAKARTA).date() + dt.timedelta(days=ahead)
    return [(start, dt.time(8), dt.time(16)), (start + dt.timedelta(days=1), dt.time(8), dt.time(16))]


def _fits(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= 390, page.url


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_booking_a_class_on_a_phone(live_server):
    first = make_session(days=_days(10), capacity=20, title="Angkatan I")
    second = make_session(days=_days(40), capacity=20, title="Angkatan II", course=first.course)
    check_registration_create(user=UserFactory(), session_id=first.pk)  # a colleague took a seat
    UserFactory(username="siti", full_name="Siti Rahmawati")
    base = live_server.url

    with phone_page() as page:
        login(page, base, "siti", "secret-pass-123")
        page.click("a[data-tile=kelas]")
        page.wait_for_url(f"{base}/belajar/kelas/")
        # Two days of class: the schedule counts each person once, as the class page does.
        listed = page.get_by_test_id(f"seats-{first.pk}").inner_text()
        assert listed == "1 dari 20 kursi terisi"
        _fits(page)
        page.click(f"[data-testid=sessions] a[href='/belajar/kelas/{first.pk}/']")
        assert page.get_by_test_id(f"seats-{first.pk}").inner_text() == listed
        page.get_by_test_id("register").click()
        assert "Anda terdaftar di kelas ini." in page.locator(".messages").inner_text()
        assert page.get_by_test_id(f"seats-{first.pk}").inner_text() == "2 dari 20 kursi terisi"

        # The other cohort of the same course: refused, saying what to do.
        page.goto(f"{base}/belajar/kelas/{second.pk}/")
        page.get_by_test_id("register").click()
        refusal = page.locator(".messages").inner_text()
        assert "Anda sudah terdaftar di" in refusal and "Angkatan I" in refusal
        assert "batalkan pendaftaran itu dulu" in refusal
        _fits(page)
        page.screenshot(path=str(ARTIFACTS / "booking-second-cohort-refused.png"), full_page=True)
        assert not Registration.objects.filter(session=second).exists()

        # Cancelling asks first; "no" keeps the seat.
        page.goto(f"{base}/belajar/kelas/{first.pk}/")
        page.get_by_test_id("cancel").click()
        page.wait_for_url(f"{base}/belajar/kelas/{first.pk}/batal/")
        question = page.get_by_test_id("cancel-confirm").inner_text()
        assert "Angkatan I" in question and "daftar tunggu" in question
        _fits(page)
        page.screenshot(path=str(ARTIFACTS / "booking-cancel-question.png"), full_page=True)
        page.get_by_test_id("cancel-no").click()
        page.wait_for_url(f"{base}/belajar/kelas/{first.pk}/")
        assert Registration.objects.get(session=first, user__username="siti").status == "registered"

        # "Yes" cancels; now the other cohort can be booked.
        page.get_by_test_id("cancel").click()
        page.get_by_test_id("cancel-yes").click()
        page.wait_for_url(f"{base}/belajar/kelas/{first.pk}/")
        assert "Pendaftaran Anda dibatalkan." in page.locator(".messages").inner_text()
        assert page.get_by_test_id(f"seats-{first.pk}").inner_text() == "1 dari 20 kursi terisi"
        page.goto(f"{base}/belajar/kelas/{second.pk}/")
        page.get_by_test_id("register").click()
        assert "Anda terdaftar di kelas ini." in page.locator(".messages").inner_text()
        page.goto(f"{base}/belajar/kelas/")
        assert page.locator("[data-testid=my-sessions] a").all_inner_texts() == [second.display_title]
