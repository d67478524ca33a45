import pytest

from shell.inbox.models import Notification
from shell.inbox.services import notification_create
from shell.people.tests.factories import UserFactory


@pytest.mark.django_db
def test_inbox_counts_unread_opens_into_the_module_and_marks_read(client):
    user, other = UserFactory(), UserFactory()
    note = notification_create(user=user, kind="lms.course_completed", title="Selesai", url="/belajar/riwayat/")
    notification_create(user=other, kind="lms.course_completed", title="Milik orang lain", url="/x/")
    client.force_login(user)
    html = client.get("/kotak-masuk/").content.decode()
    assert "Selesai" in html and "Milik orang lain" not in html
    assert 'data-testid="inbox-count">1<' in html

    response = client.post(f"/kotak-masuk/{note.pk}/buka/")
    assert response.status_code == 302 and response.url == "/belajar/riwayat/"
    note.refresh_from_db()
    assert note.read_at is not None
    assert 'data-testid="inbox-count"' not in client.get("/kotak-masuk/").content.decode()


@pytest.mark.django_db
def test_someone_elses_notification_cannot_be_opened_and_links_stay_on_site(client):
    user, other = UserFactory(), UserFactory()
    theirs = notification_create(user=other, kind="x", title="t", url="/belajar/")
    evil = notification_create(user=user, kind="x", title="t", url="https://evil.example/")
    client.force_login(user)
    assert client.post(f"/kotak-masuk/{theirs.pk}/buka/").url == "/kotak-masuk/"
    assert Notification.objects.get(pk=theirs.pk).read_at is None
    assert client.post(f"/kotak-masuk/{evil.pk}/buka/").url == "/kotak-masuk/"
    assert client.get(f"/kotak-masuk/{evil.pk}/buka/").status_code == 405


@pytest.mark.django_db
def test_same_dedupe_key_notifies_once():
    user = UserFactory()
    a = notification_create(user=user, kind="x", title="a", dedupe_key="k")
    b = notification_create(user=user, kind="x", title="a", dedupe_key="k")
    assert a.pk == b.pk and Notification.objects.count() == 1
