"""The module registry, after wagtail/hooks.py.

Modules (the apps named in settings.SHELL_MODULES) register what they bring in their
``shell_hooks.py``; the shell only ever asks ``get_hooks(name)``. Hook names:

- ``home_tiles``: a callable returning a ``shell.types.Tile`` for the home screen.
- ``menu_items``: a callable returning a ``shell.types.MenuItem`` for the navigation.
- ``urls``: a callable returning a ``shell.types.ModuleUrls`` (prefix + URL include).
- ``notification_types``: a callable returning a list of ``shell.types.NotificationType``.
- ``event_handlers``: a callable returning a list of ``shell.types.EventHandler``.
- ``module_info``: a callable returning the module's ``shell.types.ModuleInfo``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from importlib import import_module
from importlib.util import find_spec
from typing import Any

from django.conf import settings

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
    """Import ``shell_hooks`` of every module named in settings.SHELL_MODULES, once."""
    global _searched_for_hooks
    if _searched_for_hooks:
        return
    for module in settings.SHELL_MODULES:
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
