"""HR on a phone: the report dashboard renders its charts, fits the screen, and the tabs work."""

import pytest

from reports.tests.factories import make_city
from shell.people.tests.factories import hr_user
from tests.browser import ARTIFACTS, login, phone_page


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_hr_dashboard_renders_its_charts(live_server):
    make_city()
    hr_user(unit=None, username="sdm", full_name="Rina Marlina")
    base = live_server.url

    with phone_page() as page:
        login(page, base, "sdm", "secret-pass-123")
        page.click("a[data-tile=laporan]")
        page.wait_for_url(f"{base}/laporan/")
        page.select_option("#id_tahun", "2026")
        page.click("[data-testid=report-filters] button[type=submit]")
        page.get_by_test_id("status-summary").wait_for()

        for chart in ("status", "trend", "units"):
            svg = page.locator(f"svg[data-chart={chart}]")
            assert svg.count() == 1, chart
            box = svg.bounding_box()
            assert box and box["width"] > 200 and box["height"] > 40, (chart, box)
            assert svg.locator("rect, polyline").count() > 0, chart
        # The status bar is drawn in proportion: 2 met of 6 employees (the HR officer counts too).
        assert page.get_by_test_id("count-met").inner_text() == "2"
        assert page.locator("svg[data-chart=status] rect").count() >= 3
        assert page.locator("svg[data-chart=trend] polyline").count() == 2
        wide = page.evaluate(
            "[...document.querySelectorAll('body, body > *, main > *, main > * > *')]"
            ".filter(e => e.scrollWidth > 390).map(e => e.tagName + '.' + e.className + ':' + e.scrollWidth)"
        )
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, wide
        page.screenshot(path=str(ARTIFACTS / "reports-dashboard-phone.png"), full_page=True)

        page.click(".report-tabs >> text=Pegawai")
        rows = page.get_by_test_id("employee-table").inner_text()
        assert "Mover" in rows and "Newcomer" in rows
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        page.click(".report-tabs >> text=Unit")
        assert "Bidang A2 (kosong)" in page.get_by_test_id("unit-table").inner_text()
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        page.click(".report-tabs >> text=Kategori")
        categories = page.locator("svg[data-chart=categories]")
        assert categories.locator("rect").count() == 3  # teknis, manajerial, pemerintahan
        assert categories.bounding_box()["width"] > 200
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
