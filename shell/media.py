"""The public part of the uploaded media: Wagtail's images (cover pictures and their renditions).

Everything else under MEDIA_ROOT is private and reached only through the view that checks who may see
it (claim evidence, service-request attachments, report exports, xAPI attachments, H5P packages).
Images are served with their image type only, never as HTML, with nosniff and a sandboxing CSP (an
SVG's script cannot run in the main origin). A CDN or S3 can take this over by pointing MEDIA_URL there.
"""

from __future__ import annotations

import posixpath

from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest
from django.views.decorators.http import require_GET

PUBLIC_PREFIXES = ("images/", "original_images/")
IMAGE_TYPES = {
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".webp": "image/webp",
    ".avif": "image/avif",
    ".svg": "image/svg+xml",
}


@require_GET
def public_media(request: HttpRequest, path: str) -> FileResponse:
    path = posixpath.normpath(path).lstrip("/")
    if path.startswith("..") or not path.startswith(PUBLIC_PREFIXES):
        raise Http404("Not a public file.")
    content_type = IMAGE_TYPES.get(posixpath.splitext(path)[1].lower())
    if content_type is None or not default_storage.exists(path):
        raise Http404("No such image.")
    response = FileResponse(default_storage.open(path, "rb"), content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'; sandbox"
    response["Cache-Control"] = "public, max-age=86400"
    return response
