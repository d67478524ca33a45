"""Progress, completion and JP as projections of statements. Each handler is idempotent: running it
twice, or in two workers at once, leaves the same rows (unique constraints decide races)."""

from __future__ import annotations

from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from content.models import CoursePage, LessonPage
from shell import events
from shell.inbox.services import notification_create

from . import activities
from .hours.models import LedgerEntry
from .hours.selectors import jakarta_date
from .hours.services import ledger_credit, ledger_reverse
from .models import Enrollment, LessonProgress
from .xapi.constants import (
    EXT_CATEGORY,
    EXT_FORM,
    EXT_JP,
    VERB_ANSWERED,
    VERB_COMPLETED,
    VERB_EXPERIENCED,
    VERB_FAILED,
    VERB_PASSED,
    VERB_VOIDED,
)
from .xapi.models import Statement, key
from .xapi.projections import project_pending, project_statement, projection
from .xapi.services import StatementConflict
from .xapi.transformers import learning_event_record

EVENT_COURSE_COMPLETED = "lms.course.completed"
EVENT_JP_CREDITED = "lms.jp.credited"


def _enrollment_for(statement: Statement, course_id: int) -> Enrollment | None:
    if statement.user_id is None:
        return None
    qs = Enrollment.objects.select_related("course", "user")
    if statement.registration:
        # A statement of another (e.g. deleted) enrolment never lands on the current one.
        return qs.filter(registration=statement.registration, user_id=statement.user_id, course_id=course_id).first()
    return qs.filter(user_id=statement.user_id, course_id=course_id).first()


def _lesson_and_enrollment(statement: Statement, expected_kind: str):
    parsed = activities.parse(statement.activity_id)
    if not parsed or parsed[0] != expected_kind:
        return None, None
    lesson = LessonPage.objects.filter(pk=parsed[1]).first()
    if lesson is None:
        return None, None
    parent = lesson.get_parent()
    return lesson, _enrollment_for(statement, parent.pk)


def _progress(enrollment: Enrollment, lesson: LessonPage) -> LessonProgress:
    try:
        with transaction.atomic():
            progress, _ = LessonProgress.objects.get_or_create(enrollment=enrollment, lesson=lesson)
    except IntegrityError:
        progress = LessonProgress.objects.get(enrollment=enrollment, lesson=lesson)
    return LessonProgress.objects.select_for_update().get(pk=progress.pk)


@projection(VERB_EXPERIENCED, own_activities=True)
def lesson_experienced(statement: Statement) -> None:
    lesson, enrollment = _lesson_and_enrollment(statement, "lesson")
    if enrollment is None or lesson.quiz is not None or lesson.h5p_gated:
        return
    progress = _progress(enrollment, lesson)
    if progress.completed_at is None:
        progress.completed_at = statement.timestamp
        progress.save(update_fields=["completed_at"])
    course_completion_check(enrollment=enrollment, at=statement.timestamp)


def _quiz_result(statement: Statement, passed: bool) -> None:
    lesson, enrollment = _lesson_and_enrollment(statement, "quiz")
    if enrollment is None:
        return
    scaled = ((statement.data.get("result") or {}).get("score") or {}).get("scaled")
    progress = _progress(enrollment, lesson)
    # Counted, not incremented, so that replaying a statement leaves the same number.
    progress.attempts = Statement.objects.filter(
        user_id=statement.user_id,
        activity_key=statement.activity_key,
        registration=statement.registration,
        verb_key__in=(key(VERB_PASSED), key(VERB_FAILED)),
        voided=False,
        timestamp__lte=statement.timestamp,
    ).count()
    if scaled is not None and (progress.best_score is None or Decimal(str(scaled)) > progress.best_score):
        progress.best_score = Decimal(str(scaled))
    if passed:
        progress.passed = True
        progress.completed_at = progress.completed_at or statement.timestamp
    elif progress.passed is None:
        progress.passed = False
    progress.save()
    if passed:
        course_completion_check(enrollment=enrollment, at=statement.timestamp)


