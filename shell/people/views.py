"""Password reset by e-mail (Django's views, the platform's templates in Indonesian first).

Nobody learns from these pages whether an address belongs to an account: the answer after asking is the
same whether it does or not, for an inactive account, or for one that signs in only through the city's
SSO (no usable password: Django sends nothing then). The link in the e-mail is built on ``SITE_URL``,
never on the request's Host header. An address is sent at most one e-mail per
``PASSWORD_RESET_EMAIL_INTERVAL`` seconds, so that the form cannot be used to flood someone's inbox, and
a new password lifts the account's lockout after failed logins."""

from __future__ import annotations

import hashlib

from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import views as auth_views
from django.core.cache import cache

from shell.site import site_url


def _throttle_key(email: str) -> str:
    return "password-reset:" + hashlib.sha256(email.strip().lower().encode()).hexdigest()


class PasswordResetForm(auth_forms.PasswordResetForm):
    def get_users(self, email):
        # cache.add is atomic: of two requests at once for one address, one sends.
        if not cache.add(_throttle_key(email), 1, settings.PASSWORD_RESET_EMAIL_INTERVAL):
            return iter(())
        return super().get_users(email)


def _valid_hours() -> int:
    return max(1, settings.PASSWORD_RESET_TIMEOUT // 3600)


class PasswordResetView(auth_views.PasswordResetView):
    form_class = PasswordResetForm

    # Django reads extra_email_context as an attribute; settings are read per request, not at import.
    @property
    def extra_email_context(self):
        return {"site_url": site_url().rstrip("/"), "valid_hours": _valid_hours()}


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "valid_hours": _valid_hours()}


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    def form_valid(self, form):
        response = super().form_valid(form)
        axes_reset(username=form.user.get_username())
        return response


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    pass
