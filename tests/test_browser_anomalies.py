"""HR on a phone: the JP anomaly list fits the screen, an entry's evidence opens from it, and revoking takes
two taps (the reason, then the confirmation); the employee reads the reason in their inbox."""

import datetime as dt

import pytest

from lms.hours.models import LedgerEntry
from lms.hours.tests.factories import credit
from shell.people.tests.factories import UnitFactory, UserFactory, hr_user
from tests.browser import ARTIFACTS, login, phone_page


def _fits(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= 390, page.url


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_hr_revokes_a_burst_from_the_phone(live_server, settings):
    settings.ANOMALY_BURST_HOURS, settings.ANOMALY_BURST_JP = 24, 16
    unit = UnitFactory(code="DINKES-UJI", name="Dinas Kesehatan dengan Nama Unit yang Sangat Panjang Sekali")
    hr_user(unit=unit, username="sdm_dinkes", full_name="Rina Marlina")
    employee = UserFactory(unit=unit, username="pegawai_cepat", full_name="Cahya Kilat")
    today = dt.date.today()
    credit(employee, 10, today, title="Kursus Manajemen Risiko Pelayanan Publik Tingkat Lanjut Bagian Pertama")
    entry = credit(employee, 9, today, title="Kursus Kilat")
    base = live_server.url

    with phone_page() as page:
        login(page, base, "sdm_dinkes", "secret-pass-123")
        page.click("a[data-tile=anomali-jp]")
        page.wait_for_url(f"{base}/belajar/jp/anomali/")
        rows = page.get_by_test_id("anomalies")
        assert "Cahya Kilat" in rows.inner_text() and "19 JP" in rows.inner_text()
        _fits(page)
        page.screenshot(path=str(ARTIFACTS / "jp-anomalies-phone.png"), full_page=True)

        page.click(f"a[href='/belajar/jp/entri/{entry.pk}/']")
        page.get_by_test_id("entry-anomalies").wait_for()
        _fits(page)
        page.fill("#id_reason", "Dua kursus dalam satu jam tidak wajar")
        page.click("[data-testid=revoke-form] button[type=submit]")
        page.get_by_test_id("revoke-confirm").wait_for()
        assert not LedgerEntry.objects.filter(reverses=entry).exists()  # the first tap revokes nothing
        _fits(page)
        page.screenshot(path=str(ARTIFACTS / "jp-revoke-confirm-phone.png"), full_page=True)
        page.get_by_test_id("confirm-revoke").click()
        page.get_by_test_id("reversal").wait_for()
        assert "dicabut" in page.locator(".messages").inner_text()
        assert LedgerEntry.objects.filter(reverses=entry).count() == 1
        _fits(page)
        page.screenshot(path=str(ARTIFACTS / "jp-entry-revoked-phone.png"), full_page=True)
