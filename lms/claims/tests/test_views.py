"""Claim pages: the form with clear errors, the evidence only for those who may see it, decisions by
the supervisor, audit by HR in scope."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from lms.claims.models import Claim
from lms.hours.models import CreditRule, LedgerEntry
from shell.people import roles
from shell.people.tests.factories import UnitFactory, UserFactory, hr_user

from .factories import PDF

pytestmark = pytest.mark.django_db


def form_data(**overrides):
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    data = {
        "title": "Workshop Data",
        "organiser": "BPS",
        "form": "workshop",
        "category": "teknis",
        "start_date": yesterday.isoformat(),
        "end_date": yesterday.isoformat(),
        "quantity": "1",
        "jp_requested": "5",
        "certificate_number": "BPS-77",
        "evidence": SimpleUploadedFile("bukti.pdf", PDF, content_type="application/pdf"),
    }
    data.update(overrides)
    return data


@pytest.fixture
def people():
    unit = UnitFactory()
    boss = UserFactory(roles=[roles.LEARNER, roles.SUPERVISOR])
    return {
        "boss": boss,
        "employee": UserFactory(supervisor=boss, unit=unit),
        "colleague": UserFactory(supervisor=boss, unit=unit),
        "hr": hr_user(unit=unit),
        "other_hr": hr_user(unit=UnitFactory()),
    }


def test_submit_decide_and_audit_through_the_pages(client, people):
    client.force_login(people["employee"])
    response = client.post(reverse("claims:create"), form_data())
    claim = Claim.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("claims:detail", args=[claim.pk])
    client.force_login(people["boss"])
    assert claim.title in client.get(reverse("claims:to_decide")).content.decode()
    assert client.get(reverse("claims:evidence", args=[claim.pk])).status_code == 200
    client.post(reverse("claims:decide", args=[claim.pk]), {"decision": "approve"})
    assert LedgerEntry.objects.get(user=people["employee"]).jp == 5
    client.force_login(people["hr"])
    assert claim.title in client.get(reverse("claims:audit")).content.decode()
    client.post(reverse("claims:reverse", args=[claim.pk]), {"reason": "Tidak ada surat tugas"})
    claim.refresh_from_db()
    assert claim.status == Claim.Status.REVERSED


def test_form_errors_are_400_with_a_message(client, people):
    CreditRule.objects.create(year=timezone.localdate().year, form="coaching", unit="session", jp_per_unit=2)
    client.force_login(people["employee"])
    page = client.get(reverse("claims:create")).content.decode()
    assert "Coaching" in page and "2 JP / sesi / pertemuan" in page
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    response = client.post(reverse("claims:create"), form_data(end_date=tomorrow, start_date=tomorrow))
    assert response.status_code == 400 and "belum selesai" in response.content.decode()
    response = client.post(reverse("claims:create"), form_data(start_date="31-02-2026"))
    assert response.status_code == 400 and "2026-03-31" in response.content.decode()
    response = client.post(
        reverse("claims:create"),
        form_data(evidence=SimpleUploadedFile("x.pdf", b"<html>", content_type="application/pdf")),
    )
    assert response.status_code == 400 and "PDF, JPG, atau PNG" in response.content.decode()
    assert not Claim.objects.exists()


def test_others_cannot_see_decide_or_audit(client, people):
    client.force_login(people["employee"])
    client.post(reverse("claims:create"), form_data())
    claim = Claim.objects.get()
    client.force_login(people["colleague"])
    for name in ("claims:detail", "claims:evidence"):
        assert client.get(reverse(name, args=[claim.pk])).status_code == 404
    assert client.post(reverse("claims:decide", args=[claim.pk]), {"decision": "approve"}).status_code == 404
    assert client.get(reverse("claims:audit")).status_code == 403
    client.force_login(people["other_hr"])
    assert client.get(reverse("claims:detail", args=[claim.pk])).status_code == 404
    assert claim.title not in client.get(reverse("claims:audit")).content.decode()
    client.force_login(people["employee"])  # not their own decision
    assert client.post(reverse("claims:decide", args=[claim.pk]), {"decision": "approve"}).status_code == 403
    assert Claim.objects.get().status == Claim.Status.SUBMITTED


# Found by the outside security review ---------------------------------------------------------------


def test_evidence_whose_name_says_another_type_than_its_bytes_is_refused(client, people):
    # bukti.html starting with %PDF- passed the first-bytes check and reached the supervisor as text/html
    client.force_login(people["employee"])
    html = SimpleUploadedFile("bukti.html", PDF + b"<script>alert(1)</script>", content_type="text/html")
    response = client.post(reverse("claims:create"), form_data(evidence=html))
    assert response.status_code == 400
    assert "berakhiran &#x27;.html&#x27;, tetapi isinya PDF" in response.content.decode()
    assert not Claim.objects.exists()


def test_evidence_is_stored_and_served_under_its_detected_type_never_the_uploaders_name(client, people):
    client.force_login(people["employee"])
    upload = SimpleUploadedFile("Sertifikat Saya.JPEG", b"\xff\xd8\xff\xe0" + b"0" * 50, content_type="image/jpeg")
    client.post(reverse("claims:create"), form_data(evidence=upload))
    claim = Claim.objects.get()
    assert claim.evidence.name.endswith("/bukti.jpg")
    client.force_login(people["boss"])
    response = client.get(reverse("claims:evidence", args=[claim.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="bukti-{claim.pk}.jpg"'
    assert response["Content-Type"] == "image/jpeg"


def test_evidence_stored_before_the_check_is_a_sandboxed_download_named_by_its_bytes(client, people):
    # A file stored under the uploader's name (as before the fix) is served as what its bytes are.
    from django.core.files.base import ContentFile

    client.force_login(people["employee"])
    client.post(reverse("claims:create"), form_data())
    claim = Claim.objects.get()
    claim.evidence.save("bukti.html", ContentFile(PDF + b"<script>alert(1)</script>"))
    client.force_login(people["boss"])
    response = client.get(reverse("claims:evidence", args=[claim.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="bukti-{claim.pk}.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    claim.evidence.save("bukti.html", ContentFile(b"<script>alert(1)</script>"))  # not even a PDF
    response = client.get(reverse("claims:evidence", args=[claim.pk]))
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"] == f'attachment; filename="bukti-{claim.pk}.bin"'


def test_a_nul_in_a_reversal_reason_is_refused_with_a_message(client, people):
    # PostgreSQL text cannot hold a NUL: the reason reached the database raw, a 500 there
    from shell.testing import text_rules_of_postgresql

    client.force_login(people["employee"])
    client.post(reverse("claims:create"), form_data())
    claim = Claim.objects.get()
    client.force_login(people["boss"])
    client.post(reverse("claims:decide", args=[claim.pk]), {"decision": "approve"})
    client.force_login(people["hr"])
    with text_rules_of_postgresql():
        response = client.post(reverse("claims:reverse", args=[claim.pk]), {"reason": "Palsu\x00"}, follow=True)
    assert response.status_code == 200 and "karakter NUL" in response.content.decode()
    assert Claim.objects.get().status == Claim.Status.APPROVED
