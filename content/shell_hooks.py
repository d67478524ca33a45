"""The course content's one registration with the shell: where trainers and reviewers find their work in
the Wagtail admin (/cms/), with what waits for them, and the moderation notices in the inbox."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from shell import hooks
from shell.people import roles
from shell.types import BadgeSource, EventHandler, Module, NotificationType, Tile

from .events import EVENT_REVIEW_DECIDED, EVENT_REVIEW_SUBMITTED, EVENTS


def _is_trainer(request) -> bool:
    user = request.user
    return user.has_perm("wagtailadmin.access_admin") and user.groups.filter(name=roles.TRAINER).exists()


def _is_reviewer(request) -> bool:
    from .selectors import is_reviewer

    return request.user.has_perm("wagtailadmin.access_admin") and is_reviewer(user=request.user)


def _trainer_badge(request) -> str:
    from .selectors import changes_requested_for, drafts_of

    drafts = drafts_of(user=request.user).count()
    sent_back = changes_requested_for(user=request.user).count()
    parts = []
    if sent_back:
        parts.append(ngettext("%(n)s perlu perbaikan", "%(n)s perlu perbaikan", sent_back) % {"n": sent_back})
    if drafts:
        parts.append(ngettext("%(n)s draf", "%(n)s draf", drafts) % {"n": drafts})
    return " · ".join(parts)


def _reviewer_badge(request) -> str:
    from .selectors import review_tasks_waiting_for

    waiting = review_tasks_waiting_for(user=request.user).count()
    if not waiting:
        return ""
    return ngettext("%(n)s menunggu tinjauan", "%(n)s menunggu tinjauan", waiting) % {"n": waiting}


def _trainer_tile() -> Tile:
    return Tile(
        slug="cms-pelatih",
        title=_("Kelola kursus"),
        url="/cms/",
        icon="edit",
        order=20,
        badge=_trainer_badge,
        is_shown=_is_trainer,
        description=_("Tulis kursus dan pelajaran, ajukan untuk ditinjau"),
    )


def _reviewer_tile() -> Tile:
    return Tile(
        slug="cms-tinjauan",
        title=_("Tinjauan kursus"),
        url="/cms/",
        icon="check",
        order=21,
        badge=_reviewer_badge,
        is_shown=_is_reviewer,
        description=_("Pratinjau kursus yang diajukan pelatih, setujui atau minta perubahan"),
    )


def _notification_types():
    return [
        NotificationType("content.review_submitted", _("Kursus menunggu tinjauan")),
        NotificationType("content.review_approved", _("Kursus disetujui")),
        NotificationType("content.review_changes_requested", _("Kursus perlu perbaikan")),
    ]


def _event_handlers():
    from .services import review_decided_notify, review_submitted_notify

    return [
        EventHandler(EVENT_REVIEW_SUBMITTED, "content.review_submitted_notify", review_submitted_notify),
        EventHandler(EVENT_REVIEW_DECIDED, "content.review_decided_notify", review_decided_notify),
    ]


def _task_state_users(task_state) -> list[int]:
    """Whose badges a moderation task changes: its reviewers' and the submitter's."""
    from django.core.exceptions import ObjectDoesNotExist

    from .services import reviewers_of

    try:
        requested_by = task_state.workflow_state.requested_by_id
        reviewers = list(reviewers_of(task_state).values_list("pk", flat=True))
    except ObjectDoesNotExist:  # deleted with its page
        return []
    return [*reviewers, requested_by]


hooks.register_module(
    Module(
        slug="content",
        name=_("Konten kursus"),
        icon="edit",
        tiles=(_trainer_tile, _reviewer_tile),
        notification_types=_notification_types,
        events_published=EVENTS,
        event_handlers=_event_handlers,
        badge_sources=(
            BadgeSource("wagtailcore.TaskState", _task_state_users),
            BadgeSource("wagtailcore.WorkflowState", lambda state: [state.requested_by_id]),
            BadgeSource("content.CoursePage", lambda page: [page.owner_id]),
            BadgeSource("content.LessonPage", lambda page: [page.owner_id]),
        ),
    )
)
