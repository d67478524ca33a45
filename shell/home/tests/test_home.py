import pytest

from shell import hooks
from shell.people.tests.factories import UserFactory
from shell.types import Tile


@pytest.mark.django_db
def test_home_shows_module_tiles_with_badges_and_hides_what_is_not_for_the_user(client):
    user = UserFactory()
    client.force_login(user)
    extra = Tile(slug="dummy", title="Modul Uji", url="/uji/", badge=lambda r: "3 menunggu")
    hidden = Tile(slug="rahasia", title="Rahasia", url="/r/", is_shown=lambda r: False)
    with (
        hooks.register_temporarily("home_tiles", lambda: extra),
        hooks.register_temporarily("home_tiles", lambda: hidden),
    ):
        html = client.get("/").content.decode()
    assert 'data-tile="dummy"' in html and "3 menunggu" in html
    assert 'data-tile="rahasia"' not in html
    assert "JP tahun ini: 0 / 20" in html  # the LMS tile's badge
    assert 'data-tile="tim"' not in html  # a learner has no team tile


def test_the_tiles_need_a_login(client):
    # A visitor gets the landing page (shell/home/tests/test_landing.py), with a way in, never tiles.
    page = client.get("/").content.decode()
    assert 'href="/masuk/"' in page and "data-tile=" not in page


@pytest.mark.django_db
def test_login_with_wrong_password_says_so(client):
    UserFactory(username="ani")
    response = client.post("/masuk/", {"username": "ani", "password": "salah"})
    assert response.status_code == 200
    assert "nama pengguna dan sandi yang benar" in response.content.decode().lower()


@pytest.mark.django_db
def test_indonesian_first_whatever_the_browser_says(client):
    client.force_login(UserFactory())
    assert "JP tahun ini: 0 / 20" in client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert "JP this year: 0 / 20" in client.get("/", HTTP_ACCEPT_LANGUAGE="id").content.decode()
