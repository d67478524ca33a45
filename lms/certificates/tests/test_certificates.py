"""Certificates: numbered per year, a verification code and QR to a public page that says valid or
revoked; revoked and reissued, never deleted; issued once per course or classroom participation."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from content.tests.factories import make_course
from lms import services as lms_services
from lms.certificates import services
from lms.certificates.models import Certificate, Signatory
from lms.certificates.pdf import certificate_pdf
from lms.xapi.transformers import learning_event_record
from shell.people import roles
from shell.people.tests.factories import UnitFactory, UserFactory, hr_user
from shell.testing import text_rules_of_postgresql

pytestmark = pytest.mark.django_db


def issue(user, key="classroom:1:user:1", end=dt.date(2026, 3, 10)):
    return services.certificate_issue(
        user=user,
        kind="classroom",
        source_key=key,
        title="Pelatihan Kepemimpinan",
        jp=Decimal("8"),
        start_date=dt.date(2026, 3, 9),
        end_date=end,
    )


def test_numbers_run_per_year_and_one_valid_certificate_per_source():
    Signatory.objects.create(year=2026, name="Dr. Budi", position="Kepala BKPSDM", nip="197001011995031001")
    user = UserFactory(full_name="Siti Rahmawati")
    first = issue(user, "classroom:1:user:1")
    assert issue(user, "classroom:1:user:1").pk == first.pk
    second = issue(user, "classroom:2:user:1")
    next_year = issue(user, "classroom:3:user:1", end=dt.date(2027, 1, 5))
    assert (first.number, second.number, next_year.number) == (
        "UPKT/2026/000001",
        "UPKT/2026/000002",
        "UPKT/2027/000001",
    )
    assert first.code != second.code and len(first.code) == 10
    assert (first.holder_name, first.holder_nip, first.signatory_name) == ("Siti Rahmawati", user.nip, "Dr. Budi")
    # The 2026 signatory stays in force in 2027 until another is set.
    assert next_year.signatory_name == "Dr. Budi"


def test_the_pdf_carries_the_number_and_a_qr_code(client):
    certificate = issue(UserFactory())
    content = certificate_pdf(certificate=certificate)
    assert content.startswith(b"%PDF") and len(content) > 2000
    assert b"/Subtype /Image" in content  # the QR code
    client.force_login(certificate.user)
    response = client.get(reverse("certificates:pdf", args=[certificate.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"


def test_the_public_page_says_valid_then_revoked_and_unknown_is_404(client):
    certificate = issue(UserFactory())
    url = reverse("certificates:verify", args=[certificate.code])
    response = client.get(url)  # no login
    assert response.status_code == 200 and "SAH" in response.content.decode()
    hr = hr_user()
    new = services.certificate_reissue(certificate=certificate, by=hr, reason="Nama salah ketik")
    page = client.get(url).content.decode()
    assert "DICABUT" in page and "diganti" in page
    assert client.get(reverse("certificates:verify", args=[new.code.lower()])).status_code == 200
    assert new.number != certificate.number and new.replaces_id == certificate.pk
    assert Certificate.objects.count() == 2  # nothing deleted
    assert client.get(reverse("certificates:verify", args=["NOSUCHCODE"])).status_code == 404


def test_revoking_needs_a_reason_and_hr_in_scope(client):
    unit = UnitFactory()
    holder = UserFactory(unit=unit)
    certificate = issue(holder)
    with pytest.raises(services.CertificateError):
        services.certificate_revoke(certificate=certificate, by=hr_user(unit=unit), reason=" ")
    outsider = hr_user(unit=UnitFactory())
    client.force_login(outsider)
    # Not visible at all to HR of another unit.
    assert client.post(reverse("certificates:revoke", args=[certificate.pk]), {"reason": "x"}).status_code == 404
    supervisor = UserFactory(roles=[roles.LEARNER, roles.SUPERVISOR])
    holder.supervisor = supervisor
    holder.save()
    client.force_login(supervisor)  # sees it, may not revoke
    assert client.get(reverse("certificates:detail", args=[certificate.pk])).status_code == 200
    assert client.post(reverse("certificates:revoke", args=[certificate.pk]), {"reason": "x"}).status_code == 403
    client.force_login(hr_user(unit=unit))
    response = client.post(reverse("certificates:revoke", args=[certificate.pk]), {"reason": "Tidak hadir sebenarnya"})
    assert response.status_code == 302
    certificate.refresh_from_db()
    assert not certificate.is_valid and certificate.revoked_reason == "Tidak hadir sebenarnya"


def test_a_learner_sees_only_their_own_certificates(client):
    mine, theirs = issue(UserFactory(), "a"), issue(UserFactory(), "b")
    client.force_login(mine.user)
    assert client.get(reverse("certificates:detail", args=[theirs.pk])).status_code == 404
    assert client.get(reverse("certificates:pdf", args=[theirs.pk])).status_code == 404
    page = client.get(reverse("certificates:list")).content.decode()
    assert mine.number in page and theirs.number not in page


def test_completing_a_course_issues_its_certificate_once(django_capture_on_commit_callbacks):
    learner = UserFactory()
    course = make_course(title="Etika ASN", jp="4", lessons=("text",))
    with django_capture_on_commit_callbacks(execute=True):
        enrollment = lms_services.check_enrollment_self(user=learner, course_id=course.pk)
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            learning_event_record(
                "lms.course.completed",
                user=learner,
                enrollment=enrollment,
                timestamp=dt.datetime(2026, 4, 1, 3, tzinfo=dt.UTC),
            )
    certificate = Certificate.objects.get(user=learner)
    assert (certificate.title, certificate.jp, certificate.end_date, certificate.kind) == (
        "Etika ASN",
        Decimal("4"),
        dt.date(2026, 4, 1),
        Certificate.Kind.COURSE,
    )


def test_hr_finds_the_certificates_of_their_scope(client):
    unit = UnitFactory()
    inside = issue(UserFactory(unit=unit, full_name="Dewi Lestari"), "in")
    outside = issue(UserFactory(unit=UnitFactory(), full_name="Orang Luar"), "out")
    client.force_login(hr_user(unit=unit))
    page = client.get(reverse("certificates:manage") + "?q=dewi").content.decode()
    assert inside.number in page and outside.number not in page
    assert outside.number not in client.get(reverse("certificates:manage") + f"?q={outside.code}").content.decode()
    client.force_login(inside.user)
    assert client.get(reverse("certificates:manage")).status_code == 403


# Found by the outside security review: a NUL in a query was a 500 (PostgreSQL text cannot hold one) ----


def test_a_nul_in_a_verification_code_is_not_found(client):
    certificate = issue(UserFactory())
    with text_rules_of_postgresql():
        response = client.get(f"/sertifikat/v/{certificate.code}%00/")
        assert response.status_code == 404 and "Tidak ada sertifikat dengan kode" in response.content.decode()
        assert client.get("/sertifikat/v/%00/").status_code == 404
        assert client.get(reverse("certificates:verify", args=[certificate.code])).status_code == 200


def test_a_nul_in_hrs_certificate_search_is_a_400_that_says_so(client):
    unit = UnitFactory()
    inside = issue(UserFactory(unit=unit, full_name="Dewi Lestari"), "in")
    client.force_login(hr_user(unit=unit))
    with text_rules_of_postgresql():
        response = client.get(reverse("certificates:manage"), {"q": "dewi\x00"})
        assert response.status_code == 400 and "karakter NUL" in response.content.decode()
        page = client.get(reverse("certificates:manage"), {"q": "dewi"})
        assert page.status_code == 200 and inside.number in page.content.decode()


def test_a_nul_in_a_revocation_reason_is_refused_with_a_message(client):
    unit = UnitFactory()
    certificate = issue(UserFactory(unit=unit))
    client.force_login(hr_user(unit=unit))
    with text_rules_of_postgresql():
        for url in (
            reverse("certificates:revoke", args=[certificate.pk]),
            reverse("certificates:reissue", args=[certificate.pk]),
        ):
            response = client.post(url, {"reason": "Salah\x00nama"}, follow=True)
            assert response.status_code == 200 and "karakter NUL" in response.content.decode()
    certificate.refresh_from_db()
    assert certificate.is_valid and Certificate.objects.count() == 1


def _pdf_qr_and_text(content: bytes) -> tuple[str, str]:
    """What a phone's camera reads from the printed certificate's QR code, and the page's text."""
    import io

    import zxingcpp
    from pypdf import PdfReader

    page = PdfReader(io.BytesIO(content)).pages[0]
    (image,) = page.images
    (code,) = zxingcpp.read_barcodes(image.image)
    return code.text, page.extract_text()


