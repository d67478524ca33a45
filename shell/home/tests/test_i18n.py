"""English is available next to Indonesian: the footer's ID/EN buttons post to Django's set_language
view, and locale/en/LC_MESSAGES/django.po (compiled to django.mo, committed) must stay complete."""

import ast
import gettext
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

from shell.people.tests.factories import UserFactory

LOCALE_DIR = Path(settings.LOCALE_PATHS[0]) / "en" / "LC_MESSAGES"
PO_FILE = LOCALE_DIR / "django.po"
MO_FILE = LOCALE_DIR / "django.mo"


@pytest.fixture(autouse=True)
def _restore_language():
    """A request handled in English must not leave English active for the tests that follow."""
    language = translation.get_language()
    yield
    translation.activate(language)


def switch_to_english(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302 and response.url == "/"


@pytest.mark.django_db
def test_home_is_indonesian_by_default(client):
    client.force_login(UserFactory())
    html = client.get("/").content.decode()
    assert '<html lang="id">' in html
    assert "JP tahun ini: 0 / 20" in html
    assert ">Beranda</a>" in html and ">Riwayat belajar</a>" in html
    assert "JP this year" not in html


@pytest.mark.django_db
def test_switching_to_english_translates_the_home_page(client):
    client.force_login(UserFactory())
    switch_to_english(client)
    html = client.get("/").content.decode()
    assert '<html lang="en">' in html
    assert "JP this year: 0 / 20" in html  # the LMS tile's badge
    assert "JP tahun ini" not in html
    # the navigation: the shell's own link and the LMS module's menu items
    for label in ("Home", "Catalogue", "My learning", "Learning history"):
        assert f">{label}</a>" in html, label
    assert ">Beranda</a>" not in html and ">Riwayat belajar</a>" not in html
    assert 'aria-label="Inbox"' in html and ">Log out</button>" in html


@pytest.mark.django_db
def test_switching_back_to_indonesian(client):
    client.force_login(UserFactory())
    switch_to_english(client)
    client.post("/i18n/setlang/", {"language": "id", "next": "/"})
    assert "JP tahun ini: 0 / 20" in client.get("/").content.decode()


def test_login_page_in_english(client):
    assert "<title>Masuk · Tangerang Ayo</title>" in client.get("/masuk/").content.decode()
    switch_to_english(client)
    html = client.get("/masuk/").content.decode()
    assert "<title>Log in · Tangerang Ayo</title>" in html
    assert "<h1>Log in</h1>" in html
    assert "Username or NIP" in html and "Password" in html


# The catalogue itself ------------------------------------------------------------------------


def po_entries(path: Path) -> list[dict]:
    """Entries of a .po file as {"flags": [...], "msgid": str, "msgid_plural": str, "msgstr": {...}}.

    A small reader (no polib): comments, keywords and continued "..." lines; obsolete (#~) entries
    are skipped. msgstr keys are "" for a singular message, "0", "1", ... for plural forms.
    """
    entries, entry, key = [], None, None
    for raw in path.read_text(encoding="utf-8").splitlines() + [""]:
        line = raw.strip()
        if not line or line.startswith("#~"):
            if entry is not None and "msgid" in entry:
                entries.append(entry)
            entry, key = None, None
            continue
        if entry is None:
            entry = {"flags": [], "msgstr": {}}
        if line.startswith("#,"):
            entry["flags"] += [flag.strip() for flag in line[2:].split(",")]
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            value = ast.literal_eval(line)
            if key[0] == "msgstr":
                entry["msgstr"][key[1]] += value
            else:
                entry[key[0]] += value
        else:
            keyword, _, literal = line.partition(" ")
            value = ast.literal_eval(literal)
            match = re.fullmatch(r"msgstr(?:\[(\d+)\])?", keyword)
            if match:
                key = ("msgstr", match.group(1) or "")
                entry["msgstr"][key[1]] = value
            else:
                key = (keyword, None)
                entry[keyword] = value
    return entries


def messages_of(path: Path) -> list[dict]:
    return [e for e in po_entries(path) if e["msgid"] != ""]  # the header has an empty msgid


def test_english_catalogue_has_no_empty_or_fuzzy_translation():
    messages = messages_of(PO_FILE)
    assert len(messages) > 200
    empty = [e["msgid"] for e in messages if not all(s.strip() for s in e["msgstr"].values())]
    fuzzy = [e["msgid"] for e in messages if "fuzzy" in e["flags"]]
    assert not empty, f"untranslated: {empty}"
    assert not fuzzy, f"fuzzy: {fuzzy}"
    plural = [e for e in messages if "msgid_plural" in e]
    assert plural and all(set(e["msgstr"]) == {"0", "1"} for e in plural)


def test_english_translations_keep_their_placeholders():
    placeholder = re.compile(r"%\([a-z_]+\)[sd]|%%")
    for e in messages_of(PO_FILE):
        expected = sorted(placeholder.findall(e["msgid"]))
        for form, text in e["msgstr"].items():
            assert sorted(placeholder.findall(text)) == expected, (e["msgid"], form, text)


def test_compiled_catalogue_matches_the_po_file():
    """django.mo is committed (fresh machines may lack gettext), so it must be recompiled with the .po."""
    assert MO_FILE.exists(), "run: python manage.py compilemessages --ignore=.venv"
    with MO_FILE.open("rb") as fh:
        catalog = gettext.GNUTranslations(fh)._catalog
    stale = []
    for e in messages_of(PO_FILE):
        if "msgid_plural" in e:
            compiled = {str(n): catalog.get((e["msgid"], n)) for n in range(len(e["msgstr"]))}
        else:
            compiled = {"": catalog.get(e["msgid"])}
        if compiled != e["msgstr"]:
            stale.append(e["msgid"])
    assert not stale, f"django.mo is out of date for {stale[:5]}; run compilemessages"
