from __future__ import annotations

from django.db.models import Q, QuerySet

from shell.hooks import mounted_modules

from .models import Notification


def visible_kinds_q() -> Q:
    """Notification kinds are ``<module slug>.<name>``: those of a module that is switched off are
    hidden with it. Kinds without a module prefix belong to the shell and always show."""
    q = ~Q(kind__contains=".")
    for module in mounted_modules():
        q |= Q(kind__startswith=f"{module.slug}.")
    return q


def notifications_for(*, user) -> QuerySet[Notification]:
    return Notification.objects.filter(visible_kinds_q(), user=user).order_by("-created_at")


def unread_count(*, user) -> int:
    return notifications_for(user=user).filter(read_at__isnull=True).count()
