"""What modules hand the shell. Permission logic stays in the module (``is_shown``)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.http import HttpRequest, HttpResponse


def _always(request: HttpRequest) -> bool:
    return True


@dataclass(frozen=True)
class ModuleInfo:
    slug: str
    name: str
    icon: str
    url_prefix: str
    events_published: tuple[str, ...] = ()
    events_handled: tuple[str, ...] = ()
    api_prefix: str = ""
    permission: str = ""


@dataclass(frozen=True)
class Tile:
    slug: str
    title: str
    url: str
    icon: str = "grid"
    order: int = 100
    badge: Callable[[HttpRequest], str] | None = None
    is_shown: Callable[[HttpRequest], bool] = _always
    description: str = ""

    def badge_for(self, request: HttpRequest) -> str:
        return self.badge(request) if self.badge else ""


@dataclass(frozen=True)
class BadgeSource:
    """A model whose rows a tile's badge reads (``model`` is its ``app_label.ModelName``): when a row is
    saved or deleted, the kept home pages of ``users(row)`` (user ids) are dropped, so the badge is fresh."""

    model: str
    users: Callable[[Any], Iterable[int | None]]


@dataclass(frozen=True)
class MenuItem:
    label: str
    url: str
    icon: str = ""
    order: int = 100
    is_shown: Callable[[HttpRequest], bool] = _always


@dataclass(frozen=True)
class ModuleUrls:
    """URLs mounted at ``/<prefix>``. ``error_response(status, message)``, when given, is how this URL
    space answers the errors the shell itself produces (a database outage): e.g. the LRS's error shape."""

    prefix: str
    urlconf: Any
    namespace: str
    error_response: Callable[[int, str], HttpResponse] | None = None


@dataclass(frozen=True)
class NotificationType:
    kind: str
    label: str


# The JSON types a payload value may have (the outbox keeps payloads as JSON).
PayloadType = type | tuple[type, ...]


@dataclass(frozen=True)
class EventType:
    """An event a module publishes, declared once by that module (``Module.events_published``).

    ``name`` is ``<module slug>.<thing>.<what happened>``; ``fields`` are the payload's keys, each with its
    JSON type (``int``, ``str``, ``bool``, ``float``, ``list``, ``dict``, or a tuple of them), present in
    every payload; ``optional`` keys may be left out. ``shell.events.publish`` refuses an event that no
    mounted module declares, and a payload with a missing, extra or mistyped key.
    """

    name: str
    fields: Mapping[str, PayloadType]
    description: str = ""
    optional: Mapping[str, PayloadType] = field(default_factory=dict)


@dataclass(frozen=True)
class EventHandler:
    """Runs after commit, in Celery, for each published event named ``event``.

    ``handle(event_id, payload)`` must be idempotent: an event may be delivered twice.
    """

    event: str
    name: str
    handle: Callable[[str, dict[str, Any]], None]
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class PeriodicTask:
    """A Celery task (by its registered ``task`` name) that beat runs every ``seconds`` while the module
    is mounted. ``name`` is the beat entry's name, unique across modules."""

    name: str
    task: str
    seconds: float
    description: str = ""


@dataclass(frozen=True)
class Module:
    """Everything a module brings, handed to the shell in one call: ``shell.hooks.register_module(Module(...))``.

        ``permission`` (an ``app_label.codename``) or ``is_shown`` decides who sees the module's tile and
        menu; the module's own views still check their permissions. ``urlconf`` is mounted at ``/<url_prefix>``,
        ``api_urlconf`` at ``/api/<api_prefix>``. ``tiles`` and ``menu_items`` are callables returning a
        ``Tile``/``MenuItem`` (called per request, so labels follow the active language); what they return is
        additionally filtered by the module's visibility. Notification kinds are namespaced ``<slug>.<name>``,
    and so are the events it publishes (``events_published``: one ``EventType`` each, the only events it may
    publish). ``periodic_tasks`` are run by Celery beat while the module is mounted.
    """

    slug: str
    name: str
    icon: str = "grid"
    url_prefix: str = ""
    urlconf: Any = None
    api_prefix: str = ""
    api_urlconf: Any = None
    permission: str = ""
    is_shown: Callable[[HttpRequest], bool] | None = None
    tiles: tuple[Callable[[], Tile], ...] = ()
    menu_items: tuple[Callable[[], MenuItem], ...] = ()
    notification_types: Callable[[], list[NotificationType]] | None = None
    events_published: tuple[EventType, ...] = ()
    event_handlers: Callable[[], list[EventHandler]] | None = None
    extra_urls: tuple[ModuleUrls, ...] = ()
    demo_data: Callable[[], Any] | None = None
    role_permissions: dict[str, tuple[str, ...]] = field(default_factory=dict)
    badge_sources: tuple[BadgeSource, ...] = ()
    periodic_tasks: tuple[PeriodicTask, ...] = ()

    def visible_to(self, request: HttpRequest) -> bool:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return False
        if self.permission and not user.has_perm(self.permission):
            return False
        return self.is_shown(request) if self.is_shown else True
