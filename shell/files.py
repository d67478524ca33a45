"""Private uploads (claim evidence, e-Kinerja evidence, service-request attachments): what a file is,
told from its first bytes, and handing it to the one who may see it (the caller checks who that is).

A file's type is never taken from its name or the browser's content type. On upload the name's
extension must agree with the bytes; on download the file is always an attachment named by its
detected type (``bukti-12.pdf``), never rendered by the browser in the main origin, never under the
uploader's name or extension.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass

from django.core.files import File
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404
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
