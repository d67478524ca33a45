"""Shared pytest setup. Services a test needs but the machine lacks are a skip locally and a
failure in CI (REQUIRE_ALL_TESTS=1, set by .ci/run), so nothing is silently left out there."""

import os

import pytest


def require(condition: bool, reason: str) -> None:
    if condition:
        return
    if os.environ.get("REQUIRE_ALL_TESTS") == "1":
        pytest.fail(f"required in CI: {reason}")
    pytest.skip(reason)


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture(autouse=True)
def _forget_process_caches():
    """The LRS keeps a few seconds of per-process memory (clients, users by IFI), the cache holds kept
    home pages and sessions; tests start clean."""
    from django.core.cache import cache

    from lms.xapi import actors, auth

    cache.clear()

    actors.forget_user_ids()
    auth._local.clear()
    from shell import tasks

    tasks._broker_down_until = 0.0  # a broker "down" in one test is not down in the next


@pytest.fixture(autouse=True)
def _language_restored():
    """A request handled in English leaves English active in the thread (the locale middleware does not
    switch back): the next test starts in the language this one started in."""
    from django.utils import translation

    language = translation.get_language()
    yield
    translation.activate(language)


@pytest.fixture(autouse=True)
def _site_url_is_the_live_server(request, settings):
    """SITE_URL is the address the platform is served at (`make run` sets it from HOST and PORT): in a
    test with a live server, that server's. Links, QR codes and e-mails are built on it."""
    if "live_server" in request.fixturenames:
        settings.SITE_URL = request.getfixturevalue("live_server").url


_migrated_snapshot = None


@pytest.fixture(scope="module")
def restore_migrated_data(django_db_setup, django_db_blocker):
    """For a module of transactional (committing) tests: afterwards, put back what their flushes
    removed (the rows the data migrations made: Wagtail's root page, locale and site, groups and
    permissions), so that later tests still find it. Module scope sets this up before, and tears it
    down after, the function-scoped database fixture that flushes."""
    import json

    from django.contrib.contenttypes.models import ContentType
    from django.core.cache import cache
    from django.core.management import call_command
    from django.db import connection

    global _migrated_snapshot
    if _migrated_snapshot is None:  # the migrated rows, as the first such module found them
        with django_db_blocker.unblock():
            _migrated_snapshot = json.loads(connection.creation.serialize_db_to_string())
    snapshot = _migrated_snapshot
    yield
    with django_db_blocker.unblock():
        call_command("flush", verbosity=0, interactive=False, reset_sequences=False, inhibit_post_migrate=True)
        # Content types first: building some objects (Wagtail's tasks) looks up their content type.
        types = [o for o in snapshot if o["model"] == "contenttypes.contenttype"]
        others = [o for o in snapshot if o["model"] != "contenttypes.contenttype"]
        ContentType.objects.clear_cache()
        connection.creation.deserialize_db_from_string(json.dumps(types))
        ContentType.objects.clear_cache()
        connection.creation.deserialize_db_from_string(json.dumps(others))
    cache.clear()  # e.g. Wagtail's site root paths


@pytest.fixture(scope="module")
def postgres_only(django_db_setup, request):
    """For a module of tests that need PostgreSQL's row locks and concurrent transactions: skipped
    (before any data is touched) elsewhere; afterwards the migrated rows are put back."""
    from django.db import connection

    require(connection.vendor == "postgresql", "row locks and concurrent transactions need PostgreSQL")
    request.getfixturevalue("restore_migrated_data")


def run_at_once(target, count=2):
    """Run ``target`` in ``count`` threads released together; returns (results, errors)."""
    import threading

    from django.db import connection

    barrier = threading.Barrier(count)
    results, errors = [], []

    def worker():
        try:
            barrier.wait(timeout=10)
            results.append(target())
        except Exception as error:  # noqa: BLE001 - reported by the test
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not any(thread.is_alive() for thread in threads), "a thread hung"
    return results, errors
