"""Learning reads. Whatever shows another employee's records checks visibility first."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import QuerySet

from content.models import CoursePage, LessonPage
from shell.people.models import User
from shell.people.selectors import employees_visible_to

from .hours.evidence import ledger_source_key
from .hours.models import LedgerEntry
from .hours.selectors import current_year, jp_counted, target_for
from .models import Enrollment, LessonProgress


@dataclass
class LessonRow:
    lesson: LessonPage
    progress: LessonProgress | None

    @property
    def done(self) -> bool:
        return bool(self.progress and self.progress.completed_at)


@dataclass
class CourseState:
    course: CoursePage
    enrollment: Enrollment | None
    lessons: list[LessonRow] = field(default_factory=list)

    @property
    def required_count(self) -> int:
        return sum(1 for row in self.lessons if row.lesson.required)

    @property
    def done_count(self) -> int:
        return sum(1 for row in self.lessons if row.lesson.required and row.done)

    @property
    def percent(self) -> int:
        return round(100 * self.done_count / self.required_count) if self.required_count else 0

    @property
    def next_lesson(self) -> LessonPage | None:
        for row in self.lessons:
            if not row.done:
                return row.lesson
        return None

    def row_for(self, lesson: LessonPage) -> LessonRow | None:
        return next((row for row in self.lessons if row.lesson.pk == lesson.pk), None)


def course_state(*, user, course: CoursePage) -> CourseState:
    """The course's lessons with the user's progress (two queries)."""
    enrollment = None
    if user.is_authenticated:
        enrollment = Enrollment.objects.filter(user=user, course=course).first()
    lessons = list(course.lessons())
    progress: dict[int, LessonProgress] = {}
    if enrollment:
        progress = {p.lesson_id: p for p in LessonProgress.objects.filter(enrollment=enrollment)}
    return CourseState(course, enrollment, [LessonRow(lesson, progress.get(lesson.pk)) for lesson in lessons])


def enrollments_for(*, user) -> QuerySet[Enrollment]:
    return Enrollment.objects.filter(user=user).select_related("course").order_by("completed_at", "-enrolled_at")


def enrollment_visible(*, viewer, pk: int) -> Enrollment | None:
    """An enrolment the viewer may see (their own, their team's, their HR scope's); else None."""
    return (
        Enrollment.objects.filter(pk=pk, user__in=employees_visible_to(user=viewer))
        .select_related("course", "user")
        .first()
    )


@dataclass(frozen=True)
class YearProgress:
    year: int
    total: Decimal
    target: Decimal

    @property
    def percent(self) -> int:
        return min(100, round(100 * self.total / self.target)) if self.target else 100

    @property
    def met(self) -> bool:
        return self.total >= self.target


def year_progress(*, user, year: int | None = None) -> YearProgress:
    year = year or current_year()
    # Counted: cut to the employment type's yearly maximum when one is set (e.g. PPPK).
    return YearProgress(year, jp_counted(user=user, year=year), target_for(user=user, year=year))


def course_credit_jp(*, enrollment: Enrollment) -> Decimal | None:
    """The JP the ledger credited for this enrolment's course (once per employee), or None."""
    source_key = ledger_source_key(
        kind=LedgerEntry.SourceKind.COURSE, ref=enrollment.course_id, user_id=enrollment.user_id
    )
    credited = LedgerEntry.objects.filter(source_key=source_key, reversed_by__isnull=True)  # not revoked since
    return credited.values_list("jp", flat=True).first()


# Reads for the reports (which read the LMS through its selectors only): querysets they aggregate.


def enrollments_unfinished_live(*, user_ids) -> QuerySet[Enrollment]:
    """Enrolments of ``user_ids`` (ids or a subquery) in live courses, not completed yet."""
    return Enrollment.objects.filter(user_id__in=user_ids, completed_at__isnull=True, course__live=True)


def enrollments_started_in(*, user_ids, year: int) -> QuerySet[Enrollment]:
    """Enrolments of ``user_ids`` (ids or a subquery) made in ``year``."""
    return Enrollment.objects.filter(user_id__in=user_ids, enrolled_at__year=year)


def lesson_progress_of(*, enrollment_ids) -> QuerySet[LessonProgress]:
    return LessonProgress.objects.filter(enrollment_id__in=enrollment_ids)


def employees_managed_by(*, user) -> QuerySet[User]:
    """Employees other than the user whom they may assign courses to (``lms.assign_course``): those they
    see (``employees_visible_to``: their team, their HR scope), active."""
    if not user.has_perm("lms.assign_course"):
        return User.objects.none()
    return employees_visible_to(user=user).exclude(pk=user.pk).filter(is_active=True)
