"""Writing .h5p packages of our own content around the libraries of another package.

A package's libraries are code (the ground truth of how a content type plays, scores and what it sends);
its h5p.json and content.json are the author's. ``package_with_content`` keeps the library folders the new
content needs (its main library, every library its content.json names, and their dependencies, followed
through each library.json) and writes our own h5p.json and content.json. The zip is the same for the same
input (sorted names, fixed timestamps): a rebuilt package differs only where its input did.

No Django here: content/h5p/samples/build.py runs it from the command line.
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from pathlib import Path
from typing import Any

_LIBRARY_FOLDER = re.compile(r"^(?P<name>[A-Za-z][\w.-]*)-(?P<major>\d+)\.(?P<minor>\d+)/")
_LIBRARY_VALUE = re.compile(r"^(?P<name>[A-Za-z][\w.-]*) (?P<major>\d+)\.(?P<minor>\d+)$")
_EPOCH = (1980, 1, 1, 0, 0, 0)  # the zip format's first date: no build time in the package

Ref = tuple[str, int, int]  # machine name, major, minor


def _libraries_named_in(value: Any, found: set[Ref]) -> None:
    """Every "library": "Name 1.2" in a content.json (nested content of a container)."""
    if isinstance(value, dict):
        library = value.get("library")
        match = _LIBRARY_VALUE.match(library) if isinstance(library, str) else None
        if match:
            found.add((match["name"], int(match["major"]), int(match["minor"])))
        for child in value.values():
            _libraries_named_in(child, found)
    elif isinstance(value, list):
        for child in value:
            _libraries_named_in(child, found)


def _dependencies(metadata: dict[str, Any]) -> list[Ref]:
    """What a library needs to play (not its editor's dependencies)."""
    return [
        (str(item["machineName"]), int(item["majorVersion"]), int(item["minorVersion"]))
        for key in ("preloadedDependencies", "dynamicDependencies")
        for item in metadata.get(key) or []
    ]


def library_folders(source: zipfile.ZipFile) -> dict[Ref, dict[str, Any]]:
    """The library folders of a package, each with its library.json."""
    found: dict[Ref, dict[str, Any]] = {}
    for name in source.namelist():
        match = _LIBRARY_FOLDER.match(name)
        if match and name == f"{match[0]}library.json":
            found[(match["name"], int(match["major"]), int(match["minor"]))] = json.loads(source.read(name))
    return found


def needed_libraries(main: Ref, content: dict[str, Any], available: dict[Ref, dict[str, Any]]) -> set[Ref]:
    """The main library, those the content names, and their dependencies. A missing one is an error."""
    todo = [main]
    named: set[Ref] = set()
    _libraries_named_in(content, named)
    todo += sorted(named)
    needed: set[Ref] = set()
    while todo:
        ref = todo.pop()
        if ref in needed:
            continue
        if ref not in available:
            raise ValueError(f"the source package has no library {ref[0]} {ref[1]}.{ref[2]}")
        needed.add(ref)
        todo += _dependencies(available[ref])
    return needed


def package_with_content(
    source: Path, *, main_library: str, content: dict[str, Any], title: str, h5p_json: dict[str, Any] | None = None
) -> io.BytesIO:
    """A package of ``content`` (``main_library`` as main) with the libraries it needs, taken from ``source``.
    ``h5p_json`` adds to (or replaces) the written h5p.json's fields (authors, license, ...)."""
    with zipfile.ZipFile(source) as archive:
        available = library_folders(archive)
        versions = [ref for ref in available if ref[0] == main_library]
        if not versions:
            raise ValueError(f"{source.name} has no {main_library} library")
        main = max(versions, key=lambda ref: ref[1:])
        needed = needed_libraries(main, content, available)
        manifest = {
            "title": title,
            "language": "id",
            "mainLibrary": main_library,
            "embedTypes": ["div"],
            "license": "U",
            **(h5p_json or {}),
            "preloadedDependencies": [
                {"machineName": name, "majorVersion": major, "minorVersion": minor}
                for name, major, minor in sorted(needed)
            ],
        }
        entries: dict[str, bytes] = {
            "h5p.json": json.dumps(manifest, indent=1, ensure_ascii=False).encode(),
            "content/content.json": json.dumps(content, indent=1, ensure_ascii=False).encode(),
        }
        folders = {f"{name}-{major}.{minor}/" for name, major, minor in needed}
        for info in archive.infolist():
            match = _LIBRARY_FOLDER.match(info.filename)
            if match and match[0] in folders and not info.is_dir():
                entries[info.filename] = archive.read(info)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as out:
        for name in sorted(entries):
            info = zipfile.ZipInfo(name, date_time=_EPOCH)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            out.writestr(info, entries[name])
    buffer.seek(0)
    return buffer
