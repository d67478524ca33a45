"""Reads of competency planning: positions and standards, profiles and gaps, suggestions, plans and their
fulfilment (computed from the LMS's own records: enrolments, class registrations and the JP ledger)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from content.models import CoursePage, DeliveryMode
from lms.classroom.models import ClassSession, Registration
from lms.hours.models import LedgerEntry
from lms.hours.selectors import current_year
from lms.models import Enrollment
from shell.people.models import User
from shell.people.selectors import hr_scope_q

from .models import (
    Assessment,
    BehaviourIndicator,
    Competency,
    CompetencyResult,
    CourseCompetency,
    DevelopmentPlan,
    OfferCompetency,
    PerformanceRating,
    PlanItem,
    Position,
    PositionStandard,
)


def planning_year() -> int:
    return current_year()


def position_for(*, user) -> Position | None:
    """The position an employee holds: their profile's ``position`` text, matched case-insensitively."""
    name = (user.position or "").strip()
    if not name:
        return None
    return Position.objects.filter(name__iexact=name).first()


def standards_of(*, position: Position | None) -> list[PositionStandard]:
    if position is None:
        return []
    return list(position.standards.select_related("competency").order_by("competency__type", "competency__code"))


def indicators_for(*, competency_ids) -> dict[int, list[BehaviourIndicator]]:
    by_competency: dict[int, list[BehaviourIndicator]] = {}
    for indicator in BehaviourIndicator.objects.filter(competency_id__in=competency_ids).order_by(
        "level", "order", "pk"
    ):
        by_competency.setdefault(indicator.competency_id, []).append(indicator)
    return by_competency


def level_from_answers(indicators: list[BehaviourIndicator], meets: dict[int, bool | None]) -> int:
    """Levels are cumulative: the highest level (among those with indicators) whose indicators, and every
    lower level's, are all met. 0 when level 1 is not."""
    level = 0
    for lvl in sorted({i.level for i in indicators}):
        if all(meets.get(i.pk) for i in indicators if i.level == lvl):
            level = lvl
        else:
            break
    return level


def assessment_of(*, user, year: int) -> Assessment | None:
    return Assessment.objects.filter(user=user, year=year).select_related("position").first()


@dataclass(frozen=True)
class Gap:
    competency: Competency
    required: int
    validated: int | None  # None: not validated yet
    self_level: int | None

    @property
    def size(self) -> int | None:
        return None if self.validated is None else max(self.required - self.validated, 0)


def gaps_for(*, assessment: Assessment | None, position: Position | None = None) -> list[Gap]:
    """Per competency of the position's standard: required level - validated level."""
    position = assessment.position if assessment and assessment.position_id else position
    standards = standards_of(position=position)
    results = {}
    if assessment is not None:
        results = {r.competency_id: r for r in CompetencyResult.objects.filter(assessment=assessment)}
    validated = assessment is not None and assessment.status == Assessment.Status.VALIDATED
    gaps = []
    for standard in standards:
        result = results.get(standard.competency_id)
        gaps.append(
            Gap(
                competency=standard.competency,
                required=standard.required_level,
                validated=(result.validated_level if result and result.validated_level is not None else 0)
                if validated
                else None,
                self_level=result.self_level if result else None,
            )
        )
    return gaps


def performance_rating(*, user, year: int) -> PerformanceRating | None:
    """The latest verdict e-Kinerja announced: this year's, else last year's (a plan follows last year's rating)."""
    return PerformanceRating.objects.filter(user=user, year__in=(year, year - 1)).order_by("-year").first()


# -- suggestions --------------------------------------------------------------------------------------------


@dataclass
class Suggestion:
    competency: Competency
    level: int
    course: CoursePage | None = None
    offer: ClassSession | None = None

    @property
    def title(self) -> str:
        return self.course.title if self.course else str(self.offer)

    @property
    def jp(self) -> Decimal:
        return self.course.jp if self.course else self.offer.credit_jp


