"""A certificate on a phone: its QR code, as a camera reads it off the screen and off the PDF, opens the
verification page at the address the platform is served at (SITE_URL: the live server's here)."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.urls import reverse

from lms.certificates.services import certificate_issue
from shell.people.tests.factories import UserFactory
from tests.browser import ARTIFACTS, login, phone_page


def _read_qr(png: bytes) -> str:
    import zxingcpp
    from PIL import Image

    codes = zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))
    assert len(codes) == 1, f"{len(codes)} QR codes found"
    return codes[0].text


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_certificates_qr_opens_its_verification_on_the_live_server(live_server):
    learner = UserFactory(username="siti", full_name="Siti Rahmawati")
    certificate = certificate_issue(
        user=learner,
        kind="course",
        source_key=f"course:1:user:{learner.pk}",
        title="Pelayanan Publik Prima",
        jp=Decimal("2.5"),
        start_date=dt.date(2026, 12, 1),
        end_date=dt.date(2026, 12, 8),
    )
    base = live_server.url
    expected = base + reverse("certificates:verify", args=[certificate.code])

    with phone_page() as page:
        login(page, base, "siti", "secret-pass-123")
        page.goto(f"{base}/sertifikat/{certificate.pk}/")
        qr = page.get_by_test_id("certificate-qr")
        qr.scroll_into_view_if_needed()
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        page.screenshot(path=str(ARTIFACTS / "certificate-phone.png"), full_page=True)
        assert _read_qr(qr.screenshot()) == expected
        assert page.get_by_test_id("verify-url").get_attribute("href") == expected

        # The PDF the holder downloads carries the same QR.
        from pypdf import PdfReader

        response = page.request.get(f"{base}/sertifikat/{certificate.pk}/pdf/")
        assert response.ok
        (image,) = PdfReader(io.BytesIO(response.body())).pages[0].images
        buffer = io.BytesIO()
        image.image.save(buffer, format="PNG")
        assert _read_qr(buffer.getvalue()) == expected

        # What scanning it opens (logged out: the verification page is public).
        page.context.clear_cookies()
        page.goto(expected)
        assert "SAH" in page.get_by_test_id("verdict").inner_text()
        assert "Siti Rahmawati" in page.get_by_test_id("verification").inner_text()
