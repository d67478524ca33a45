"""The LMS's one registration with the shell: tiles, menu, URLs (the learning pages, the LRS, the H5P
player, classes, claims, the JP forecast, certificates), API, notifications, events, demo data, roles."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from shell import hooks
from shell.people import roles
from shell.people.selectors import sees_others
from shell.types import BadgeSource, EventHandler, MenuItem, Module, ModuleUrls, NotificationType, PeriodicTask, Tile

from .courses.roles import ROLE_PERMISSIONS as COURSES_ROLE_PERMISSIONS
from .events import (
    EVENT_COURSE_ANNOUNCED,
    EVENT_COURSE_COMPLETED,
    EVENT_ENROLLMENT_BATCH_CONFIRMED,
    EVENT_JP_REVOKED,
    EVENTS,
)
from .planning import registration as planning
from .surveys import registry as surveys


def _jp_badge(request) -> str:
    from shell.formatting import jp

    from .selectors import year_progress

    progress = year_progress(user=request.user)
    return _("JP tahun ini: %(total)s / %(target)s") % {"total": jp(progress.total), "target": jp(progress.target)}


def _certificates_badge(request) -> str:
    from .certificates.selectors import certificates_of

    n = certificates_of(user=request.user).filter(revoked_at__isnull=True).count()
    return ngettext("%(n)d sertifikat", "%(n)d sertifikat", n) % {"n": n} if n else ""


def _claims_to_decide_badge(request) -> str:
    from .claims.selectors import claims_to_decide

    n = claims_to_decide(viewer=request.user).count()
    return ngettext("%(n)d klaim menunggu", "%(n)d klaim menunggu", n) % {"n": n} if n else ""


def _claim_badge_users(claim) -> list[int | None]:
    """A claim waits on its decider's tile: the employee's supervisor (HR deciding for an employee
    without one sees it within HOME_CACHE_SECONDS)."""
    from django.contrib.auth import get_user_model

    supervisor = get_user_model().objects.filter(pk=claim.user_id).values_list("supervisor_id", flat=True)
    return [claim.user_id, supervisor.first()]


def _sees_others(request) -> bool:
    return sees_others(user=request.user)


def _reviews_ledger(request) -> bool:
    """HR (BKPSDM) with a scope: the anomaly list and the ledger's revocations and corrections."""
    return request.user.has_perm("people.view_scope")


def _learning_tile() -> Tile:
    return Tile(
        slug="lms",
        title=_("Belajar"),
        url="/belajar/",
        icon="book",
        order=10,
        badge=_jp_badge,
        description=_("Kursus, kelas, dan jam pelajaran Anda"),
    )


def _catalogue_tile() -> Tile:
    return Tile(
        slug="katalog",
        title=_("Katalog kursus"),
        url="/kursus/",
        icon="search",
        order=11,
        description=_("Cari kursus daring dan klasikal"),
    )


def _team_tile() -> Tile:
    return Tile(
        slug="tim",
        title=_("Pembelajaran tim"),
        url="/belajar/tim/",
        icon="users",
        order=12,
        is_shown=_sees_others,
        description=_("JP tim atau unit Anda"),
    )


def _classroom_tile() -> Tile:
    return Tile(
        slug="kelas",
        title=_("Kelas tatap muka"),
        url="/belajar/kelas/",
        icon="calendar",
        order=13,
        description=_("Jadwal pelatihan di Grha Bhakti Karya, daftar dan presensi"),
    )


def _claims_tile() -> Tile:
    return Tile(
        slug="klaim",
        title=_("Klaim JP"),
        url="/belajar/klaim/",
        icon="upload",
        order=14,
        description=_("Ajukan JP dari seminar, kursus, atau coaching di luar platform"),
    )


def _claims_to_decide_tile() -> Tile:
    return Tile(
        slug="klaim-persetujuan",
        title=_("Persetujuan klaim JP"),
        url="/belajar/klaim/persetujuan/",
        icon="clipboard",
        order=16,
        badge=_claims_to_decide_badge,
        is_shown=_sees_others,
        description=_("Klaim JP tim Anda yang menunggu keputusan"),
    )


