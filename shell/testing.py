"""Test helpers for the module registry: mount another set of modules and see the URLs follow."""

from __future__ import annotations

import importlib
import sys
from collections.abc import Iterator
from contextlib import contextmanager

from django.test import override_settings
from django.urls import clear_url_caches

from shell import hooks

_URLCONFS = ("shell.api.urls", "shell.urls")


def remount() -> None:
    """Search SHELL_MODULES again and rebuild the URLconf (the shell's own code is unchanged)."""
    hooks.reset_for_tests()
    for name in _URLCONFS:
        if name in sys.modules:
            importlib.reload(sys.modules[name])
    clear_url_caches()


@contextmanager
def modules_mounted(modules: list[str], **settings) -> Iterator[None]:
    with override_settings(SHELL_MODULES=modules, **settings):
        remount()
        try:
            yield
        finally:
            pass
    remount()
