"""The service API: registration by another app (idempotent), an illegal transition is a 409 that
says why, and the public status lookup reveals nothing personal."""

import pytest

from shell.modules.layanan.services import request_register
from shell.people.tests.factories import UserFactory

from .factories import NIK, ServiceTypeFactory, officer

pytestmark = pytest.mark.django_db


@pytest.fixture
def service():
    return ServiceTypeFactory(code="kia", name="Kartu Identitas Anak", sla_days=3)


def test_register_through_the_api_once_per_idempotency_key(client, service):
    client.force_login(officer(service.unit))
    body = {"service": "kia", "citizen_nik": NIK, "citizen_name": "Rizky Pratama", "citizen_contact": "0812"}
    first = client.post("/api/layanan/requests/", body, content_type="application/json", HTTP_IDEMPOTENCY_KEY="live-9")
    again = client.post("/api/layanan/requests/", body, content_type="application/json", HTTP_IDEMPOTENCY_KEY="live-9")
    assert first.status_code == 201 and again.status_code == 200
    assert first.json()["number"] == again.json()["number"] and first.json()["channel"] == "api"

    wrong = client.post("/api/layanan/requests/", {**body, "citizen_nik": "12"}, content_type="application/json")
    assert wrong.status_code == 400 and "citizen_nik" in wrong.json()
    unknown = client.post("/api/layanan/requests/", {**body, "service": "nope"}, content_type="application/json")
    assert unknown.status_code == 400 and "service" in unknown.json()


def test_only_officers_may_register(client, service):
    client.force_login(UserFactory())
    response = client.post(
        "/api/layanan/requests/",
        {"service": "kia", "citizen_nik": NIK, "citizen_name": "X"},
        content_type="application/json",
    )
    assert response.status_code == 403


def test_an_illegal_transition_is_a_409_with_the_reason(client, service):
    request, _ = request_register(service=service, citizen_nik=NIK, citizen_name="X")
    client.force_login(officer(service.unit))
    url = f"/api/layanan/requests/{request.number}/transition/"
    response = client.post(url, {"to_status": "done"}, content_type="application/json")
    assert response.status_code == 409
    assert response.json()["code"] == "illegal_transition"
    assert "tidak bisa diubah dari Diajukan menjadi Selesai" in response.json()["detail"]
    assert client.post(url, {"to_status": "terbang"}, content_type="application/json").status_code == 400
    needs_note = client.post(url, {"to_status": "rejected"}, content_type="application/json")
    assert needs_note.status_code == 400 and "note" in needs_note.json()
    ok = client.post(url, {"to_status": "verification"}, content_type="application/json")
    assert ok.status_code == 200 and [t["to_status"] for t in ok.json()["transitions"]] == ["submitted", "verification"]


def test_the_page_shows_an_illegal_transition_as_a_message(client, service):
    request, _ = request_register(service=service, citizen_nik=NIK, citizen_name="X")
    client.force_login(officer(service.unit))
    response = client.post(f"/layanan/permohonan/{request.number}/status/", {"to_status": "done"}, follow=True)
    assert response.status_code == 200
    assert "tidak bisa diubah dari Diajukan menjadi Selesai" in response.content.decode()


def test_citizens_look_up_the_status_without_login_and_see_nothing_personal(client, service):
    request, _ = request_register(
        service=service,
        citizen_nik=NIK,
        citizen_name="Rizky Pratama",
        citizen_contact="0812-555",
        description="Anak kedua",
    )
    page = client.get("/cek-permohonan/", {"nomor": request.number.lower()})
    html = page.content.decode()
    assert page.status_code == 200 and "Diajukan" in html and "Kartu Identitas Anak" in html
    for secret in (NIK, "Rizky", "0812-555", "Anak kedua"):
        assert secret not in html
    api = client.get(f"/api/layanan/status/{request.number}/").json()
    assert api["status"] == "submitted" and set(api) == {
        "number",
        "service",
        "status",
        "status_label",
        "submitted_on",
        "due_date",
        "updated_on",
        "closed",
    }
    missing = client.get("/cek-permohonan/", {"nomor": "LYN-0000-0000"})
    assert missing.status_code == 404 and "tidak ditemukan" in missing.content.decode()
    assert client.get("/api/layanan/status/LYN-0000-0000/").status_code == 404


