"""Private uploads (claim evidence, e-Kinerja evidence, service-request attachments): what a file is,
told from its first bytes, and handing it to the one who may see it (the caller checks who that is); stored
media (H5P packages' files, lesson videos) with byte ranges.

A file's type is never taken from its name or the browser's content type. On upload the name's
extension must agree with the bytes; on download the file is always an attachment named by its
detected type (``bukti-12.pdf``), never rendered by the browser in the main origin, never under the
uploader's name or extension.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass

from django.core.files import File
from django.core.files.storage import default_storage
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from shell import formatting


@dataclass(frozen=True)
class FileType:
    extension: str  # the one a file of this type is named with
    content_type: str
    signature: bytes  # its first bytes
    extensions: frozenset[str]  # what a name of such a file may end in

    @property
    def label(self) -> str:
        return self.extension.upper()


PDF = FileType("pdf", "application/pdf", b"%PDF-", frozenset({"pdf"}))
JPEG = FileType("jpg", "image/jpeg", b"\xff\xd8\xff", frozenset({"jpg", "jpeg"}))
PNG = FileType("png", "image/png", b"\x89PNG\r\n\x1a\n", frozenset({"png"}))
# What employees and officers may upload as evidence or attachments.
DOCUMENT_TYPES: tuple[FileType, ...] = (PDF, JPEG, PNG)
_HEAD = max(len(t.signature) for t in DOCUMENT_TYPES)


def megabytes(n: int) -> str:
    """A size for a person: ``5`` for 5 MiB, ``1,5`` for 1.5 MiB (in Indonesian)."""
    return formatting.number(round(n / (1024 * 1024), 1))


class UploadRefused(ValueError):
    """An upload that is not what it must be; the message says what to do, in the user's language."""


def detected_type(file: File, *, types: tuple[FileType, ...] = DOCUMENT_TYPES) -> FileType | None:
    """The type whose signature the file starts with; the file is left at its start."""
    file.seek(0)
    head = file.read(_HEAD)
    file.seek(0)
    return next((t for t in types if head.startswith(t.signature)), None)


def upload_type_check(upload: File, *, types: tuple[FileType, ...] = DOCUMENT_TYPES) -> FileType:
    """The upload's type, when its bytes are one of ``types`` and its name ends as that type's do."""
    found = detected_type(upload, types=types)
    if found is None:
        raise UploadRefused(_("Berkas harus berupa PDF, JPG, atau PNG."))
    extension = posixpath.splitext(upload.name or "")[1].lstrip(".").lower()
    if extension not in found.extensions:
        raise UploadRefused(
            _(
                "Nama berkas berakhiran '.%(extension)s', tetapi isinya %(kind)s. Simpan berkas dengan "
                "akhiran .%(right)s, lalu unggah lagi."
            )
            % {"extension": extension, "kind": found.label, "right": found.extension}
        )
    return found


def private_file_response(file: FieldFile, *, name: str) -> FileResponse:
    """The file as a download named ``<name>.<extension of its detected type>`` (``.bin`` and
    application/octet-stream when it is none of the known types), sandboxed and never sniffed."""
    if not file or not file.storage.exists(file.name):
        raise Http404(_("Berkas ini sudah tidak ada."))
    handle = file.open("rb")
    found = detected_type(handle)
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=f"{name}.{found.extension if found else 'bin'}",
        content_type=found.content_type if found else "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response


_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")
_RANGE_MAX = 8 * 1024 * 1024  # bytes per partial response: media seeks, never the whole file in memory


def ranged_file_response(request: HttpRequest, *, name: str, content_type: str) -> HttpResponse:
    """A stored file (``name`` in the default storage) of a type the caller fixed, never sniffed. A single byte
    range is answered (206), so audio and video can seek; the caller checks who may have it."""
    if not default_storage.exists(name):
        raise Http404(_("Berkas tidak ada."))
    match = _RANGE.match(request.headers.get("Range", ""))
    if match and (match.group(1) or match.group(2)):
        size = default_storage.size(name)
        if match.group(1):
            start = int(match.group(1))
            end = min(int(match.group(2)) if match.group(2) else size - 1, size - 1, start + _RANGE_MAX - 1)
        else:
            start, end = max(size - int(match.group(2)), 0), size - 1
        if start >= size or start > end:
            response = HttpResponse(status=416)
            response["Content-Range"] = f"bytes */{size}"
            return response
        with default_storage.open(name, "rb") as stream:
            stream.seek(start)
            response = HttpResponse(stream.read(end - start + 1), status=206, content_type=content_type)
        response["Content-Range"] = f"bytes {start}-{end}/{size}"
    else:
        response = FileResponse(default_storage.open(name, "rb"), content_type=content_type)
    response["Accept-Ranges"] = "bytes"
    response["X-Content-Type-Options"] = "nosniff"
    return response
