"""A curriculum reviewer on a phone: the home tile counts what waits, the inbox notice opens the submitted
lesson's preview, and the preview shows all of it (text, video, every quiz question with its answers, the
H5P item playing) although the reviewer never enrolled."""

from pathlib import Path

import pytest

from content.h5p.services import h5p_content_import
from content.h5p.tests.factories import build_package
from content.services import catalog_setup, course_moderation_setup
from content.tests.factories import QUIZ, draft_course
from shell.people import roles
from shell.people.services import roles_setup
from shell.people.tests.factories import UserFactory
from tests.browser import ARTIFACTS, login, phone_page


@pytest.fixture(autouse=True)
def _player_built():
    from conftest import require

    built = Path(__file__).resolve().parent.parent / "static" / "h5p" / "player" / "main.bundle.js"
    require(built.exists(), "the H5P player is not built: run `make player` (make test does)")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_reviewer_previews_a_submitted_lesson_whole_on_a_phone(live_server, restore_migrated_data):
    roles_setup()
    catalog = catalog_setup()
    course_moderation_setup(catalog=catalog)
    trainer = UserFactory(username="tia", roles=[roles.LEARNER, roles.TRAINER], full_name="Tia Pelatih")
    UserFactory(username="rudi", roles=[roles.LEARNER, roles.REVIEWER], full_name="Rudi Peninjau")
    h5p = h5p_content_import(upload=build_package(), user=UserFactory(roles=[roles.ADMIN]))
    _, lesson = draft_course(catalog=catalog, trainer=trainer, h5p=h5p)
    lesson.get_workflow().start(lesson, trainer)  # submitted: the notice is delivered after commit

    with phone_page() as page:
        login(page, live_server.url, "rudi", "secret-pass-123")
        tile = page.locator('[data-tile="cms-tinjauan"]')
        assert "1 menunggu tinjauan" in tile.inner_text()
        assert tile.get_attribute("href") == "/cms/"
        page.screenshot(path=str(ARTIFACTS / "review-home-phone.png"), full_page=False)

        page.goto(live_server.url + "/kotak-masuk/")
        page.get_by_text("Pelajaran menunggu tinjauan Anda: Surat Dinas").click()
        page.wait_for_selector('[data-testid="lesson-preview"]')
        assert "/workflow/preview/" in page.url

        body = page.inner_text("body")
        assert "terlebih dahulu" not in body
        assert "Materi surat dinas" in body
        for question in QUIZ["questions"]:
            assert question["prompt"] in body
        assert page.locator('[data-testid="correct-choice"]').count() == 4
        assert page.locator("figure.block-video").count() == 1
        # The H5P item plays (untracked) in its sandboxed frame.
        page.wait_for_selector("iframe[data-h5p-frame][data-h5p-ready='1']", timeout=30000)
        frame = page.locator("iframe[data-h5p-frame]").element_handle().content_frame()
        frame.wait_for_selector("text=Halo", timeout=15000)
        # Nothing is wider than the phone.
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        page.screenshot(path=str(ARTIFACTS / "review-preview-phone.png"), full_page=True)

        # From the preview to the editor, where the decision is taken.
        page.get_by_text("Ke editor: setujui atau minta perubahan").click()
        page.wait_for_url(f"**/cms/pages/{lesson.pk}/edit/")
