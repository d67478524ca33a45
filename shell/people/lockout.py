"""Login lockouts beside django-axes's per-account one: one address trying many accounts (password
spraying) is locked out too.

django-axes counts failures per username and address (AXES_LOCKOUT_PARAMETERS) and locks that pair at
AXES_FAILURE_LIMIT: a colleague elsewhere is never locked out by someone else's typing. But an address
that tries a few passwords on each of many accounts stays under every pair's limit. So the failures
from one address, over every username, are counted too (the same rows, within the same cool-off) and
at AXES_ADDRESS_FAILURE_LIMIT the address is locked out, whatever account and password it tries next.

The address's count is not reset by a successful login (axes resets only that username's pair), or one
known password would wipe a spray's trail. Its limit is higher than an account's: a city office's
employees may share one address (NAT); AXES_PROXY_COUNT must be right behind a reverse proxy, or every
client has the proxy's address. AXES_ADDRESS_FAILURE_LIMIT=0 turns this off.
"""

from __future__ import annotations

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.models import AccessAttempt
from axes.signals import user_locked_out
from django.conf import settings
from django.db.models import Sum
from django.http import HttpRequest
from django.utils.translation import gettext as _


def locked_out_message() -> str:
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60) if settings.AXES_COOLOFF_TIME else 0
    return _(
        "Terlalu banyak percobaan masuk yang gagal. Masuk dikunci sementara; coba lagi dalam %(minutes)s menit."
    ) % {"minutes": minutes}


def address_failures(request: HttpRequest) -> int:
    """Failed logins from the request's address within the cool-off, over every username."""
    attempts = AccessAttempt.objects.filter(ip_address=request.axes_ip_address)
    if settings.AXES_COOLOFF_TIME is not None:
        attempts = attempts.filter(attempt_time__gte=get_cool_off_threshold(request))
    return attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0


def address_locked(request: HttpRequest) -> bool:
    limit = settings.AXES_ADDRESS_FAILURE_LIMIT
    return bool(limit) and address_failures(request) >= limit


class AccountAndAddressLockoutHandler(AxesDatabaseHandler):
    """axes's database handler, plus the address's limit."""

    def is_locked(self, request, credentials: dict | None = None) -> bool:
        if super().is_locked(request, credentials):
            return True
        if address_locked(request):
            request.axes_address_locked_out = True  # the lockout page says why
            return True
        return False

    def user_login_failed(self, sender, credentials: dict, request=None, **kwargs):
        super().user_login_failed(sender, credentials, request=request, **kwargs)
        if request is None or getattr(request, "axes_locked_out", False) or self.is_whitelisted(request, credentials):
            return
        if address_locked(request):  # this failure reached the address's limit
            request.axes_locked_out = True
            request.axes_address_locked_out = True
            request.axes_credentials = credentials
            user_locked_out.send(
                "axes", request=request, username=credentials.get("username"), ip_address=request.axes_ip_address
            )
