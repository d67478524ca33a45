"""Setting up the catalogue and its moderation workflow (idempotent); telling reviewers and trainers what
happens in it."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import (
    Collection,
    GroupApprovalTask,
    GroupCollectionPermission,
    GroupPagePermission,
    Locale,
    Page,
    Site,
    TaskState,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)

from shell.events import publish
from shell.inbox.services import notification_create
from shell.people import roles
from shell.people.models import User

from .events import APPROVED, EVENT_REVIEW_DECIDED, EVENT_REVIEW_SUBMITTED
from .models import CatalogPage, LessonPage

CATALOG_SLUG = "kursus"


@transaction.atomic
def catalog_setup(*, title: str = "Katalog Kursus") -> CatalogPage:
    """The catalogue page, made the default site's root so it is served at /kursus/."""
    catalog = CatalogPage.objects.first()
    if catalog is None:
        # Wagtail's migrations create the locale and the tree's root; a flushed database has neither.
        Locale.objects.get_or_create(language_code=get_supported_content_language_variant(settings.LANGUAGE_CODE))
        root = Page.get_first_root_node() or Page.add_root(instance=Page(title="Root", slug="root"))
        catalog = root.add_child(instance=CatalogPage(title=title, slug=CATALOG_SLUG))
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        Site.objects.create(
            hostname="localhost", port=80, root_page=catalog, is_default_site=True, site_name="Universitas Pemerintahan"
        )
    else:
        if not site.site_name:  # Wagtail's own default site has none: its admin dashboard then says "localhost"
            site.site_name = settings.WAGTAIL_SITE_NAME
            site.save(update_fields=["site_name"])
        if site.root_page_id == catalog.pk:
            return catalog
        old_root = site.root_page
        site.root_page = catalog
        site.save()
        # Wagtail's placeholder "Welcome" page is of no use once the catalogue is the root.
        if old_root.content_type.model == "page" and old_root.depth == 2 and not old_root.get_children().exists():
            old_root.delete()
    return catalog


@transaction.atomic
def course_moderation_setup(*, catalog: CatalogPage) -> Workflow:
    """Trainers draft courses and submit them; curriculum reviewers approve and publish."""

    def perm(codename: str) -> Permission:
        return Permission.objects.get(content_type__app_label="wagtailcore", codename=codename)

    trainers = Group.objects.get(name=roles.TRAINER)
    reviewers = Group.objects.get(name=roles.REVIEWER)
    admins = Group.objects.get(name=roles.ADMIN)
    grants = {
        trainers: ["add_page"],  # create and edit their own pages; publishing needs a reviewer
        reviewers: ["add_page", "change_page", "publish_page"],
        admins: ["add_page", "change_page", "publish_page", "bulk_delete_page", "lock_page", "unlock_page"],
    }
    for group, codenames in grants.items():
        for codename in codenames:
            GroupPagePermission.objects.get_or_create(group=group, page=catalog, permission=perm(codename))

    task = GroupApprovalTask.objects.filter(name="Tinjauan kurikulum").first()
    if task is None:
        task = GroupApprovalTask.objects.create(name="Tinjauan kurikulum")
    task.groups.set([reviewers])
    workflow, _ = Workflow.objects.get_or_create(name="Moderasi kursus")
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})
    WorkflowPage.objects.update_or_create(page=catalog, defaults={"workflow": workflow})
    video_library_setup()
    return workflow


# --- moderation: telling reviewers and trainers --------------------------------------------------------
# Wagtail's workflow signals (content/apps.py) publish the content module's events; their handlers (in
# Celery, after commit) put the notices in the shell's inbox. A handler may run twice: the dedupe keys
# make the second run a no-op.


def _page_kind(page) -> str:
    return _("Pelajaran") if isinstance(page.specific, LessonPage) else _("Kursus")


def _mounted() -> bool:
    # Wagtail's signals fire whether the module is mounted or not; unmounted, it declares no events.
    return "content" in settings.SHELL_MODULES


def review_submitted_publish(*, task_state: TaskState, user) -> None:
    """A moderation task started for a page (submitted, resubmitted, or moved on to the next task)."""
    page = task_state.workflow_state.content_object
    if not _mounted() or not isinstance(page, Page):
        return
    publish(
        EVENT_REVIEW_SUBMITTED,
        {
            "task_state_id": task_state.pk,
            "page_id": page.pk,
            "title": task_state.revision.object_str or page.title,
            "submitted_by": getattr(user, "pk", None) or task_state.workflow_state.requested_by_id or 0,
        },
        event_id=f"content.review.submitted:{task_state.pk}",
    )


