"""The reports' unit filter is a search-as-you-type picker: the page lists no units, and the search answers
a few units of the viewer's own scope, by code or name."""

import pytest
from django.urls import reverse

from reports.tests.factories import make_city
from shell.people.models import Unit
from shell.people.tests.factories import hr_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def city():
    city = make_city()
    for i in range(150):  # a city's worth of sections under A, and more under B
        city.a.add_child(code=f"A-SEK{i:03d}", name=f"Seksi Pelayanan {i:03d}")
        Unit.objects.get(pk=city.b.pk).add_child(code=f"B-SEK{i:03d}", name=f"Seksi Pelayanan B {i:03d}")
        city.a.refresh_from_db()
    return city


@pytest.fixture
def hr_a(city, client):
    user = hr_user(unit=city.a, username="hr_a", full_name="HR Dinas A")
    client.force_login(user)
    return user


def search(client, q):
    return client.get(reverse("reports:unit_search"), {"q": q}).json()["results"]


def test_the_page_lists_no_units_and_offers_the_picker(city, hr_a, client):
    html = client.get(reverse("reports:dashboard"), {"tahun": 2026, "unit": "A1"}).content.decode()
    assert 'data-testid="unit-picker"' in html and reverse("reports:unit_search") in html
    assert 'data-label="A1 — Bidang A1"' in html
    assert "Seksi Pelayanan 007" not in html and "A-SEK007" not in html
    assert "js/autocomplete.js" in html


def test_the_search_answers_a_few_units_of_the_scope(city, hr_a, client):
    results = search(client, "seksi pelayanan")
    assert len(results) == 20
    assert all(r["id"].startswith("A-SEK") for r in results)
    assert search(client, "a-sek0") and all(r["id"].startswith("A-SEK0") for r in search(client, "a-sek0"))
    assert search(client, "bidang a1") == [{"id": "A1", "label": "A1 — Bidang A1"}]
    # Another department's units are not found, by code or by name.
    assert search(client, "B-SEK") == [] and search(client, "Dinas B") == []
    assert search(client, "") == []


def test_a_label_sent_as_it_is_shown_filters_like_its_code(city, hr_a, client):
    response = client.get(reverse("reports:dashboard"), {"tahun": 2026, "unit": "A1 — Bidang A1"})
    assert response.status_code == 200
    assert client.get(reverse("reports:dashboard"), {"tahun": 2026, "unit": "B — Dinas B"}).status_code == 403


def test_anonymous_cannot_search(client):
    assert client.get(reverse("reports:unit_search"), {"q": "A"}).status_code == 302


def test_a_unit_typed_but_not_picked_is_used_when_it_is_the_only_match(city, hr_a, client):
    data = client.get(reverse("reports:summary_api"), {"tahun": 2026, "unit": "", "unit_teks": "bidang a1"}).json()
    assert data["unit"] == "A1" and data["summary"]["employees"] == 3


def test_a_unit_typed_that_matches_several_or_none_says_so_instead_of_showing_all(city, hr_a, client):
    several = client.get(reverse("reports:dashboard"), {"tahun": 2026, "unit": "", "unit_teks": "bidang"})
    assert several.status_code == 400
    assert "Beberapa unit cocok dengan “bidang”: pilih salah satu dari daftar." in several.content.decode()
    none = client.get(reverse("reports:dashboard"), {"tahun": 2026, "unit": "", "unit_teks": "dinas b"})
    assert none.status_code == 400  # B is outside HR A's scope: it matches nothing they may see
    assert "Tidak ada unit dalam cakupan Anda yang cocok dengan “dinas b”." in none.content.decode()


def test_the_picker_sends_what_was_typed_under_its_own_name(city, hr_a, client):
    page = client.get(reverse("reports:dashboard")).content.decode()
    assert 'data-typed-name="unit_teks"' in page