def test_the_qr_and_link_point_at_the_address_the_platform_is_served_at_when_shown(client, settings):
    settings.SITE_URL = "http://127.0.0.1:8000"
    certificate = issue(UserFactory())
    path = reverse("certificates:verify", args=[certificate.code])
    qr, text = _pdf_qr_and_text(certificate_pdf(certificate=certificate))
    assert qr == f"http://127.0.0.1:8000{path}" and qr in text
    # The platform moves (another port, its real domain): the certificate issued before verifies there.
    settings.SITE_URL = "https://belajar.tangerangkota.go.id"
    qr, text = _pdf_qr_and_text(certificate_pdf(certificate=certificate))
    assert qr == f"https://belajar.tangerangkota.go.id{path}" and qr in text
    client.force_login(certificate.user)
    page = client.get(reverse("certificates:detail", args=[certificate.pk])).content.decode()
    assert f'href="https://belajar.tangerangkota.go.id{path}"' in page and 'data-testid="certificate-qr"' in page
    assert "127.0.0.1:8000" not in page


def test_dates_and_jp_read_alike_on_the_pdf_and_the_pages(client):
    """One format (shell/formatting.py): the PDF's long dates, the pages' short ones, a decimal comma."""
    from django.conf import settings

    user = UserFactory()
    certificate = services.certificate_issue(
        user=user,
        kind="course",
        source_key="course:9:user:9",
        title="Pelayanan Publik Prima",
        jp=Decimal("2.50"),
        start_date=dt.date(2026, 12, 1),
        end_date=dt.date(2026, 12, 8),
        issued_at=dt.datetime(2026, 12, 8, 20, 0, tzinfo=dt.UTC),  # 9 December in Jakarta
    )
    _qr, text = _pdf_qr_and_text(certificate_pdf(certificate=certificate))
    assert "2,5 jam pelajaran (JP), 1 Desember 2026 - 8 Desember 2026" in text
    assert "Tangerang, 9 Desember 2026" in text
    client.force_login(user)
    for name, args in (("certificates:detail", [certificate.pk]), ("certificates:list", [])):
        page = client.get(reverse(name, args=args)).content.decode()
        assert "1 Des 2026" in page or name == "certificates:list"
        assert "8 Des 2026" in page and "2,5" in page and "2026-12-08" not in page
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(reverse("certificates:detail", args=[certificate.pk])).content.decode()
    assert "1 Dec 2026 – 8 Dec 2026" in page and "2.5" in page
