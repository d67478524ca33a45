"""The service module's one registration with the shell."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from shell import hooks
from shell.types import BadgeSource, MenuItem, Module, ModuleUrls, NotificationType, PeriodicTask, Tile

from .events import EVENTS
from .roles import ROLE_PERMISSIONS


def _waiting_badge(request) -> str:
    from .selectors import requests_waiting_count

    n = requests_waiting_count(user=request.user)
    if not n:
        return ""
    return ngettext("%(n)d permohonan menunggu", "%(n)d permohonan menunggu", n) % {"n": n}


def _tile() -> Tile:
    return Tile(
        slug="layanan",
        title=_("Layanan publik"),
        url="/layanan/",
        icon="clipboard",
        order=20,
        badge=_waiting_badge,
        description=_("Permohonan warga: KTP-el, KK, KIA, akta, dan lainnya"),
    )


def _menu() -> MenuItem:
    return MenuItem(label=_("Layanan"), url="/layanan/", order=50)


def _notification_types():
    return [
        NotificationType("layanan.assigned", _("Permohonan ditugaskan")),
        NotificationType("layanan.status_changed", _("Status permohonan berubah")),
        NotificationType("layanan.overdue", _("Permohonan melewati batas waktu")),
    ]


def _demo():
    from .demo import load_demo

    return load_demo()


hooks.register_module(
    Module(
        slug="layanan",
        name=_("Layanan publik"),
        icon="clipboard",
        url_prefix="layanan/",
        urlconf="shell.modules.layanan.urls",
        api_prefix="layanan/",
        api_urlconf="shell.modules.layanan.api",
        permission="layanan.handle_request",
        tiles=(_tile,),
        menu_items=(_menu,),
        notification_types=_notification_types,
        events_published=EVENTS,
        extra_urls=(
            ModuleUrls(
                prefix="cek-permohonan/", urlconf="shell.modules.layanan.public_urls", namespace="layanan_public"
            ),
        ),
        demo_data=_demo,
        role_permissions=ROLE_PERMISSIONS,
        # Requests past their SLA: one inbox note per request to its assignee.
        periodic_tasks=(PeriodicTask("layanan-notify-overdue", "layanan.notify_overdue", 3600.0),),
        # Requests assigned to someone show on their badge at once; the unit-wide count of unassigned ones
        # follows within HOME_CACHE_SECONDS.
        badge_sources=(BadgeSource("layanan.ServiceRequest", lambda request: [request.assignee_id]),),
    )
)
