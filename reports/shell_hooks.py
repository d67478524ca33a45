"""Reports' one registration with the shell: a tile and a menu item for HR and supervisors, the pages
under /laporan/ and the export notifications."""

from django.utils.translation import gettext_lazy as _

from shell import hooks
from shell.people.selectors import sees_others
from shell.types import MenuItem, Module, NotificationType, PeriodicTask, Tile


def _sees_reports(request) -> bool:
    return sees_others(user=request.user)


def _tile() -> Tile:
    return Tile(
        slug="laporan",
        title=_("Laporan JP"),
        url="/laporan/",
        icon="chart",
        order=30,
        description=_("Kepatuhan JP per pegawai dan unit, tren, unduhan"),
    )


def _menu() -> MenuItem:
    return MenuItem(label=_("Laporan"), url="/laporan/", order=60)


def _notification_types():
    return [
        NotificationType("reports.export_ready", _("Laporan siap diunduh")),
        NotificationType("reports.export_failed", _("Ekspor laporan gagal")),
    ]


hooks.register_module(
    Module(
        slug="reports",
        name=_("Laporan"),
        icon="chart",
        url_prefix="laporan/",
        urlconf="reports.urls",
        is_shown=_sees_reports,
        tiles=(_tile,),
        menu_items=(_menu,),
        notification_types=_notification_types,
        periodic_tasks=(
            # Report exports past REPORTS_EXPORT_KEEP_HOURS: their files are deleted.
            PeriodicTask("reports-expire-exports", "reports.expire_exports", 3600.0),
            # The city-wide report dashboard is recomputed ahead of time (REPORTS_CACHE_SECONDS keeps it).
            PeriodicTask("reports-warm-dashboard", "reports.warm_dashboard", 60.0),
        ),
    )
)
