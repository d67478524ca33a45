"""The packages the platform ships (content/h5p/samples/): each is valid, each library in them is named in
NOTICE.md with its licence, none is a library we chose not to ship, and the package we wrote is exactly what
build.py makes."""

from __future__ import annotations

import io
import json
import re
import zipfile
from pathlib import Path

import pytest

from content.h5p.packaging import library_folders
from content.h5p.samples import COLUMN, FOLDER, PACKAGES
from content.h5p.samples.build import build, column_content
from content.h5p.scoring import sub_items

NOTICE = (FOLDER / "NOTICE.md").read_text()
NOT_SHIPPED = {"flowplayer", "H5P.Audio", "H5P.Dialogcards", "H5P.GreetingCard1"}  # GPL, or need GPL, or a toy


def _entries(data: io.BytesIO | Path) -> dict[str, int]:
    """Each file of a zip with its CRC: equal for equal content whatever zlib compressed it."""
    with zipfile.ZipFile(data) as archive:
        return {info.filename: info.CRC for info in archive.infolist()}


def test_the_folder_holds_the_shipped_packages_and_nothing_else():
    assert sorted(path.name for path in FOLDER.glob("*.h5p")) == sorted(path.name for path in PACKAGES)
    for path in PACKAGES:
        assert f"`{path.name}`" in NOTICE, path.name


@pytest.mark.parametrize("path", PACKAGES, ids=lambda path: path.name)
def test_every_library_is_named_in_the_notice_with_its_licence(path):
    with zipfile.ZipFile(path) as archive:
        libraries = library_folders(archive)
    assert libraries
    for (name, major, minor), metadata in libraries.items():
        assert name not in NOT_SHIPPED, (path.name, name)
        rows = [
            line for line in NOTICE.splitlines() if line.startswith("| ") and re.search(rf"\b{re.escape(name)}\b", line)
        ]
        assert rows, f"{name} {major}.{minor} ({path.name}) is not in NOTICE.md"
        licence = metadata.get("license")
        assert any((licence or "none") in row for row in rows), (name, licence, rows)


def test_the_column_package_is_what_build_py_makes():
    """Rebuilt from its own libraries, the committed package is the same, file for file: nobody changed its
    content without build.py, and build.py takes nothing but the libraries from its source."""
    rebuilt = build(COLUMN)
    assert _entries(io.BytesIO(rebuilt)) == _entries(COLUMN)
    with zipfile.ZipFile(COLUMN) as archive:
        assert json.loads(archive.read("content/content.json")) == column_content()
        h5p_json = json.loads(archive.read("h5p.json"))
    assert h5p_json["mainLibrary"] == "H5P.Column" and h5p_json["language"] == "id"


def test_the_column_package_asks_in_indonesian_with_the_common_question_types():
    content = column_content()
    libraries = [item["content"]["library"].split(" ")[0] for item in content["content"]]
    assert libraries == [
        "H5P.MultiChoice",
        "H5P.TrueFalse",
        "H5P.Blanks",
        "H5P.SingleChoiceSet",
        "H5P.Essay",
        "H5P.GuessTheAnswer",
    ]
    items = sub_items(content, "H5P.Column")
    scored = {item["library"] for item in items.values() if item["max_score"]}
    assert scored == {"H5P.MultiChoice", "H5P.TrueFalse", "H5P.Blanks", "H5P.SingleChoiceSet"}
    assert "Berapa jam pelajaran" in json.dumps(content, ensure_ascii=False)


@pytest.mark.parametrize(
    ("path", "make", "content"),
    [
        ("benar-salah.h5p", "build_true_false", "true_false_content"),
        ("seret-kata.h5p", "build_drag_text", "drag_text_content"),
    ],
)
def test_the_demos_indonesian_packages_are_what_build_py_makes(path, make, content):
    from content.h5p.samples import build as builder

    rebuilt = getattr(builder, make)()
    assert _entries(io.BytesIO(rebuilt)) == _entries(FOLDER / path)
    with zipfile.ZipFile(FOLDER / path) as archive:
        written = json.loads(archive.read("content/content.json"))
        assert written == getattr(builder, content)()
        assert json.loads(archive.read("h5p.json"))["language"] == "id"
    text = json.dumps(written, ensure_ascii=False)
    for english in ("Check", "Retry", "Show solution", "Blueberries", "Is this false", "You got"):
        assert f'"{english}' not in text, english  # a value (keys are camelCase: checkAnswer)


def test_the_demo_plays_only_our_indonesian_packages_with_a_pass_mark():
    from content.h5p.demo import DEMO_PACKAGES, DEMO_PASS_MARK

    assert [p.name for p in DEMO_PACKAGES] == ["kuis-pelayanan-publik.h5p", "benar-salah.h5p", "seret-kata.h5p"]
    assert 50 <= DEMO_PASS_MARK <= 100  # 0 of 1 on the true/false question must not complete the lesson
