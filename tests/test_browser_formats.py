"""On a phone: the e-Kinerja date field shows today (the browser's date picker takes only ISO values),
and a page's dates and numbers switch from Indonesian to English with the ID/EN switch."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from lms.certificates.services import certificate_issue
from shell.people.tests.factories import UnitFactory, UserFactory
from tests.browser import login, phone_page


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_date_picker_keeps_today_and_dates_follow_the_language(live_server):
    learner = UserFactory(username="siti", full_name="Siti Rahmawati", unit=UnitFactory())
    certificate = certificate_issue(
        user=learner,
        kind="course",
        source_key=f"course:1:user:{learner.pk}",
        title="Pelayanan Publik Prima",
        jp=Decimal("2.5"),
        start_date=dt.date(2026, 8, 17),
        end_date=dt.date(2026, 12, 8),
    )
    base = live_server.url
    with phone_page() as page:
        login(page, base, "siti", "secret-pass-123")
        page.goto(f"{base}/kinerja/")
        assert page.input_value("#id_date") == timezone.localdate().isoformat()

        page.goto(f"{base}/sertifikat/{certificate.pk}/")
        card = page.locator(".card").first.inner_text()
        assert "2,5 · 17 Agu 2026 – 8 Des 2026" in card
        page.get_by_role("button", name="EN").click()
        page.wait_for_load_state()
        card = page.locator(".card").first.inner_text()
        assert "2.5 · 17 Aug 2026 – 8 Dec 2026" in card
        page.goto(f"{base}/kinerja/")
        assert page.input_value("#id_date") == timezone.localdate().isoformat()
