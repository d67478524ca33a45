"""Writes of the app registry. An app's OpenID Connect client is made with it; switching an app off
revokes its tokens at once (and the validator refuses them anyway, shell.apps.oidc)."""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlencode, urlsplit, urlunsplit

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from oauth2_provider.generators import generate_client_secret
from oauth2_provider.models import AccessToken, Application, Grant, IDToken, RefreshToken
from oauth2_provider.settings import oauth2_settings
from oauth2_provider.validators import AllowedURIValidator

from . import scopes as app_scopes
from .models import ExternalApp, LaunchCode
from .selectors import VERSION_KEY, app_is_for


@dataclass(frozen=True)
class Registered:
    app: ExternalApp
    client_id: str
    client_secret: str  # shown once; only its hash is kept


def registry_changed() -> None:
    """Every kept home page (and the mobile app's module list) is out of date once this commits."""

    def bump():
        cache.add(VERSION_KEY, 0, None)
        try:
            cache.incr(VERSION_KEY)
        except ValueError:  # evicted between the two calls
            cache.set(VERSION_KEY, 1, None)

    transaction.on_commit(bump)


def _check_scopes(scopes: Iterable[str]) -> list[str]:
    chosen = list(dict.fromkeys(scopes))
    unknown = [s for s in chosen if s not in app_scopes.ALL_SCOPES]
    if unknown:
        raise ValidationError({"scopes": _("Cakupan tidak dikenal: %(scopes)s") % {"scopes": ", ".join(unknown)}})
    return chosen


def redirect_uris_check(uris: Iterable[str]) -> str:
    validator = AllowedURIValidator(
        oauth2_settings.ALLOWED_REDIRECT_URI_SCHEMES, name="redirect uri", allow_path=True, allow_query=True
    )
    cleaned = [u.strip() for u in uris if u.strip()]
    for uri in cleaned:
        validator(uri)
    return " ".join(cleaned)


@transaction.atomic
def app_register(
    *,
    name: str,
    redirect_uris: Iterable[str],
    launch_url: str = "",
    slug: str = "",
    scopes: Iterable[str] = app_scopes.DEFAULT_APP_SCOPES,
    first_party: bool = False,
    public: bool = False,
    post_logout_redirect_uris: Iterable[str] = (),
    description: str = "",
    icon: str = "grid",
    owner_unit=None,
) -> Registered:
    """Register an app with its OpenID Connect client (authorization code; client credentials too when
    it is given an API scope). A public client (a mobile or browser app) has no secret."""
    uris = redirect_uris_check(redirect_uris)
    if not uris:
        raise ValidationError({"redirect_uris": _("Minimal satu alamat pengalihan.")})
    chosen = _check_scopes(scopes)
    slug = slug or slugify(name)[:50]
    if ExternalApp.objects.filter(slug=slug).exists():
        raise ValidationError({"slug": _("Kode aplikasi %(slug)s sudah dipakai.") % {"slug": slug}})
    secret = "" if public else generate_client_secret()
    client = Application.objects.create(
        name=name,
        client_type=Application.CLIENT_PUBLIC if public else Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        redirect_uris=uris,
        post_logout_redirect_uris=redirect_uris_check(post_logout_redirect_uris),
        client_secret=secret,
        skip_authorization=first_party,
        algorithm=Application.RS256_ALGORITHM,
    )
    app = ExternalApp.objects.create(
        slug=slug,
        name=name,
        icon=icon,
        description=description,
        launch_url=launch_url or uris.split()[0],
        owner_unit=owner_unit,
        client=client,
        scopes=chosen,
        first_party=first_party,
    )
    registry_changed()
    return Registered(app=app, client_id=client.client_id, client_secret=secret)


def _revoke_tokens(client: Application) -> None:
    AccessToken.objects.filter(application=client).delete()
    RefreshToken.objects.filter(application=client).delete()
    IDToken.objects.filter(application=client).delete()
    Grant.objects.filter(application=client).delete()


