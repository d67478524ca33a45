"""The H5P player frame, the package files it loads, and the endpoints its statements go to.

The player page is sandboxed twice: the lesson's iframe has ``sandbox="allow-scripts"`` (no
same-origin), and the page itself is served with ``Content-Security-Policy: sandbox allow-scripts``,
so even opened on its own it runs in an opaque origin with no access to the site's cookies or storage.
Its requests therefore carry no session: the frame and the content files are reached through a signed,
expiring token. Library files are public code, served with CORS for the opaque origin.
"""

from __future__ import annotations

from pathlib import PurePosixPath

from django.conf import settings
from django.core import signing
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_GET

from shell.files import ranged_file_response

from .models import H5PContent
from .selectors import library_prefix, library_prefixes_warm

_SALT = "h5p.player"
# Types we serve package files as; anything else is a download. Never text/html.
_TYPES = {
    "js": "text/javascript",
    "css": "text/css",
    "json": "application/json",
    "svg": "image/svg+xml",
    "xml": "application/xml",
    "txt": "text/plain",
    "md": "text/plain",
    "csv": "text/plain",
    "vtt": "text/vtt",
    "webvtt": "text/vtt",
    "woff": "font/woff",
    "woff2": "font/woff2",
    "ttf": "font/ttf",
    "otf": "font/otf",
    "eot": "application/vnd.ms-fontobject",
    "mp3": "audio/mpeg",
    "m4a": "audio/mp4",
    "wav": "audio/wav",
    "ogg": "audio/ogg",
    "mp4": "video/mp4",
    "webm": "video/webm",
    "pdf": "application/pdf",
    "png": "image/png",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "gif": "image/gif",
    "bmp": "image/bmp",
    "glb": "model/gltf-binary",
    "gltf": "model/gltf+json",
}
_FILE_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; sandbox"


def player_token(*, content: H5PContent, object_iri: str | None, user_id: int | None) -> str:
    # The storage prefix rides in the token, so serving a content file needs no database query.
    return signing.dumps(
        {"c": content.pk, "p": content.storage_prefix, "o": object_iri or "", "u": user_id}, salt=_SALT, compress=True
    )


def _token(value: str) -> dict:
    try:
        return signing.loads(value, salt=_SALT, max_age=settings.H5P_PLAYER_TOKEN_MAX_AGE)
    except signing.SignatureExpired:
        raise Http404(_("Tautan pemutar H5P kedaluwarsa; muat ulang halaman pelajaran.")) from None
    except signing.BadSignature:
        raise Http404(_("Tautan pemutar H5P tidak sah.")) from None


def player_url(*, content: H5PContent, user, object_iri: str | None = None) -> str:
    """The player frame's address. With ``object_iri`` (given by whoever tracks the learner) the player reports
    its statements about that activity; without, it plays untracked (previews)."""
    token = player_token(content=content, object_iri=object_iri, user_id=getattr(user, "pk", None))
    return reverse("h5p:player", args=[token])


def _player_csp(request: HttpRequest) -> str:
    # The sandboxed page has an opaque origin, so 'self' would match nothing: name our origin.
    origin = f"{request.scheme}://{request.get_host()}"
    if settings.STATIC_URL.startswith(("http://", "https://")):  # static files from a CDN
        parts = settings.STATIC_URL.split("/")
        origin = f"{origin} {parts[0]}//{parts[2]}"
    return "; ".join(
        [
            "default-src 'none'",
            # H5P libraries and the standalone runtime inject inline scripts and use eval-like calls; they run
            # in the opaque sandbox, and may load scripts only from our origin.
            f"script-src {origin} 'unsafe-inline' 'unsafe-eval'",
            f"style-src {origin} 'unsafe-inline'",
            f"img-src {origin} data: blob:",
            f"media-src {origin} data: blob:",
            f"font-src {origin} data:",
            f"connect-src {origin}",
            f"frame-src {origin} blob: data: about:",
            "form-action 'none'",
            "base-uri 'none'",
            "frame-ancestors 'self'",
            "sandbox allow-scripts",
        ]
    )


@require_GET
@xframe_options_sameorigin
def player(request: HttpRequest, token: str) -> HttpResponse:
    data = _token(token)
    content = get_object_or_404(H5PContent, pk=data["c"])
    library_prefixes_warm(libraries=content.libraries.all())
    object_iri = data.get("o") or ""
    config = {
        "id": f"h5p-{content.pk}",
        "h5pJsonPath": request.build_absolute_uri(reverse("h5p:content_root", args=[token])).rstrip("/"),
        "librariesPath": request.build_absolute_uri(reverse("h5p:library_root")).rstrip("/"),
        "frameJs": request.build_absolute_uri(static("h5p/player/frame.bundle.js")),
        "frameCss": request.build_absolute_uri(static("h5p/player/styles/h5p.css")),
        "objectIri": object_iri,
        "tracked": bool(object_iri),
        "title": content.title,
        "failedText": _("Konten H5P ini tidak dapat diputar. Beri tahu pelatih Anda. Rincian:"),
    }
    response = render(request, "h5p/player.html", {"config": config, "content": content})
    response["Content-Security-Policy"] = _player_csp(request)
    response["Referrer-Policy"] = "no-referrer"
    response["Cache-Control"] = "private, no-store"
    return response


def _serve(request: HttpRequest, name: str) -> HttpResponse:
    """A package file with a fixed safe type, byte ranges answered (audio and video inside packages seek)."""
    ext = PurePosixPath(name).suffix[1:].lower()
    response = ranged_file_response(request, name=name, content_type=_TYPES.get(ext) or "application/octet-stream")
    if ext not in _TYPES:
        response["Content-Disposition"] = "attachment"
    response["Content-Security-Policy"] = _FILE_CSP
    response["Access-Control-Allow-Origin"] = "*"
    response["Cross-Origin-Resource-Policy"] = "cross-origin"
    return response


def _safe_path(path: str) -> str:
    parts = path.split("/")
    if not path or path.startswith("/") or "\\" in path or any(p in ("", ".", "..") for p in parts):
        raise Http404(_("Berkas tidak ada."))
    return path


@require_GET
def content_file(request: HttpRequest, token: str, path: str) -> HttpResponse:
    data = _token(token)
    path = _safe_path(path)
    if path != "h5p.json" and not path.startswith("content/"):
        raise Http404(_("Berkas tidak ada."))
    return _serve(request, f"{data['p']}/{path}")


@require_GET
def content_root(request: HttpRequest, token: str) -> HttpResponse:
    raise Http404()


@require_GET
def library_file(request: HttpRequest, folder: str, path: str) -> HttpResponse:
    prefix = library_prefix(folder=folder)
    if prefix is None:
        raise Http404(_("Pustaka H5P %(name)s belum terpasang.") % {"name": folder})
    response = _serve(request, f"{prefix}/{_safe_path(path)}")
    response["Cache-Control"] = "public, max-age=3600"
    return response


@require_GET
def library_root(request: HttpRequest) -> HttpResponse:
    raise Http404()
