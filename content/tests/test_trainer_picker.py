"""The course's trainers are picked by searching: with thousands of employees the editor holds only the
chosen ones, and the search answers a few at a time, trainers first."""

import re

import pytest
from wagtail.test.utils.form_data import nested_form_data, rich_text

from content.models import CoursePage
from content.services import catalog_setup, course_moderation_setup
from shell.people import roles
from shell.people.models import User
from shell.people.services import roles_setup
from shell.people.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalog(db):
    roles_setup()
    catalog = catalog_setup()
    course_moderation_setup(catalog=catalog)
    return catalog


@pytest.fixture
def crowd(catalog):
    """Many employees named alike: the page must not list them."""
    User.objects.bulk_create(
        [
            User(username=f"pegawai{i:04d}", full_name=f"Budi Santoso {i:04d}", nip=f"19800101{i:010d}")
            for i in range(600)
        ]
    )
    return User.objects.filter(username__startswith="pegawai")


def course_form(**overrides):
    data = {
        "title": "Menulis Naskah Dinas",
        "slug": "menulis-naskah-dinas",
        "summary": "Tata naskah dinas elektronik.",
        "category": "teknis",
        "delivery_mode": "online",
        "development_form": "e_learning",
        "jp": "3",
        "objectives": rich_text("<p>Tujuan</p>"),
    }
    data.update(overrides)
    return nested_form_data(data)


def test_the_editor_holds_only_the_chosen_trainers(client, catalog, crowd):
    author = UserFactory(roles=[roles.LEARNER, roles.TRAINER], full_name="Tia Pelatih")
    chosen = crowd.get(username="pegawai0007")
    client.force_login(author)
    data = course_form()
    data["trainers"] = [str(chosen.pk), str(author.pk)]
    response = client.post(f"/cms/pages/add/content/coursepage/{catalog.pk}/", data)
    assert response.status_code == 302, response.context["form"].errors if response.context else response
    course = CoursePage.objects.get(slug="menulis-naskah-dinas")
    assert set(course.get_latest_revision_as_object().trainers.all()) == {chosen, author}

    html = client.get(f"/cms/pages/{course.pk}/edit/").content.decode()
    assert 'type="checkbox" name="trainers"' not in html
    select = re.search(r'<select name="trainers".*?</select>', html, re.S).group(0)
    assert select.count("<option") == 2
    assert "Budi Santoso 0007" in select and "Tia Pelatih" in select
    assert "Budi Santoso 0008" not in html  # nobody else is in the page
    assert 'data-autocomplete data-mode="multiple"' in html and "/cms/pegawai/cari/" in html
    assert "js/autocomplete.js" in html


def test_the_search_answers_a_few_trainers_first(client, catalog, crowd):
    trainer = UserFactory(roles=[roles.TRAINER], full_name="Budi Santoso Pelatih")
    client.force_login(UserFactory(roles=[roles.LEARNER, roles.REVIEWER]))
    results = client.get("/cms/pegawai/cari/", {"q": "budi santoso"}).json()["results"]
    assert len(results) == 20
    assert results[0]["id"] == trainer.pk and results[0]["label"].startswith("Budi Santoso Pelatih")
    by_name = client.get("/cms/pegawai/cari/", {"q": "santoso 0123"}).json()["results"]
    assert [r["label"] for r in by_name] == ["Budi Santoso 0123"]
    assert trainer.nip not in str(results)  # names, not numbers
    assert client.get("/cms/pegawai/cari/", {"q": "198001010000000123"}).json() == {"results": []}
    assert client.get("/cms/pegawai/cari/", {"q": "b"}).json() == {"results": []}  # two letters at least
    inactive = crowd.get(username="pegawai0042")
    inactive.is_active = False
    inactive.save()
    assert client.get("/cms/pegawai/cari/", {"q": "0042"}).json() == {"results": []}


def test_only_course_writers_may_search_employees(client, catalog):
    client.force_login(UserFactory(roles=[roles.LEARNER]))
    assert client.get("/cms/pegawai/cari/", {"q": "budi"}).status_code in (302, 403)
    hr = UserFactory(roles=[roles.HR])
    client.force_login(hr)
    assert client.get("/cms/pegawai/cari/", {"q": "budi"}).status_code in (302, 403)


def test_a_nul_in_the_search_is_no_500(client, catalog):
    """Review 16, F8: PostgreSQL text takes no NUL (shell.testing refuses it on any database)."""
    from shell.testing import text_rules_of_postgresql

    client.force_login(UserFactory(roles=[roles.LEARNER, roles.REVIEWER]))
    with text_rules_of_postgresql():
        response = client.get("/cms/pegawai/cari/", {"q": "ag\x00"})
    assert response.status_code == 200 and response.json() == {"results": []}
