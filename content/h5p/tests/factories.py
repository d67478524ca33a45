"""Packages for tests: the packages the platform ships (content/h5p/samples/), and small packages built in
memory (valid or hostile)."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

from content.h5p.samples import COLUMN as COLUMN
from content.h5p.samples import DRAG_TEXT as DRAG_TEXT
from content.h5p.samples import PACKAGES
from content.h5p.samples import TRUE_FALSE as TRUE_FALSE

SAMPLE_FILES = list(PACKAGES)

LIBRARY = {
    "title": "Tiny",
    "machineName": "H5P.Tiny",
    "majorVersion": 1,
    "minorVersion": 0,
    "patchVersion": 3,
    "runnable": 1,
    "preloadedJs": [{"path": "tiny.js"}],
}
H5P_JSON = {
    "title": "Paket mini",
    "language": "id",
    "mainLibrary": "H5P.Tiny",
    "embedTypes": ["div"],
    "preloadedDependencies": [{"machineName": "H5P.Tiny", "majorVersion": 1, "minorVersion": 0}],
}
TINY_JS = b"H5P.Tiny = function (params) { this.attach = function ($c) { $c.text(params.text); }; };"


def build_package(
    files: dict[str, bytes | str | dict] | None = None,
    *,
    drop: tuple[str, ...] = (),
    library: dict | None = None,
    h5p_json: dict | None = None,
) -> io.BytesIO:
    """A valid one-library package, changed by ``files`` (added or replaced) and ``drop`` (removed)."""
    entries: dict[str, bytes | str | dict] = {
        "h5p.json": h5p_json or H5P_JSON,
        "content/content.json": {"text": "Halo"},
        "H5P.Tiny-1.0/library.json": library or LIBRARY,
        "H5P.Tiny-1.0/tiny.js": TINY_JS,
    }
    entries.update(files or {})
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            if name in drop:
                continue
            if isinstance(data, dict):
                data = json.dumps(data)
            archive.writestr(name, data)
    buffer.seek(0)
    return buffer


def sample(path: Path) -> io.BytesIO:
    return io.BytesIO(path.read_bytes())


def import_sample(path: Path):
    """Import a package as the platform would (its libraries installed on the way)."""
    from content.h5p.services import PLATFORM, h5p_content_import

    return h5p_content_import(upload=sample(path), user=PLATFORM)


def make_h5p_course(contents, *, title="Kursus Interaktif", jp="2", pass_mark=0):
    """A published course with one lesson per H5P content (required, with ``pass_mark``)."""
    from decimal import Decimal

    from django.utils.text import slugify

    from content.models import CoursePage, LessonPage
    from content.services import catalog_setup

    catalog = catalog_setup()
    course = catalog.add_child(
        instance=CoursePage(
            title=title,
            slug=slugify(title) + f"-{CoursePage.objects.count()}",
            summary=f"Ringkasan {title}",
            category="teknis",
            jp=Decimal(jp),
        )
    )
    for i, content in enumerate(contents):
        course.add_child(
            instance=LessonPage(
                title=f"H5P {i + 1}: {content.title}",
                slug=f"h5p-{i + 1}",
                body=[("h5p", {"content": content, "required": True, "pass_mark": pass_mark})],
            )
        )
    return course
