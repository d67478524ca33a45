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
        # The top of the page says it: revoked, by whom, why; the raw evidence is folded away.
        summary = page.get_by_test_id("entry-summary")
        assert summary.get_by_test_id("entry-status").inner_text().strip() == "Dicabut BKPSDM"
        assert "Oleh Rina Marlina" in summary.inner_text() and "Dua kursus dalam satu jam" in summary.inner_text()
        assert page.get_by_test_id("raw-evidence").get_attribute("open") is None
        _fits(page)
        page.screenshot(path=str(ARTIFACTS / "jp-entry-revoked-phone.png"), full_page=True)

        # Back on the list, found by the unit's name typed in small letters: the row stays, the revoked credit
        # marked with who revoked it and when.
        page.goto(f"{base}/belajar/jp/anomali/")
        page.fill("#id_unit", "dinas kesehatan dengan nama unit yang sangat panjang sekali")
        page.click("[data-testid=anomaly-filters] button[type=submit]")
        page.get_by_test_id("anomaly-count").wait_for()
        assert "Dinas Kesehatan dengan Nama" in page.get_by_test_id("anomaly-unit").inner_text()
        row = page.locator("[data-testid=anomalies] li[data-kind=burst]")
        assert row.get_attribute("data-resolved") == "1" and "Sudah dicabut" in row.inner_text()
        assert row.get_by_test_id("entry-revoked").inner_text().startswith("Dicabut oleh Rina Marlina, ")
        _fits(page)
        page.screenshot(path=str(ARTIFACTS / "jp-anomalies-unit-by-name-phone.png"), full_page=True)
        # Another year: nothing, and the page says so.
        page.select_option("#id_tahun", str(today.year - 1))
        page.click("[data-testid=anomaly-filters] button[type=submit]")
        assert "Tidak ada anomali" in page.get_by_test_id("no-anomalies").inner_text()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_hr_adds_a_correction_after_a_confirmation_and_the_employee_is_told(live_server):
    unit = UnitFactory(code="DINKES-UJI", name="Dinas Kesehatan")
    hr_user(unit=unit, username="sdm_dinkes", full_name="Rina Marlina")
    UserFactory(unit=unit, username="pegawai", full_name="Cahya Rajin", nip="198701012010011001")
    base = live_server.url
    with phone_page() as page:
        login(page, base, "sdm_dinkes", "secret-pass-123")
        page.goto(f"{base}/belajar/jp/koreksi/?q=Cahya")
        page.click("[data-testid=found] a")
        page.fill("#id_title", "Pelatihan luring di BPSDM Provinsi")
        page.fill("#id_date", (dt.date.today() - dt.timedelta(days=3)).isoformat())
        page.fill("#id_jp", "6")
        page.fill("#id_reason", "Sertifikat diserahkan ke BKPSDM")
        page.click("[data-testid=correction-form] button[type=submit]")
        # Nothing is written before the confirmation, which shows who, how many JP, when and why.
        confirm = page.get_by_test_id("correction-confirm")
        confirm.wait_for()
        text = confirm.inner_text()
        assert "Cahya Rajin" in text and "198701012010011001" in text and "Sertifikat diserahkan ke BKPSDM" in text
        assert page.get_by_test_id("confirm-jp").inner_text() == "6"
        assert not LedgerEntry.objects.filter(source_kind="correction").exists()
        _fits(page)
        page.screenshot(path=str(ARTIFACTS / "jp-correction-confirm-phone.png"), full_page=True)
        page.get_by_test_id("confirm-correction").click()
        page.get_by_test_id("entry-summary").wait_for()
        assert "diberi tahu di kotak masuk" in page.locator(".messages").inner_text()
        assert LedgerEntry.objects.filter(source_kind="correction").count() == 1
        _fits(page)

    with phone_page() as page:
        login(page, base, "pegawai", "secret-pass-123")
        page.goto(f"{base}/kotak-masuk/")
        inbox = page.locator("main").inner_text()
        assert "JP ditambahkan BKPSDM: Pelatihan luring di BPSDM Provinsi" in inbox
        assert "Sertifikat diserahkan ke BKPSDM" in inbox
        _fits(page)
        page.screenshot(path=str(ARTIFACTS / "jp-correction-inbox-phone.png"), full_page=True)
