"""The domain rules live in the repository (docs/): code cites docs/ files, every cited file exists, and
nothing cites the domain brief that a fresh clone does not have."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Not ours, generated, or not text: never scanned.
SKIPPED_DIRS = {".venv", "node_modules", ".git", "__pycache__", ".pytest_cache", ".ruff_cache", "media", "staticfiles"}
SKIPPED_PATHS = {"static/h5p/player", "test-artifacts"}
SKIPPED_SUFFIXES = {".mo", ".pyc", ".png", ".jpg", ".jpeg", ".gif", ".ico", ".woff", ".woff2", ".ttf", ".h5p", ".zip"}
MAX_BYTES = 2 * 1024 * 1024

BRIEF = "DOMAIN" + ".md"  # spelled apart so that this file does not cite it
BRIEF_WITHOUT_DOCS = re.compile(r"(?<!docs/)\b" + re.escape(BRIEF))
# A docs/ path as code cites it: "docs/domain/jp-ledger.md" (not "/api/docs/" nor "wagtaildocs/").
DOCS_PATH = re.compile(r"(?<![\w/.-])docs/[\w./-]*\w")
# Markdown links between the docs files: [text](claims.md), [text](domain/claims.md#anchor).
MD_LINK = re.compile(r"\]\((?!https?:|mailto:|#)([^)#\s]+)(?:#[^)]*)?\)")

def _text_files() -> list[tuple[str, str]]:
    found = []
    for path in ROOT.rglob("*"):
        rel = path.relative_to(ROOT)
        if any(part in SKIPPED_DIRS for part in rel.parts) or any(
            rel.as_posix() == p or rel.as_posix().startswith(p + "/") for p in SKIPPED_PATHS
        ):
            continue
        if not path.is_file() or path.suffix.lower() in SKIPPED_SUFFIXES or path.stat().st_size > MAX_BYTES:
            continue
        try:
            found.append((rel.as_posix(), path.read_text(encoding="utf-8")))
        except UnicodeDecodeError:
            continue
    return found


FILES = _text_files()


def test_nothing_cites_the_brief_outside_docs():
    offenders = [
        f"{name}:{number}: {line.strip()}"
        for name, text in FILES
        for number, line in enumerate(text.splitlines(), 1)
        if BRIEF_WITHOUT_DOCS.search(line)
    ]
    assert not offenders, f"cite the docs/ file instead of {BRIEF}:\n" + "\n".join(offenders)


def test_every_cited_docs_path_exists():
    missing = sorted(
        {
            f"{name}: {cited}"
            for name, text in FILES
            for cited in DOCS_PATH.findall(text)
            if not (ROOT / cited.rstrip(".")).exists()
        }
    )
    assert not missing, "cited but not in the repository:\n" + "\n".join(missing)


def test_links_between_docs_files_resolve():
    broken = sorted(
        f"{name}: {target}"
        for name, text in FILES
        if name.startswith("docs/") and name.endswith(".md")
        for target in MD_LINK.findall(text)
        if not ((ROOT / name).parent / target).exists()
    )
    assert not broken, "broken links in docs/:\n" + "\n".join(broken)


def test_the_docs_cover_the_domain():
    expected = [
        "README.md",
        "domain/jp-ledger.md",
        "domain/claims.md",
        "domain/classroom.md",
        "domain/certificates.md",
        "domain/xapi.md",
        "domain/kinerja.md",
        "domain/layanan.md",
        "domain/roles-and-scopes.md",
    ]
    assert [name for name in expected if not (ROOT / "docs" / name).is_file()] == []
