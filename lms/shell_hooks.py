"""The LMS as a module of the shell: its tile, menu items, URLs and notification types."""

from django.utils.translation import gettext_lazy as _

from shell import hooks
from shell.people import roles
from shell.types import EventHandler, MenuItem, ModuleInfo, ModuleUrls, NotificationType, Tile

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
        api_prefix="lms/",
    )


@hooks.register("api_urls")
def api_urls():
    # The mobile app's LMS endpoints, under /api/lms/.
    return ModuleUrls(prefix="lms/", urlconf="lms.api", namespace="api-lms")


@hooks.register("urls")
def urls():
    return ModuleUrls(prefix="belajar/", urlconf="lms.urls", namespace="lms")


@hooks.register("urls")
def lrs_urls():
    # The Learning Record Store (xAPI 1.0.3); paths have no trailing slash, as xAPI clients expect.
    return ModuleUrls(prefix="xapi/", urlconf="lms.xapi.urls", namespace="xapi")


@hooks.register("urls")
def h5p_urls():
    # The H5P player frame, package files and the player's statement endpoints (content.h5p).
    return ModuleUrls(prefix="h5p/", urlconf="content.h5p.urls", namespace="h5p")


@hooks.register("role_permissions")
def h5p_role_permissions():
    content = ("h5p.add_h5pcontent", "h5p.change_h5pcontent", "h5p.delete_h5pcontent", "h5p.view_h5pcontent")
    # Installing or replacing libraries (code that runs for every learner) is the admins' call.
    return {roles.TRAINER: content, roles.ADMIN: (*content, "h5p.install_h5plibrary", "h5p.view_h5plibrary")}


@hooks.register("urls")
def classroom_urls():
    # Classroom sessions at Grha Bhakti Karya (lms.classroom); /belajar/ itself is lms.urls.
    return ModuleUrls(prefix="belajar/kelas/", urlconf="lms.classroom.urls", namespace="classroom")


@hooks.register("urls")
def claims_urls():
    return ModuleUrls(prefix="belajar/klaim/", urlconf="lms.claims.urls", namespace="claims")


@hooks.register("urls")
def hours_urls():
    # The learner's forecast and the at-risk list.
    return ModuleUrls(prefix="belajar/jp/", urlconf="lms.hours.urls", namespace="hours")


@hooks.register("urls")
def certificates_urls():
    # /sertifikat/v/<code>/ is public (no login): the QR code on every certificate points there.
    return ModuleUrls(prefix="sertifikat/", urlconf="lms.certificates.urls", namespace="certificates")


@hooks.register("demo_data")
def classroom_demo():
    from .classroom.demo import classroom_demo_load

    return classroom_demo_load()


@hooks.register("role_permissions")
def learning_year_role_permissions():
    # BKPSDM's administrators schedule classes and set the year's rules (credit rules per form,
    # exemptions, reminder points, the certificates' signatory) in /django-admin/; HR reads the ledger
    # and the claims there. Trainers need no permission: a session's trainers are named on it.
    rules = tuple(
        f"{app}.{action}_{model}"
        for app, model in (
            ("classroom", "room"),
            ("classroom", "classsession"),
            ("classroom", "sessionday"),
            ("hours", "creditrule"),
            ("hours", "exemption"),
            ("hours", "reminderpoint"),
            ("certificates", "signatory"),
        )
        for action in ("add", "change", "view")
    )
    readonly = ("claims.view_claim", "certificates.view_certificate", "classroom.view_registration")
    return {roles.ADMIN: (*rules, *readonly), roles.HR: readonly}


@hooks.register("event_handlers")
def certificate_handlers():
    from .certificates.services import certificate_for_completed_course

    return [EventHandler(EVENT_COURSE_COMPLETED, "lms.certificate_for_course", certificate_for_completed_course)]


@hooks.register("home_tiles")
def classroom_tile():
    return Tile(
        slug="kelas",
        title=_("Kelas tatap muka"),
        url="/belajar/kelas/",
        icon="calendar",
        order=13,
        description=_("Jadwal pelatihan di Grha Bhakti Karya, daftar dan presensi"),
    )


@hooks.register("home_tiles")
def claims_tile():
    return Tile(
        slug="klaim",
        title=_("Klaim JP"),
        url="/belajar/klaim/",
        icon="upload",
        order=14,
        description=_("Ajukan JP dari seminar, kursus, atau coaching di luar platform"),
    )


@hooks.register("demo_data")
def h5p_demo():
    from content.h5p.demo import h5p_demo_load

    return h5p_demo_load()


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
def menu_classroom():
    return MenuItem(label=_("Kelas"), url="/belajar/kelas/", order=25)


@hooks.register("menu_items")
def menu_claims():
    return MenuItem(label=_("Klaim"), url="/belajar/klaim/", order=26)


@hooks.register("menu_items")
def menu_certificates():
    return MenuItem(label=_("Sertifikat"), url="/sertifikat/", order=35)


@hooks.register("menu_items")
def menu_team():
    return MenuItem(label=_("Tim"), url="/belajar/tim/", order=40, is_shown=_sees_others)


@hooks.register("notification_types")
def notification_types():
    return [
        NotificationType("lms.course_completed", _("Kursus selesai")),
        NotificationType("lms.course_assigned", _("Kursus ditugaskan")),
        NotificationType("lms.class_seat_offered", _("Kursi kelas tersedia dari daftar tunggu")),
        NotificationType("lms.class_credited", _("JP kelas tatap muka dikreditkan")),
        NotificationType("lms.class_cancelled", _("Kelas tatap muka dibatalkan")),
        NotificationType("lms.class_not_credited", _("Kehadiran kelas belum cukup")),
        NotificationType("lms.claim_to_decide", _("Klaim JP menunggu persetujuan")),
        NotificationType("lms.claim_decided", _("Keputusan klaim JP")),
        NotificationType("lms.claim_reversed", _("Klaim JP dibatalkan")),
        NotificationType("lms.certificate_issued", _("Sertifikat terbit")),
        NotificationType("lms.jp_reminder", _("Pengingat laju JP")),
        NotificationType("lms.team_at_risk", _("Anggota tim berisiko tidak mencapai target JP")),
    ]
