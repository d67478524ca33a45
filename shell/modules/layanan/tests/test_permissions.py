"""An officer sees only the requests of their unit (and the units below it); the pages and the API
both go through ``requests_visible_to``."""

import pytest

from shell.modules.layanan.roles import COORDINATOR
from shell.modules.layanan.selectors import requests_visible_to, requests_waiting_count
from shell.modules.layanan.services import request_register
from shell.people import roles
from shell.people.tests.factories import UnitFactory, UserFactory

from .factories import NIK, ServiceTypeFactory, officer

pytestmark = pytest.mark.django_db


@pytest.fixture
def city():
    dukcapil = UnitFactory(code="DUKCAPIL", name="Dukcapil")
    dafduk = UnitFactory(code="DUKCAPIL.DAFDUK", name="Dafduk", parent=dukcapil)
    capil = UnitFactory(code="DUKCAPIL.CAPIL", name="Capil", parent=dukcapil)
    dinkes = UnitFactory(code="DINKES", name="Dinkes")
    ktp = ServiceTypeFactory(unit=dafduk, name="KTP-el")
    akta = ServiceTypeFactory(unit=capil, name="Akta")
    sehat = ServiceTypeFactory(unit=dinkes, name="Surat sehat")
    reqs = {
        name: request_register(service=s, citizen_nik=NIK, citizen_name=f"Warga {name}")[0]
        for name, s in (("ktp", ktp), ("akta", akta), ("sehat", sehat))
    }
    return dukcapil, dafduk, capil, dinkes, reqs


def test_an_officer_sees_only_their_units_requests(city, client):
    dukcapil, dafduk, capil, dinkes, reqs = city
    dafduk_officer = officer(dafduk)
    assert set(requests_visible_to(user=dafduk_officer)) == {reqs["ktp"]}
    # The head of the OPD sees the units below it.
    assert set(requests_visible_to(user=officer(dukcapil))) == {reqs["ktp"], reqs["akta"]}
    # An employee without the officer role sees none (nor what is not theirs).
    assert not requests_visible_to(user=UserFactory(unit=dafduk)).exists()
    # A city-wide coordinator sees all.
    assert requests_visible_to(user=UserFactory(roles=[roles.LEARNER, COORDINATOR])).count() == 3

    client.force_login(dafduk_officer)
    listing = client.get("/layanan/").content.decode()
    assert reqs["ktp"].number in listing and reqs["akta"].number not in listing
    assert client.get(f"/layanan/permohonan/{reqs['ktp'].number}/").status_code == 200
    assert client.get(f"/layanan/permohonan/{reqs['akta'].number}/").status_code == 404
    response = client.post(f"/layanan/permohonan/{reqs['akta'].number}/status/", {"to_status": "verification"})
    assert response.status_code == 404
    reqs["akta"].refresh_from_db()
    assert reqs["akta"].status == "submitted"


def test_the_api_applies_the_same_rule(city, client):
    dukcapil, dafduk, capil, dinkes, reqs = city
    client.force_login(officer(dafduk))
    numbers = [r["number"] for r in client.get("/api/layanan/requests/").json()["results"]]
    assert numbers == [reqs["ktp"].number]
    assert client.get(f"/api/layanan/requests/{reqs['sehat'].number}/").status_code == 404
    response = client.post(
        f"/api/layanan/requests/{reqs['sehat'].number}/transition/",
        {"to_status": "verification"},
        content_type="application/json",
    )
    assert response.status_code == 404


def test_a_registrant_of_another_unit_follows_their_own_request_but_cannot_process_it(city, client):
    dukcapil, dafduk, capil, dinkes, reqs = city
    kecamatan_officer = officer(UnitFactory(code="KEC", name="Kecamatan"))
    mine, _ = request_register(
        service=reqs["ktp"].service, citizen_nik=NIK, citizen_name="Dibantu kecamatan", registered_by=kecamatan_officer
    )
    client.force_login(kecamatan_officer)
    assert client.get(f"/layanan/permohonan/{mine.number}/").status_code == 200
    response = client.post(f"/layanan/permohonan/{mine.number}/status/", {"to_status": "verification"}, follow=True)
    assert "tidak berwenang" in response.content.decode()
    mine.refresh_from_db()
    assert mine.status == "submitted"
    # ... but may cancel it for the citizen, with a reason.
    client.post(f"/layanan/permohonan/{mine.number}/status/", {"to_status": "cancelled", "note": "Warga batal"})
    mine.refresh_from_db()
    assert mine.status == "cancelled"


def test_waiting_badge_counts_mine_and_my_units_unassigned(city):
    dukcapil, dafduk, capil, dinkes, reqs = city
    assert requests_waiting_count(user=officer(dafduk)) == 1
    assert requests_waiting_count(user=officer(dinkes)) == 1
    assert requests_waiting_count(user=UserFactory(unit=dafduk)) == 0


def test_an_attachment_is_downloaded_only_by_those_who_see_its_request(city, client):
    from django.core.files.base import ContentFile

    from shell.modules.layanan.models import RequestAttachment

    dukcapil, dafduk, capil, dinkes, reqs = city
    attachment = RequestAttachment.objects.create(
        request=reqs["ktp"], name="KK warga.pdf", file=ContentFile(b"%PDF-1.4 kk", name="kk.pdf")
    )
    url = f"/layanan/permohonan/{reqs['ktp'].number}/lampiran/{attachment.pk}/"
    client.force_login(officer(dafduk))
    response = client.get(url)
    assert response.status_code == 200
    # the officer's label, slugified, with the extension of what the bytes are
    assert response["Content-Disposition"] == 'attachment; filename="kk-warga.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == b"%PDF-1.4 kk"
    assert f'href="{url}"' in client.get(f"/layanan/permohonan/{reqs['ktp'].number}/").content.decode()
    client.force_login(officer(capil))  # another unit
    assert client.get(url).status_code == 404
    # the attachment of another request under this request's number is not found either
    assert client.get(f"/layanan/permohonan/{reqs['akta'].number}/lampiran/{attachment.pk}/").status_code == 404
    assert client.get(f"/media/{attachment.file.name}").status_code == 404  # never from /media/