@transaction.atomic
def app_set_enabled(*, app: ExternalApp, enabled: bool) -> ExternalApp:
    """Switch an app on or off. Off: its tile and module entry go, and every token it holds is revoked."""
    app = ExternalApp.objects.select_for_update().get(pk=app.pk)
    app.enabled = enabled
    app.save(update_fields=["enabled", "updated_at"])
    if not enabled:
        _revoke_tokens(app.client)
    registry_changed()
    return app


@transaction.atomic
def app_saved(*, app: ExternalApp, was_enabled: bool | None = None) -> None:
    """After an administrator edited an app: its client follows (consent, scopes), a switched-off
    app's tokens are revoked, and the registry's readers are told."""
    app.scopes = _check_scopes(app.scopes)
    ExternalApp.objects.filter(pk=app.pk).update(scopes=app.scopes)
    client = app.client
    if client.skip_authorization != app.first_party or client.name != app.name:
        client.skip_authorization = app.first_party
        client.name = app.name
        client.save(update_fields=["skip_authorization", "name"])
    if was_enabled and not app.enabled:
        _revoke_tokens(client)
    registry_changed()


@transaction.atomic
def app_secret_reset(*, app: ExternalApp) -> str:
    """A new client secret (the old one stops working); returned once."""
    secret = generate_client_secret()
    client = app.client
    client.client_secret = secret
    client.save(update_fields=["client_secret"])
    return secret


@transaction.atomic
def app_client_uris(
    *, app: ExternalApp, redirect_uris: Iterable[str], post_logout_redirect_uris: Iterable[str]
) -> None:
    uris = redirect_uris_check(redirect_uris)
    if not uris:
        raise ValidationError({"redirect_uris": _("Minimal satu alamat pengalihan.")})
    client = app.client
    client.redirect_uris = uris
    client.post_logout_redirect_uris = redirect_uris_check(post_logout_redirect_uris)
    client.save(update_fields=["redirect_uris", "post_logout_redirect_uris"])


# The query parameter of the app's launch URL that carries a mobile launch code.
LAUNCH_CODE_PARAM = "launch_code"


@dataclass(frozen=True)
class Launch:
    url: str
    expires_in: int | None  # seconds the code lives; None: no code (a public app signs in by itself)


@transaction.atomic
def app_launch_from_mobile(*, app: ExternalApp, user, issuer: str) -> Launch:
    """Opening the app from the mobile app: its launch URL with a one-time authorization code for that
    app only (never the employee's own token). The app's server redeems it at the token endpoint with its
    client secret, within AUTHORIZATION_CODE_EXPIRE_SECONDS, once, as an ordinary authorization code
    (it started no sign-in, so there is no PKCE verifier). A public app has no secret to bind the code to:
    it gets its plain launch URL and signs the employee in itself."""
    if not app.enabled or not app_is_for(app=app, user=user):
        raise ValidationError({"app": _("Aplikasi ini tidak tersedia untuk Anda.")})
    client = app.client
    if client.client_type != Application.CLIENT_CONFIDENTIAL:
        return Launch(url=app.launch_url, expires_in=None)
    seconds = oauth2_settings.AUTHORIZATION_CODE_EXPIRE_SECONDS
    grant = Grant.objects.create(
        application=client,
        user=user,
        code=secrets.token_urlsafe(32),
        expires=timezone.now() + dt.timedelta(seconds=seconds),
        redirect_uri=client.redirect_uris.split()[0],
        scope=" ".join(s for s in app.scopes if s in app_scopes.SIGN_IN_SCOPES),
    )
    LaunchCode.objects.create(grant=grant)
    parts = urlsplit(app.launch_url)
    query = "&".join(q for q in (parts.query, urlencode({LAUNCH_CODE_PARAM: grant.code, "iss": issuer})) if q)
    return Launch(url=urlunsplit(parts._replace(query=query)), expires_in=seconds)
