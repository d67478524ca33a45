"""The registry: an app is a tile on the home screen and an entry of the mobile app's module list for
the people it names, and only for them; switched off, it is gone at once (kept home pages too)."""

import pytest
from django.contrib.auth.models import Group
from django.test import override_settings

from shell.apps.models import ExternalApp
from shell.apps.services import app_register, app_set_enabled
from shell.people import roles
from shell.people.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

REDIRECT = "https://simpeg.example.go.id/oidc/callback"


@pytest.fixture
def simpeg():
    registered = app_register(
        name="SIMPEG",
        redirect_uris=[REDIRECT],
        launch_url="https://simpeg.example.go.id/",
        first_party=True,
        description="Data kepegawaian",
    )
    registered.app.roles.add(Group.objects.get_or_create(name=roles.HR)[0])
    return registered.app


def tiles(client):
    return client.get("/").content.decode()


@override_settings(HOME_CACHE_SECONDS=300)
def test_the_tile_shows_for_the_roles_it_names_and_goes_when_switched_off(
    client, simpeg, django_capture_on_commit_callbacks
):
    hr = UserFactory(roles=[roles.LEARNER, roles.HR])
    learner = UserFactory(roles=[roles.LEARNER])

    client.force_login(learner)
    assert 'data-tile="app-simpeg"' not in tiles(client)
    assert all(m["slug"] != "app-simpeg" for m in client.get("/api/modules/").json())
    assert client.get("/aplikasi/simpeg/").status_code == 404

    client.force_login(hr)
    html = tiles(client)  # kept for HOME_CACHE_SECONDS from here on
    assert 'data-tile="app-simpeg"' in html and 'href="/aplikasi/simpeg/"' in html and "Data kepegawaian" in html
    entry = next(m for m in client.get("/api/modules/").json() if m["slug"] == "app-simpeg")
    assert entry == {"slug": "app-simpeg", "name": "SIMPEG", "icon": "grid", "url": "/aplikasi/simpeg/", "api": ""}
    launch = client.get("/aplikasi/simpeg/")
    assert launch.status_code == 302 and launch.url == "https://simpeg.example.go.id/"

    with django_capture_on_commit_callbacks(execute=True):
        app_set_enabled(app=simpeg, enabled=False)

    assert 'data-tile="app-simpeg"' not in tiles(client)  # the kept page was not served
    assert all(m["slug"] != "app-simpeg" for m in client.get("/api/modules/").json())
    assert client.get("/aplikasi/simpeg/").status_code == 404


def test_everyone_sees_an_app_that_names_nobody(client):
    app_register(name="Absensi", redirect_uris=[REDIRECT], first_party=True)
    client.force_login(UserFactory(roles=[roles.LEARNER]))
    assert 'data-tile="app-absensi"' in tiles(client)


def test_a_second_app_with_the_same_slug_is_refused():
    from django.core.exceptions import ValidationError

    app_register(name="Absensi", redirect_uris=[REDIRECT])
    with pytest.raises(ValidationError):
        app_register(name="Absensi", redirect_uris=[REDIRECT])
    assert ExternalApp.objects.count() == 1


def test_the_admin_registers_and_switches_off_an_app(admin_client):
    answer = admin_client.post(
        "/django-admin/apps/externalapp/add/",
        {
            "name": "e-Arsip",
            "slug": "e-arsip",
            "icon": "grid",
            "launch_url": "https://arsip.example.go.id/",
            "redirect_uris": "https://arsip.example.go.id/cb",
            "post_logout_redirect_uris": "",
            "scopes": ["openid", "profile"],
            "first_party": "on",
            "enabled": "on",
            "order": "500",
        },
        follow=True,
    )
    assert answer.status_code == 200
    app = ExternalApp.objects.get(slug="e-arsip")
    assert app.client.redirect_uris == "https://arsip.example.go.id/cb" and app.client.skip_authorization
    assert "client_secret=" in answer.content.decode()
    admin_client.post(
        "/django-admin/apps/externalapp/",
        {"action": "switch_off", "_selected_action": [app.pk]},
    )
    app.refresh_from_db()
    assert not app.enabled
