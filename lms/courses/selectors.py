"""Reads for running a course: who may follow its learners, their progress and scores, prerequisites,
bulk enrolment plans (nothing is written until they are confirmed) and a learner's calendar."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db.models import Avg, Count, Max, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from content.models import CoursePage, LessonPage
from shell.people.models import Unit, User
from shell.people.selectors import hr_scope_q, unit_subtree_q
from shell.people.validators import validate_nip

from ..classroom.models import ClassSession, Registration, SessionDay
from ..hours.models import LedgerEntry
from ..models import Enrollment, LessonProgress
from ..xapi.models import Statement
from .models import Announcement, CalendarFeed, TrainingCoordinator

PERM_ENROLL_UNIT = "courses.enroll_unit"


# Who may see a course's learners, and who may enrol whom in bulk --------------------------------------


def course_is_trainer(*, user, course: CoursePage) -> bool:
    """Named trainer of the course (its ``trainers`` field in /cms/), or a superuser."""
    if not user.is_authenticated:
        return False
    # The live page's trainers (a draft in preview holds them in memory, where .filter() cannot reach).
    return user.is_superuser or CoursePage.objects.filter(pk=course.pk, trainers=user).exists()


def courses_taught_exist(*, user) -> bool:
    return user.is_authenticated and CoursePage.objects.filter(trainers=user).exists()


def coordinator_scope_q(*, user) -> Q | None:
    """The employees of the units a training coordinator coordinates (each with its sub-units), or None."""
    if not user.is_authenticated or not user.has_perm(PERM_ENROLL_UNIT):
        return None
    units = [row.unit for row in TrainingCoordinator.objects.filter(user=user).select_related("unit")]
    if not units:
        return None
    q = Q(pk__in=[])
    for unit in units:
        q |= unit_subtree_q(unit)
    return q


def _any_of(*scopes: Q | None) -> Q | None:
    """Users matching any of the scopes (over User; ``Q()`` is the whole city), or None when there is none."""
    present = [q for q in scopes if q is not None]
    if not present:
        return None
    if any(not q for q in present):  # Q(): everyone (OR-ing it would drop it)
        return Q()
    combined = present[0]
    for q in present[1:]:
        combined |= q
    return combined


def _hr_q(user) -> Q | None:
    """HR's scope, for those who may also act on it (``lms.assign_course``)."""
    return hr_scope_q(user=user) if user.has_perm("lms.assign_course") else None


def learner_scope_q(*, viewer, course: CoursePage) -> Q | None:
    """Whose progress in ``course`` the viewer may follow (over User): everyone for the course's trainers
    (and superusers); for HR and training coordinators the employees of their scope; None for anyone
    else."""
    if not viewer.is_authenticated:
        return None
    if course_is_trainer(user=viewer, course=course):
        return Q()
    return _any_of(_hr_q(viewer), coordinator_scope_q(user=viewer))


def bulk_enrollment_scope_q(*, user) -> Q | None:
    """Employees ``user`` may enrol in bulk (over User): HR within their scope, training coordinators
    within their units, superusers everyone; None for anyone else."""
    if not user.is_authenticated:
        return None
    if user.is_superuser:
        return Q()
    return _any_of(_hr_q(user), coordinator_scope_q(user=user))


def bulk_enrollment_units(*, user) -> QuerySet[Unit]:
    """The units a bulk enroller may name: those of their HR scope and their coordinated units, with
    every sub-unit (ordered as the tree)."""
    scope = bulk_enrollment_scope_q(user=user)
    if scope is None:
        return Unit.objects.none()
    if not scope:
        return Unit.objects.order_by("path")
    roots: list[Unit] = []
    if _hr_q(user) is not None:
        roots += [row.unit for row in user.hr_scopes.select_related("unit") if row.unit is not None]
    if coordinator_scope_q(user=user) is not None:
        roots += [row.unit for row in TrainingCoordinator.objects.filter(user=user).select_related("unit")]
    q = Q(pk__in=[])
    for unit in roots:
        q |= Q(path__startswith=unit.path)
    return Unit.objects.filter(q).order_by("path")