def _certificates_tile() -> Tile:
    return Tile(
        slug="sertifikat",
        title=_("Sertifikat"),
        url="/sertifikat/",
        icon="award",
        order=17,
        badge=_certificates_badge,
        description=_("Sertifikat kursus dan kelas Anda, unduh PDF"),
    )


def _lrs_error(status: int, message: str):
    """The LRS's error shape, headers included, for errors the shell answers (a database outage)."""
    from .xapi.http import error_response, finalize

    return finalize(error_response(status, message))


def _anomalies_tile() -> Tile:
    return Tile(
        slug="anomali-jp",
        title=_("Anomali JP"),
        url="/belajar/jp/anomali/",
        icon="clipboard",
        order=15,
        is_shown=_reviews_ledger,
        description=_("JP yang tampak tidak wajar di unit Anda: periksa bukti, cabut, koreksi"),
    )


def _follows_courses(request) -> bool:
    """Trainers of a course, HR and training coordinators: the learners' progress of their courses."""
    from .courses.selectors import bulk_enrollment_scope_q, courses_taught_exist

    return courses_taught_exist(user=request.user) or bulk_enrollment_scope_q(user=request.user) is not None


def _enrolls_in_bulk(request) -> bool:
    from .courses.selectors import bulk_enrollment_scope_q

    return bulk_enrollment_scope_q(user=request.user) is not None


def _followed_courses_tile() -> Tile:
    return Tile(
        slug="pantau-kursus",
        title=_("Pantau kursus"),
        url="/belajar/pantau/",
        icon="chart",
        order=16,
        is_shown=_follows_courses,
        description=_("Kemajuan dan nilai peserta kursus Anda, pengumuman"),
    )


def _bulk_enroll_tile() -> Tile:
    return Tile(
        slug="daftar-massal",
        title=_("Pendaftaran massal"),
        url="/belajar/daftar-massal/",
        icon="users",
        order=17,
        is_shown=_enrolls_in_bulk,
        description=_("Daftarkan pegawai satu unit atau daftar NIP ke kursus"),
    )


def _bank_tile() -> Tile:
    return Tile(
        slug="bank-soal",
        title=_("Bank soal"),
        url="/belajar/evaluasi/bank/",
        icon="clipboard",
        order=18,
        is_shown=_teaches,
        description=_("Soal, kuis, pre-test dan post-test kursus Anda; analisis butir soal"),
    )


def _teaches(request) -> bool:
    from .courses.selectors import courses_taught_exist

    return courses_taught_exist(user=request.user)


def _menu(label, url: str, order: int, **kwargs):
    return lambda: MenuItem(label=label, url=url, order=order, **kwargs)


def _notification_types():
    return [
        NotificationType("lms.course_completed", _("Kursus selesai")),
        NotificationType("lms.course_assigned", _("Kursus ditugaskan")),
        NotificationType("lms.course_announcement", _("Pengumuman kursus")),
        NotificationType("lms.class_seat_offered", _("Kursi kelas tersedia dari daftar tunggu")),
        NotificationType("lms.class_credited", _("JP kelas tatap muka dikreditkan")),
        NotificationType("lms.class_cancelled", _("Kelas tatap muka dibatalkan")),
        NotificationType("lms.class_not_credited", _("Kehadiran kelas belum cukup")),
        NotificationType("lms.class_attendance_recorded", _("Kehadiran kelas tercatat")),
        NotificationType("lms.class_checkin_rejected", _("Presensi kelas tidak dikonfirmasi")),
        NotificationType("lms.claim_to_decide", _("Klaim JP menunggu persetujuan")),
        NotificationType("lms.claim_decided", _("Keputusan klaim JP")),
        NotificationType("lms.claim_reversed", _("Klaim JP dibatalkan")),
        NotificationType("lms.jp_revoked", _("JP dicabut BKPSDM")),
        NotificationType("lms.jp_corrected", _("JP ditambahkan BKPSDM (koreksi)")),
        NotificationType("lms.certificate_issued", _("Sertifikat terbit")),
        NotificationType("lms.jp_reminder", _("Pengingat laju JP")),
        NotificationType("lms.team_at_risk", _("Anggota tim berisiko tidak mencapai target JP")),
        *planning.notification_types(),
        *surveys.NOTIFICATION_TYPES,
    ]


