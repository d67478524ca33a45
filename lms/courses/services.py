"""Writes for running a course: announcements (delivered to every learner's inbox in bulk, by a task),
bulk enrolments (confirmed from a preview, run in chunks by a task), coordinators, calendar feeds."""

from __future__ import annotations

import datetime as dt
import uuid

from django.contrib.auth.models import Group
from django.db import IntegrityError, transaction
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from content.models import CoursePage
from shell import events
from shell.inbox.services import notifications_create_bulk
from shell.people.models import Unit, User

from ..events import EVENT_COURSE_ANNOUNCED, EVENT_ENROLLMENT_BATCH_CONFIRMED
from ..models import Enrollment
from ..services import NO_LESSON_YET, LearningError, enrollment_create
from .models import Announcement, CalendarFeed, EnrollmentBatch, TrainingCoordinator, new_feed_token
from .roles import COORDINATOR
from .selectors import BulkPlan, course_is_trainer

NOTICE_ANNOUNCEMENT = "lms.course_announcement"
NOTICE_ASSIGNED = "lms.course_assigned"
TITLE_MAX, BODY_MAX = 150, 4000


# Announcements ----------------------------------------------------------------------------------------


def check_announcement_create(
    *, author, course: CoursePage, title: str, body: str, request_key: uuid.UUID
) -> tuple[Announcement, bool]:
    """A trainer of the course announces something to its learners; (announcement, created). The same
    form sent again (``request_key``) returns the first announcement and sends nothing more."""
    if not course_is_trainer(user=author, course=course):
        raise LearningError(_("Hanya pelatih kursus ini yang dapat menulis pengumuman."))
    title, body = (title or "").strip(), (body or "").strip()
    if not title or not body:
        raise LearningError(_("Isi judul dan isi pengumuman."))
    if len(title) > TITLE_MAX or len(body) > BODY_MAX:
        raise LearningError(
            _("Judul paling panjang %(title)s karakter dan isi %(body)s karakter.")
            % {"title": TITLE_MAX, "body": BODY_MAX}
        )
    existing = Announcement.objects.filter(request_key=request_key).first()
    if existing is not None:
        return _same_sender(existing, author, course), False
    try:
        with transaction.atomic():
            announcement = Announcement.objects.create(
                course=course, author=author, title=title, body=body, request_key=request_key
            )
            events.publish(
                EVENT_COURSE_ANNOUNCED,
                {"announcement_id": announcement.pk, "course_id": course.pk, "title": title},
                event_id=f"course-announced:{announcement.pk}",
            )
    except IntegrityError:  # the same form, sent twice at once
        return _same_sender(Announcement.objects.get(request_key=request_key), author, course), False
    return announcement, True


def _same_sender(announcement: Announcement, author, course: CoursePage) -> Announcement:
    if announcement.author_id != author.pk or announcement.course_id != course.pk:
        raise LearningError(_("Formulir ini sudah dipakai. Muat ulang halaman lalu tulis lagi."))
    return announcement


def announcement_deliver(*, announcement_id: int) -> int:
    """Put the announcement in the inbox of everyone enrolled (active employees, the author aside), a
    thousand rows per INSERT; once per learner however often it runs. Returns how many were addressed."""
    announcement = Announcement.objects.select_related("course").filter(pk=announcement_id).first()
    if announcement is None:
        return 0
    course = announcement.course
    learners = (
        Enrollment.objects.filter(course=course, user__is_active=True)
        .exclude(user_id=announcement.author_id)
        .values_list("user_id", flat=True)
    )
    count = notifications_create_bulk(
        user_ids=list(learners),
        kind=NOTICE_ANNOUNCEMENT,
        title=_("Pengumuman %(course)s: %(title)s") % {"course": course.title, "title": announcement.title},
        body=announcement.body,
        url=f"{course.url or ''}#pengumuman",
        dedupe_prefix=f"course-announcement:{announcement.pk}",
    )
    Announcement.objects.filter(pk=announcement.pk).update(delivered_at=timezone.now(), recipients=count)
    return count


def announcement_deliver_on_event(event_id: str, payload: dict) -> None:
    """Handler of ``lms.course.announced`` (run in Celery after the announcement is committed)."""
    announcement_deliver(announcement_id=payload["announcement_id"])


# Bulk enrolment ---------------------------------------------------------------------------------------

BATCH_CHUNK = 200  # enrolments per task run: each records its xAPI statement, so a run stays short