def courses_followed_by(*, user) -> list[tuple[CoursePage, int]]:
    """The courses whose learners the user follows, each with how many of them they see: the courses they
    train (every learner), then, for HR and coordinators, other courses with learners in their scope."""
    if not user.is_authenticated:
        return []
    taught = list(CoursePage.objects.filter(trainers=user).order_by("title"))
    counts = dict(
        Enrollment.objects.filter(course__in=taught).values("course").annotate(n=Count("pk")).values_list("course", "n")
    )
    rows = [(course, counts.get(course.pk, 0)) for course in taught]
    scope = Q() if user.is_superuser else _any_of(_hr_q(user), coordinator_scope_q(user=user))
    if scope is not None:
        others = Enrollment.objects.exclude(course__in=taught)
        if scope:
            others = others.filter(user__in=User.objects.filter(scope))
        in_scope = dict(others.values("course").annotate(n=Count("pk")).values_list("course", "n"))
        rows += [
            (course, in_scope[course.pk]) for course in CoursePage.objects.filter(pk__in=in_scope).order_by("title")
        ]
    return rows


# A course's learners: progress, scores, last activity -------------------------------------------------


class LearnerStatus:
    NOT_STARTED = "belum-mulai"
    IN_PROGRESS = "berjalan"
    COMPLETED = "selesai"
    OVERDUE = "terlambat"

    @staticmethod
    def choices() -> list[tuple[str, str]]:
        return [
            (LearnerStatus.NOT_STARTED, _("Belum mulai")),
            (LearnerStatus.IN_PROGRESS, _("Sedang belajar")),
            (LearnerStatus.COMPLETED, _("Selesai")),
            (LearnerStatus.OVERDUE, _("Lewat tenggat")),
        ]


ORDERINGS = {
    "nama": ("user__full_name", "pk"),
    "kemajuan": ("-done", "user__full_name", "pk"),
    "aktivitas": ("-last_activity", "user__full_name", "pk"),
    "terdaftar": ("-enrolled_at", "pk"),
}


@dataclass(frozen=True)
class LearnerFilters:
    status: str = ""
    q: str = ""
    unit: Unit | None = None
    order: str = "nama"


def scored_lessons(*, course: CoursePage) -> list[LessonPage]:
    """The course's live lessons that have a score: a quiz, or H5P content that decides completion."""
    return [lesson for lesson in course.lessons() if lesson.quiz is not None or lesson.h5p_gated]


def _required_lesson_ids(course: CoursePage) -> list[int]:
    return list(course.lessons().filter(required=True).values_list("pk", flat=True))


def _overdue_q(course: CoursePage, today: dt.date) -> Q:
    """Not completed and past the enrolment's own due date, or else the course's."""
    late = Q(due_date__lt=today)
    if course.due_date is not None and course.due_date < today:
        late |= Q(due_date__isnull=True)
    return Q(completed_at__isnull=True) & late


def enrollments_visible(*, viewer, course: CoursePage) -> QuerySet[Enrollment] | None:
    """The course's enrolments whose learners the viewer may follow (None: none at all)."""
    scope = learner_scope_q(viewer=viewer, course=course)
    if scope is None:
        return None
    qs = Enrollment.objects.filter(course=course)
    return qs.filter(user__in=User.objects.filter(scope)) if scope else qs  # Q(): everyone


