"""The scopes an app may be given. Sign-in scopes go with the authorization code grant (a person);
API scopes with client credentials (the app's server). Their descriptions, shown on the consent
screen, are settings.OAUTH2_PROVIDER["SCOPES"]."""

from __future__ import annotations

OPENID = "openid"
PROFILE = "profile"
EMAIL = "email"
EMPLOYEE = "employee"
ROLES = "roles"
SIGN_IN_SCOPES = frozenset({OPENID, PROFILE, EMAIL, EMPLOYEE, ROLES})

NOTIFICATIONS_WRITE = "notifications:write"
BADGES_WRITE = "badges:write"
KINERJA_WRITE = "kinerja:write"
API_SCOPES = frozenset({NOTIFICATIONS_WRITE, BADGES_WRITE, KINERJA_WRITE})

ALL_SCOPES = SIGN_IN_SCOPES | API_SCOPES
DEFAULT_APP_SCOPES = (OPENID, PROFILE, EMAIL, EMPLOYEE, ROLES)
