"""e-Kinerja's one registration with the shell."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from shell import hooks
from shell.types import BadgeSource, EventHandler, MenuItem, Module, NotificationType, PeriodicTask, Tile

from .events import EVENTS


def _badge(request) -> str:
    from .selectors import returned_count, review_count

    pending = review_count(user=request.user)
    if pending:
        return ngettext("%(n)d aktivitas perlu persetujuan", "%(n)d aktivitas perlu persetujuan", pending) % {
            "n": pending
        }
    returned = returned_count(user=request.user)
    if returned:
        return ngettext("%(n)d aktivitas dikembalikan", "%(n)d aktivitas dikembalikan", returned) % {"n": returned}
    return ""


def _is_employee(request) -> bool:
    # Technical accounts (an administrator without a unit) keep no activity log.
    return request.user.unit_id is not None or request.user.team.exists()


def _tile() -> Tile:
    return Tile(
        slug="kinerja",
        title=_("e-Kinerja"),
        url="/kinerja/",
        icon="chart",
        order=30,
        badge=_badge,
        description=_("SKP dan aktivitas harian"),
    )


def _menu() -> MenuItem:
    return MenuItem(label=_("Kinerja"), url="/kinerja/", order=60)


def _notification_types():
    return [
        NotificationType("kinerja.activity_returned", _("Aktivitas dikembalikan atasan")),
        NotificationType("kinerja.skp_reviewed", _("SKP diperiksa atasan")),
    ]


def _handlers():
    from . import handlers

    return [
        EventHandler("lms.course.completed", "kinerja.activity_from_course", handlers.on_course_completed),
        EventHandler("lms.session.attended", "kinerja.activity_from_session", handlers.on_session_attended),
        EventHandler("lms.certificate.issued", "kinerja.certificate_evidence", handlers.on_certificate_issued),
        EventHandler("layanan.request.done", "kinerja.activity_from_service", handlers.on_request_done),
        EventHandler("apps.activity.recorded", "kinerja.activity_from_app", handlers.on_app_activity),
    ]


def _activity_badge_users(activity) -> list[int | None]:
    """An activity's status shows on its owner's badge (returned) and their supervisor's (to approve)."""
    from django.contrib.auth import get_user_model

    supervisor = get_user_model().objects.filter(pk=activity.user_id).values_list("supervisor_id", flat=True)
    return [activity.user_id, supervisor.first()]


def _demo():
    from .demo import load_demo

    return load_demo()


hooks.register_module(
    Module(
        slug="kinerja",
        name=_("e-Kinerja"),
        icon="chart",
        url_prefix="kinerja/",
        urlconf="shell.modules.kinerja.urls",
        api_prefix="kinerja/",
        api_urlconf="shell.modules.kinerja.api",
        is_shown=_is_employee,
        tiles=(_tile,),
        menu_items=(_menu,),
        notification_types=_notification_types,
        events_published=EVENTS,
        event_handlers=_handlers,
        demo_data=_demo,
        badge_sources=(BadgeSource("kinerja.Activity", _activity_badge_users),),
        # Approved activities not yet pushed (a lost run, an outage); a no-op when the push is off.
        periodic_tasks=(PeriodicTask("kinerja-push-pending", "kinerja.push_pending", 300.0),),
    )
)
