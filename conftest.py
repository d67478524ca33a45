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
    """The LRS keeps a few seconds of per-process memory (clients, users by IFI); tests start clean."""
    from lms.xapi import actors, auth

    actors.forget_user_ids()
    auth._local.clear()
    from shell import tasks

    tasks._broker_down_until = 0.0  # a broker "down" in one test is not down in the next


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

    with django_db_blocker.unblock():
        snapshot = json.loads(connection.creation.serialize_db_to_string())
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
