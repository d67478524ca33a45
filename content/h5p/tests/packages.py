"""Small H5P packages of our own content, played by the real libraries of a sample package.

A sample .h5p brings the libraries (their code is the ground truth of how a content type scores and what it
sends); ``package_with_content`` keeps those and replaces the sample's own h5p.json and content.json.
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


def _libraries_named_in(value: Any, found: dict[str, tuple[int, int]]) -> None:
    if isinstance(value, dict):
        library = value.get("library")
        match = _LIBRARY_VALUE.match(library) if isinstance(library, str) else None
        if match:
            found[match["name"]] = (int(match["major"]), int(match["minor"]))
        for child in value.values():
            _libraries_named_in(child, found)
    elif isinstance(value, list):
        for child in value:
            _libraries_named_in(child, found)


def package_with_content(sample: Path, *, main_library: str, content: dict[str, Any], title: str) -> io.BytesIO:
    """The sample's library folders with a new h5p.json (``main_library`` as main) and ``content``."""
    with zipfile.ZipFile(sample) as source:
        folders: dict[str, tuple[int, int]] = {}
        for name in source.namelist():
            match = _LIBRARY_FOLDER.match(name)
            if match:
                folders[match["name"]] = (int(match["major"]), int(match["minor"]))
        if main_library not in folders:
            raise ValueError(f"{sample.name} has no {main_library} library")
        used = {main_library: folders[main_library]}
        _libraries_named_in(content, used)
        h5p_json = {
            "title": title,
            "language": "id",
            "mainLibrary": main_library,
            "embedTypes": ["div"],
            "license": "U",
            "preloadedDependencies": [
                {"machineName": name, "majorVersion": major, "minorVersion": minor}
                for name, (major, minor) in sorted(used.items())
            ],
        }
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for info in source.infolist():
                if _LIBRARY_FOLDER.match(info.filename) and not info.is_dir():
                    archive.writestr(info.filename, source.read(info))
            archive.writestr("h5p.json", json.dumps(h5p_json))
            archive.writestr("content/content.json", json.dumps(content))
    buffer.seek(0)
    return buffer
