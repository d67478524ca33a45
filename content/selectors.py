from __future__ import annotations

import re
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import DatabaseError, transaction
from django.db.models import Q, QuerySet
from wagtail.models import GroupApprovalTask, Page, TaskState, WorkflowState

from .models import CatalogPage, CoursePage, LessonPage


def course_search(*, catalog: CatalogPage, filters: dict[str, Any]):
    """Published courses of the catalogue, filtered; a search query ranks by relevance."""
    qs: QuerySet[CoursePage] = CoursePage.objects.live().descendant_of(catalog).select_related("cover_image")
    if filters.get("category"):
        qs = qs.filter(category=filters["category"])
    if filters.get("mode"):
        qs = qs.filter(delivery_mode=filters["mode"])
    if filters.get("jp_min") is not None:
        qs = qs.filter(jp__gte=filters["jp_min"])
    if filters.get("jp_max") is not None:
        qs = qs.filter(jp__lte=filters["jp_max"])
    if filters.get("q"):
        # Words only: the search backends read quotes and operators as query syntax (SQLite's FTS5 refuses an
        # unbalanced '"' with an error), and a visitor's search is never syntax.
        words = " ".join(re.findall(r"\w+", filters["q"]))
        if not words:
            return []
        try:
            with transaction.atomic():
                return list(qs.search(words))
        except DatabaseError:  # a backend's query error is no outage: match titles instead
            return list(qs.filter(title__icontains=words).order_by("title"))
    return qs.order_by("title")


def lessons_using_media(*, media_id: int) -> list[LessonPage]:
    """The lesson pages whose body, live or in their latest draft, places this uploaded video. Read from the
    pages themselves: Wagtail's reference index is updated in the background and may lag."""

    def places(body) -> bool:
        return any(
            block.block_type == "video"
            and block.value.get("media") is not None
            and block.value.get("media").pk == media_id
            for block in body
        )

    used = []
    for page in LessonPage.objects.select_related("latest_revision").order_by("title"):
        bodies = [page.body]
        if page.has_unpublished_changes and page.latest_revision is not None:
            bodies.append(page.latest_revision.as_object().body)
        if any(places(body) for body in bodies):
            used.append(page)
    return used


# --- moderation: what waits for a trainer or a reviewer --------------------------------------------------


def review_tasks_waiting_for(*, user) -> QuerySet[TaskState]:
    """The moderation tasks (courses and lessons submitted) the user may approve now: Wagtail's own rule
    (the members of a group approval task's groups; superusers for every task)."""
    if not user.is_authenticated:
        return TaskState.objects.none()
    return TaskState.objects.reviewable_by(user).filter(workflow_state__status=WorkflowState.STATUS_IN_PROGRESS)


def _content_pages_of(user) -> QuerySet[Page]:
    return Page.objects.type(CoursePage, LessonPage).filter(owner=user)


def changes_requested_for(*, user) -> QuerySet[WorkflowState]:
    """Submissions of the user's (theirs, or pages they own) that a reviewer sent back for changes."""
    owned = _content_pages_of(user).values_list("pk", flat=True)
    return WorkflowState.objects.filter(
        Q(requested_by=user) | Q(object_id__in=[str(pk) for pk in owned]),
        base_content_type=ContentType.objects.get_for_model(Page),
        status=WorkflowState.STATUS_NEEDS_CHANGES,
    )


def drafts_of(*, user) -> QuerySet[Page]:
    """The user's courses and lessons with changes nobody has published, not yet submitted for review
    (nor sent back: those are counted as changes requested)."""
    waiting = WorkflowState.objects.filter(
        base_content_type=ContentType.objects.get_for_model(Page),
        status__in=[WorkflowState.STATUS_IN_PROGRESS, WorkflowState.STATUS_NEEDS_CHANGES],
    ).values_list("object_id", flat=True)
    return _content_pages_of(user).filter(has_unpublished_changes=True).exclude(pk__in=_int_ids(waiting))


def _int_ids(object_ids) -> list[int]:
    # WorkflowState.object_id is a string (any model's key); pages' keys are integers.
    return [int(pk) for pk in object_ids if str(pk).isdigit()]


def is_reviewer(*, user) -> bool:
    """Somebody who approves courses: a member of an active group approval task's groups."""
    if not user.is_authenticated:
        return False
    return GroupApprovalTask.objects.filter(active=True, groups__in=user.groups.all()).exists()


def unpublished_lesson_count(*, course: CoursePage) -> int:
    """Lessons of the course not live: each goes through its own review, so approving the course leaves them out."""
    return LessonPage.objects.child_of(course).filter(live=False).count()


def lessons_for_preview(*, course: CoursePage) -> list[LessonPage]:
    """Every lesson of the course as its latest draft (published or not): what a reviewer approves."""
    return [page.get_latest_revision_as_object() for page in LessonPage.objects.child_of(course).order_by("path")]