@projection(VERB_PASSED, own_activities=True)
def quiz_passed(statement: Statement) -> None:
    _quiz_result(statement, passed=True)


@projection(VERB_FAILED, own_activities=True)
def quiz_failed(statement: Statement) -> None:
    _quiz_result(statement, passed=False)


@projection(VERB_ANSWERED, own_activities=True)
@projection(VERB_COMPLETED, own_activities=True)
@projection(VERB_PASSED, own_activities=True)
@projection(VERB_FAILED, own_activities=True)
def h5p_result(statement: Statement, *, rebuild: bool = False) -> None:
    """An H5P item's statement (or a nested item's, which counts towards its item): the lesson is done once
    every required scorable H5P item in it reached its pass mark (content.h5p.tracking decides)."""
    parsed = activities.parse_h5p(statement.activity_id)
    if not parsed:
        return
    lesson = LessonPage.objects.filter(pk=parsed[0]).first()
    if lesson is None or not lesson.h5p_gated:
        return
    enrollment = _enrollment_for(statement, lesson.get_parent().pk)
    if enrollment is None:
        return
    from content.h5p.tracking import h5p_lesson_status

    done, best, attempts = h5p_lesson_status(enrollment=enrollment, lesson=lesson)
    progress = _progress(enrollment, lesson)
    progress.attempts = attempts
    if rebuild:  # a statement was voided: derive the row again from what remains
        progress.best_score, progress.passed, progress.completed_at = None, None, None
    if best is not None:
        progress.best_score = best
    if done:
        progress.passed = True
        progress.completed_at = progress.completed_at or statement.timestamp
    elif progress.passed is None and attempts:
        progress.passed = False
    progress.save()
    if done:
        course_completion_check(enrollment=enrollment, at=statement.timestamp)


def course_completion_met(*, enrollment: Enrollment) -> bool:
    """Every required lesson done; a lesson with a quiz is done only when the quiz was passed."""
    required = [lesson.pk for lesson in enrollment.course.lessons() if lesson.required]
    if not required:
        return False
    done = set(
        LessonProgress.objects.filter(
            enrollment=enrollment, lesson_id__in=required, completed_at__isnull=False
        ).values_list("lesson_id", flat=True)
    )
    return done.issuperset(required)


def course_completion_check(*, enrollment: Enrollment, at) -> None:
    if enrollment.completed_at is None and course_completion_met(enrollment=enrollment):
        try:
            learning_event_record("lms.course.completed", user=enrollment.user, enrollment=enrollment, timestamp=at)
        except StatementConflict:
            # Already completed under this registration; the course's title or JP changed since. The
            # stored statement stands (statements are immutable) and is what the projections use.
            pass


@projection(VERB_VOIDED)
def statement_voided(statement: Statement) -> None:
    """Undo what a voided statement did: a course credit is reversed (never deleted), lesson progress
    is derived again from the lesson's remaining statements."""
    target = Statement.objects.filter(pk=statement.voids).select_related("user").first()
    if target is None or target.user is None:
        return
    parsed = activities.parse(target.activity_id)
    if not parsed:
        return
    kind, page_id = parsed
    if kind == "course" and target.verb == VERB_COMPLETED:
        entry = LedgerEntry.objects.filter(statement_id=target.pk, reverses__isnull=True).first()
        if entry is not None and not LedgerEntry.objects.filter(reverses=entry).exists():
            ledger_reverse(
                entry=entry,
                date=jakarta_date(statement.timestamp),
                note=f"Statement {target.pk} voided by {statement.pk}",
            )
        Enrollment.objects.filter(registration=target.registration, user=target.user).update(completed_at=None)
        return
    enrollment = Enrollment.objects.filter(registration=target.registration, user=target.user).first()
    if enrollment is None:
        return
    lesson_id = page_id
    LessonProgress.objects.filter(enrollment=enrollment, lesson_id=lesson_id).delete()
    lesson_iris = [activities.lesson_iri(lesson_id), activities.quiz_iri(lesson_id)]
    for remaining in (
        Statement.objects.filter(
            registration=target.registration,
            user=target.user,
            voided=False,
            activity_key__in=[key(iri) for iri in lesson_iris],
        )
        .exclude(pk=target.pk)
        .order_by("stored")
    ):
        project_statement(remaining)