def open_offers(*, today: dt.date | None = None) -> QuerySet[ClassSession]:
    """Scheduled classes whose first day has not passed."""
    today = today or timezone.localdate()
    return (
        ClassSession.objects.filter(status=ClassSession.Status.SCHEDULED)
        .exclude(days__date__lt=today)
        .filter(days__isnull=False)
        .distinct()
    )


def suggestions_for(*, gaps: list[Gap], limit: int = 3) -> dict[int, list[Suggestion]]:
    """For each open gap, live courses and open classroom offers tagged with its competency at a level above
    the validated one (nearest level first)."""
    open_gaps = {g.competency.pk: g for g in gaps if g.size}
    if not open_gaps:
        return {}
    out: dict[int, list[Suggestion]] = {pk: [] for pk in open_gaps}
    wanted = Q()
    for pk, gap in open_gaps.items():
        wanted |= Q(competency_id=pk, level__gt=gap.validated)
    course_tags = (
        CourseCompetency.objects.filter(wanted, course__live=True)
        .select_related("competency")
        .order_by("level", "course_id")
    )
    # A classroom course is taken through one of its classes (below), not as a course of its own.
    course_by_id = {
        c.pk: c
        for c in CoursePage.objects.live()
        .filter(pk__in=[t.course_id for t in course_tags])
        .exclude(delivery_mode=DeliveryMode.CLASSROOM)
    }
    for tag in course_tags:
        course = course_by_id.get(tag.course_id)
        if course and len(out[tag.competency_id]) < limit:
            out[tag.competency_id].append(Suggestion(tag.competency, tag.level, course=course))
    offers = {o.pk: o for o in open_offers().select_related("course")}
    offer_tags = [
        (t.competency, t.level, t.session_id)
        for t in OfferCompetency.objects.filter(wanted, session_id__in=offers).select_related("competency")
    ]
    offer_tags += [
        (t.competency, t.level, offer.pk)
        for t in course_tags
        for offer in offers.values()
        if offer.course_id == t.course_id
    ]
    seen = set()
    for competency, level, offer_id in sorted(offer_tags, key=lambda t: (t[1], t[2])):
        if (competency.pk, offer_id) in seen or len(out[competency.pk]) >= limit * 2:
            continue
        seen.add((competency.pk, offer_id))
        out[competency.pk].append(Suggestion(competency, level, offer=offers[offer_id]))
    return out


# -- plans and their fulfilment -------------------------------------------------------------------------------


def plan_of(*, user, year: int) -> DevelopmentPlan | None:
    return DevelopmentPlan.objects.filter(user=user, year=year).first()


@dataclass
class ItemProgress:
    item: PlanItem
    state: str  # planned / started / fulfilled
    label: str
    credited_jp: Decimal = Decimal("0")


@dataclass
class PlanProgress:
    plan: DevelopmentPlan | None
    items: list[ItemProgress] = field(default_factory=list)

    @property
    def planned_jp(self) -> Decimal:
        return sum((p.item.jp for p in self.items), Decimal("0"))

    @property
    def credited_jp(self) -> Decimal:
        return sum((p.credited_jp for p in self.items), Decimal("0"))

    @property
    def fulfilled(self) -> int:
        return sum(1 for p in self.items if p.state == "fulfilled")


def _standing_credits(*, user_id: int, year: int) -> QuerySet[LedgerEntry]:
    """The user's verified credits dated in ``year`` that no reversal took back."""
    return LedgerEntry.objects.filter(
        user_id=user_id,
        date__year=year,
        reverses__isnull=True,
        status=LedgerEntry.Status.VERIFIED,
        reversed_by__isnull=True,
    )


