"""The home screen is kept rendered per user (shell.home.services): served without the badge queries, yet
never stale after a change behind a badge, never another user's, with a CSRF token valid for this session."""

import datetime as dt
import re

import pytest
from django.contrib import messages
from django.contrib.messages.storage.cookie import CookieStorage
from django.http import HttpResponse
from django.test import Client

from lms.hours.tests.factories import credit as ledger_test_credit
from shell.inbox.services import notification_create, notifications_mark_all_read
from shell.modules.kinerja import services as kinerja
from shell.people import roles
from shell.people.services import user_add_roles
from shell.people.tests.factories import UnitFactory, UserFactory

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@pytest.fixture(autouse=True)
def _kept(settings):
    settings.HOME_CACHE_SECONDS = 30


@pytest.fixture
def now(django_capture_on_commit_callbacks):
    """Run what waits for the commit (dropping kept pages) as it would in a real request."""

    def commit(fn):
        with django_capture_on_commit_callbacks(execute=True):
            return fn()

    return commit


def home(client) -> str:
    response = client.get("/")
    assert response.status_code == 200
    return response.content.decode()


def credit(user, jp: str, key: str):
    return ledger_test_credit(user, jp, dt.date.today(), form="seminar", title="Seminar", external_id=key)


def test_the_second_visit_is_served_without_the_badge_queries(client, django_assert_max_num_queries):
    user = UserFactory()
    client.force_login(user)
    first = home(client)
    with django_assert_max_num_queries(1):  # the user (the session comes from the cache)
        again = home(client)
    assert again == re.sub(TOKEN, lambda m: m.group(0).replace(m.group(1), TOKEN.search(again).group(1)), first)
    assert "JP tahun ini: 0 / 20" in again


def test_without_keeping_every_visit_renders(client, settings, django_assert_num_queries):
    settings.HOME_CACHE_SECONDS = 0
    client.force_login(UserFactory())
    home(client)
    with pytest.raises(pytest.fail.Exception):
        with django_assert_num_queries(1):
            home(client)


def test_each_session_gets_a_csrf_token_that_works_for_it():
    user = UserFactory()
    phone, laptop = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    phone.force_login(user)
    laptop.force_login(user)
    home(phone)  # rendered and kept
    page = home(laptop)  # served from what the phone's visit kept
    token = TOKEN.search(page).group(1)
    assert "csrf-token-of-this-request" not in page
    # The language switch on the kept page works in the laptop's session.
    assert (
        laptop.post("/i18n/setlang/", {"language": "en", "next": "/", "csrfmiddlewaretoken": token}).status_code == 302
    )
    assert "JP this year" in home(laptop)
    assert "JP tahun ini" in home(phone)  # the phone keeps its own language


def test_a_user_never_gets_another_users_page(client):
    ani, budi = UserFactory(full_name="Ani Lestari"), UserFactory(full_name="Budi Santoso")
    client.force_login(ani)
    assert "Ani Lestari" in home(client)
    client.force_login(budi)
    page = home(client)
    assert "Budi Santoso" in page and "Ani Lestari" not in page


def test_a_jp_credit_shows_on_the_badge_at_once(client, now):
    user = UserFactory()
    client.force_login(user)
    assert "JP tahun ini: 0 / 20" in home(client)
    now(lambda: credit(user, "6", "seminar:1"))
    assert "JP tahun ini: 6 / 20" in home(client)


def test_another_users_credit_does_not_drop_this_users_page(client, now, django_assert_max_num_queries):
    user, other = UserFactory(), UserFactory()
    client.force_login(user)
    home(client)
    now(lambda: credit(other, "6", "seminar:2"))
    with django_assert_max_num_queries(1):
        home(client)


def test_notifications_arrive_and_are_read_at_once(client, now):
    user = UserFactory()
    client.force_login(user)
    assert 'data-testid="inbox-count"' not in home(client)
    now(lambda: notification_create(user=user, kind="lms.reminder", title="Ayo belajar"))
    assert re.search(r'data-testid="inbox-count">1<', home(client))
    now(lambda: notifications_mark_all_read(user=user))
    assert 'data-testid="inbox-count"' not in home(client)


def test_a_new_role_shows_its_tiles_at_once(client, now):
    user = UserFactory()
    client.force_login(user)
    assert 'data-tile="tim"' not in home(client)
    now(lambda: user_add_roles(user=user, role_names=[roles.SUPERVISOR]))
    assert 'data-tile="tim"' in home(client)


def test_e_kinerja_badges_follow_submissions_and_reviews(client, now):
    unit = UnitFactory()
    boss = UserFactory(unit=unit, roles=[roles.LEARNER, roles.SUPERVISOR])
    member = UserFactory(unit=unit, supervisor=boss)
    boss_client = Client()
    boss_client.force_login(boss)
    client.force_login(member)
    assert "perlu persetujuan" not in home(boss_client)
    assert "dikembalikan" not in home(client)

    activity = now(lambda: kinerja.activity_create(user=member, date=dt.date.today(), title="Rekap data harian"))
    assert "1 aktivitas perlu persetujuan" in home(boss_client)
    now(lambda: kinerja.activity_review(activity_id=activity.pk, reviewer=boss, approve=False, note="Lengkapi bukti"))
    assert "perlu persetujuan" not in home(boss_client)
    assert "1 aktivitas dikembalikan" in home(client)


def test_a_message_waiting_is_shown_once_and_not_kept(client, rf):
    user = UserFactory()
    client.force_login(user)
    home(client)  # kept without messages
    # A view said something and redirected home (the message waits in its cookie).
    storage = CookieStorage(rf.get("/"))
    storage.add(messages.SUCCESS, "Aktivitas dicatat.")
    said = HttpResponse()
    storage.update(said)
    client.cookies[CookieStorage.cookie_name] = said.cookies[CookieStorage.cookie_name].value
    assert "Aktivitas dicatat." in home(client)
    assert "Aktivitas dicatat." not in home(client)  # shown once; the kept page has none
