"""The module registry, after wagtail/hooks.py.

Modules (the apps named in settings.SHELL_MODULES) register what they bring in their
``shell_hooks.py``; the shell only ever asks ``get_hooks(name)``. Hook names:

- ``home_tiles``: a callable returning a ``shell.types.Tile`` for the home screen.
- ``menu_items``: a callable returning a ``shell.types.MenuItem`` for the navigation.
- ``urls``: a callable returning a ``shell.types.ModuleUrls`` (prefix + URL include).
- ``notification_types``: a callable returning a list of ``shell.types.NotificationType``.
- ``event_types``: a callable returning a list of ``shell.types.EventType``: the events the module
  publishes, with their payloads (``shell.events.publish`` refuses any other).
- ``event_handlers``: a callable returning a list of ``shell.types.EventHandler``.
- ``module_info``: a callable returning the module's ``shell.types.ModuleInfo``.
- ``api_urls``: a callable returning a ``shell.types.ModuleUrls`` mounted under ``/api/``.
- ``role_permissions``: a callable returning ``{role name: ("app_label.codename", ...)}`` merged into
  the roles by ``shell.people.services.roles_setup``.
- ``badge_sources``: a callable returning a ``shell.types.BadgeSource``: a model whose saved or deleted
  rows change some users' tile badges (their kept home pages are dropped; see shell.home.services).
- ``periodic_tasks``: a callable returning a list of ``shell.types.PeriodicTask`` that Celery beat runs
  while the module is mounted (``shell.celery`` adds them to the shell's own ``CELERY_BEAT_SCHEDULE``).
- ``demo_data``: a callable that loads the module's demo data (called by ``load_demo``; idempotent).

A module normally calls ``register_module(Module(...))`` once: that one registration point fills every
hook above from a ``shell.types.Module``. The finer hooks stay available (the LMS uses them).
Only modules named in settings.SHELL_MODULES are imported, so a module switched off registers nothing:
no tile, menu item, URL, API, notification type or event handler. The shell core's own packages that
publish or handle events (``CORE_PACKAGES``) fill the same hooks from their ``shell_hooks.py`` with
``register(...)``; they are always searched (the core is never switched off) and are no module.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from importlib import import_module
from importlib.util import find_spec
from typing import TYPE_CHECKING, Any

from django.conf import settings

if TYPE_CHECKING:
    from shell.types import Module, ModuleInfo

# The shell core's packages that declare events, handlers or periodic work through the registry.
CORE_PACKAGES = ("shell.people", "shell.apps", "shell.webhooks")

_hooks: dict[str, list[tuple[Callable[..., Any], int]]] = defaultdict(list)
_searched_for_hooks = False


def register(hook_name: str, fn: Callable[..., Any] | None = None, order: int = 0):
    """Register ``fn`` under ``hook_name``; usable as ``@register("name")`` or ``register("name", fn)``."""
    if fn is None:

        def decorator(func: Callable[..., Any]) -> Callable[..., Any]:
            register(hook_name, func, order)
            return func

        return decorator
    _hooks[hook_name].append((fn, order))
    return fn


@contextmanager
def register_temporarily(hook_name: str, fn: Callable[..., Any], order: int = 0) -> Iterator[None]:
    """Register a hook for the duration of a ``with`` block (tests)."""
    register(hook_name, fn, order)
    try:
        yield
    finally:
        _hooks[hook_name].remove((fn, order))


def search_for_hooks() -> None:
    """Import ``shell_hooks`` of the core's packages and of every module in settings.SHELL_MODULES, once."""
    global _searched_for_hooks
    if _searched_for_hooks:
        return
    for module in (*CORE_PACKAGES, *settings.SHELL_MODULES):
        name = f"{module}.shell_hooks"
        if find_spec(name) is not None:
            import_module(name)
    _searched_for_hooks = True


def reset_for_tests() -> None:
    """Forget everything registered, so a changed SHELL_MODULES is searched again."""
    global _searched_for_hooks
    _hooks.clear()
    _searched_for_hooks = False
    import sys

    for key in [k for k in sys.modules if k.endswith(".shell_hooks")]:
        del sys.modules[key]


def get_hooks(hook_name: str) -> list[Callable[..., Any]]:
    """The functions registered under ``hook_name``, in order."""
    search_for_hooks()
    return [fn for fn, _ in sorted(_hooks[hook_name], key=lambda pair: pair[1])]


def _shown_by(module: Module, item):
    inner = item.is_shown
    return replace(item, is_shown=lambda request: module.visible_to(request) and inner(request))


def register_module(module: Module) -> Module:
    """The one registration point of a module: derives every hook from ``module``."""
    from django.core.exceptions import ImproperlyConfigured

    from shell.types import EventType, ModuleInfo, ModuleUrls

    for declared in module.events_published:
        if not isinstance(declared, EventType):
            raise ImproperlyConfigured(
                f"Module {module.slug}: declare each published event as an EventType, not {declared!r}."
            )
        if not declared.name.startswith(f"{module.slug}."):
            raise ImproperlyConfigured(
                f"Module {module.slug}: its events are named {module.slug}.*, not {declared.name}."
            )

    def info() -> ModuleInfo:
        handled = tuple(sorted({h.event for h in module.event_handlers()})) if module.event_handlers else ()
        return ModuleInfo(
            slug=module.slug,
            name=module.name,
            icon=module.icon,
            url_prefix=module.url_prefix,
            events_published=tuple(declared.name for declared in module.events_published),
            events_handled=handled,
            api_prefix=module.api_prefix,
            permission=module.permission,
        )

    register("module_info", info)
    if module.urlconf is not None:
        register("urls", lambda: ModuleUrls(prefix=module.url_prefix, urlconf=module.urlconf, namespace=module.slug))
    for extra in module.extra_urls:
        register("urls", lambda extra=extra: extra)
    if module.api_urlconf is not None:
        register(
            "api_urls",
            lambda: ModuleUrls(prefix=module.api_prefix, urlconf=module.api_urlconf, namespace=f"api-{module.slug}"),
        )
    for tile_fn in module.tiles:
        register("home_tiles", lambda tile_fn=tile_fn: _shown_by(module, tile_fn()))
    for menu_fn in module.menu_items:
        register("menu_items", lambda menu_fn=menu_fn: _shown_by(module, menu_fn()))
    if module.notification_types is not None:
        register("notification_types", module.notification_types)
    if module.events_published:
        register("event_types", lambda: list(module.events_published))
    if module.event_handlers is not None:
        register("event_handlers", module.event_handlers)
    if module.demo_data is not None:
        register("demo_data", module.demo_data)
    if module.role_permissions:
        register("role_permissions", lambda: module.role_permissions)
    for source in module.badge_sources:
        register("badge_sources", lambda source=source: source)
    if module.periodic_tasks:
        register("periodic_tasks", lambda: list(module.periodic_tasks))
    return module


def mounted_modules() -> list[ModuleInfo]:
    """What every mounted module declared about itself, in SHELL_MODULES order."""
    return [fn() for fn in get_hooks("module_info")]


def beat_schedule() -> dict[str, dict[str, Any]]:
    """The mounted modules' periodic tasks as Celery beat schedule entries."""
    return {
        task.name: {"task": task.task, "schedule": task.seconds} for fn in get_hooks("periodic_tasks") for task in fn()
    }


def notification_kinds() -> dict[str, str]:
    """Registered notification kinds -> their (translated) labels."""
    return {t.kind: t.label for fn in get_hooks("notification_types") for t in fn()}
