"""What competency planning hands the shell, through the LMS's one registration (lms/shell_hooks.py): its
home tile with what waits, its pages, inbox notices, the e-Kinerja rating it listens to, its demo data."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from shell.types import BadgeSource, EventHandler, ModuleUrls, NotificationType, Tile


def _badge(request) -> str:
    from .models import Assessment
    from .selectors import assessment_of, planning_year, waiting_count

    year = planning_year()
    waiting = waiting_count(user=request.user, year=year)
    if waiting:
        return ngettext("%(n)d menunggu Anda", "%(n)d menunggu Anda", waiting) % {"n": waiting}
    assessment = assessment_of(user=request.user, year=year)
    if request.user.position and (assessment is None or assessment.status == Assessment.Status.DRAFT):
        return str(_("Isi penilaian mandiri"))
    return ""


def tile() -> Tile:
    return Tile(
        slug="rencana",
        title=_("Rencana kompetensi"),
        url="/belajar/rencana/",
        icon="clipboard",
        order=18,
        badge=_badge,
        description=_("Profil kompetensi, kesenjangan, dan rencana pengembangan tahun ini"),
    )


def notification_types() -> list[NotificationType]:
    return [
        NotificationType("planning.assessment_submitted", _("Penilaian kompetensi menunggu validasi")),
        NotificationType("planning.assessment_validated", _("Penilaian kompetensi divalidasi")),
        NotificationType("planning.plan_proposed", _("Rencana pengembangan menunggu kesepakatan")),
        NotificationType("planning.plan_decided", _("Keputusan rencana pengembangan")),
    ]


def event_handlers() -> list[EventHandler]:
    from .services import on_skp_rated

    return [EventHandler("kinerja.skp.rated", "planning.performance_gap", on_skp_rated)]


def _owner_and_supervisor(row) -> list[int | None]:
    from django.contrib.auth import get_user_model

    supervisor = get_user_model().objects.filter(pk=row.user_id).values_list("supervisor_id", flat=True)
    return [row.user_id, supervisor.first()]


URLS = ModuleUrls(prefix="belajar/rencana/", urlconf="lms.planning.urls", namespace="planning")

BADGE_SOURCES = (
    BadgeSource("planning.Assessment", _owner_and_supervisor),
    BadgeSource("planning.DevelopmentPlan", _owner_and_supervisor),
)

# BKPSDM's administrators keep the dictionary, the standards and the competency tags in /django-admin/.
ADMIN_PERMISSIONS = tuple(
    f"planning.{action}_{model}"
    for model in (
        "competency",
        "behaviourindicator",
        "position",
        "positionstandard",
        "coursecompetency",
        "offercompetency",
    )
    for action in ("add", "change", "view", "delete")
) + tuple(f"planning.view_{model}" for model in ("assessment", "developmentplan", "performancerating"))


def demo() -> str:
    from .demo import planning_demo_load

    return planning_demo_load()