def _event_handlers():
    from .certificates.services import certificate_for_completed_course, certificate_on_jp_revoked
    from .courses.services import announcement_deliver_on_event
    from .courses.tasks import enrollment_batch_on_event

    return [
        EventHandler(EVENT_COURSE_COMPLETED, "lms.certificate_for_course", certificate_for_completed_course),
        EventHandler(EVENT_JP_REVOKED, "lms.certificate_on_jp_revoked", certificate_on_jp_revoked),
        EventHandler(EVENT_COURSE_ANNOUNCED, "lms.announcement_deliver", announcement_deliver_on_event),
        EventHandler(EVENT_ENROLLMENT_BATCH_CONFIRMED, "lms.enrollment_batch_run", enrollment_batch_on_event),
        *planning.event_handlers(),
    ]


def _demo() -> str:
    from content.h5p.demo import h5p_demo_load

    from .classroom.demo import classroom_demo_load
    from .courses.demo import courses_demo_load
    from .evaluation.demo import evaluation_demo_load

    messages = (
        classroom_demo_load(),
        h5p_demo_load(),
        courses_demo_load(),
        evaluation_demo_load(),
        planning.demo(),
        surveys.demo(),
    )
    return "\n".join(str(message) for message in messages if message)


_H5P_CONTENT = ("h5p.add_h5pcontent", "h5p.change_h5pcontent", "h5p.delete_h5pcontent", "h5p.view_h5pcontent")
# BKPSDM's administrators schedule classes and set the year's rules (credit rules per form, exemptions,
# reminder points, the certificates' signatory) in /django-admin/; HR reads the claims and certificates
# there. Trainers need no permission for classes (a session's trainers are named on it); installing or
# replacing H5P libraries (code that runs for every learner) is the admins' call.
_YEAR_RULES = tuple(
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
# Everyone with a role learns; supervisors, HR and admins also assign courses to those they see
# (people.view_team / people.view_scope, the shell's). The ledger's yearly rules are the admins'.
_LEARN = ("lms.enroll_self",)
_LEDGER_ADMIN = (
    "hours.view_ledgerentry",
    "hours.add_yearpolicy",
    "hours.change_yearpolicy",
    "hours.add_targetrule",
    "hours.change_targetrule",
)
_READ_ONLY = ("claims.view_claim", "certificates.view_certificate", "classroom.view_registration")

hooks.register_module(
    Module(
        slug="lms",
        name=_("Belajar"),
        icon="book",
        url_prefix="belajar/",
        urlconf="lms.urls",
        api_prefix="lms/",
        api_urlconf="lms.api",
        tiles=(
            _learning_tile,
            _catalogue_tile,
            _team_tile,
            _classroom_tile,
            _claims_tile,
            _anomalies_tile,
            _claims_to_decide_tile,
            _certificates_tile,
            _followed_courses_tile,
            _bulk_enroll_tile,
            _bank_tile,
            planning.tile,
            surveys.surveys_tile,
        ),
        menu_items=(
            _menu(_("Katalog"), "/kursus/", 10),
            _menu(_("Belajar saya"), "/belajar/", 20),
            _menu(_("Kelas"), "/belajar/kelas/", 25),
            _menu(_("Klaim"), "/belajar/klaim/", 26),
            _menu(_("Riwayat belajar"), "/belajar/riwayat/", 30),
            _menu(_("Sertifikat"), "/sertifikat/", 35),
            _menu(_("Rencana kompetensi"), "/belajar/rencana/", 37),
            surveys.surveys_menu,
            _menu(_("Tim"), "/belajar/tim/", 40, is_shown=_sees_others),
            _menu(_("Anomali JP"), "/belajar/jp/anomali/", 45, is_shown=_reviews_ledger),
        ),
        notification_types=_notification_types,
        events_published=EVENTS,
        event_handlers=_event_handlers,
        extra_urls=(
            # The Learning Record Store (xAPI 1.0.3); paths have no trailing slash, as xAPI clients expect.
            ModuleUrls(prefix="xapi/", urlconf="lms.xapi.urls", namespace="xapi", error_response=_lrs_error),
            # The H5P player frame, package files and the player's statement endpoints (content.h5p).
            ModuleUrls(prefix="h5p/", urlconf="content.h5p.urls", namespace="h5p"),
            ModuleUrls(prefix="belajar/kelas/", urlconf="lms.classroom.urls", namespace="classroom"),
            ModuleUrls(prefix="belajar/klaim/", urlconf="lms.claims.urls", namespace="claims"),
            # The question bank, quizzes, pre- and post-tests, item analysis (lms.evaluation).
            ModuleUrls(prefix="belajar/evaluasi/", urlconf="lms.evaluation.urls", namespace="evaluation"),
            planning.URLS,
            ModuleUrls(prefix="belajar/jp/", urlconf="lms.hours.urls", namespace="hours"),
            surveys.URLS,
            # Trainers' view of their courses, announcements, bulk enrolment, the learner's calendar feed.
            ModuleUrls(prefix="belajar/", urlconf="lms.courses.urls", namespace="courses"),
            # /sertifikat/v/<code>/ is public (no login): the QR code on every certificate points there.
            ModuleUrls(prefix="sertifikat/", urlconf="lms.certificates.urls", namespace="certificates"),
        ),
        demo_data=_demo,
        periodic_tasks=(
            # Statements whose projection task was lost (a broker outage, a dead worker) are caught up.
            PeriodicTask("xapi-project-pending", "xapi.project_pending", 300.0),
            # The outbox to the upstream LRS: rows due again after a failure, or whose run was lost (a no-op when off).
            PeriodicTask("xapi-forward-outbox", "xapi.forward_outbox", 60.0),
            # JP reminders at the year's configured points (deduplicated per period: running twice sends once).
            PeriodicTask("hours-send-reminders", "hours.send_reminders", 3600.0),
            # Classes whose trainer forgot to close them are closed (and credited) a few days after the last day.
            PeriodicTask("classroom-close-finished", "classroom.close_finished", 3600.0),
            # Bulk enrolments whose chain of tasks was lost go on where they stopped.
            PeriodicTask("courses-resume-enrollment-batches", "courses.enrollment_batches_resume", 300.0),
            # Quiz attempts whose time ran out with the page closed are submitted as they stood.
            PeriodicTask("evaluation-close-overdue", "evaluation.close_overdue", 300.0),
            *surveys.PERIODIC_TASKS,
            # Video watch sessions nobody finished, past VIDEO_WATCH_MAX_AGE (no token reaches them any more).
            PeriodicTask("video-purge-watches", "video.purge_watches", 3600.0),
        ),
        badge_sources=(
            BadgeSource("hours.LedgerEntry", lambda entry: [entry.user_id]),  # the JP badge
            BadgeSource("hours.Exemption", lambda exemption: [exemption.user_id]),
            BadgeSource("certificates.Certificate", lambda certificate: [certificate.user_id]),  # certificates
            BadgeSource("claims.Claim", _claim_badge_users),  # claims waiting for the supervisor
            *planning.BADGE_SOURCES,  # profiles to validate, plans to agree
            *surveys.BADGE_SOURCES,
        ),
        role_permissions={
            roles.LEARNER: _LEARN,
            roles.TRAINER: (*_LEARN, *_H5P_CONTENT),
            roles.REVIEWER: _LEARN,
            roles.SUPERVISOR: (*_LEARN, "lms.assign_course"),
            roles.HR: (*_LEARN, "lms.assign_course", "hours.view_ledgerentry", *_READ_ONLY),
            roles.ADMIN: (
                *_LEARN,
                "lms.assign_course",
                *_LEDGER_ADMIN,
                *_H5P_CONTENT,
                "h5p.install_h5plibrary",
                "h5p.view_h5plibrary",
                *_YEAR_RULES,
                *_READ_ONLY,
                *planning.ADMIN_PERMISSIONS,
            ),
            **COURSES_ROLE_PERMISSIONS,
        },
    )
)
# The surveys' permissions for trainers, HR and admins (added to the roles above, not replacing them).
hooks.register("role_permissions", lambda: surveys.ROLE_PERMISSIONS)