def course_learners(
    *, viewer, course: CoursePage, filters: LearnerFilters | None = None
) -> QuerySet[Enrollment] | None:
    """The course's enrolments the viewer may see (None: they may see none), annotated with ``done``
    (required lessons done), ``touched`` (lessons worked on), ``avg_score`` (of the scored lessons, 0..1)
    and ``last_activity`` (the latest statement of the enrolment's registration), filtered and ordered."""
    visible = enrollments_visible(viewer=viewer, course=course)
    if visible is None:
        return None
    filters = filters or LearnerFilters()
    required = _required_lesson_ids(course)
    last = (
        Statement.objects.filter(registration=OuterRef("registration"))
        .order_by()
        .values("registration")
        .annotate(latest=Max("timestamp"))
        .values("latest")
    )
    qs = visible.select_related("user", "user__unit").annotate(
        done=Count(
            "lesson_progress",
            filter=Q(lesson_progress__lesson_id__in=required, lesson_progress__completed_at__isnull=False),
            distinct=True,
        ),
        touched=Count("lesson_progress", distinct=True),
        avg_score=Avg("lesson_progress__best_score"),
        last_activity=Subquery(last[:1]),
    )
    if filters.q:
        text = filters.q.strip()
        qs = qs.filter(Q(user__full_name__icontains=text) | Q(user__nip__startswith=text.replace(" ", "")))
    if filters.unit is not None:
        qs = qs.filter(unit_subtree_q(filters.unit, prefix="user__unit__"))
    today = timezone.localdate()
    if filters.status == LearnerStatus.COMPLETED:
        qs = qs.filter(completed_at__isnull=False)
    elif filters.status == LearnerStatus.IN_PROGRESS:
        qs = qs.filter(completed_at__isnull=True, touched__gt=0)
    elif filters.status == LearnerStatus.NOT_STARTED:
        qs = qs.filter(completed_at__isnull=True, touched=0)
    elif filters.status == LearnerStatus.OVERDUE:
        qs = qs.filter(_overdue_q(course, today))
    return qs.order_by(*ORDERINGS.get(filters.order, ORDERINGS["nama"]))


@dataclass
class LearnerRow:
    enrollment: Enrollment
    done: int
    required: int
    avg_score: Decimal | None
    last_activity: dt.datetime | None
    due: dt.date | None
    status: str
    # Each scored lesson with the learner's best score (0..1), or None when not attempted.
    lesson_scores: list[tuple[LessonPage, Decimal | None]] = field(default_factory=list)

    @property
    def user(self) -> User:
        return self.enrollment.user

    @property
    def percent(self) -> int:
        if self.enrollment.completed_at is not None:
            return 100
        return round(100 * self.done / self.required) if self.required else 0

    @property
    def status_label(self) -> str:
        return dict(LearnerStatus.choices()).get(self.status, self.status)


def _status(enrollment: Enrollment, due: dt.date | None, today: dt.date) -> str:
    if enrollment.completed_at is not None:
        return LearnerStatus.COMPLETED
    if due is not None and due < today:
        return LearnerStatus.OVERDUE
    return LearnerStatus.IN_PROGRESS if enrollment.touched else LearnerStatus.NOT_STARTED


def learner_rows(
    *, course: CoursePage, enrollments: Iterable[Enrollment], lessons: list[LessonPage], chunk: int = 1000
) -> Iterator[LearnerRow]:
    """Rows for annotated enrolments (``course_learners``), with each scored lesson's best score; the
    lessons' progress is read once per ``chunk`` enrolments, so an export of thousands stays a few queries."""
    required = len(_required_lesson_ids(course))
    today = timezone.localdate()
    lesson_ids = [lesson.pk for lesson in lessons]
    batch: list[Enrollment] = []

    def flush() -> Iterator[LearnerRow]:
        scores: dict[int, dict[int, Decimal | None]] = defaultdict(dict)
        if lesson_ids:
            for enrollment_id, lesson_id, best in LessonProgress.objects.filter(
                enrollment_id__in=[e.pk for e in batch], lesson_id__in=lesson_ids
            ).values_list("enrollment_id", "lesson_id", "best_score"):
                scores[enrollment_id][lesson_id] = best
        for e in batch:
            due = e.due_date or course.due_date
            yield LearnerRow(
                enrollment=e,
                done=e.done,
                required=required,
                avg_score=e.avg_score,
                last_activity=e.last_activity,
                due=due,
                status=_status(e, due, today),
                lesson_scores=[(lesson, scores[e.pk].get(lesson.pk)) for lesson in lessons],
            )

    for enrollment in enrollments:
        batch.append(enrollment)
        if len(batch) >= chunk:
            yield from flush()
            batch = []
    if batch:
        yield from flush()


