"""Progress, completion and JP as projections of the statements the platform can stand behind (docs/trust.md):
its own (PLATFORM: a video watched too), the H5P player's endpoint's (PLAYER, H5P items only), and a trusted
LRS client's for the activities an admin named (TRUSTED_CLIENT). What anyone else sends is stored and changes
nothing here. Each handler is idempotent: running it twice, or in two workers at once, leaves the same rows."""

from __future__ import annotations

from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from content.models import CoursePage, LessonPage
from shell import events, formatting
from shell.inbox.services import notification_create

from . import activities
from .evaluation.selectors import posttest_gate_met
from .events import EVENT_COURSE_COMPLETED
from .h5p.selectors import h5p_lesson_status
from .hours.evidence import credit_for_statement
from .hours.models import LedgerEntry
from .hours.services import ledger_credit, ledger_reverse
from .models import Enrollment, LessonProgress
from .video.selectors import video_lesson_done
from .xapi.constants import (
    VERB_ANSWERED,
    VERB_COMPLETED,
    VERB_EXPERIENCED,
    VERB_FAILED,
    VERB_PASSED,
    VERB_VOIDED,
)
from .xapi.models import Statement, TrustedActivity, key
from .xapi.projections import TRUSTED_CLIENT, project_pending, project_statement, projection
from .xapi.services import StatementConflict
from .xapi.transformers import learning_event_record

PLAYER = frozenset({Statement.Source.PLAYER})


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
    if enrollment is None or lesson.quiz is not None or lesson.h5p_gated or lesson.video_gated:
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
        if video_lesson_done(enrollment=enrollment, lesson=lesson):
            progress.completed_at = progress.completed_at or statement.timestamp
    elif progress.passed is None:
        progress.passed = False
    progress.save()
    if passed and progress.completed_at is not None:
        course_completion_check(enrollment=enrollment, at=statement.timestamp)


@projection(VERB_PASSED, own_activities=True)
def quiz_passed(statement: Statement) -> None:
    _quiz_result(statement, passed=True)


@projection(VERB_FAILED, own_activities=True)
def quiz_failed(statement: Statement) -> None:
    _quiz_result(statement, passed=False)


@projection(VERB_ANSWERED, own_activities=True, sources=PLAYER)
@projection(VERB_COMPLETED, own_activities=True, sources=PLAYER)
@projection(VERB_PASSED, own_activities=True, sources=PLAYER)
@projection(VERB_FAILED, own_activities=True, sources=PLAYER)
def h5p_result(statement: Statement, *, rebuild: bool = False) -> None:
    """An H5P item's statement from the player's endpoint (or a nested item's, which counts towards its item):
    the lesson is done once every required scorable H5P item in it reached its pass mark, by the results
    that endpoint accepted (lms.h5p)."""
    parsed = activities.parse_h5p(statement.activity_id)
    if not parsed:
        return
    lesson = LessonPage.objects.filter(pk=parsed[0]).first()
    if lesson is None or not lesson.h5p_gated:
        return
    enrollment = _enrollment_for(statement, lesson.get_parent().pk)
    if enrollment is None:
        return
    done, best, attempts = h5p_lesson_status(enrollment=enrollment, lesson=lesson)
    progress = _progress(enrollment, lesson)
    progress.attempts = attempts
    if rebuild:  # a statement was voided: derive the row again from what remains
        progress.best_score, progress.passed, progress.completed_at = None, None, None
    if best is not None:
        progress.best_score = best
    if done:
        progress.passed = True
        if video_lesson_done(enrollment=enrollment, lesson=lesson):
            progress.completed_at = progress.completed_at or statement.timestamp
    elif progress.passed is None and attempts:
        progress.passed = False
    progress.save()
    if done and progress.completed_at is not None:
        course_completion_check(enrollment=enrollment, at=statement.timestamp)


