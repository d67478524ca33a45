"""Reports as a module of the shell: a tile and a menu item for HR and supervisors, and the URLs."""

from django.utils.translation import gettext_lazy as _

from shell import hooks
from shell.types import MenuItem, ModuleInfo, ModuleUrls, NotificationType, Tile


def _sees_reports(request) -> bool:
    user = request.user
    return user.is_authenticated and (
        user.has_perm("lms.view_scope_learning") or user.has_perm("lms.view_team_learning")
    )


@hooks.register("module_info")
def module_info():
    return ModuleInfo(slug="laporan", name=_("Laporan"), icon="chart", url_prefix="laporan/")


@hooks.register("urls")
def urls():
    return ModuleUrls(prefix="laporan/", urlconf="reports.urls", namespace="reports")


@hooks.register("home_tiles")
def reports_tile():
    return Tile(
        slug="laporan",
        title=_("Laporan JP"),
        url="/laporan/",
        icon="chart",
        order=30,
        is_shown=_sees_reports,
        description=_("Kepatuhan JP per pegawai dan unit, tren, unduhan"),
    )


@hooks.register("menu_items")
def menu_reports():
    return MenuItem(label=_("Laporan"), url="/laporan/", order=60, is_shown=_sees_reports)


@hooks.register("notification_types")
def notification_types():
    return [
        NotificationType("reports.export_ready", _("Laporan siap diunduh")),
        NotificationType("reports.export_failed", _("Ekspor laporan gagal")),
    ]
