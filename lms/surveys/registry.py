"""What the surveys bring to the LMS's one registration with the shell (``lms/shell_hooks.py``)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from shell.people import roles
from shell.types import BadgeSource, MenuItem, ModuleUrls, NotificationType, PeriodicTask, Tile


def _pending_badge(request) -> str:
    from .selectors import follow_ups_pending, surveys_pending

    n = len(surveys_pending(user=request.user)) + follow_ups_pending(user=request.user).count()
    return ngettext("%(n)d survei menunggu", "%(n)d survei menunggu", n) % {"n": n} if n else ""


def surveys_tile() -> Tile:
    return Tile(
        slug="survei",
        title=_("Survei peserta"),
        url="/belajar/survei/",
        icon="clipboard",
        order=18,
        badge=_pending_badge,
        description=_("Nilai pelatihan yang Anda ikuti dan penerapannya di tempat kerja"),
    )


def surveys_menu() -> MenuItem:
    return MenuItem(label=_("Survei"), url="/belajar/survei/", order=36)


URLS = ModuleUrls(prefix="belajar/survei/", urlconf="lms.surveys.urls", namespace="surveys")

NOTIFICATION_TYPES = (
    NotificationType("lms.survey_pending", _("Survei peserta menunggu (sertifikat)")),
    NotificationType("lms.survey_follow_up", _("Survei tindak lanjut pelatihan")),
)

# The level-3 follow-up and its reminder (once each: safe to run again), and held certificates released.
PERIODIC_TASKS = (PeriodicTask("surveys-follow-ups", "surveys.follow_ups_send", 3600.0),)

BADGE_SOURCES = (
    BadgeSource("surveys.CertificateHold", lambda row: [row.user_id]),  # a survey now waits for a certificate
    BadgeSource("surveys.Respondent", lambda row: [row.user_id]),
    BadgeSource("surveys.FollowUp", lambda row: [row.respondent_id]),
)

_MANAGE = ("surveys.add_surveytemplate", "surveys.change_surveytemplate", "surveys.view_surveytemplate")
ROLE_PERMISSIONS = {
    roles.TRAINER: _MANAGE,
    roles.HR: (*_MANAGE, "surveys.manage_all_surveys"),
    roles.ADMIN: (*_MANAGE, "surveys.manage_all_surveys"),
}


def demo() -> str:
    from .demo import surveys_demo_load

    return surveys_demo_load()
