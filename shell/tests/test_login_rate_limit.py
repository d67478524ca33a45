"""Login rate limiting (django-axes): repeated wrong passwords lock that username from that address."""

import pytest
from django.test import Client

from shell.people.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _attempt(client: Client, username: str, password: str, ip: str = "10.0.0.1"):
    return client.post("/masuk/", {"username": username, "password": password}, REMOTE_ADDR=ip)


def test_five_wrong_passwords_lock_the_username_from_that_address(settings):
    settings.AXES_FAILURE_LIMIT = 5
    user = UserFactory(username="ani")
    user.set_password("benar-sekali-123")
    user.save()
    client = Client()
    for _ in range(4):
        response = _attempt(client, "ani", "salah")
        assert response.status_code == 200  # the form again, with its error
    locked = _attempt(client, "ani", "salah")
    assert locked.status_code == 429
    assert "Terlalu banyak percobaan masuk" in locked.content.decode()
    # now even the right password is refused from there ...
    assert _attempt(client, "ani", "benar-sekali-123").status_code == 429
    # ... but not from the learner's own phone elsewhere, and not for a colleague
    assert _attempt(Client(), "ani", "benar-sekali-123", ip="10.0.0.2").status_code == 302
    other = UserFactory(username="budi")
    other.set_password("budi-punya-123")
    other.save()
    assert _attempt(Client(), "budi", "budi-punya-123").status_code == 302


def test_a_successful_login_resets_the_count(settings):
    settings.AXES_FAILURE_LIMIT = 3
    user = UserFactory(username="citra")
    user.set_password("kata-sandi-citra")
    user.save()
    client = Client()
    for _ in range(2):
        _attempt(client, "citra", "salah")
    assert _attempt(client, "citra", "kata-sandi-citra").status_code == 302
    client = Client()
    for _ in range(2):
        assert _attempt(client, "citra", "salah").status_code == 200
