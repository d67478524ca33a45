"""Competency planning on a phone: the employee assesses themself, the supervisor validates, the plan takes a
suggested course, the employee enrols, and the plan item is fulfilled when the course completes."""

import pytest

from content.tests.factories import make_course
from lms.planning.models import CourseCompetency
from lms.planning.tests.factories import make_competency, make_position
from shell.people import roles
from shell.people.tests.factories import UnitFactory, UserFactory
from tests.browser import ARTIFACTS, login, phone_page


def _fits_the_phone(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_assessment_validation_plan_and_fulfilment_on_a_phone(live_server):
    pel = make_competency("PEL", "Pelayanan Publik", levels=3)
    position = make_position(standard={pel: 3})
    unit = UnitFactory()
    agus = UserFactory(username="agus", full_name="Agus Firmansyah", unit=unit, roles=[roles.LEARNER, roles.SUPERVISOR])
    UserFactory(username="siti", full_name="Siti Rahmawati", unit=unit, position=position.name, supervisor=agus)
    course = make_course(title="Pelayanan Publik Prima", jp="4", lessons=("text",))
    CourseCompetency.objects.create(course=course, competency=pel, level=3)
    levels = {i.pk: i.level for i in pel.indicators.all()}
    base = live_server.url

    with phone_page() as page:
        # Siti: the tile asks for her self-assessment; she meets levels 1 and 2, she says.
        login(page, base, "siti", "secret-pass-123")
        assert page.get_by_test_id("badge-rencana").inner_text() == "Isi penilaian mandiri"
        page.click("a[data-tile=rencana]")
        page.get_by_test_id("start-assessment").click()
        for pk, level in levels.items():
            page.check(f"input[name=meets_{pk}][value='{1 if level <= 2 else 0}']")
        page.fill(f"textarea[name=example_{next(iter(levels))}]", "Melayani pemohon KTP setiap hari")
        _fits_the_phone(page)
        page.get_by_test_id("submit-assessment").click()
        assert "Menunggu validasi atasan" in page.get_by_test_id("assessment-status").inner_text()

        # Agus: one assessment waits; he sees level 2 as not yet shown.
        page.context.clear_cookies()
        login(page, base, "agus", "secret-pass-123")
        assert page.get_by_test_id("badge-rencana").inner_text() == "1 menunggu Anda"
        page.click("a[data-tile=rencana]")
        page.get_by_test_id("team-waiting").click()
        page.click("text=Siti Rahmawati")
        for pk, level in levels.items():
            if level == 2:
                page.check(f"input[name=meets_{pk}][value='0']")
        _fits_the_phone(page)
        page.screenshot(path=str(ARTIFACTS / "planning-validate-phone.png"), full_page=True)
        page.get_by_test_id("validate").click()
        assert "divalidasi" in page.locator(".messages").inner_text()

        # Siti: a gap of 2 in Pelayanan Publik; the plan suggests the tagged course; she adds and proposes it.
        page.context.clear_cookies()
        login(page, base, "siti", "secret-pass-123")
        page.click("a[data-tile=rencana]")
        gaps = page.get_by_test_id("gaps").inner_text()
        assert "Pelayanan Publik" in gaps and "2" in gaps
        page.get_by_test_id("open-plan").click()
        suggestions = page.get_by_test_id("suggestions")
        assert course.title in suggestions.inner_text()
        suggestions.get_by_test_id("add-suggestion").first.click()
        item = page.get_by_test_id("plan-items").locator("li").first
        assert course.title in item.inner_text() and item.get_attribute("data-state") == "planned"
        page.get_by_test_id("propose-plan").click()
        assert page.get_by_test_id("plan-status").inner_text() == "Diajukan ke atasan"
        _fits_the_phone(page)

        # She enrols from the plan and completes the course: the item is fulfilled, with its JP.
        page.click("text=Buka kursus")
        page.get_by_test_id("enroll").click()
        page.get_by_test_id("continue").click()
        page.get_by_test_id("lesson-done").click()
        page.get_by_test_id("course-completed").wait_for()
        page.goto(f"{base}/belajar/rencana/rencana/")
        item = page.get_by_test_id("plan-items").locator("li").first
        assert item.get_attribute("data-state") == "fulfilled"
        assert item.get_by_test_id("item-state").inner_text() == "Terpenuhi · 4 JP"
        _fits_the_phone(page)
        page.screenshot(path=str(ARTIFACTS / "planning-plan-phone.png"), full_page=True)
