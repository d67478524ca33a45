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


# Password spraying (found by the outside security review: one address tried 38 accounts, then got into 10)


def _employee(username: str, password: str = "sandi-yang-benar-1"):
    user = UserFactory(username=username)
    user.set_password(password)
    user.save()
    return user


def test_one_address_trying_many_accounts_is_locked_out_even_with_a_right_password(settings):
    settings.AXES_FAILURE_LIMIT = 5
    settings.AXES_ADDRESS_FAILURE_LIMIT = 6
    sprayer = Client()
    for n in range(6):  # one wrong password on each of six accounts: far under every account's limit
        _employee(f"pegawai{n}")
    for n in range(5):
        assert _attempt(sprayer, f"pegawai{n}", "Tangerang2026!").status_code == 200
    locked = _attempt(sprayer, "pegawai5", "Tangerang2026!")  # the address's 6th failure
    assert locked.status_code == 429 and "dari jaringan ini" in locked.content.decode()
    _employee("korban")
    assert _attempt(sprayer, "korban", "sandi-yang-benar-1").status_code == 429  # a new account, the right password
    # a success elsewhere does not wipe the address's trail: still locked, for any account
    assert _attempt(sprayer, "pegawai4", "sandi-yang-benar-1").status_code == 429
    # another address still logs in, to the same accounts
    assert _attempt(Client(), "korban", "sandi-yang-benar-1", ip="10.0.0.9").status_code == 302
    assert _attempt(Client(), "pegawai0", "sandi-yang-benar-1", ip="10.0.0.9").status_code == 302


def test_a_success_does_not_reset_the_addresss_count(settings):
    settings.AXES_FAILURE_LIMIT = 5
    settings.AXES_ADDRESS_FAILURE_LIMIT = 4
    for name in ("a1", "a2", "a3", "mine"):
        _employee(name)
    client = Client()
    for name in ("a1", "a2", "a3"):
        _attempt(client, name, "salah")
    assert _attempt(client, "mine", "sandi-yang-benar-1").status_code == 302  # 3 failures: not yet
    assert _attempt(Client(), "a1", "salah").status_code == 429  # the 4th failure of the address locks it


def test_the_addresss_limit_can_be_turned_off_and_the_accounts_still_works(settings):
    settings.AXES_FAILURE_LIMIT = 3
    settings.AXES_ADDRESS_FAILURE_LIMIT = 0
    for n in range(5):
        _employee(f"b{n}")
        assert _attempt(Client(), f"b{n}", "salah").status_code == 200
    for _ in range(2):
        _attempt(Client(), "b0", "salah")
    assert _attempt(Client(), "b0", "sandi-yang-benar-1").status_code == 429  # the account's lockout


def test_the_api_token_is_locked_out_per_address_too(settings):
    settings.AXES_FAILURE_LIMIT = 5
    settings.AXES_ADDRESS_FAILURE_LIMIT = 3

    def token(client, username, password, ip="10.0.0.1"):
        return client.post(
            "/api/auth/token/",
            {"username": username, "password": password},
            content_type="application/json",
            REMOTE_ADDR=ip,
        )

    for n in range(4):
        _employee(f"c{n}")
    client = Client()
    for n in range(3):
        assert token(client, f"c{n}", "salah").status_code in (400, 429)
    refused = token(client, "c3", "sandi-yang-benar-1")
    assert refused.status_code == 429 and "coba lagi dalam 15 menit" in refused.json()["detail"]
    assert token(Client(), "c3", "sandi-yang-benar-1", ip="10.0.0.2").status_code == 200


def test_the_api_token_is_locked_out_per_account(settings):
    settings.AXES_FAILURE_LIMIT = 2
    _employee("d0")
    client = Client()
    body = {"username": "d0", "password": "salah"}
    assert client.post("/api/auth/token/", body, content_type="application/json").status_code == 400
    assert client.post("/api/auth/token/", body, content_type="application/json").status_code == 429
    right = {"username": "d0", "password": "sandi-yang-benar-1"}
    assert client.post("/api/auth/token/", right, content_type="application/json").status_code == 429
