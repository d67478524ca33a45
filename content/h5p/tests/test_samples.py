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


# A placeholder in a content's texts: "@score", ":num" (an H5P library replaces its own ones as it shows them).
_PLACEHOLDER = re.compile(r"(?<![\w@:])[@:][A-Za-z]+\b")


def _texts_by_library(value, library: str):
    """(library, text) for every text of a content: each text belongs to the innermost library whose params
    hold it (H5P.Column's items, a set's questions)."""
    if isinstance(value, str):
        yield library, value
    elif isinstance(value, dict):
        if isinstance(value.get("library"), str) and isinstance(value.get("params"), dict):
            library = value["library"]
            value = value["params"]
        for item in value.values():
            yield from _texts_by_library(item, library)
    elif isinstance(value, list):
        for item in value:
            yield from _texts_by_library(item, library)


@pytest.mark.parametrize("path", PACKAGES, ids=lambda path: path.name)
def test_every_placeholder_in_a_text_is_one_its_library_fills_in(path):
    """A placeholder the library does not know is shown to the learner as it is: H5P.SingleChoiceSet's result
    read "Skor Anda: @score dari @total." (its own are :numcorrect and :maxscore). Each placeholder must be
    one that the library or a library it loads replaces (named in their scripts)."""
    with zipfile.ZipFile(path) as archive:
        libraries = library_folders(archive)
        h5p_json = json.loads(archive.read("h5p.json"))
        content = json.loads(archive.read("content/content.json"))
        names = archive.namelist()

        def scripts(ref, seen: set) -> str:
            if ref in seen or ref not in libraries:
                return ""
            seen.add(ref)
            folder = f"{ref[0]}-{ref[1]}.{ref[2]}/"
            own = "\n".join(
                archive.read(n).decode("utf-8", "replace") for n in names if n.startswith(folder) and n.endswith(".js")
            )
            dependencies = libraries[ref].get("preloadedDependencies", [])
            return own + "".join(
                scripts((d["machineName"], d["majorVersion"], d["minorVersion"]), seen) for d in dependencies
            )

        main = next(ref for ref in libraries if ref[0] == h5p_json["mainLibrary"])
        unknown, checked = [], 0
        for library, text in _texts_by_library(content, f"{main[0]} {main[1]}.{main[2]}"):
            name, version = library.split(" ")
            major, minor = (int(part) for part in version.split("."))
            source = scripts((name, major, minor), set())
            assert source, library
            for placeholder in _PLACEHOLDER.findall(text):
                checked += 1
                if not re.search(rf"['\"/]{re.escape(placeholder)}(?![A-Za-z])", source):
                    unknown.append(f"{library}: {placeholder} in {text!r}")
    assert not unknown, "\n".join(unknown)
    if path == COLUMN:
        assert checked > 20


def test_the_single_choice_sets_result_fills_in_its_score():
    """What the learner reads after the set: "Skor Anda: 1 dari 2.", as the library fills it in."""
    scs = next(
        item["content"]
        for item in column_content()["content"]
        if item["content"]["library"].startswith("H5P.SingleChoiceSet")
    )
    ((feedback,),) = [[band["feedback"] for band in scs["params"]["overallFeedback"]]]
    shown = feedback.replace(":numcorrect", "1").replace(":maxscore", "2")  # single-choice-set.js, setScore()
    assert shown == "Skor Anda: 1 dari 2."


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
