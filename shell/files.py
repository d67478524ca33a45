"""Handing a private upload to the one who may see it (the caller checks who that is): always as a
download, never rendered by the browser in the main origin."""

from __future__ import annotations

import posixpath

from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404


def private_file_response(file: FieldFile, *, filename: str = "") -> FileResponse:
    if not file or not file.storage.exists(file.name):
        raise Http404("The file is no longer there.")
    response = FileResponse(
        file.open("rb"),
        as_attachment=True,
        filename=filename or posixpath.basename(file.name),
        content_type="application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response
