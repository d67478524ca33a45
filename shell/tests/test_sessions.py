"""Sessions come from the cache, are written through to the database, and a cached copy is short-lived."""

import pytest
from django.core.cache import cache

from shell import sessions
from shell.people.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_a_session_is_read_from_the_cache_and_kept_in_the_database(client, django_assert_num_queries):
    from django.contrib.sessions.models import Session

    client.force_login(UserFactory())
    key = client.session.session_key
    assert Session.objects.filter(session_key=key).exists()
    store = sessions.SessionStore(key)
    with django_assert_num_queries(0):
        assert store.load()  # from the cache
    cache.clear()  # Redis restarted empty: nobody is logged out
    with django_assert_num_queries(1):
        assert sessions.SessionStore(key).load()


def test_the_cached_copy_lives_at_most_five_minutes(monkeypatch):
    timeouts = []
    monkeypatch.setattr(cache, "set", lambda key, value, timeout=None, *a, **k: timeouts.append(timeout))
    store = sessions.SessionStore()
    store["x"] = 1
    store.set_expiry(14 * 24 * 3600)
    store.save()
    assert timeouts and max(timeouts) <= sessions.CACHED_SECONDS
