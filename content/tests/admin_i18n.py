"""What the Wagtail admin says in English: every string Wagtail translates, asked for while a page renders,
that has no Indonesian translation. Used by test_admin_i18n.py, and by hand to find what to translate:

    .venv/bin/python -m pytest content/tests/test_admin_i18n.py -k untranslated -s
"""

from __future__ import annotations

import re
from contextlib import contextmanager
from functools import cache
from pathlib import Path

import wagtail
import wagtailmedia
from django.utils import translation
from django.utils.translation import trans_real

WAGTAIL = Path(wagtail.__file__).resolve().parent
# The admin's add-ons, whose strings the admin shows as its own (locale/id/wagtailmedia.po translates them).
ADD_ONS = (Path(wagtailmedia.__file__).resolve().parent,)


def _msgids(path: Path) -> set[str]:
    """The msgids of a .po file (enough of the format for Wagtail's English catalogues)."""
    ids: set[str] = set()
    current: list[str] | None = None
    for line in path.read_text(encoding="utf-8").splitlines() + [""]:
        if line.startswith("msgid "):
            current = [line[6:]]
        elif line.startswith('"') and current is not None:
            current.append(line)
        else:
            if current is not None:
                text = "".join(_unquote(part) for part in current)
                if text:
                    ids.add(text)
            current = None
    return ids


def _unquote(part: str) -> str:
    part = part.strip()
    if part.startswith('"') and part.endswith('"'):
        part = part[1:-1]
    return re.sub(r'\\(["\\nt])', lambda m: {"n": "\n", "t": "\t"}.get(m.group(1), m.group(1)), part)


@cache
def wagtail_msgids(domain: str = "django") -> frozenset[str]:
    """Every string Wagtail and its add-ons mark for translation (their English catalogues list them all)."""
    found: set[str] = set()
    for root in (WAGTAIL, *ADD_ONS):
        for path in root.glob(f"**/locale/en/LC_MESSAGES/{domain}.po"):
            found |= _msgids(path)
    return frozenset(found)


@contextmanager
def untranslated_wagtail_strings():
    """Collects (msgid, context) of the Wagtail strings rendered untranslated within the block."""
    trans = translation._trans
    originals = {name: getattr(trans, name) for name in ("gettext", "ngettext", "pgettext", "npgettext")}
    missing: set[tuple[str, str]] = set()
    known = wagtail_msgids()

    def note(msgid: str, result: str, context: str = "") -> None:
        if translation.get_language() != "id" or msgid not in known or result != msgid:
            return
        # Translated as itself ("Status") is translated: only a string the catalogue lacks is missing.
        catalog = trans_real.translation("id")._catalog
        key = f"{context}\x04{msgid}" if context else msgid
        if key not in catalog and (key, 0) not in catalog:
            missing.add((msgid, context))

    def gettext(message):
        result = originals["gettext"](message)
        note(message, result)
        return result

    def ngettext(singular, plural, number):
        result = originals["ngettext"](singular, plural, number)
        note(singular if number == 1 else plural, result)
        if result in (singular, plural):
            note(singular, singular)
        return result

    def pgettext(context, message):
        result = originals["pgettext"](context, message)
        note(message, result, context)
        return result

    def npgettext(context, singular, plural, number):
        result = originals["npgettext"](context, singular, plural, number)
        if result in (singular, plural):
            note(singular, singular, context)
        return result

    for name, fn in (("gettext", gettext), ("ngettext", ngettext), ("pgettext", pgettext), ("npgettext", npgettext)):
        setattr(trans, name, fn)
    try:
        yield missing
    finally:
        for name, fn in originals.items():
            setattr(trans, name, fn)
