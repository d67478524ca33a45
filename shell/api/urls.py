"""/api/: the shell's endpoints, each mounted module's API (``api_urls`` hooks), the schema and its docs."""

from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView

from shell.hooks import get_hooks

from . import inbound, views


def module_api_urlpatterns():
    patterns = []
    for fn in get_hooks("api_urls"):
        module = fn()
        patterns.append(path(module.prefix, include((module.urlconf, module.namespace), namespace=module.namespace)))
    return patterns


urlpatterns = [
    path("auth/token/", views.TokenView.as_view(), name="api_token"),
    path("auth/token/revoke/", views.TokenRevokeView.as_view(), name="api_token_revoke"),
    path("me/", views.MeView.as_view(), name="api_me"),
    path("modules/", views.ModulesView.as_view(), name="api_modules"),
    path("home/", views.HomeView.as_view(), name="api_home"),
    path("notifications/", views.NotificationList.as_view(), name="api_notifications"),
    path("notifications/<int:pk>/read/", views.NotificationRead.as_view(), name="api_notification_read"),
    path("notifications/read-all/", views.NotificationReadAll.as_view(), name="api_notifications_read_all"),
    # The inbound API of the city's registered apps (client-credentials tokens; docs/apps.md).
    path("apps/<slug:slug>/launch/", views.AppLaunchView.as_view(), name="api_app_launch"),
    path("apps/<slug:app>/notifications/", inbound.NotificationCreate.as_view(), name="api_app_notifications"),
    path("apps/<slug:app>/badges/", inbound.BadgeSet.as_view(), name="api_app_badges"),
    path("apps/<slug:app>/activities/", inbound.ActivityCreate.as_view(), name="api_app_activities"),
    path("schema/", SpectacularAPIView.as_view(), name="api_schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api_schema"), name="api_docs"),
    path("redoc/", SpectacularRedocView.as_view(url_name="api_schema"), name="api_redoc"),
    *module_api_urlpatterns(),
    # Last: what no pattern above matched (any characters, a newline too). Only paths ending in a
    # slash, so that CommonMiddleware still redirects /api/me to /api/me/.
    re_path(r"^(?:[\s\S]*/)?$", views.NoSuchEndpoint.as_view(), name="api_not_found"),
]