def plan_progress(*, plan: DevelopmentPlan | None) -> PlanProgress:
    """Each item's state from the LMS's own records, never ticked by hand: a course item is started by its
    enrolment and fulfilled by the ledger's credit of that course; an offer item by its registration and
    the class's credit (attendance); an external item by a credited claim of its form (each claim fulfils
    one item). Only credits dated in the plan's year that stand (not reversed) count."""
    if plan is None:
        return PlanProgress(plan=None)
    items = list(plan.items.select_related("competency", "course", "offer__course"))
    user_id = plan.user_id
    credits = {e.source_key: e for e in _standing_credits(user_id=user_id, year=plan.year).exclude(source_kind="claim")}
    claims = list(_standing_credits(user_id=user_id, year=plan.year).filter(source_kind="claim").order_by("date", "pk"))
    enrolled = set(
        Enrollment.objects.filter(
            user_id=user_id, course_id__in=[i.course_id for i in items if i.course_id]
        ).values_list("course_id", flat=True)
    )
    registered = set(
        Registration.objects.filter(
            user_id=user_id,
            session_id__in=[i.offer_id for i in items if i.offer_id],
            status__in=(Registration.Status.REGISTERED, Registration.Status.WAITLISTED),
        ).values_list("session_id", flat=True)
    )
    progress = PlanProgress(plan=plan)
    used_claims: set[int] = set()
    for item in items:
        if item.course_id:
            entry = credits.get(f"course:{item.course_id}:user:{user_id}")
            started, start_label = item.course_id in enrolled, _("Terdaftar")
        elif item.offer_id:
            entry = credits.get(f"classroom:{item.offer_id}:user:{user_id}")
            started, start_label = item.offer_id in registered, _("Terdaftar di kelas")
        else:
            entry = next((c for c in claims if c.form == item.form and c.pk not in used_claims), None)
            if entry is not None:
                used_claims.add(entry.pk)
            started, start_label = False, ""
        if entry is not None:
            progress.items.append(ItemProgress(item, "fulfilled", _("Terpenuhi"), credited_jp=entry.jp))
        elif started:
            progress.items.append(ItemProgress(item, "started", start_label))
        else:
            progress.items.append(ItemProgress(item, "planned", _("Belum dimulai")))
    return progress


# -- who sees what -------------------------------------------------------------------------------------------


def team_assessments_to_validate(*, supervisor) -> QuerySet[Assessment]:
    return Assessment.objects.filter(user__supervisor=supervisor, status=Assessment.Status.SUBMITTED).select_related(
        "user"
    )


def team_plans_to_agree(*, supervisor) -> QuerySet[DevelopmentPlan]:
    return DevelopmentPlan.objects.filter(
        user__supervisor=supervisor, status=DevelopmentPlan.Status.PROPOSED
    ).select_related("user")


def waiting_count(*, user, year: int) -> int:
    """What waits on ``user`` in planning: their team's profiles to validate and plans to agree."""
    return (
        team_assessments_to_validate(supervisor=user).filter(year=year).count()
        + team_plans_to_agree(supervisor=user).filter(year=year).count()
    )


def is_hr(*, user) -> bool:
    """BKPSDM (an HR scope) keeps the dictionary and standards and imports assessment-centre results."""
    return hr_scope_q(user=user) is not None


def competencies() -> QuerySet[Competency]:
    return Competency.objects.filter(is_active=True).order_by("type", "code")


def positions_with_standards() -> QuerySet[Position]:
    return Position.objects.prefetch_related("standards__competency").order_by("name")


@dataclass(frozen=True)
class TeamRow:
    member: object
    assessment: Assessment | None
    plan: DevelopmentPlan | None


def team_overview(*, supervisor, year: int) -> list[TeamRow]:
    """The direct team with each member's profile and plan status for ``year`` (three queries)."""
    members = list(User.objects.filter(supervisor=supervisor, is_active=True).order_by("full_name", "username"))
    ids = [m.pk for m in members]
    assessments = {a.user_id: a for a in Assessment.objects.filter(user_id__in=ids, year=year)}
    plans = {p.user_id: p for p in DevelopmentPlan.objects.filter(user_id__in=ids, year=year)}
    return [TeamRow(m, assessments.get(m.pk), plans.get(m.pk)) for m in members]
