"""Root URLs: the shell's own pages, then every mounted module's URLs, then Wagtail's pages."""

from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from shell import health
from shell.apps import views as apps_views
from shell.home import views as home_views
from shell.hooks import get_hooks
from shell.inbox import views as inbox_views
from shell.media import public_media
from shell.people import views as people_views


def module_urlpatterns():
    patterns = []
    for fn in get_hooks("urls"):
        module = fn()
        patterns.append(path(module.prefix, include((module.urlconf, module.namespace), namespace=module.namespace)))
    return patterns


def oidc_urlpatterns():
    # Single sign-on with the city's identity provider, only when configured (USE_OIDC).
    if not getattr(settings, "USE_OIDC", False):
        return []
    return [path("oidc/", include("mozilla_django_oidc.urls"))]


urlpatterns = [
    path("", home_views.home, name="home"),
    path("manifest.webmanifest", home_views.manifest, name="pwa_manifest"),
    path("sw.js", home_views.service_worker, name="pwa_service_worker"),
    path("luring/", home_views.offline, name="offline"),
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("masuk/", apps_views.LoginView.as_view(), name="login"),
    path("keluar/", auth_views.LogoutView.as_view(), name="logout"),
    path("masuk/lupa-sandi/", people_views.PasswordResetView.as_view(), name="password_reset"),
    path("masuk/lupa-sandi/terkirim/", people_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "masuk/sandi-baru/<uidb64>/<token>/",
        people_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path("masuk/sandi-baru/selesai/", people_views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
    *oidc_urlpatterns(),
    # The shell as OpenID Connect provider of the city's apps (issuer <site>/oauth), and the apps' tiles.
    path("oauth/", include("shell.apps.urls")),
    path("aplikasi/", include("shell.apps.launch_urls")),
    path("kotak-masuk/", inbox_views.inbox, name="inbox"),
    path("kotak-masuk/<int:pk>/buka/", inbox_views.open_notification, name="inbox_open"),
    path("kotak-masuk/baca-semua/", inbox_views.mark_all_read, name="inbox_mark_all_read"),
    path("api/", include("shell.api.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("django-admin/", admin.site.urls),
    path("cms/", include(wagtailadmin_urls)),
    path("dokumen/", include(wagtaildocs_urls)),
    *module_urlpatterns(),
    # Published pages (the catalogue, courses and lessons) live under /kursus/.
    path("kursus/", include(wagtail_urls)),
]

if settings.MEDIA_URL.startswith("/"):
    # Only the public images; every other upload has its own view that checks who may see it.
    urlpatterns.insert(0, path(f"{settings.MEDIA_URL.strip('/')}/<path:path>", public_media, name="public_media"))
