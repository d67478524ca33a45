from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control

from shell.hooks import mounted_modules

from .selectors import tiles_for
from .services import home_response


def home(request):
    """The home screen of tiles; a visitor who is not logged in gets the landing page (what this is,
    logging in, the public catalogue)."""
    if not request.user.is_authenticated:
        return render(request, "shell/landing.html", {"modules": mounted_modules()})
    return home_response(
        request, lambda extra: render(request, "shell/home.html", {"tiles": tiles_for(request=request), **extra})
    )


@cache_control(max_age=3600)
def manifest(request):
    """The PWA manifest: installable from the browser onto the phone's home screen."""
    return JsonResponse(
        {
            "name": "Tangerang Ayo",
            "short_name": "Tangerang Ayo",
            "description": _("Satu aplikasi untuk pegawai Kota Tangerang: belajar, layanan, dan kinerja."),
            "lang": request.LANGUAGE_CODE,
            "start_url": "/?sumber=pwa",
            "scope": "/",
            "display": "standalone",
            "orientation": "portrait",
            "background_color": "#f5f7f8",
            "theme_color": "#0b5d3b",
            "icons": [
                {"src": static("icons/icon-192.png"), "sizes": "192x192", "type": "image/png"},
                {"src": static("icons/icon-512.png"), "sizes": "512x512", "type": "image/png"},
                {
                    "src": static("icons/icon-maskable-512.png"),
                    "sizes": "512x512",
                    "type": "image/png",
                    "purpose": "maskable",
                },
            ],
        },
        content_type="application/manifest+json",
    )


@cache_control(no_cache=True)
def service_worker(request):
    """Served from the root so that it may control every page (a static URL would limit its scope)."""
    path = finders.find("pwa/sw.js") or Path(settings.STATIC_ROOT) / "pwa" / "sw.js"
    try:
        response = FileResponse(open(path, "rb"), content_type="application/javascript")
    except FileNotFoundError as exc:
        raise Http404 from exc
    response["Service-Worker-Allowed"] = "/"
    return response


def offline(request):
    return render(request, "shell/offline.html")
