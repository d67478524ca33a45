"""An officer on a phone: log in once, see the tiles of every module with their badges, follow a
notification from the inbox into the service module, act there, and come back."""

import pytest
from django.utils import timezone

from shell.modules.kinerja.services import activity_create
from shell.modules.layanan.roles import OFFICER
from shell.modules.layanan.services import request_assign, request_register
from shell.modules.layanan.tests.factories import NIK, ServiceTypeFactory
from shell.people import roles
from shell.people.tests.factories import UnitFactory, UserFactory
from tests.browser import ARTIFACTS, login, phone_page


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_one_login_tiles_with_badges_and_a_notification_into_a_module_and_back(live_server):
    unit = UnitFactory(code="DUKCAPIL.DAFDUK", name="Bidang Pelayanan Pendaftaran Penduduk")
    siti = UserFactory(username="siti", full_name="Siti Rahmawati", unit=unit, roles=[roles.LEARNER, OFFICER])
    colleague = UserFactory(unit=unit, roles=[roles.LEARNER, OFFICER])
    member = UserFactory(unit=unit, supervisor=siti)
    activity_create(user=member, date=timezone.localdate(), title="Entri data KK")
    service = ServiceTypeFactory(name="Pencetakan KTP-el", unit=unit, sla_days=1)
    mine, _ = request_register(service=service, citizen_nik=NIK, citizen_name="Nur Aisyah", registered_by=colleague)
    request_register(service=service, citizen_nik=NIK, citizen_name="Joko Susilo", registered_by=colleague)
    request_assign(request_id=mine.pk, actor=colleague, assignee=siti)  # puts a note in Siti's inbox
    base = live_server.url

    with phone_page() as page:
        login(page, base, "siti", "secret-pass-123")
        assert page.get_by_test_id("badge-lms").inner_text() == "JP tahun ini: 0 / 20"
        assert page.get_by_test_id("badge-layanan").inner_text() == "2 permohonan menunggu"
        assert page.get_by_test_id("badge-kinerja").inner_text() == "1 aktivitas perlu persetujuan"
        assert page.get_by_test_id("inbox-count").inner_text() == "1"
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        assert page.locator("link[rel=manifest]").count() == 1
        page.screenshot(path=str(ARTIFACTS / "shell-home-phone.png"), full_page=True)

        # The inbox, then the notification into the service module.
        page.click("a.inbox-link")
        page.wait_for_url(f"{base}/kotak-masuk/")
        page.click(f"text=Permohonan {mine.number} ditugaskan kepada Anda")
        page.wait_for_url(f"{base}/layanan/permohonan/{mine.number}/")
        assert page.get_by_test_id("request-number").inner_text() == mine.number
        assert page.get_by_test_id("request-assignee").inner_text() == "Siti Rahmawati"
        page.get_by_test_id("action-verification").click()
        assert page.get_by_test_id("request-status").inner_text() == "Verifikasi"
        assert "Status permohonan: Verifikasi." in page.locator(".messages").inner_text()
        assert page.evaluate("document.documentElement.scrollWidth") <= 390

        # And back: the browser's back button to the inbox, now read; then home.
        page.go_back()
        page.go_back()
        page.wait_for_url(f"{base}/kotak-masuk/")
        page.reload()
        assert page.get_by_test_id("inbox-count").count() == 0
        assert page.locator("li.unread").count() == 0
        page.click("nav.mainnav >> text=Beranda")
        page.wait_for_url(f"{base}/")
        assert page.get_by_test_id("badge-layanan").inner_text() == "2 permohonan menunggu"
        # The same session reaches every module without another login.
        page.click("a[data-tile=kinerja]")
        page.wait_for_url(f"{base}/kinerja/")
        page.click("[data-testid=approvals-link]")
        assert "Entri data KK" in page.get_by_test_id("review-queue").inner_text()

        manifest = page.request.get(f"{base}/manifest.webmanifest").json()
        assert manifest["display"] == "standalone" and manifest["start_url"].startswith("/")
        assert page.request.get(f"{base}/sw.js").headers["service-worker-allowed"] == "/"
