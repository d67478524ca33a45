"""What a learner reads after an H5P question set, on a phone: the Single Choice Set's result fills in its
score ("Skor Anda: 1 dari 2."), not the placeholders of another library (it showed "@score dari @total")."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from content.h5p.tests.factories import COLUMN, import_sample, make_h5p_course
from lms.models import Enrollment
from shell.people.tests.factories import UserFactory
from tests.browser import login, phone_page


@pytest.fixture(autouse=True)
def _player_built():
    from conftest import require

    built = Path(__file__).resolve().parent.parent / "static" / "h5p" / "player" / "main.bundle.js"
    require(built.exists(), "the H5P player is not built: run `make player` (make test does)")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_single_choice_sets_result_reads_its_score_in_indonesian(live_server):
    learner = UserFactory(username="siti")
    course = make_h5p_course([import_sample(COLUMN)])
    Enrollment.objects.create(user=learner, course=course)
    lesson = course.lessons().first()
    with phone_page() as page:
        login(page, live_server.url, "siti", "secret-pass-123")
        page.goto(live_server.url + lesson.url)
        page.wait_for_selector("iframe[data-h5p-frame][data-h5p-ready='1']", timeout=30000)
        frame = page.frame_locator("iframe[data-h5p-frame]")
        scs = frame.locator(".h5p-single-choice-set").first
        scs.scroll_into_view_if_needed()
        # First question right, second wrong; the set moves on by itself after each answer.
        slides = scs.locator(".h5p-sc-slide.h5p-sc")
        slides.nth(0).locator(".h5p-sc-is-correct").click()
        expect(slides.nth(1)).to_have_class(re.compile(r"\bh5p-sc-current-slide\b"), timeout=10000)
        slides.nth(1).locator(".h5p-sc-is-wrong").first.click()
        feedback = scs.locator(".h5p-question-feedback-content-text")
        feedback.wait_for(state="visible", timeout=15000)
        text = feedback.inner_text()
        assert text.strip() == "Skor Anda: 1 dari 2.", text
        assert not re.search(r"[@:][a-z]", text)