def review_decided_publish(*, task_state: TaskState, decision: str, user) -> None:
    """A reviewer approved the whole workflow, or asked for changes on one of its tasks."""
    page = task_state.workflow_state.content_object
    if not _mounted() or not isinstance(page, Page):
        return
    publish(
        EVENT_REVIEW_DECIDED,
        {
            "task_state_id": task_state.pk,
            "page_id": page.pk,
            "title": task_state.revision.object_str or page.title,
            "decision": decision,
            "comment": task_state.comment or "",
            "reviewer_id": getattr(user, "pk", None) or task_state.finished_by_id or 0,
        },
        event_id=f"content.review.decided:{task_state.pk}",
    )


def reviewers_of(task_state: TaskState):
    task = task_state.task.specific
    if not isinstance(task, GroupApprovalTask):
        return User.objects.none()
    return User.objects.filter(is_active=True, groups__in=task.groups.all()).distinct()


def review_submitted_notify(event_id: str, payload: dict) -> None:
    """Everybody who may approve the task is told what waits, with a link to the submitted version."""
    task_state = TaskState.objects.select_related("workflow_state").filter(pk=payload["task_state_id"]).first()
    if task_state is None:
        return
    page = Page.objects.filter(pk=payload["page_id"]).first()
    if page is None:
        return
    submitter = User.objects.filter(pk=payload["submitted_by"]).first()
    kind = _page_kind(page)
    url = reverse("wagtailadmin_pages:workflow_preview", args=[page.pk, task_state.task_id])
    for reviewer in reviewers_of(task_state).exclude(pk=payload["submitted_by"]):
        notification_create(
            user=reviewer,
            kind="content.review_submitted",
            title=_("%(kind)s menunggu tinjauan Anda: %(title)s") % {"kind": kind, "title": payload["title"]},
            body=_("Diajukan oleh %(name)s. Buka pratinjaunya, lalu setujui atau minta perubahan.")
            % {"name": submitter.display_name if submitter else "-"},
            url=url,
            dedupe_key=f"content.review.submitted:{task_state.pk}:{reviewer.pk}",
        )


def review_decided_notify(event_id: str, payload: dict) -> None:
    """The trainer who submitted (and the page's owner) hears the decision, with the reviewer's comment."""
    task_state = TaskState.objects.select_related("workflow_state").filter(pk=payload["task_state_id"]).first()
    workflow_state = task_state.workflow_state if task_state else None
    page = Page.objects.filter(pk=payload["page_id"]).first()
    if page is None:
        return
    reviewer = User.objects.filter(pk=payload["reviewer_id"]).first()
    recipients = {page.owner_id, workflow_state.requested_by_id if workflow_state else None}
    recipients.discard(None)
    recipients.discard(payload["reviewer_id"])
    approved = payload["decision"] == APPROVED
    kind = _page_kind(page)
    if approved:
        title = _("%(kind)s disetujui dan diterbitkan: %(title)s")
        kind_key = "content.review_approved"
    else:
        title = _("Perlu perbaikan: %(kind)s %(title)s")
        kind_key = "content.review_changes_requested"
    by = reviewer.display_name if reviewer else "-"
    if payload["comment"]:
        body = _("%(name)s menulis: “%(comment)s”") % {"name": by, "comment": payload["comment"]}
    else:
        body = _("Oleh %(name)s, tanpa komentar.") % {"name": by}
    url = page.url if approved and page.live and page.url else reverse("wagtailadmin_pages:edit", args=[page.pk])
    for user in User.objects.filter(pk__in=recipients, is_active=True):
        notification_create(
            user=user,
            kind=kind_key,
            title=title % {"kind": kind, "title": payload["title"]},
            body=body,
            url=url,
            dedupe_key=f"content.review.decided:{payload['task_state_id']}:{user.pk}",
        )


def collection_root() -> Collection:
    """The root of Wagtail's collections (media, documents, images live in one); a flushed database has none."""
    return Collection.get_first_root_node() or Collection.add_root(name="Root")


def video_library_setup() -> None:
    """Trainers upload lesson videos to the CMS's media library (and choose and edit their own); admins manage
    all of them. Wagtail grants collection members' permissions per collection, here the root."""
    root = collection_root()

    def perm(codename: str) -> Permission:
        return Permission.objects.get(content_type__app_label="wagtailmedia", codename=codename)

    grants = {
        roles.TRAINER: ["add_media"],
        roles.ADMIN: ["add_media", "change_media", "delete_media"],
    }
    for role, codenames in grants.items():
        group = Group.objects.get(name=role)
        for codename in codenames:
            GroupCollectionPermission.objects.get_or_create(group=group, collection=root, permission=perm(codename))
