"""Password reset by e-mail: a person who forgot their password gets a link at their address and sets a
new one; nobody learns from the pages whether an address has an account; the link is built on SITE_URL;
an address gets at most one e-mail per interval; a new password lifts a login lockout."""

import re

import pytest
from django.core import mail
from django.test import Client

from shell.people.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _person(**kwargs):
    user = UserFactory(username="ani", email="ani.lestari@tangerangkota.go.id", **kwargs)
    user.set_password("sandi-lama-ani-1")
    user.save()
    return user


def _ask(client, email):
    return client.post("/masuk/lupa-sandi/", {"email": email})


def _link(message) -> str:
    return re.search(r"(http\S+/masuk/sandi-baru/\S+/)", message.body).group(1)


def test_the_login_page_leads_to_the_reset_and_the_reset_to_a_new_password(client, settings):
    settings.SITE_URL = "http://10.1.2.3:8123"
    user = _person()
    assert 'href="/masuk/lupa-sandi/"' in client.get("/masuk/").content.decode()
    page = client.get("/masuk/lupa-sandi/").content.decode()
    assert "Lupa kata sandi" in page and 'name="email"' in page
    response = _ask(client, "ANI.Lestari@tangerangkota.go.id")
    assert response.status_code == 302 and response["Location"] == "/masuk/lupa-sandi/terkirim/"
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [user.email]
    assert message.subject == "Kata sandi baru untuk Tangerang Ayo"
    assert "Buka tautan ini untuk membuatnya" in message.body and "Nama pengguna Anda: ani" in message.body
    link = _link(message)
    assert link.startswith("http://10.1.2.3:8123/masuk/sandi-baru/")  # SITE_URL, not the request's host

    path = link.removeprefix(settings.SITE_URL)
    form = client.get(path, follow=True)  # Django moves the token out of the address first
    assert 'name="new_password1"' in form.content.decode()
    done = client.post(
        form.redirect_chain[-1][0], {"new_password1": "sandi-baru-ani-77", "new_password2": "sandi-baru-ani-77"}
    )
    assert done.status_code == 302 and done["Location"] == "/masuk/sandi-baru/selesai/"
    assert "Kata sandi diganti" in client.get(done["Location"]).content.decode()
    assert Client().post("/masuk/", {"username": "ani", "password": "sandi-baru-ani-77"}).status_code == 302
    # The link was for one use.
    again = client.get(path, follow=True).content.decode()
    assert "Tautan tidak berlaku" in again


@pytest.mark.parametrize(
    "email, person",
    [
        ("tidak.ada@tangerangkota.go.id", {}),  # no account
        ("ani.lestari@tangerangkota.go.id", {"is_active": False}),  # a deactivated account
    ],
)
def test_the_answer_is_the_same_whether_the_address_has_an_account_or_not(client, email, person):
    _person(**person)
    unknown = _ask(client, email)
    assert unknown.status_code == 302 and unknown["Location"] == "/masuk/lupa-sandi/terkirim/"
    assert mail.outbox == []
    done = client.get(unknown["Location"]).content.decode()
    assert "Bila alamat itu terdaftar untuk akun yang aktif" in done
    # The same page, word for word, as for an address that has one (the CSRF tokens aside).
    UserFactory(username="budi", email="budi@tangerangkota.go.id")
    known = _ask(Client(), "budi@tangerangkota.go.id")
    assert (known.status_code, known["Location"]) == (unknown.status_code, unknown["Location"])
    assert len(mail.outbox) == 1

    def strip(html):
        return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)

    assert strip(Client().get(known["Location"]).content.decode()) == strip(done)


def test_an_sso_only_account_gets_no_email_and_the_same_answer(client):
    user = _person()
    user.set_unusable_password()
    user.save()
    response = _ask(client, user.email)
    assert response["Location"] == "/masuk/lupa-sandi/terkirim/" and mail.outbox == []


def test_one_email_per_address_per_interval(client, settings):
    settings.PASSWORD_RESET_EMAIL_INTERVAL = 300
    _person()
    for _ in range(3):
        assert _ask(client, "ani.lestari@tangerangkota.go.id")["Location"] == "/masuk/lupa-sandi/terkirim/"
    assert len(mail.outbox) == 1


def test_a_forged_link_sets_nothing(client):
    user = _person()
    page = client.get("/masuk/sandi-baru/MQ/a-forged-token/").content.decode()
    assert "Tautan tidak berlaku" in page and 'name="new_password1"' not in page
    user.refresh_from_db()
    assert user.check_password("sandi-lama-ani-1")


def test_a_new_password_lifts_the_lockout_after_failed_logins(client, settings):
    settings.AXES_FAILURE_LIMIT = 3
    _person()
    for _ in range(3):
        client.post("/masuk/", {"username": "ani", "password": "salah"})
    assert client.post("/masuk/", {"username": "ani", "password": "sandi-lama-ani-1"}).status_code == 429
    _ask(client, "ani.lestari@tangerangkota.go.id")
    form = client.get(_link(mail.outbox[0]).removeprefix(settings.SITE_URL), follow=True)
    client.post(
        form.redirect_chain[-1][0], {"new_password1": "sandi-baru-ani-77", "new_password2": "sandi-baru-ani-77"}
    )
    assert client.post("/masuk/", {"username": "ani", "password": "sandi-baru-ani-77"}).status_code == 302
