"""The shell as an OpenID Connect provider, on django-oauth-toolkit: its validator and scopes backend
(settings.OAUTH2_PROVIDER names both).

What the shell adds to the library:
- only a registered, enabled app's client may be used, and its tokens stop the moment it is switched
  off (checked on every request, not only when a token is issued); a deactivated employee's too;
- each app gets only its own scopes; sign-in scopes with the authorization code grant, API scopes with
  client credentials, never the other way round;
- a refresh token keeps working only while the employee is still in the app's audience;
- ID tokens are signed with the shell's rotating keys (shell.apps.keys), ``kid`` in the header;
- the claims city apps need, each under its scope (``sub`` is the employee's opaque uuid, never the NIP).
"""

from __future__ import annotations

import json
from collections import OrderedDict

from django.db import router, transaction
from jwcrypto import jws, jwt
from oauth2_provider.models import AbstractApplication, get_id_token_model
from oauth2_provider.oauth2_validators import OAuth2Validator
from oauth2_provider.scopes import SettingsScopes

from . import keys, scopes
from .selectors import app_for_client, app_is_for, client_usable, is_launch_code


def _unit(user, attr: str) -> str:
    return getattr(user.unit, attr) if user.unit_id else ""


class AppScopes(SettingsScopes):
    """An app may ask for the scopes its registry entry gives it, no others."""

    def get_available_scopes(self, application=None, request=None, *args, **kwargs):
        if application is None:  # the discovery document: every scope there is
            return super().get_available_scopes(application, request, *args, **kwargs)
        app = app_for_client(client=application)
        return [s for s in (app.scopes if app else []) if s in scopes.ALL_SCOPES]

    def get_default_scopes(self, application=None, request=None, *args, **kwargs):
        available = set(self.get_available_scopes(application, request))
        kind = (
            scopes.API_SCOPES if getattr(request, "grant_type", None) == "client_credentials" else scopes.SIGN_IN_SCOPES
        )
        return sorted(available & kind)


class CityValidator(OAuth2Validator):
    oidc_claim_scope = {
        **OAuth2Validator.oidc_claim_scope,
        "nip": scopes.EMPLOYEE,
        "unit_code": scopes.EMPLOYEE,
        "unit_name": scopes.EMPLOYEE,
        "position": scopes.EMPLOYEE,
        "employment_type": scopes.EMPLOYEE,
        "roles": scopes.ROLES,
    }

    def get_additional_claims(self):
        # Request-agnostic (callables), so that the discovery document lists them.
        return {
            "sub": lambda r: str(r.user.uuid),
            "name": lambda r: r.user.display_name,
            "preferred_username": lambda r: r.user.username,
            "email": lambda r: r.user.email,
            "nip": lambda r: r.user.nip or "",
            "unit_code": lambda r: _unit(r.user, "code"),
            "unit_name": lambda r: _unit(r.user, "name"),
            "position": lambda r: r.user.position,
            "employment_type": lambda r: r.user.employment_type,
            "roles": lambda r: sorted(r.user.groups.values_list("name", flat=True)),
        }

    # Which clients may be used ----------------------------------------------------------------------

    def _load_application(self, client_id, request):
        client = super()._load_application(client_id, request)
        if client is not None and not client_usable(client=client):
            request.client = None
            return None
        return client

    def validate_bearer_token(self, token, scopes_, request):
        if not super().validate_bearer_token(token, scopes_, request):
            return False
        access = request.access_token
        user = access.user
        if not client_usable(client=access.application) or (user is not None and not user.is_active):
            request.oauth2_error = OrderedDict(
                [("error", "invalid_token"), ("error_description", "The access token is invalid.")]
            )
            return False
        return True

    def validate_grant_type(self, client_id, grant_type, client, request, *args, **kwargs):
        if grant_type == "client_credentials":
            # A confidential app's server calling the inbound API, when given an API scope.
            app = app_for_client(client=client)
            return bool(
                app
                and client.client_type == AbstractApplication.CLIENT_CONFIDENTIAL
                and set(app.scopes) & scopes.API_SCOPES
            )
        return super().validate_grant_type(client_id, grant_type, client, request, *args, **kwargs)

    def validate_scopes(self, client_id, scopes_, client, request, *args, **kwargs):
        available = set(AppScopes().get_available_scopes(application=client, request=request))
        kind = scopes.API_SCOPES if request.grant_type == "client_credentials" else scopes.SIGN_IN_SCOPES
        return set(scopes_) <= available & kind

    def is_pkce_required(self, client_id, request):
        # A mobile launch code was issued by the shell, not asked for with a challenge (services.
        # app_launch_from_mobile); it is bound to the authenticated confidential client instead.
        if getattr(request, "code", None) and request.client is not None:
            if is_launch_code(code=request.code, client=request.client):
                return False
        return super().is_pkce_required(client_id, request)

    def validate_refresh_token(self, refresh_token, client, request, *args, **kwargs):
        if not super().validate_refresh_token(refresh_token, client, request, *args, **kwargs):
            return False
        app = app_for_client(client=client)
        return bool(app and app_is_for(app=app, user=request.user))

    # ID tokens signed with the shell's keys -------------------------------------------------------------

    def finalize_id_token(self, id_token, token, token_handler, request):
        claims, expiration_time = self.get_id_token_dictionary(token, token_handler, request)
        id_token.update(**claims)
        if "nonce" not in id_token and request.nonce:  # oauthlib issue 746, as the library does
            id_token["nonce"] = request.nonce
        kid, key = keys.signing_key()
        signed = jwt.JWT(
            header=json.dumps({"typ": "JWT", "alg": "RS256", "kid": kid}),
            claims=json.dumps(id_token, default=str),
        )
        signed.make_signed_token(key)
        with transaction.atomic(using=router.db_for_write(get_id_token_model())):
            stored = self._save_id_token(id_token["jti"], request, expiration_time)
        request.access_token = stored
        request.id_token = stored
        return signed.serialize()

    def _get_key_for_token(self, token):
        unverified = jws.JWS()
        unverified.deserialize(token)
        kid = unverified.jose_header.get("kid")
        return keys.verification_key(kid) if kid else None
