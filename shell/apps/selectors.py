"""Reads of the app registry: which apps a person sees, and whether a client may still be used."""

from __future__ import annotations

from django.core.cache import cache
from django.db.models import QuerySet

from shell.people.models import Unit, User

from .models import AppBadge, ExternalApp, LaunchCode

VERSION_KEY = "apps:registry-version"


def app_for_client(*, client) -> ExternalApp | None:
    if client is None:
        return None
    try:
        return client.city_app
    except ExternalApp.DoesNotExist:
        return None


def client_usable(*, client) -> bool:
    """A client is usable only while its app is registered and enabled (read afresh: switching an app
    off stops its tokens at once)."""
    if client is None:
        return False
    return ExternalApp.objects.filter(client_id=client.pk, enabled=True).exists()


def app_is_for(*, app: ExternalApp, user) -> bool:
    """Whether ``user`` is in the app's audience: every condition the administrator filled holds."""
    if not app.enabled or not user.is_authenticated or not user.is_active:
        return False
    if app.employment_types and user.employment_type not in app.employment_types:
        return False
    role_ids = {g.pk for g in app.roles.all()}
    if role_ids and not role_ids & set(user.groups.values_list("pk", flat=True)):
        return False
    units = list(app.units.all())
    if units:
        if user.unit_id is None:
            return False
        path = Unit.objects.values_list("path", flat=True).get(pk=user.unit_id)
        if not any(path.startswith(unit.path) for unit in units):
            return False
    return True


def apps_for_user(*, user) -> list[ExternalApp]:
    """The enabled apps whose audience holds ``user``, in order."""
    if not user.is_authenticated:
        return []
    candidates: QuerySet = ExternalApp.objects.filter(enabled=True).prefetch_related("roles", "units")
    return [app for app in candidates if app_is_for(app=app, user=user)]


def badges_for_user(*, user) -> dict[int, int]:
    """The numbers the apps set on their tiles for ``user``: app id -> count (zeros left out)."""
    if not user.is_authenticated:
        return {}
    return dict(AppBadge.objects.filter(user=user, count__gt=0).values_list("app_id", "count"))


def employee_by_nip(*, nip: str):
    """The active employee with this NIP, or None."""
    return User.objects.filter(nip=nip, is_active=True).select_related("unit").first() if nip else None


def is_launch_code(*, code: str, client) -> bool:
    """Whether ``code`` is a mobile launch code of ``client`` (redeemed without PKCE)."""
    return bool(code) and LaunchCode.objects.filter(grant__code=code, grant__application=client).exists()


def registry_version() -> int:
    """Bumped on every change of the registry: part of the kept home pages' key (shell.home.services)."""
    return cache.get(VERSION_KEY, 0)
