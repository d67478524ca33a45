"""Survey reads: who may answer what, and the reports, which show a group's answers only when it holds at
least ``SURVEY_MIN_GROUP_SIZE`` responses.

A group is one course or class in one year (``Response.course``, ``.session``, ``.year``). Every figure that
spans several groups (a trainer across their classes, a course across years) is made of whole groups that
are shown on their own, so that the difference between any two figures is itself a shown group and never a
few people's answers."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db.models import Avg, Count, Max, Q, QuerySet
from django.utils import timezone

from content.models import CoursePage
from lms.classroom.models import Attendance, ClassSession, Registration
from lms.hours.selectors import jakarta_date
from lms.models import Enrollment
from shell.people.models import User

from .models import (
    SECTION_ORDER,
    Answer,
    FollowUp,
    Respondent,
    Response,
    SurveyItem,
    SurveyLink,
    SurveyTemplate,
    target_key,
)


def min_group_size() -> int:
    """The smallest group whose answers are shown (configurable; never below 2, or it would show one person)."""
    return max(2, int(settings.SURVEY_MIN_GROUP_SIZE))


def _mean(value) -> Decimal | None:
    if value is None:
        return None
    return Decimal(str(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


# Who answers what ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Target:
    """A course or class someone may evaluate."""

    course: CoursePage
    session: ClassSession | None
    link: SurveyLink
    # The Jakarta date it was completed (a class: its last day); its year is the year the answers count in.
    completed_on: dt.date

    @property
    def key(self) -> str:
        return target_key(course_id=self.course.pk, session_id=self.session.pk if self.session else None)

    @property
    def title(self) -> str:
        return self.session.display_title if self.session else self.course.title

    @property
    def year(self) -> int:
        return self.completed_on.year

    @property
    def session_id(self) -> int | None:
        return self.session.pk if self.session else None

    def trainers(self) -> list[User]:
        source = self.session.trainers if self.session else self.course.trainers
        return list(source.order_by("full_name", "pk"))


def link_for(*, course_id: int, session_id: int | None) -> SurveyLink | None:
    """The survey of a class (its own, else its course's) or of an online course."""
    links = SurveyLink.objects.select_related("template")
    if session_id:
        link = links.filter(session_id=session_id).first()
        if link is not None:
            return link
    return links.filter(course_id=course_id).first()


def _session_targets(*, user, session_ids=None, today: dt.date) -> list[Target]:
    """Classes the user attended (at least one confirmed day) whose last day has come, with a survey."""
    registrations = (
        Registration.objects.filter(user=user, status=Registration.Status.REGISTERED)
        .exclude(session__status=ClassSession.Status.CANCELLED)
        .filter(pk__in=Attendance.objects.values("registration_id"))
        .annotate(last_date=Max("session__days__date"))
        .filter(last_date__lte=today)
        .select_related("session__course", "session__survey_link__template")
    )
    if session_ids is not None:
        registrations = registrations.filter(session_id__in=session_ids)
    targets = []
    course_links = {
        link.course_id: link
        for link in SurveyLink.objects.filter(
            course_id__in=[r.session.course_id for r in registrations]
        ).select_related("template")
    }
    for reg in registrations:
        session = reg.session
        link = getattr(session, "survey_link", None) or course_links.get(session.course_id)
        if link is not None:
            targets.append(Target(session.course, session, link, reg.last_date))
    return targets


def _course_targets(*, user, course_ids=None) -> list[Target]:
    """Online courses the user completed that carry a survey."""
    enrollments = Enrollment.objects.filter(
        user=user, completed_at__isnull=False, course__survey_link__isnull=False
    ).select_related("course__survey_link__template")
    if course_ids is not None:
        enrollments = enrollments.filter(course_id__in=course_ids)
    return [Target(e.course, None, e.course.survey_link, jakarta_date(e.completed_at)) for e in enrollments]


def surveys_answerable(*, user, today: dt.date | None = None) -> list[Target]:
    today = today or jakarta_date(timezone.now())
    return _session_targets(user=user, today=today) + _course_targets(user=user)


def surveys_pending(*, user, today: dt.date | None = None) -> list[Target]:
    """The user's own surveys still to answer, oldest first."""
    answered = set(Respondent.objects.filter(user=user).values_list("target", flat=True))
    pending = [t for t in surveys_answerable(user=user, today=today) if t.key not in answered]
    return sorted(pending, key=lambda t: (t.completed_on, t.key))


def survey_target_for(*, user, course_id: int, session_id: int | None, today: dt.date | None = None) -> Target | None:
    """The course or class ``user`` may evaluate, or None (never took it, not finished, no survey)."""
    if session_id:
        targets = _session_targets(user=user, session_ids=[session_id], today=today or jakarta_date(timezone.now()))
        return next((t for t in targets if t.course.pk == course_id), None)
    return next(iter(_course_targets(user=user, course_ids=[course_id])), None)


def survey_answered(*, user, target: str) -> bool:
    return Respondent.objects.filter(user=user, target=target).exists()


def survey_items(*, template: SurveyTemplate) -> dict[str, list[SurveyItem]]:
    """The template's items by section, in the form's order (empty sections left out)."""
    by_section: dict[str, list[SurveyItem]] = defaultdict(list)
    for item in template.items.order_by("position"):
        by_section[item.section].append(item)
    return {section: by_section[section] for section in SECTION_ORDER if by_section[section]}


def survey_required_unanswered(*, user, course_id: int, session_id: int | None) -> bool:
    """Whether the certificate of this course or class waits for the user's survey."""
    link = link_for(course_id=course_id, session_id=session_id)
    if link is None or not link.required_for_certificate:
        return False
    return not survey_answered(user=user, target=target_key(course_id=course_id, session_id=session_id))


# Templates and links: who manages what -------------------------------------------------------------


def manages_all_surveys(*, user) -> bool:
    """BKPSDM (and admins): every template and link, and every result."""
    return user.is_authenticated and user.has_perm("surveys.manage_all_surveys")


def manages_surveys(*, user) -> bool:
    return user.is_authenticated and user.has_perm("surveys.add_surveytemplate")


def templates_manageable(*, user) -> QuerySet[SurveyTemplate]:
    if manages_all_surveys(user=user):
        return SurveyTemplate.objects.all()
    if manages_surveys(user=user):
        return SurveyTemplate.objects.filter(created_by=user)
    return SurveyTemplate.objects.none()


def templates_attachable(*, user) -> QuerySet[SurveyTemplate]:
    """Any trainer may use any template (a shared library); editing is the author's or BKPSDM's."""
    return SurveyTemplate.objects.all() if manages_surveys(user=user) else SurveyTemplate.objects.none()


def courses_linkable(*, user) -> QuerySet[CoursePage]:
    courses = CoursePage.objects.live().order_by("title")
    if manages_all_surveys(user=user):
        return courses
    return courses.filter(trainers=user) if manages_surveys(user=user) else courses.none()


def sessions_linkable(*, user) -> QuerySet[ClassSession]:
    sessions = ClassSession.objects.exclude(status=ClassSession.Status.CANCELLED).select_related("course")
    sessions = sessions.annotate(first_date=Max("days__date")).order_by("-first_date", "pk")
    if manages_all_surveys(user=user):
        return sessions
    return sessions.filter(trainers=user) if manages_surveys(user=user) else sessions.none()


def links_manageable(*, user) -> QuerySet[SurveyLink]:
    links = SurveyLink.objects.select_related("template", "course", "session__course")
    if manages_all_surveys(user=user):
        return links
    if not manages_surveys(user=user):
        return links.none()
    return links.filter(Q(course__trainers=user) | Q(session__trainers=user)).distinct()


def template_is_answered(*, template: SurveyTemplate) -> bool:
    return Response.objects.filter(template=template).exists()


# Reports -------------------------------------------------------------------------------------------


@dataclass
class ItemResult:
    item: SurveyItem
    mean: Decimal | None
    count: int
    trainer: User | None = None


@dataclass
class GroupResult:
    """One course or class (in one year, or in the years whose groups are shown)."""

    title: str
    course_id: int
    session_id: int | None
    responses: int
    participants: int
    shown: bool
    min_size: int
    items: list[ItemResult] = field(default_factory=list)
    trainers: list[ItemResult] = field(default_factory=list)
    comments: list[str] = field(default_factory=list)
    mean: Decimal | None = None

    @property
    def response_rate(self) -> Decimal | None:
        if not self.participants:
            return None
        return (Decimal(self.responses) / Decimal(self.participants)).quantize(Decimal("0.0001"))

    @property
    def response_percent(self) -> Decimal | None:
        rate = self.response_rate
        return rate * 100 if rate is not None else None


def shown_groups(responses: QuerySet[Response]) -> list[tuple[int, int | None, int, int]]:
    """(course, session, year, responses) of each group in ``responses`` large enough to be shown."""
    return [
        (row["course_id"], row["session_id"], row["year"], row["n"])
        for row in responses.values("course_id", "session_id", "year")
        .annotate(n=Count("id"))
        .filter(n__gte=min_group_size())
        .order_by("year", "course_id", "session_id")
    ]


def _groups_q(groups, prefix: str = "") -> Q:
    q = Q(pk__in=[])
    for course_id, session_id, year, _n in groups:
        q |= Q(**{f"{prefix}course_id": course_id, f"{prefix}session_id": session_id, f"{prefix}year": year})
    return q


def participants_count(*, course_id: int, session_id: int | None, year: int | None = None) -> int:
    """Who could evaluate: a class's participants with a confirmed day; an online course's completions."""
    if session_id:
        return (
            Registration.objects.filter(session_id=session_id, status=Registration.Status.REGISTERED)
            .filter(pk__in=Attendance.objects.values("registration_id"))
            .count()
        )
    enrollments = Enrollment.objects.filter(course_id=course_id, completed_at__isnull=False)
    if year is not None:
        start = dt.datetime(year, 1, 1, tzinfo=timezone.get_default_timezone())
        end = dt.datetime(year + 1, 1, 1, tzinfo=timezone.get_default_timezone())
        enrollments = enrollments.filter(completed_at__gte=start, completed_at__lt=end)
    return enrollments.count()


def _item_results(answers: QuerySet[Answer]) -> tuple[list[ItemResult], list[ItemResult], list[str], Decimal | None]:
    rows = (
        answers.filter(score__isnull=False).values("item_id", "trainer_id").annotate(mean=Avg("score"), n=Count("id"))
    )
    items = {i.pk: i for i in SurveyItem.objects.filter(pk__in={r["item_id"] for r in rows})}
    trainers = {u.pk: u for u in User.objects.filter(pk__in={r["trainer_id"] for r in rows if r["trainer_id"]})}
    general, per_trainer = [], []
    for row in rows:
        result = ItemResult(items[row["item_id"]], _mean(row["mean"]), row["n"], trainers.get(row["trainer_id"]))
        (per_trainer if row["trainer_id"] else general).append(result)
    order = {section: i for i, section in enumerate(SECTION_ORDER)}
    general.sort(key=lambda r: (order[r.item.section], r.item.template_id, r.item.position))
    per_trainer.sort(key=lambda r: (r.trainer.full_name, r.trainer.pk, r.item.template_id, r.item.position))
    # Comments in the order of their text: no order of arrival to read a person from.
    comments = sorted(
        t.strip()
        for t in answers.filter(item__kind=SurveyItem.Kind.COMMENT).values_list("text", flat=True)
        if t.strip()
    )
    overall = answers.filter(score__isnull=False).aggregate(mean=Avg("score"))["mean"]
    return general, per_trainer, comments, _mean(overall)


def reaction_result(*, course_id: int, session_id: int | None, year: int | None = None) -> GroupResult:
    """The participants' evaluation of one course or class: the answers of its shown groups only."""
    responses = Response.objects.filter(course_id=course_id, session_id=session_id)
    if year is not None:
        responses = responses.filter(year=year)
    groups = shown_groups(responses)
    total = responses.count()
    if session_id:
        session = ClassSession.objects.select_related("course").get(pk=session_id)
        title = session.display_title
    else:
        title = CoursePage.objects.get(pk=course_id).title
    result = GroupResult(
        title=title,
        course_id=course_id,
        session_id=session_id,
        responses=total,
        participants=participants_count(course_id=course_id, session_id=session_id, year=year),
        shown=bool(groups),
        min_size=min_group_size(),
    )
    if groups:
        answers = Answer.objects.filter(_groups_q(groups, "response__"))
        result.items, result.trainers, result.comments, result.mean = _item_results(answers)
        # Counted over the shown groups: what the means are made of.
        result.responses = sum(n for *_rest, n in groups)
    return result


def results_visible(*, viewer, course_id: int, session_id: int | None) -> bool:
    """BKPSDM sees every course and class; a trainer the ones they train."""
    if manages_all_surveys(user=viewer):
        return True
    if session_id:
        return ClassSession.objects.filter(pk=session_id, trainers=viewer).exists()
    return CoursePage.objects.filter(pk=course_id, trainers=viewer).exists()


def targets_with_responses(*, viewer, year: int | None = None) -> list[dict]:
    """The courses and classes with answers that the viewer may read, with their response counts."""
    responses = Response.objects.all()
    if year is not None:
        responses = responses.filter(year=year)
    if not manages_all_surveys(user=viewer):
        responses = responses.filter(Q(session__isnull=True, course__trainers=viewer) | Q(session__trainers=viewer))
    rows = responses.values("course_id", "course__title", "session_id").annotate(n=Count("id", distinct=True))
    return sorted(rows, key=lambda r: (r["course__title"], r["session_id"] or 0))


@dataclass
class TrainerResult:
    trainer: User
    items: list[ItemResult]
    mean: Decimal | None
    responses: int
    groups_shown: list[dict]
    groups_hidden: int


def trainer_result(*, trainer: User, year: int | None = None) -> TrainerResult:
    """How participants rated a trainer across their classes and courses: the trainer section's items,
    over the groups large enough to be shown (a group too small is counted, not read)."""
    responses = Response.objects.filter(answers__trainer=trainer).distinct()
    if year is not None:
        responses = responses.filter(year=year)
    all_groups = responses.values("course_id", "session_id", "year").annotate(n=Count("id", distinct=True))
    k = min_group_size()
    groups = [(g["course_id"], g["session_id"], g["year"], g["n"]) for g in all_groups if g["n"] >= k]
    hidden = sum(1 for g in all_groups if g["n"] < k)
    if not groups:
        return TrainerResult(trainer, [], None, 0, [], hidden)
    answers = Answer.objects.filter(_groups_q(groups, "response__"), trainer=trainer)
    rows = answers.values("item_id").annotate(mean=Avg("score"), n=Count("id"))
    items = {i.pk: i for i in SurveyItem.objects.filter(pk__in={r["item_id"] for r in rows})}
    results = sorted(
        (ItemResult(items[r["item_id"]], _mean(r["mean"]), r["n"], trainer) for r in rows),
        key=lambda r: (r.item.text, r.item.pk),
    )
    titles = {c.pk: c.title for c in CoursePage.objects.filter(pk__in={g[0] for g in groups})}
    sessions = {
        s.pk: s.display_title
        for s in ClassSession.objects.filter(pk__in={g[1] for g in groups if g[1]}).select_related("course")
    }
    per_group = []
    for course_id, session_id, group_year, n in groups:
        mean = answers.filter(
            response__course_id=course_id, response__session_id=session_id, response__year=group_year
        ).aggregate(m=Avg("score"))["m"]
        per_group.append(
            {
                "title": sessions.get(session_id) if session_id else titles.get(course_id),
                "year": group_year,
                "responses": n,
                "mean": _mean(mean),
            }
        )
    overall = answers.aggregate(m=Avg("score"))["m"]
    return TrainerResult(trainer, results, _mean(overall), sum(g[3] for g in groups), per_group, hidden)


def trainers_evaluated(*, year: int | None = None) -> QuerySet[User]:
    answers = Answer.objects.filter(trainer__isnull=False)
    if year is not None:
        answers = answers.filter(response__year=year)
    return User.objects.filter(pk__in=answers.values("trainer_id")).order_by("full_name", "pk")


# Level 3 -------------------------------------------------------------------------------------------


def follow_ups_pending(*, user) -> QuerySet[FollowUp]:
    """The follow-up questions waiting for the user (as learner or as supervisor)."""
    return (
        FollowUp.objects.filter(respondent=user, answered_at__isnull=True)
        .select_related("learner", "course", "session__course")
        .order_by("sent_at", "pk")
    )


def follow_up_for(*, user, pk: int) -> FollowUp | None:
    """A follow-up the user is asked to answer; someone else's is None."""
    return FollowUp.objects.filter(pk=pk, respondent=user).select_related("learner", "course", "session").first()


@dataclass(frozen=True)
class FollowUpSummary:
    sent: int
    answered: int
    score: Decimal | None  # the mean of "applied at work" (1-5), shown for groups of the minimum size

    @property
    def response_rate(self) -> Decimal | None:
        return (Decimal(self.answered) / Decimal(self.sent)).quantize(Decimal("0.0001")) if self.sent else None

    @property
    def response_percent(self) -> Decimal | None:
        rate = self.response_rate
        return rate * 100 if rate is not None else None


def follow_up_summary(*, course_id: int, session_id: int | None, year: int | None = None) -> FollowUpSummary:
    rows = FollowUp.objects.filter(course_id=course_id, session_id=session_id)
    if year is not None:
        rows = rows.filter(completed_on__year=year)
    counts = rows.aggregate(
        sent=Count("id"), answered=Count("id", filter=Q(answered_at__isnull=False)), mean=Avg("applied")
    )
    score = _mean(counts["mean"]) if counts["answered"] >= min_group_size() else None
    return FollowUpSummary(counts["sent"], counts["answered"], score)


def evaluation_rows(*, year: int, also: set[tuple[int, int | None]] = frozenset()) -> list[dict]:
    """Per course or class with evaluations counting in ``year`` (answers, or follow-ups of completions in
    that year), and the (course id, class id) pairs of ``also`` (evaluated otherwise, e.g. by tests): what
    the effectiveness report and ``evaluation_report`` print. The learning columns (pre- and post-test) are
    the question bank's (lms/evaluation) and stay None here."""
    targets = set(Response.objects.filter(year=year).values_list("course_id", "session_id").distinct())
    targets |= set(also)
    targets |= set(FollowUp.objects.filter(completed_on__year=year).values_list("course_id", "session_id").distinct())
    titles = {c.pk: c.title for c in CoursePage.objects.filter(pk__in={t[0] for t in targets})}
    sessions = {
        s.pk: s for s in ClassSession.objects.filter(pk__in={t[1] for t in targets if t[1]}).select_related("course")
    }
    rows = []
    for course_id, session_id in sorted(targets, key=lambda t: (titles.get(t[0], ""), t[0], t[1] or 0)):
        reaction = reaction_result(course_id=course_id, session_id=session_id, year=year)
        level3 = follow_up_summary(course_id=course_id, session_id=session_id, year=year)
        session = sessions.get(session_id)
        rows.append(
            {
                "kind": "classroom" if session_id else "course",
                "course_id": course_id,
                "session_id": session_id,
                "title": session.display_title if session else titles.get(course_id, ""),
                "participants": reaction.participants,
                "responses": reaction.responses
                if reaction.shown
                else Response.objects.filter(course_id=course_id, session_id=session_id, year=year).count(),
                "reaction_mean": reaction.mean,
                "reaction_items": [
                    {"section": r.item.section, "item": r.item.text, "mean": r.mean} for r in reaction.items
                ],
                "pre_test_mean": None,
                "post_test_mean": None,
                "gain": None,
                "pass_rate": None,
                "level3_sent": level3.sent,
                "level3_answered": level3.answered,
                "level3_response_rate": level3.response_rate,
                "level3_score": level3.score,
            }
        )
    return rows