@dataclass(frozen=True)
class CourseSummary:
    enrolled: int
    completed: int
    in_progress: int
    not_started: int
    overdue: int
    avg_score: Decimal | None


def course_summary(*, viewer, course: CoursePage) -> CourseSummary | None:
    """Counts over every learner the viewer may see in the course (before any filter)."""
    visible = enrollments_visible(viewer=viewer, course=course)
    if visible is None:
        return None
    totals = visible.aggregate(
        enrolled=Count("pk"),
        completed=Count("pk", filter=Q(completed_at__isnull=False)),
        overdue=Count("pk", filter=_overdue_q(course, timezone.localdate())),
    )
    # Not started: no lesson worked on (the join finds no progress row).
    not_started = visible.filter(completed_at__isnull=True, lesson_progress__isnull=True).count()
    avg = LessonProgress.objects.filter(enrollment__in=visible).aggregate(a=Avg("best_score"))["a"]
    return CourseSummary(
        enrolled=totals["enrolled"],
        completed=totals["completed"],
        in_progress=totals["enrolled"] - totals["completed"] - not_started,
        not_started=not_started,
        overdue=totals["overdue"],
        avg_score=avg,
    )


def learner_units(*, viewer, course: CoursePage) -> QuerySet[Unit]:
    """The units of the learners the viewer sees in the course (for the unit filter)."""
    visible = enrollments_visible(viewer=viewer, course=course)
    if visible is None:
        return Unit.objects.none()
    return Unit.objects.filter(pk__in=visible.values("user__unit")).order_by("path")


# Announcements ----------------------------------------------------------------------------------------


def course_announcements(*, course: CoursePage, limit: int = 20) -> QuerySet[Announcement]:
    return Announcement.objects.filter(course=course).select_related("author").order_by("-created_at")[:limit]


def announcements_visible_to(*, user, course: CoursePage) -> bool:
    """Announcements are for the course's learners and the people who follow them."""
    if not user.is_authenticated:
        return False
    if Enrollment.objects.filter(user=user, course=course).exists():
        return True
    return learner_scope_q(viewer=user, course=course) is not None


# Prerequisites ----------------------------------------------------------------------------------------


def courses_completed(*, user_ids: Iterable[int], course_ids: Iterable[int]) -> dict[int, set[int]]:
    """user id -> which of ``course_ids`` they completed: an online course's completed enrolment, or a
    credit (not reversed) for attending a classroom session of the course."""
    user_ids, course_ids = list(user_ids), list(course_ids)
    done: dict[int, set[int]] = defaultdict(set)
    if not user_ids or not course_ids:
        return done
    for user_id, course_id in Enrollment.objects.filter(
        user_id__in=user_ids, course_id__in=course_ids, completed_at__isnull=False
    ).values_list("user_id", "course_id"):
        done[user_id].add(course_id)
    sessions = dict(ClassSession.objects.filter(course_id__in=course_ids).values_list("pk", "course_id"))
    if sessions:
        wanted = set(user_ids)
        prefix = Q()
        for session_id in sessions:
            prefix |= Q(source_key__startswith=f"classroom:{session_id}:user:")
        credited = LedgerEntry.objects.filter(
            prefix, source_kind=LedgerEntry.SourceKind.CLASSROOM, reverses__isnull=True, reversed_by__isnull=True
        ).values_list("source_key", "user_id")
        for source_key, user_id in credited:
            if user_id in wanted:
                done[user_id].add(sessions[int(source_key.split(":")[1])])
    return done


def course_prerequisites(*, course: CoursePage) -> list[CoursePage]:
    """The published courses ``course`` requires (a withdrawn one no longer blocks anyone)."""
    return list(CoursePage.objects.live().filter(required_by=course).order_by("title"))


