"""Single sign-on with the city's OpenID Connect identity provider (settings.USE_OIDC).

People are employees first: the provider's account is matched to an existing employee by NIP (the
claim named by OIDC_NIP_CLAIM), then by e-mail. Nobody new is created unless OIDC_CREATE_USER is on,
and a deactivated employee stays out whatever the provider says."""

from __future__ import annotations

from django.conf import settings
from django.db.models import QuerySet
from mozilla_django_oidc.auth import OIDCAuthenticationBackend


class CityOIDCBackend(OIDCAuthenticationBackend):
    def _nip(self, claims: dict) -> str:
        return str(claims.get(settings.OIDC_NIP_CLAIM) or "").strip()

    def verify_claims(self, claims: dict) -> bool:
        return bool(self._nip(claims) or claims.get("email"))

    def filter_users_by_claims(self, claims: dict) -> QuerySet:
        users = self.UserModel.objects.filter(is_active=True)
        nip = self._nip(claims)
        if nip:
            by_nip = users.filter(nip=nip)
            if by_nip.exists():
                return by_nip
        email = (claims.get("email") or "").strip()
        if not email:
            return self.UserModel.objects.none()
        return users.filter(email__iexact=email)

    def create_user(self, claims: dict):
        user = super().create_user(claims)
        user.full_name = claims.get("name", "")[:200]
        user.nip = self._nip(claims) or None
        user.save(update_fields=["full_name", "nip"])
        return user

    def update_user(self, user, claims: dict):
        # The provider is the source of the e-mail address; names stay as HR keeps them.
        email = (claims.get("email") or "").strip()
        if email and user.email.lower() != email.lower():
            user.email = email
            user.save(update_fields=["email"])
        return user
