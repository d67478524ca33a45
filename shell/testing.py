"""Test helpers: mount another set of modules and see the URLs follow; PostgreSQL's text rules on SQLite."""

from __future__ import annotations

import importlib
import sys
from collections.abc import Iterator
from contextlib import contextmanager

from django.db import DataError, connection
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


def _refuse_nul(execute, sql, params, many, context):
    rows = params if many else [params]
    for row in rows or ():
        values = row.values() if isinstance(row, dict) else row or ()
        if any(isinstance(value, str) and "\x00" in value for value in values):
            # What Django raises from psycopg: PostgreSQL text cannot hold U+0000 (SQLite's can).
            raise DataError("PostgreSQL text fields cannot contain NUL (0x00) bytes")
    return execute(sql, params, many, context)


@contextmanager
def text_rules_of_postgresql() -> Iterator[None]:
    """Queries refuse a NUL in a text parameter, on any database, as they do on PostgreSQL: a page that
    passes one to the database is a 500 in production even when the SQLite suite is green."""
    with connection.execute_wrapper(_refuse_nul):
        yield
