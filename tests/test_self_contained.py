"""The repository stands alone: `make test`, `make run` and CI work on a clone with nothing beside it, so no
code, Makefile or CI script reads the folder that sits beside the repository on a developer's machine.
(.ci/run runs the suite from such a clone, which catches what this scan cannot: a path built some other way.)"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = "sha" + "red"  # spelled apart so that this file does not match itself
# The folder as a relative path, its samples folder, or a path component named so in Python (a parent's
# child, or a part of os.path.join).
OUTSIDE = re.compile(
    "|".join(
        (
            rf"\.\./{SHARED}\b",
            rf"\b{SHARED}/samples\b",
            rf"\bparent\s*/\s*[\"']{SHARED}[\"']",
            rf"[\"']\.\.[\"']\s*,\s*[\"']{SHARED}[\"']",
        )
    )
)
SCRIPTS = {"Makefile", ".ci/run", "bin/backup", "bin/restore", "Procfile"}


def _files() -> list[str]:
    result = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.splitlines()


def test_no_code_makefile_or_ci_script_reads_the_folder_beside_the_repository():
    files = [name for name in _files() if name.endswith(".py") or name in SCRIPTS]
    assert "Makefile" in files and ".ci/run" in files and "tests/test_self_contained.py" in files
    offenders = []
    for name in files:
        for number, line in enumerate((ROOT / name).read_text(encoding="utf-8").splitlines(), start=1):
            if OUTSIDE.search(line):
                offenders.append(f"{name}:{number}: {line.strip()}")
    assert not offenders, "reads outside the repository (put what it needs inside it):\n" + "\n".join(offenders)


def test_the_scan_finds_each_way_of_writing_it():
    for line in (
        'SAMPLES = Path(settings.BASE_DIR).parent / "' + SHARED + '" / "samples" / "h5p"',
        "cp ../" + SHARED + "/samples/h5p/x.h5p .",
        "folder = '/work/" + SHARED + "/samples/h5p'",
        'os.path.join(BASE_DIR, "..", "' + SHARED + '")',
    ):
        assert OUTSIDE.search(line), line
    for line in ("from celery import " + SHARED + "_task", 'UserFactory(email="' + SHARED + '@example.org")'):
        assert not OUTSIDE.search(line), line
