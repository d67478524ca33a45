"""The home screen, kept ready per user: the page most employees open first every morning.

Its tiles carry badges that each module computes with a few queries (JP this year, requests waiting,
activities to approve, unread notifications). The rendered page is kept in the cache per user, language
and address for HOME_CACHE_SECONDS and served without any of those queries. It is dropped at once when
something behind a badge changes for the user: a row of a model a module declared as a badge source
(``shell.types.BadgeSource``) is saved or deleted, a notification arrives or is read, or the account
changes. Whatever no source names (a badge counting other people's rows, a new year's policy) is at most
HOME_CACHE_SECONDS old.

The page holds per-request parts that are never cached: the CSRF token is put into the kept page for
each request, and a page with messages waiting to be shown is rendered afresh.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable

from django.conf import settings
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token

from shell.apps.selectors import registry_version

# Rendered into the kept page where the CSRF token goes; replaced per request.
CSRF_HOLE = "csrf-token-of-this-request-8c1f4e"


def _key(user_id: int) -> str:
    return f"home:page:{user_id}"


def _variant(request: HttpRequest) -> str:
    # The mounted modules are part of the page: a deployment that mounts another one shows it at once.
    # So is the registry of external apps: one switched off or on changes every page at once.
    page = f"{request.get_full_path()}|{','.join(settings.SHELL_MODULES)}|{registry_version()}"
    return f"{request.LANGUAGE_CODE}:{hashlib.blake2b(page.encode(), digest_size=8).hexdigest()}"


def home_response(request: HttpRequest, render: Callable[[dict], HttpResponse]) -> HttpResponse:
    """The user's home page from the cache, or ``render(extra_context)`` kept for next time."""
    seconds = getattr(settings, "HOME_CACHE_SECONDS", 0)
    if seconds <= 0 or any(True for _ in get_messages(request)):
        return render({})
    key, variant = _key(request.user.pk), _variant(request)
    kept = cache.get(key) or {}
    html = kept.get(variant)
    if html is None:
        response = render({"csrf_token": CSRF_HOLE})
        if response.status_code != 200:
            return response
        html = response.content.decode()
        # Read-modify-write of one user's own entry: a lost race costs one more render, nothing else.
        cache.set(key, {**kept, variant: html}, seconds)
    return HttpResponse(html.replace(CSRF_HOLE, get_token(request)))


def home_refresh(user_ids: Iterable[int | None]) -> None:
    """Drop the kept home pages of ``user_ids`` once the current transaction commits."""
    keys = sorted({_key(pk) for pk in user_ids if pk is not None})
    if keys:
        transaction.on_commit(lambda: cache.delete_many(keys))


def _shell_sources():
    from shell.types import BadgeSource

    return (
        # The inbox count on every page, and the account itself (name, unit, supervisor, roles).
        BadgeSource("inbox.Notification", lambda notification: [notification.user_id]),
        BadgeSource("people.User", lambda user: [user.pk]),
        BadgeSource("people.HrScope", lambda scope: [scope.user_id]),
    )


def badge_source_changed(sender, instance, **kwargs) -> None:
    """post_save/post_delete of any model: drop the home pages whose badges read this row."""
    from shell.hooks import get_hooks

    label = sender._meta.label
    for source in (*_shell_sources(), *(fn() for fn in get_hooks("badge_sources"))):
        if source.model == label:
            home_refresh(source.users(instance))


def roles_changed(sender, instance, action, reverse, pk_set, **kwargs) -> None:
    """m2m_changed of a user's groups (roles): their tiles and menu may change."""
    if action in ("post_add", "post_remove", "post_clear"):
        home_refresh(pk_set or () if reverse else [instance.pk])
