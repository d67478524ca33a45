"""Phone layout (390x844) found by the new-user review of issue 16: HR sees each certificate's status
(Sah / Dicabut) on screen in the manager, and the catalogue's filter selects show their whole text."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from content.tests.factories import make_course
from lms.certificates import services
from shell.people.tests.factories import UnitFactory, UserFactory, hr_user
from tests.browser import ARTIFACTS, login, phone_page


def _issue(user, key):
    return services.certificate_issue(
        user=user,
        kind="classroom",
        source_key=key,
        title="Pelatihan Kepemimpinan Administrator Tingkat Lanjut",
        jp=Decimal("8"),
        start_date=dt.date(2026, 3, 9),
        end_date=dt.date(2026, 3, 10),
    )


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_certificate_status_and_catalogue_filters_fit_a_phone(live_server):
    unit = UnitFactory()
    hr = hr_user(unit=unit, username="sdm")
    valid = _issue(UserFactory(unit=unit, full_name="Dewi Lestari Kusumawardhani"), "a")
    revoked = _issue(UserFactory(unit=unit, full_name="Hendra Permana Wijayakusuma"), "b")
    services.certificate_revoke(certificate=revoked, by=hr, reason="Salah terbit")
    make_course(title="Pelayanan Publik")
    with phone_page() as page:
        login(page, live_server.url, "sdm", "secret-pass-123")
        page.goto(live_server.url + reverse("certificates:manage"))
        statuses = page.get_by_test_id("certificate-status")
        assert sorted(statuses.all_inner_texts()) == ["Dicabut", "Sah"]
        for index in range(statuses.count()):
            box = statuses.nth(index).bounding_box()
            assert box["x"] >= 0 and box["x"] + box["width"] <= 390, box
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        assert valid.number in page.inner_text("body")
        page.screenshot(path=str(ARTIFACTS / "certificates-manage-phone.png"), full_page=True)

        page.goto(live_server.url + "/kursus/")
        for name in ("kategori", "mode"):
            select = page.locator(f"select[name={name}]")
            if select.count():
                # The chosen option's text fits: its width in the select's font, plus padding and the arrow.
                fits = select.evaluate(
                    """s => { const cs = getComputedStyle(s); const c = document.createElement("canvas").getContext("2d");
                         c.font = cs.font; const text = c.measureText(s.options[s.selectedIndex].text).width;
                         return text + parseFloat(cs.paddingLeft) + parseFloat(cs.paddingRight) + 16 <= s.clientWidth; }"""
                )
                assert fits, name
                assert select.evaluate("s => s.options[s.selectedIndex].text") == "Semua"