def prerequisites_missing_for(*, user_ids: Iterable[int], course: CoursePage) -> dict[int, list[CoursePage]]:
    """user id -> the prerequisites of ``course`` they have not completed (only users missing some)."""
    required = course_prerequisites(course=course)
    user_ids = list(user_ids)
    if not required or not user_ids:
        return {}
    done = courses_completed(user_ids=user_ids, course_ids=[c.pk for c in required])
    missing = {uid: [c for c in required if c.pk not in done.get(uid, set())] for uid in user_ids}
    return {uid: courses for uid, courses in missing.items() if courses}


def prerequisites_missing(*, user, course: CoursePage) -> list[CoursePage]:
    return prerequisites_missing_for(user_ids=[user.pk], course=course).get(user.pk, [])


def prerequisite_states(*, user, course: CoursePage) -> list[tuple[CoursePage, bool]]:
    """Each prerequisite with whether the user completed it (for the course page)."""
    required = course_prerequisites(course=course)
    if not required:
        return []
    done = courses_completed(user_ids=[user.pk], course_ids=[c.pk for c in required]).get(user.pk, set())
    return [(c, c.pk in done) for c in required]


def titles(courses: Iterable[CoursePage]) -> str:
    return ", ".join(f"“{course.title}”" for course in courses)


# Bulk enrolment: the preview (a plan), nothing written ---------------------------------------------------


@dataclass(frozen=True)
class RowError:
    row: int
    value: str
    message: str


@dataclass
class BulkPlan:
    course: CoursePage
    description: str
    to_enroll: list[User] = field(default_factory=list)
    already: list[User] = field(default_factory=list)
    # Employees of a unit who lack a prerequisite: not enrolled, each with what they lack.
    lacking: list[tuple[User, list[CoursePage]]] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)

    @property
    def can_confirm(self) -> bool:
        return bool(self.to_enroll) and not self.errors

    @property
    def fingerprint(self) -> str:
        """Ties a confirmation to what the preview showed: it differs once the plan does."""
        ids = ",".join(str(pk) for pk in sorted(u.pk for u in self.to_enroll))
        return hashlib.sha256(f"{self.course.pk}|{ids}".encode()).hexdigest()[:32]


def _split_enrolled(course: CoursePage, users: list[User]) -> tuple[list[User], list[User]]:
    enrolled = set(
        Enrollment.objects.filter(course=course, user__in=[u.pk for u in users]).values_list("user_id", flat=True)
    )
    return [u for u in users if u.pk not in enrolled], [u for u in users if u.pk in enrolled]


def bulk_plan_for_unit(*, by, course: CoursePage, unit: Unit, with_subunits: bool) -> BulkPlan | None:
    """Every active employee of ``unit`` (and its sub-units) in ``by``'s scope; None when the unit is not
    within their scope."""
    scope = bulk_enrollment_scope_q(user=by)
    if scope is None or not bulk_enrollment_units(user=by).filter(pk=unit.pk).exists():
        return None
    members = User.objects.filter(scope, is_active=True).filter(unit_subtree_q(unit) if with_subunits else Q(unit=unit))
    users = list(members.select_related("unit").order_by("full_name", "pk"))
    description = (_("Unit %(unit)s beserta sub-unitnya") if with_subunits else _("Unit %(unit)s (tanpa sub-unit)")) % {
        "unit": unit.name
    }
    plan = BulkPlan(course=course, description=description)
    new, plan.already = _split_enrolled(course, users)
    missing = prerequisites_missing_for(user_ids=[u.pk for u in new], course=course)
    plan.to_enroll = [u for u in new if u.pk not in missing]
    plan.lacking = [(u, missing[u.pk]) for u in new if u.pk in missing]
    return plan


