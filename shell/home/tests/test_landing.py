"""Logged out, / is a landing page: what the platform is, logging in, the public catalogue, the password
reset; never the tiles or anyone's data. Logged in, / is the home screen as before."""

import pytest
from django.conf import settings

from shell.people.tests.factories import UserFactory
from shell.testing import modules_mounted

pytestmark = pytest.mark.django_db


def test_a_visitor_gets_the_landing_page_not_a_bare_login_form(client):
    response = client.get("/")
    assert response.status_code == 200
    page = response.content.decode()
    assert 'data-testid="landing"' in page
    assert "Satu aplikasi untuk pegawai Pemerintah Kota Tangerang" in page
    assert 'href="/masuk/"' in page and 'href="/kursus/"' in page and 'href="/masuk/lupa-sandi/"' in page
    assert "data-tile=" not in page and "Keluar" not in page


def test_the_landing_page_names_the_mounted_modules_only(client):
    assert "e-Kinerja" in client.get("/").content.decode()
    with modules_mounted([m for m in settings.SHELL_MODULES if not m.endswith(".kinerja")]):
        assert "e-Kinerja" not in client.get("/").content.decode()


def test_logged_in_the_home_screen_is_unchanged(client):
    client.force_login(UserFactory(full_name="Siti Rahmawati"))
    page = client.get("/").content.decode()
    assert "Halo, Siti Rahmawati" in page and 'data-testid="landing"' not in page
