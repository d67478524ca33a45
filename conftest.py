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
