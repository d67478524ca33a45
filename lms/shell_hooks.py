"""The LMS as a module of the shell: its tile, menu items, URLs and notification types."""

from django.utils.translation import gettext_lazy as _

from shell import hooks
from shell.types import MenuItem, ModuleInfo, ModuleUrls, NotificationType, Tile

from .projections import EVENT_COURSE_COMPLETED, EVENT_JP_CREDITED


def _jp_badge(request) -> str:
    from .selectors import year_progress
    from .templatetags.lms_tags import jp

    progress = year_progress(user=request.user)
    return _("JP tahun ini: %(total)s / %(target)s") % {"total": jp(progress.total), "target": jp(progress.target)}


def _sees_others(request) -> bool:
    return request.user.has_perm("lms.view_team_learning") or request.user.has_perm("lms.view_scope_learning")


@hooks.register("module_info")
def module_info():
    return ModuleInfo(
        slug="lms",
        name=_("Belajar"),
        icon="book",
        url_prefix="belajar/",
        events_published=(EVENT_COURSE_COMPLETED, EVENT_JP_CREDITED),
    )


@hooks.register("urls")
def urls():
    return ModuleUrls(prefix="belajar/", urlconf="lms.urls", namespace="lms")


@hooks.register("urls")
def lrs_urls():
    # The Learning Record Store (xAPI 1.0.3); paths have no trailing slash, as xAPI clients expect.
    return ModuleUrls(prefix="xapi/", urlconf="lms.xapi.urls", namespace="xapi")


@hooks.register("home_tiles")
def learning_tile():
    return Tile(
        slug="lms",
        title=_("Belajar"),
        url="/belajar/",
        icon="book",
        order=10,
        badge=_jp_badge,
        description=_("Kursus, kelas, dan jam pelajaran Anda"),
    )


@hooks.register("home_tiles")
def catalogue_tile():
    return Tile(
        slug="katalog",
        title=_("Katalog kursus"),
        url="/kursus/",
        icon="search",
        order=11,
        description=_("Cari kursus daring dan klasikal"),
    )


@hooks.register("home_tiles")
def team_tile():
    return Tile(
        slug="tim",
        title=_("Pembelajaran tim"),
        url="/belajar/tim/",
        icon="users",
        order=12,
        is_shown=_sees_others,
        description=_("JP tim atau unit Anda"),
    )


@hooks.register("menu_items")
def menu_catalogue():
    return MenuItem(label=_("Katalog"), url="/kursus/", order=10)


@hooks.register("menu_items")
def menu_learning():
    return MenuItem(label=_("Belajar saya"), url="/belajar/", order=20)


@hooks.register("menu_items")
def menu_history():
    return MenuItem(label=_("Riwayat belajar"), url="/belajar/riwayat/", order=30)


@hooks.register("menu_items")
def menu_team():
    return MenuItem(label=_("Tim"), url="/belajar/tim/", order=40, is_shown=_sees_others)


@hooks.register("notification_types")
def notification_types():
    return [
        NotificationType("lms.course_completed", _("Kursus selesai")),
        NotificationType("lms.course_assigned", _("Kursus ditugaskan")),
    ]
