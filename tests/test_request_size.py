"""A body larger than its URL accepts is refused by its Content-Length before it is read (413 naming the
limit, in the user's language): before, a 1.5 GB upload was received whole and only then refused.

Each request below says it is 1.5 GB but carries a few bytes: had the view run, the test client would
have failed reading the body ("Cannot read more than the available bytes"), and nothing is stored."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from content.h5p.models import H5PContent
from lms.claims.models import Claim
from lms.claims.tests.factories import PDF
from shell.modules.kinerja.models import Activity
from shell.modules.layanan.models import ServiceRequest
from shell.modules.layanan.tests.factories import NIK, ServiceTypeFactory, officer
from shell.people import roles
from shell.people.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

HUGE = str(1536 * 1024 * 1024)  # 1.5 GB


def _pdf(name="bukti.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def _post(client: Client, url: str, data: dict, **extra):
    return client.post(url, data, CONTENT_LENGTH=HUGE, **extra)


def _says(response, *words):
    text = response.content.decode()
    return all(word in text for word in words)


def test_a_claim_with_a_huge_body_is_refused_unread(client):
    client.force_login(UserFactory())
    response = _post(client, "/belajar/klaim/baru/", {"title": "Seminar", "evidence": _pdf()})
    assert response.status_code == 413
    assert _says(response, "Berkas terlalu besar", "1.536 MB", "paling besar 5 MB")
    assert not Claim.objects.exists()


def test_an_e_kinerja_evidence_with_a_huge_body_is_refused_unread(client):
    client.force_login(UserFactory())
    response = _post(client, "/kinerja/", {"title": "Rapat", "evidence_file": _pdf()})
    assert response.status_code == 413 and _says(response, "paling besar 5 MB")
    assert not Activity.objects.exists()


def test_a_service_request_attachment_with_a_huge_body_is_refused_unread(client):
    service = ServiceTypeFactory()
    client.force_login(officer(service.unit))
    data = {"service": service.pk, "citizen_nik": NIK, "citizen_name": "Nur", "attachment": _pdf()}
    response = _post(client, "/layanan/baru/", data)
    assert response.status_code == 413 and _says(response, "paling besar 5 MB")
    assert not ServiceRequest.objects.exists()


def test_an_h5p_package_with_a_huge_body_is_refused_unread(client, settings):
    client.force_login(UserFactory(roles=[roles.ADMIN]))
    package = SimpleUploadedFile("paket.h5p", b"PK\x03\x04", content_type="application/zip")
    response = _post(client, "/cms/snippets/h5p/h5pcontent/add/", {"title": "Kuis", "package": package})
    assert response.status_code == 413 and _says(response, "paling besar 100 MB")
    assert not H5PContent.objects.exists()


def test_the_limit_follows_the_settings_and_leaves_room_for_the_other_fields(client, settings):
    settings.CLAIM_EVIDENCE_MAX_BYTES = 2 * 1024 * 1024
    settings.UPLOAD_SIZE_LIMITS = [(r"/belajar/klaim/", settings.CLAIM_EVIDENCE_MAX_BYTES)]
    client.force_login(UserFactory())
    limit = settings.CLAIM_EVIDENCE_MAX_BYTES + settings.UPLOAD_FORM_MARGIN
    over = client.post("/belajar/klaim/baru/", {"title": "x"}, CONTENT_LENGTH=str(limit + 1))
    assert over.status_code == 413 and _says(over, "paling besar 2 MB")
    # a body within the limit reaches the form (which says what is missing)
    assert client.post("/belajar/klaim/baru/", {"title": "x"}).status_code == 400


def test_a_page_that_takes_no_file_takes_no_big_body_not_even_the_login(client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024
    response = _post(Client(), "/masuk/", {"username": "a", "password": "b", "file": _pdf()})
    assert response.status_code == 413 and _says(response, "paling besar 1 MB")


def test_the_refusal_is_in_the_users_language_and_the_apis_shape(client, settings):
    client.force_login(UserFactory())
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = _post(client, "/belajar/klaim/baru/", {"evidence": _pdf()})
    assert response.status_code == 413 and _says(response, "File too large", "at most 5 MB")
    api = _post(client, "/api/kinerja/activities/", {"title": "x"})
    assert api.status_code == 413 and "at most 10 MB" in api.json()["detail"]
    lrs = Client().post("/xapi/statements", data=json.dumps({}), content_type="application/json", CONTENT_LENGTH=HUGE)
    assert lrs.status_code == 413 and lrs["X-Experience-API-Version"] == "1.0.3"
    assert "10 MB" in lrs.json()["error"]["message"]


def test_a_body_without_a_length_is_refused_not_read_as_empty(client):
    # Under WSGI Django reads nothing it was not told the length of: the form would arrive empty.
    client.force_login(UserFactory())
    response = client.post("/belajar/klaim/baru/", {"title": "x"}, CONTENT_LENGTH="", HTTP_TRANSFER_ENCODING="chunked")
    assert response.status_code == 411 and _says(response, "Content-Length")
    assert not Claim.objects.exists()