@projection(VERB_COMPLETED, own_activities=True)
def video_watched(statement: Statement) -> None:
    """The platform's own word that a lesson video was watched (lms.video): the lesson is done once every video
    that gates it was watched, and its quiz passed or its H5P items done where it has them."""
    parsed = activities.parse_video(statement.activity_id)
    if not parsed:
        return
    lesson = LessonPage.objects.filter(pk=parsed[0]).first()
    if lesson is None or not lesson.video_gated:
        return
    enrollment = _enrollment_for(statement, lesson.get_parent().pk)
    if enrollment is None or not video_lesson_done(enrollment=enrollment, lesson=lesson):
        return
    progress = _progress(enrollment, lesson)
    if lesson.quiz is not None or lesson.h5p_gated:
        others_done = bool(progress.passed)  # the quiz passed, or the H5P items reached their pass marks
    else:
        others_done = True
    if others_done and progress.completed_at is None:
        progress.completed_at = statement.timestamp
        progress.save(update_fields=["completed_at"])
    if progress.completed_at is not None:
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
    return done.issuperset(required) and posttest_gate_met(enrollment=enrollment)


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
    """Undo what a voided statement of the platform did: a credit is reversed (never deleted) in its own year,
    lesson progress is derived again from the lesson's remaining statements. Only the platform voids its own
    statements (the LRS lets a client void only what it sent itself, which never counted here)."""
    target = Statement.objects.filter(pk=statement.voids).select_related("user").first()
    if target is None or target.user is None or target.source != Statement.Source.PLATFORM:
        return
    credit = credit_for_statement(target)
    if credit is not None:
        entry = LedgerEntry.objects.filter(source_key=credit.source_key, statement_id=target.pk).first()
        if entry is not None:
            ledger_reverse(
                entry=entry, date=entry.date, note=f"Statement {target.pk} voided", evidence=f"void:{statement.pk}"
            )
        if credit.kind == LedgerEntry.SourceKind.COURSE:
            Enrollment.objects.filter(registration=target.registration, user=target.user).update(completed_at=None)
        return
    parsed = activities.parse(target.activity_id)
    if not parsed or parsed[0] == "course":
        return
    enrollment = Enrollment.objects.filter(registration=target.registration, user=target.user).first()
    if enrollment is None:
        return
    lesson_id = parsed[1]
    LessonProgress.objects.filter(enrollment=enrollment, lesson_id=lesson_id).delete()
    lesson_iris = [activities.lesson_iri(lesson_id), activities.quiz_iri(lesson_id)]
    for remaining in (
        Statement.objects.filter(
            registration=target.registration,
            user=target.user,
            voided=False,
            source=Statement.Source.PLATFORM,
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
    if target is not None and target.source == Statement.Source.PLAYER and activities.parse_h5p(target.activity_id):
        h5p_result(target, rebuild=True)


@projection(VERB_COMPLETED, own_activities=True)
def course_completed(statement: Statement) -> None:
    """The platform's own completion of a course: the enrolment is completed, and the course's JP (as the
    platform wrote them from the course's configuration) credited once per employee."""
    credit = credit_for_statement(statement)
    if credit is None or credit.kind != LedgerEntry.SourceKind.COURSE:
        return
    course = CoursePage.objects.filter(pk=credit.ref).first()
    enrollment = _enrollment_for(statement, credit.ref)
    updated = 0
    if enrollment is not None:
        updated = Enrollment.objects.filter(pk=enrollment.pk, completed_at__isnull=True).update(
            completed_at=statement.timestamp
        )
    # The credit follows the statement even when its enrolment is gone (e.g. a rebuild after a retake).
    entry, created = ledger_credit(credit=credit)
    if updated and course is not None:
        notification_create(
            user=enrollment.user,
            kind="lms.course_completed",
            title=_("Selamat! Anda menyelesaikan %(course)s") % {"course": course.title},
            body=_("%(jp)s JP dikreditkan ke riwayat belajar Anda.") % {"jp": formatting.jp(entry.jp)}
            if created
            else "",
            url="/belajar/riwayat/",
            dedupe_key=f"course-completed:{enrollment.pk}",
        )
        events.publish(
            EVENT_COURSE_COMPLETED,
            {
                "user_id": enrollment.user_id,
                "course_id": course.pk,
                "course_title": course.title,
                "jp": str(entry.jp),
                "statement_id": str(statement.id),
            },
            event_id=f"{EVENT_COURSE_COMPLETED}:{statement.id}",
        )


@projection(VERB_COMPLETED, own_activities=True)
def classroom_or_claim_completed(statement: Statement) -> None:
    """The platform's own completion of a class or an approved claim: credited from the statement alone (the
    services credit the same Credit as they write it; this makes a rebuild of the ledger complete)."""
    credit = credit_for_statement(statement)
    if credit is not None and credit.kind in (LedgerEntry.SourceKind.CLASSROOM, LedgerEntry.SourceKind.CLAIM):
        ledger_credit(credit=credit)


@projection(VERB_COMPLETED, sources=frozenset({TRUSTED_CLIENT}))
@projection(VERB_PASSED, sources=frozenset({TRUSTED_CLIENT}))
def trusted_completion(statement: Statement) -> None:
    """A trusted LRS client's completion of an activity an admin mapped to a course: the platform completes
    the course itself (its own statement, its own JP), once per employee. The employee must be known."""
    trusted = (
        TrustedActivity.objects.filter(client_id=statement.client_id, activity_key=statement.activity_key)
        .select_related("course")
        .first()
    )
    if trusted is None or statement.user is None or not trusted.course.live:
        return
    enrollment, _created = Enrollment.objects.get_or_create(user=statement.user, course=trusted.course)
    if enrollment.completed_at is not None:
        return
    try:
        learning_event_record("lms.course.completed", user=enrollment.user, enrollment=enrollment)
    except StatementConflict:
        pass


@transaction.atomic
def projections_rebuild(*, user=None) -> int:
    """Wipe progress, completion and the whole ledger (every source), and derive them again: from the
    statements the platform believes, then BKPSDM's corrections, trusted imports and revocations."""
    from .hours.services import ledger_rebuild_records

    enrollments = Enrollment.objects.all() if user is None else Enrollment.objects.filter(user=user)
    statements = Statement.objects.filter(voided=False)
    ledger = LedgerEntry.objects.all()
    if user is not None:
        statements, ledger = statements.filter(user=user), ledger.filter(user=user)
    LessonProgress.objects.filter(enrollment__in=enrollments).delete()
    enrollments.update(completed_at=None)
    ledger.filter(reverses__isnull=False).delete()
    ledger.delete()
    statements.update(projected_at=None, projection_error="")
    done = project_pending()
    ledger_rebuild_records(user=user)
    return done