def test_register_page_for_an_officer(client, service):
    client.force_login(officer(service.unit))
    response = client.post(
        "/layanan/baru/", {"service": service.pk, "citizen_nik": NIK, "citizen_name": "Nur Aisyah"}, follow=True
    )
    assert "terdaftar" in response.content.decode()
    bad = client.post("/layanan/baru/", {"service": service.pk, "citizen_nik": "1", "citizen_name": "X"})
    assert bad.status_code == 200 and "errors" in bad.content.decode()
    client.force_login(UserFactory())
    assert client.get("/layanan/baru/").status_code == 403


# Found by schemathesis (tests/test_api_schemathesis.py) ------------------------------------------


def test_listing_requests_needs_a_login_and_valid_filters(client, service):
    # an anonymous ?mine=true reached the selector with AnonymousUser: was a 500
    assert client.get("/api/layanan/requests/?mine=true").status_code == 401
    client.force_login(officer(service.unit))
    assert client.get("/api/layanan/requests/?overdue=mungkin").status_code == 400
    assert client.get("/api/layanan/requests/?status=terbang").status_code == 400
    assert client.get("/api/layanan/requests/?status=&mine=&overdue=").status_code == 200


def test_a_nul_in_a_request_number_or_a_service_code_is_not_found(client, service):
    # PostgreSQL cannot compare text holding U+0000: these were 500s there
    client.force_login(officer(service.unit))
    for url in ("/api/layanan/status/LYN-%00/", "/api/layanan/requests/LYN-%00/", "/api/layanan/requests/%00/assign/"):
        response = client.get(url) if "assign" not in url else client.post(url, {"assignee_id": 1})
        assert response.status_code == 404 and "detail" in response.json(), url
    body = {"service": "kia\x00", "citizen_nik": NIK, "citizen_name": "Rizky Pratama"}
    response = client.post("/api/layanan/requests/", body, content_type="application/json")
    assert response.status_code == 400 and "service" in response.json()


def test_a_nul_in_a_request_number_on_the_pages_is_not_found(client, service):
    # The pages' lookups, like the API's: were 500s on PostgreSQL
    assert client.get("/cek-permohonan/", {"nomor": "LYN-\x00"}).status_code == 404  # as any unknown number
    client.force_login(officer(service.unit))
    assert client.get("/layanan/permohonan/LYN-%00/").status_code == 404


# Found by the outside security review ---------------------------------------------------------------


def test_an_attachment_is_what_its_bytes_are_not_what_the_browser_says(client, service):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from shell.modules.layanan.models import RequestAttachment

    client.force_login(officer(service.unit))
    body = {"service": service.pk, "citizen_nik": NIK, "citizen_name": "Nur Aisyah"}
    page = SimpleUploadedFile("kk.pdf", b"<html><script>alert(1)</script>", content_type="application/pdf")
    bad = client.post("/layanan/baru/", {**body, "attachment": page})
    assert bad.status_code == 200 and "PDF, JPG, atau PNG" in bad.content.decode()
    renamed = SimpleUploadedFile("kk.html", b"%PDF-1.4 kk", content_type="application/pdf")
    bad = client.post("/layanan/baru/", {**body, "attachment": renamed})
    assert bad.status_code == 200 and "tetapi isinya PDF" in bad.content.decode()
    assert not RequestAttachment.objects.exists()
    good = SimpleUploadedFile("kk.pdf", b"%PDF-1.4 kk", content_type="application/pdf")
    assert client.post("/layanan/baru/", {**body, "attachment": good}).status_code == 302
    assert RequestAttachment.objects.count() == 1