def _nip_problem(value: str) -> str:
    if "e+" in value.lower() or "," in value or "." in value:
        return _("NIP terbaca sebagai angka (%(value)s): di lembar kerja, jadikan kolom NIP teks lalu simpan lagi.") % {
            "value": value
        }
    try:
        validate_nip(value)
    except ValidationError as error:
        return " ".join(error.messages)
    return ""


def bulk_plan_for_nips(*, by, course: CoursePage, rows: list[tuple[int, str]], description: str) -> BulkPlan | None:
    """A list of NIPs (row number, value as written): each row is an employee in ``by``'s scope, or an
    error naming the row. None when ``by`` may not enrol anyone in bulk."""
    scope = bulk_enrollment_scope_q(user=by)
    if scope is None:
        return None
    plan = BulkPlan(course=course, description=description)
    first_row: dict[str, int] = {}
    wanted: list[tuple[int, str]] = []
    for row, raw in rows:
        nip = raw.replace(" ", "").replace("\u00a0", "")
        problem = _nip_problem(nip)
        if problem:
            plan.errors.append(RowError(row, raw, problem))
        elif nip in first_row:
            plan.errors.append(RowError(row, raw, _("NIP ini sudah ada di baris %(row)s.") % {"row": first_row[nip]}))
        else:
            first_row[nip] = row
            wanted.append((row, nip))
    nips = [nip for _row, nip in wanted]
    in_scope = {u.nip: u for u in User.objects.filter(scope, nip__in=nips).select_related("unit")}
    found: list[User] = []
    for row, nip in wanted:
        if nip in in_scope and in_scope[nip].is_active:
            found.append(in_scope[nip])
        elif nip in in_scope:
            plan.errors.append(RowError(row, nip, _("Pegawai ini tidak aktif.")))
        else:
            # The same words for an unknown NIP and another unit's employee: nobody learns who works where.
            plan.errors.append(
                RowError(row, nip, _("Tidak ada pegawai aktif dengan NIP ini di unit dalam cakupan Anda."))
            )
    new, plan.already = _split_enrolled(course, found)
    missing = prerequisites_missing_for(user_ids=[u.pk for u in new], course=course)
    row_of = {nip: row for row, nip in wanted}
    for user in new:
        if user.pk in missing:
            plan.errors.append(
                RowError(
                    row_of[user.nip],
                    user.nip,
                    _("%(name)s belum menyelesaikan prasyarat: %(courses)s.")
                    % {"name": user.display_name, "courses": titles(missing[user.pk])},
                )
            )
        else:
            plan.to_enroll.append(user)
    plan.errors.sort(key=lambda error: error.row)
    return plan


# The learner's calendar -------------------------------------------------------------------------------


def calendar_feed_of(*, token: str) -> CalendarFeed | None:
    if not token or len(token) > 64 or not all(ch.isascii() and (ch.isalnum() or ch in "-_") for ch in token):
        return None
    return CalendarFeed.objects.filter(token=token, user__is_active=True).select_related("user").first()


@dataclass(frozen=True)
class DueItem:
    enrollment: Enrollment
    due: dt.date


def calendar_due_dates(*, user) -> list[DueItem]:
    """The due dates of the user's unfinished enrolments in published courses (the enrolment's own,
    else the course's)."""
    enrollments = (
        Enrollment.objects.filter(user=user, completed_at__isnull=True, course__live=True)
        .filter(Q(due_date__isnull=False) | Q(course__due_date__isnull=False))
        .select_related("course")
        .order_by("pk")
    )
    return [DueItem(e, e.due_date or e.course.due_date) for e in enrollments]


def calendar_class_days(*, user, since: dt.date) -> list[SessionDay]:
    """The days of the classroom sessions the user holds a seat in (a cancelled session's days too, so
    that calendars drop them), from ``since`` on."""
    return list(
        SessionDay.objects.filter(
            session__registrations__user=user,
            session__registrations__status=Registration.Status.REGISTERED,
            date__gte=since,
        )
        .select_related("session__course", "session__room")
        .order_by("date", "starts_at", "pk")
    )