@projection(VERB_VOIDED)
def h5p_statement_voided(statement: Statement) -> None:
    """A voided H5P statement no longer counts: the lesson's H5P progress is derived again without it."""
    target = Statement.objects.filter(pk=statement.voids).first()
    if target is not None and activities.parse_h5p(target.activity_id):
        h5p_result(target, rebuild=True)


@transaction.atomic
def projections_rebuild(*, user=None) -> int:
    """Drop progress, completion and course credits, and derive them again from the statements."""
    enrollments = Enrollment.objects.all() if user is None else Enrollment.objects.filter(user=user)
    statements = Statement.objects.filter(voided=False)
    ledger = LedgerEntry.objects.filter(source_kind=LedgerEntry.SourceKind.COURSE)
    if user is not None:
        statements, ledger = statements.filter(user=user), ledger.filter(user=user)
    LessonProgress.objects.filter(enrollment__in=enrollments).delete()
    enrollments.update(completed_at=None)
    ledger.filter(reversed_by__isnull=True).delete()
    statements.update(projected_at=None)
    return project_pending()


@projection(VERB_COMPLETED, own_activities=True)
def course_completed(statement: Statement) -> None:
    parsed = activities.parse(statement.activity_id)
    if not parsed or parsed[0] != "course":
        return
    course = CoursePage.objects.filter(pk=parsed[1]).first()
    if course is None or statement.user is None:
        return
    enrollment = _enrollment_for(statement, course.pk)
    updated = 0
    if enrollment is not None:
        updated = Enrollment.objects.filter(pk=enrollment.pk, completed_at__isnull=True).update(
            completed_at=statement.timestamp
        )
    extensions = (statement.data.get("context") or {}).get("extensions") or {}
    jp = Decimal(str(extensions.get(EXT_JP, course.jp)))
    # The credit follows the statement even when its enrolment is gone (e.g. a rebuild after a retake).
    entry, created = ledger_credit(
        user=statement.user,
        # Retaking a course credits its JP once (DOMAIN.md).
        source_key=f"course:{course.pk}:user:{statement.user_id}",
        jp=jp,
        date=jakarta_date(statement.timestamp),
        category=extensions.get(EXT_CATEGORY, course.category),
        form=extensions.get(EXT_FORM, course.development_form),
        source_kind=LedgerEntry.SourceKind.COURSE,
        title=course.title,
        statement_id=statement.id,
    )
    if updated:
        notification_create(
            user=enrollment.user,
            kind="lms.course_completed",
            title=_("Selamat! Anda menyelesaikan %(course)s") % {"course": course.title},
            body=_("%(jp)s JP dikreditkan ke riwayat belajar Anda.") % {"jp": _fmt(jp)} if created else "",
            url="/belajar/riwayat/",
            dedupe_key=f"course-completed:{enrollment.pk}",
        )
        events.publish(
            EVENT_COURSE_COMPLETED,
            {
                "user_id": enrollment.user_id,
                "course_id": course.pk,
                "course_title": course.title,
                "jp": str(jp),
                "statement_id": str(statement.id),
            },
            event_id=f"{EVENT_COURSE_COMPLETED}:{statement.id}",
        )
    if created:
        jp_credited_publish(entry=entry)


def jp_credited_publish(*, entry: LedgerEntry) -> None:
    """Tell the other modules that JP were credited (once per ledger entry, whatever credited it)."""
    events.publish(
        EVENT_JP_CREDITED,
        {"user_id": entry.user_id, "entry_id": entry.pk, "jp": str(entry.jp), "date": entry.date.isoformat()},
        event_id=f"{EVENT_JP_CREDITED}:{entry.pk}",
    )


def _fmt(value: Decimal) -> str:
    return f"{value.normalize():f}"
