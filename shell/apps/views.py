"""The provider's endpoints where the shell differs from django-oauth-toolkit's, and the app launcher."""

from __future__ import annotations

import json
from urllib.parse import urlsplit

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse, QueryDict
from django.shortcuts import render
from django.views import View
from oauth2_provider import views as dot
from oauth2_provider.models import Application
from oauth2_provider.settings import oauth2_settings

from . import inbound, keys
from .models import ExternalApp
from .selectors import app_for_client, app_is_for


def _origins(uris: str) -> list[str]:
    origins = []
    for uri in uris.split():
        parts = urlsplit(uri)
        if parts.scheme and parts.netloc:
            origins.append(f"{parts.scheme}://{parts.netloc}")
    return sorted(set(origins))


def allow_redirects_to(response: HttpResponse, client: Application | None) -> HttpResponse:
    """Our pages say `form-action 'self'`; browsers apply it to the redirects after a form too. A form
    that ends at an app's redirect URI (the consent screen; the login page on the way to /oauth/authorize/)
    may go to that app's registered origins, no others."""
    if client is not None:
        origins = _origins(client.redirect_uris)
        if origins:
            response._csp_update = {"form-action": origins}
    return response


def client_of_authorize_url(url: str) -> Application | None:
    """The registered client an /oauth/authorize/ URL names (for the login page's `next`)."""
    parts = urlsplit(url or "")
    if parts.netloc or not parts.path.endswith("/oauth/authorize/"):
        return None
    client_id = QueryDict(parts.query).get("client_id")
    return Application.objects.filter(client_id=client_id).first() if client_id else None


class AuthorizationView(dot.AuthorizationView):
    """django-oauth-toolkit's, for the employees in the app's audience only: anyone else gets a page that
    says so (and the app gets nothing)."""

    def dispatch(self, request: HttpRequest, *args, **kwargs):
        if request.user.is_authenticated:
            client_id = request.GET.get("client_id") or request.POST.get("client_id")
            client = Application.objects.filter(client_id=client_id).first() if client_id else None
            app = app_for_client(client=client)
            if app is not None and app.enabled and not app_is_for(app=app, user=request.user):
                return render(request, "apps/not_for_you.html", {"app": app}, status=403)
            response = super().dispatch(request, *args, **kwargs)
            return allow_redirects_to(response, client)
        return super().dispatch(request, *args, **kwargs)


class ConnectDiscoveryInfoView(dot.ConnectDiscoveryInfoView):
    """The library's document; ID tokens are RS256 with the shell's keys (not a key in settings)."""

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        data = json.loads(response.content)
        data["id_token_signing_alg_values_supported"] = ["RS256"]
        data["grant_types_supported"] = ["authorization_code", "refresh_token", "client_credentials"]
        data["revocation_endpoint"] = self._get_endpoint_url(request, "revoke-token", required=True)
        data["introspection_endpoint"] = self._get_endpoint_url(request, "introspect", required=True)
        data["code_challenge_methods_supported"] = ["S256"]
        out = JsonResponse(data)
        out["Access-Control-Allow-Origin"] = "*"
        return out


class JwksInfoView(View):
    """The current signing key and the retired ones whose ID tokens may still be in use."""

    def get(self, request, *args, **kwargs):
        response = JsonResponse(keys.jwks())
        response["Access-Control-Allow-Origin"] = "*"
        response["Cache-Control"] = f"public, max-age={oauth2_settings.OIDC_JWKS_MAX_AGE_SECONDS}"
        return response


@login_required
def launch(request: HttpRequest, slug: str) -> HttpResponse:
    """The tile's link: on to the app (which signs the employee in through us), for its audience only.
    A notice's link names a page of the app (``?ke=``): followed only while it is on the app's origins."""
    app = ExternalApp.objects.filter(slug=slug, enabled=True).select_related("client").first()
    if app is None or not app_is_for(app=app, user=request.user):
        raise Http404
    target = request.GET.get(inbound.TARGET_PARAM, "")
    if target and inbound.app_url_allowed(app=app, url=target):
        return HttpResponseRedirect(target)
    return HttpResponseRedirect(app.launch_url)


class LoginView(auth_views.LoginView):
    """The shell's login page; on the way to an app's authorization, its form may end at that app."""

    redirect_authenticated_user = True

    def dispatch(self, request, *args, **kwargs):
        response = super().dispatch(request, *args, **kwargs)
        next_url = request.POST.get("next") or request.GET.get("next") or ""
        return allow_redirects_to(response, client_of_authorize_url(next_url))
