"""Classroom reads."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, IntegerField, Max, Min, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce, Least

from shell.people.selectors import employees_visible_to, unit_subtree_q

from .models import Attendance, CheckinRequest, ClassSession, Registration, SessionDay


def sessions_with_dates() -> QuerySet[ClassSession]:
    return ClassSession.objects.select_related("course", "room").annotate(
        first_date=Min("days__date"), last_date=Max("days__date")
    )


def _seats_taken() -> Coalesce:
    # A subquery, not a Count over a join: joined with the session's days, a Count counted each person
    # once per day (the schedule said 2 seats taken where the class page said 1).
    taken = (
        Registration.objects.filter(session=OuterRef("pk"), status=Registration.Status.REGISTERED)
        .order_by()
        .values("session")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(taken, output_field=IntegerField()), 0)


def sessions_with_seats() -> QuerySet[ClassSession]:
    """Sessions with their dates and seats: ``seats`` offered (the quota, never more than the room holds,
    as ``session_seats``) and ``seats_taken`` (people registered, as ``session_seats_taken``). The one
    read of seats for every page (the schedule and the class page)."""
    return sessions_with_dates().annotate(seats=Least("capacity", "room__capacity"), seats_taken=_seats_taken())


def session_list_upcoming(*, today: dt.date) -> QuerySet[ClassSession]:
    """Scheduled sessions that have not ended yet, soonest first."""
    return (
        sessions_with_seats()
        .filter(status=ClassSession.Status.SCHEDULED, last_date__gte=today)
        .order_by("first_date", "pk")
    )


def session_get(*, pk: int) -> ClassSession | None:
    return (
        sessions_with_seats()
        .prefetch_related(Prefetch("days", queryset=SessionDay.objects.order_by("date")), "trainers")
        .filter(pk=pk)
        .first()
    )


def session_is_trainer(*, session: ClassSession, user) -> bool:
    return user.is_superuser or session.trainers.filter(pk=user.pk).exists()


def session_seats(*, session: ClassSession) -> int:
    """The seats a session offers: its quota, never more than its room holds (a quota set above the room,
    or a room made smaller after the quota was set)."""
    return min(session.capacity, session.room.capacity)


def session_seats_taken(*, session: ClassSession) -> int:
    """People holding a seat (the services count under the session's lock; pages read ``seats_taken``)."""
    return Registration.objects.filter(session=session, status=Registration.Status.REGISTERED).count()


def checkin_requests_pending(*, session: ClassSession, day: SessionDay) -> QuerySet[CheckinRequest]:
    """Check-ins of registered participants waiting for the trainer on ``day``, first come first."""
    return (
        CheckinRequest.objects.filter(
            day=day,
            registration__session=session,
            registration__status=Registration.Status.REGISTERED,
            status=CheckinRequest.Status.PENDING,
        )
        .select_related("registration__user", "registration__user__unit")
        .order_by("requested_at", "pk")
    )


@dataclass(frozen=True)
class CheckinStatus:
    """A learner's check-in on one day, as their phone shows it: ``present`` (an attendance is recorded),
    ``pending`` (waiting for the trainer), ``rejected`` (the trainer did not confirm) or ``none``."""

    status: str
    attendance: Attendance | None = None
    request: CheckinRequest | None = None


def checkin_status_for(*, registration: Registration, day: SessionDay | None) -> CheckinStatus:
    if day is None:
        return CheckinStatus("none")
    attendance = Attendance.objects.filter(registration=registration, day=day).select_related("marked_by").first()
    request = CheckinRequest.objects.filter(registration=registration, day=day).select_related("decided_by").first()
    if attendance is not None:
        return CheckinStatus("present", attendance=attendance, request=request)
    if request is not None and request.status == CheckinRequest.Status.PENDING:
        return CheckinStatus("pending", request=request)
    if request is not None and request.status == CheckinRequest.Status.REJECTED:
        return CheckinStatus("rejected", request=request)
    return CheckinStatus("none", request=request)


def sessions_trained_by(*, user) -> QuerySet[ClassSession]:
    qs = sessions_with_dates().exclude(status=ClassSession.Status.CANCELLED)
    if not user.is_superuser:
        qs = qs.filter(trainers=user)
    return qs.order_by("-first_date", "pk")


def registration_for(*, session: ClassSession, user) -> Registration | None:
    return Registration.objects.filter(session=session, user=user).first()


def registrations_of_user(*, user) -> QuerySet[Registration]:
    return (
        Registration.objects.filter(user=user)
        .exclude(status=Registration.Status.CANCELLED)
        .select_related("session__course", "session__room")
        .annotate(first_date=Min("session__days__date"), last_date=Max("session__days__date"))
        .order_by("-first_date")
    )


def waitlist_position(*, registration: Registration) -> int | None:
    if registration.status != Registration.Status.WAITLISTED:
        return None
    return (
        Registration.objects.filter(
            session_id=registration.session_id,
            status=Registration.Status.WAITLISTED,
        )
        .filter(Q(queued_at__lt=registration.queued_at) | Q(queued_at=registration.queued_at, pk__lt=registration.pk))
        .count()
        + 1
    )


def roster(*, session: ClassSession) -> list[Registration]:
    """Registered participants with the days they attended (``attended_day_ids``) and the days their
    check-in waits for the trainer (``pending_day_ids``)."""
    regs = list(
        Registration.objects.filter(session=session, status=Registration.Status.REGISTERED)
        .select_related("user", "user__unit")
        .order_by("user__full_name", "pk")
    )
    attended: dict[int, set[int]] = defaultdict(set)
    for reg_id, day_id in Attendance.objects.filter(registration__in=regs).values_list("registration_id", "day_id"):
        attended[reg_id].add(day_id)
    pending: dict[int, set[int]] = defaultdict(set)
    for reg_id, day_id in CheckinRequest.objects.filter(
        registration__in=regs, status=CheckinRequest.Status.PENDING
    ).values_list("registration_id", "day_id"):
        pending[reg_id].add(day_id)
    for reg in regs:
        reg.attended_day_ids = attended[reg.pk]
        reg.pending_day_ids = pending[reg.pk] - attended[reg.pk]
    return regs


def attended_share(*, registration: Registration, days: list[SessionDay]) -> Decimal:
    """The share of the session's time the participant attended (days attended, weighted by length)."""
    total = sum(day.minutes for day in days)
    if not total:
        return Decimal("0")
    attended_ids = set(registration.attendances.values_list("day_id", flat=True))
    present = sum(day.minutes for day in days if day.pk in attended_ids)
    return Decimal(present) / Decimal(total)


def planned_classroom_jp(*, user_ids, year: int) -> dict[int, Decimal]:
    """JP of the sessions each employee is registered for, ending in ``year``, not yet closed: what the
    forecast counts as planned."""
    rows = (
        Registration.objects.filter(
            user_id__in=user_ids,
            status=Registration.Status.REGISTERED,
            session__status=ClassSession.Status.SCHEDULED,
        )
        .annotate(last_date=Max("session__days__date"))
        .filter(last_date__year=year)
        .values_list("user_id", "session__jp", "session__course__jp")
    )
    planned: dict[int, Decimal] = defaultdict(Decimal)
    for user_id, session_jp, course_jp in rows:
        planned[user_id] += session_jp if session_jp is not None else course_jp
    return dict(planned)


def session_utilisation_rows(*, year: int, unit=None) -> list[dict]:
    """Per room and month (of a session's first day) of ``year``: seats offered (the sessions' quotas),
    people registered, and people who attended at least one day. With ``unit``, registered and attended
    count only employees of that unit's subtree (seats stay the sessions' quotas). Cancelled sessions
    are left out."""
    sessions = list(
        ClassSession.objects.exclude(status=ClassSession.Status.CANCELLED)
        .annotate(first_date=Min("days__date"))
        .filter(first_date__year=year)
        .select_related("room")
        .values("pk", "capacity", "first_date", "room__name", "room__building", "room_id")
    )
    if not sessions:
        return []
    people = Registration.objects.filter(
        session_id__in=[s["pk"] for s in sessions], status=Registration.Status.REGISTERED
    )
    if unit is not None:
        people = people.filter(unit_subtree_q(unit, prefix="user__unit__"))
    registered = dict(people.values("session_id").annotate(n=Count("pk")).values_list("session_id", "n"))
    attended = dict(
        people.filter(attendances__isnull=False)
        .values("session_id")
        .annotate(n=Count("pk", distinct=True))
        .values_list("session_id", "n")
    )
    rows: dict[tuple, dict] = {}
    for s in sessions:
        month = s["first_date"].month
        row = rows.setdefault(
            (s["room__building"], s["room__name"], month),
            {
                "room": s["room__name"],
                "building": s["room__building"],
                "room_id": s["room_id"],
                "month": month,
                "sessions": 0,
                "seats": 0,
                "registered": 0,
                "attended": 0,
            },
        )
        row["sessions"] += 1
        row["seats"] += s["capacity"]
        row["registered"] += registered.get(s["pk"], 0)
        row["attended"] += attended.get(s["pk"], 0)
    return sorted(rows.values(), key=lambda r: (r["month"], r["building"], r["room"]))


def sessions_visible_participants(*, viewer, session: ClassSession) -> QuerySet[Registration]:
    """Registrations of a session that a supervisor / HR may see (their team or scope)."""
    return Registration.objects.filter(session=session, user__in=employees_visible_to(user=viewer))


def outcome_for(*, session: ClassSession, user) -> dict:
    """What the participant got from a class: the ledger entry and the certificate, when there are."""
    from lms.certificates.models import Certificate
    from lms.hours.models import LedgerEntry

    key = f"classroom:{session.pk}:user:{user.pk}"
    return {
        "credit": LedgerEntry.objects.filter(source_key=key).first(),
        "certificate": Certificate.objects.filter(source_key=key, revoked_at__isnull=True).first(),
        "days_attended": Attendance.objects.filter(registration__session=session, registration__user=user).count(),
    }