def check_enrollment_batch_confirm(
    *, by, plan: BulkPlan, due_date: dt.date | None, request_key: uuid.UUID
) -> tuple[EnrollmentBatch, bool]:
    """Confirm a previewed plan (recomputed by the caller from the same input): all of it or nothing. The
    same confirmation sent again returns the first batch."""
    existing = EnrollmentBatch.objects.filter(request_key=request_key).first()
    if existing is not None:
        if existing.created_by_id != by.pk or existing.course_id != plan.course.pk:
            raise LearningError(_("Formulir ini sudah dipakai. Muat ulang halaman lalu coba lagi."))
        return existing, False
    if plan.errors:
        raise LearningError(_("Perbaiki dulu baris yang salah; belum ada yang didaftarkan."))
    if not plan.to_enroll:
        raise LearningError(_("Tidak ada pegawai yang perlu didaftarkan."))
    if not plan.course.live:
        raise LearningError(_("Kursus ini belum diterbitkan."))
    if not plan.course.open_for_enrolment():
        raise LearningError(str(NO_LESSON_YET))
    try:
        with transaction.atomic():
            batch = EnrollmentBatch.objects.create(
                course=plan.course,
                created_by=by,
                description=plan.description[:255],
                due_date=due_date,
                user_ids=[user.pk for user in plan.to_enroll],
                request_key=request_key,
            )
            events.publish(
                EVENT_ENROLLMENT_BATCH_CONFIRMED,
                {"batch_id": batch.pk, "course_id": plan.course.pk, "count": len(batch.user_ids)},
                event_id=f"enrollment-batch:{batch.pk}",
            )
    except IntegrityError:
        return EnrollmentBatch.objects.get(request_key=request_key), False
    return batch, True


def enrollment_batch_run(*, batch_id: int, chunk: int = BATCH_CHUNK) -> int:
    """Enrol the next ``chunk`` employees of the batch not enrolled yet and tell them (one notice each,
    however often this runs); returns how many remain. A finished batch is marked done."""
    batch = EnrollmentBatch.objects.select_related("course", "created_by").filter(pk=batch_id).first()
    if batch is None or batch.done_at is not None:
        return 0
    course = batch.course
    pending = list(
        User.objects.filter(pk__in=batch.user_ids, is_active=True)  # one who left since the preview is not enrolled
        .exclude(enrollments__course=course)
        .order_by("pk")
    )
    for user in pending[:chunk]:
        enrollment_create(
            user=user,
            course=course,
            source=Enrollment.Source.ASSIGNED,
            assigned_by=batch.created_by,
            due_date=batch.due_date,
            notify=False,
        )
    left = len(pending[chunk:])
    if batch.due_date:
        body = _("Didaftarkan oleh %(by)s. Selesaikan sebelum %(due)s.") % {
            "by": batch.created_by,
            "due": date_format(batch.due_date, "j F Y"),
        }
    else:
        body = _("Didaftarkan oleh %(by)s.") % {"by": batch.created_by}
    done_ids = set(
        Enrollment.objects.filter(course=course, user_id__in=batch.user_ids).values_list("user_id", flat=True)
    )
    # This run's employees; the last run addresses everyone of the batch, so that a notice lost with an
    # earlier run (a worker killed between enrolling and telling) is sent (once: deduplicated).
    notifications_create_bulk(
        user_ids=sorted(done_ids) if not left else [user.pk for user in pending[:chunk]],
        kind=NOTICE_ASSIGNED,
        title=_("Anda didaftarkan ke kursus: %(course)s") % {"course": course.title},
        body=body,
        url=course.url or "",
        dedupe_prefix=f"enrollment-batch:{batch.pk}",
    )
    update = {"enrolled": len(done_ids), "progressed_at": timezone.now()}
    if not left:
        update["done_at"] = timezone.now()
    EnrollmentBatch.objects.filter(pk=batch.pk).update(**update)
    return left


def enrollment_batches_pending(*, older_than_seconds: int = 300) -> list[int]:
    """Batches not finished that have not moved for some minutes: their task was lost (a broker outage, a
    dead worker); the beat runs them again."""
    since = timezone.now() - dt.timedelta(seconds=older_than_seconds)
    stalled = EnrollmentBatch.objects.annotate(moved=Coalesce("progressed_at", "created_at")).filter(
        done_at__isnull=True, moved__lt=since
    )
    return list(stalled.order_by("pk").values_list("pk", flat=True))


# Coordinators and calendar feeds -------------------------------------------------------------------------


def coordinator_grant(*, user: User, unit: Unit) -> TrainingCoordinator:
    """Make ``user`` a training coordinator of ``unit`` (and its sub-units), with the role."""
    row, _created = TrainingCoordinator.objects.get_or_create(user=user, unit=unit)
    user.groups.add(Group.objects.get(name=COORDINATOR))
    return row


def calendar_feed_get(*, user) -> CalendarFeed:
    feed, _created = CalendarFeed.objects.get_or_create(user=user)
    return feed


def calendar_feed_reset(*, user) -> CalendarFeed:
    """A new secret address; the old one stops working at once."""
    with transaction.atomic():
        feed, created = CalendarFeed.objects.select_for_update().get_or_create(user=user)
        if not created:
            feed.token, feed.reset_at = new_feed_token(), timezone.now()
            feed.save(update_fields=["token", "reset_at"])
    return feed
