"""The search-as-you-type pickers in a phone's browser: a trainer names a course's trainer out of many
employees in the CMS, and HR narrows a report to a unit by typing part of its name, keyboard only."""

import re

import pytest

from content.services import catalog_setup, course_moderation_setup
from content.tests.factories import draft_course
from reports.tests.factories import make_city
from shell.people import roles
from shell.people.models import User
from shell.people.services import roles_setup
from shell.people.tests.factories import UserFactory, hr_user
from tests.browser import ARTIFACTS, login, phone_page


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_trainer_picks_a_co_trainer_by_typing(live_server, restore_migrated_data):
    roles_setup()
    catalog = catalog_setup()
    course_moderation_setup(catalog=catalog)
    trainer = UserFactory(username="tia", roles=[roles.LEARNER, roles.TRAINER], full_name="Tia Pelatih")
    User.objects.bulk_create([User(username=f"pegawai{i:04d}", full_name=f"Budi Santoso {i:04d}") for i in range(400)])
    course, _ = draft_course(catalog=catalog, trainer=trainer)

    with phone_page() as page:
        login(page, live_server.url, "tia", "secret-pass-123")
        page.goto(f"{live_server.url}/cms/pages/{course.pk}/edit/")
        field = page.locator("#id_trainers")
        assert page.locator('select[name="trainers"] option').count() == 0  # nobody listed up front
        field.fill("santoso 0007")
        option = page.get_by_role("option", name="Budi Santoso 0007")
        option.wait_for()
        assert page.locator(".ac-list [role=option]").count() == 1
        assert field.get_attribute("aria-expanded") == "true"
        option.click()
        assert page.locator(".ac-chip").inner_text().startswith("Budi Santoso 0007")
        page.screenshot(path=str(ARTIFACTS / "trainer-picker-phone.png"), full_page=False)
        page.locator("button.action-save").first.click()
        page.wait_for_url(re.compile(rf".*/cms/pages/{course.pk}/edit/.*"))
        page.wait_for_selector(".ac-chip")

    course.refresh_from_db()
    trainers = course.get_latest_revision_as_object().trainers.all()
    assert [t.username for t in trainers] == ["pegawai0007"]


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_hr_narrows_a_report_to_a_unit_by_typing_its_name(live_server, restore_migrated_data):
    roles_setup()
    city = make_city()
    hr_user(unit=city.a, username="hr_a", full_name="HR Dinas A")
    with phone_page() as page:
        login(page, live_server.url, "hr_a", "secret-pass-123")
        page.goto(f"{live_server.url}/laporan/?tahun=2026")
        field = page.locator("#id_unit")
        field.fill("bidang a1")
        page.get_by_role("option", name="A1 — Bidang A1").wait_for()
        field.press("ArrowDown")
        assert page.get_by_role("option", name="A1 — Bidang A1").get_attribute("aria-selected") == "true"
        field.press("Enter")
        assert field.input_value() == "A1 — Bidang A1"
        # Another department is not offered.
        field.fill("dinas b")
        page.locator(".ac-empty").wait_for()
        field.fill("A1 — Bidang A1")
        page.get_by_role("button", name="Terapkan").click()
        page.wait_for_url(re.compile(r".*unit=A1.*"))
        assert page.locator("#id_unit").input_value() == "A1 — Bidang A1"
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        page.screenshot(path=str(ARTIFACTS / "unit-picker-phone.png"), full_page=False)
