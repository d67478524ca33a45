"""What modules hand the shell. Permission logic stays in the module (``is_shown``)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.http import HttpRequest


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
class MenuItem:
    label: str
    url: str
    icon: str = ""
    order: int = 100
    is_shown: Callable[[HttpRequest], bool] = _always


@dataclass(frozen=True)
class ModuleUrls:
    prefix: str
    urlconf: Any
    namespace: str


@dataclass(frozen=True)
class NotificationType:
    kind: str
    label: str


@dataclass(frozen=True)
class EventHandler:
    """Runs after commit, in Celery, for each published event named ``event``.

    ``handle(event_id, payload)`` must be idempotent: an event may be delivered twice.
    """

    event: str
    name: str
    handle: Callable[[str, dict[str, Any]], None]
    extra: dict[str, Any] = field(default_factory=dict)
