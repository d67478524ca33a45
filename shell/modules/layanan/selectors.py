"""Reads of the service module: who sees which request, working days and service-level deadlines."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q, QuerySet
from django.utils import timezone

from .models import Holiday, RequestTransition, ServiceRequest, ServiceType
from .workflow import FINAL, OPEN

PERM_HANDLE = "layanan.handle_request"
PERM_VIEW_ALL = "layanan.view_all_requests"


def today() -> dt.date:
    """Today in Asia/Jakarta (the project's TIME_ZONE)."""
    return timezone.localdate()


def is_working_day(*, day: dt.date, holidays: set[dt.date]) -> bool:
    return day.weekday() < 5 and day not in holidays


def holidays_between(*, start: dt.date, end: dt.date) -> set[dt.date]:
    return set(Holiday.objects.filter(date__gte=start, date__lte=end).values_list("date", flat=True))


def working_days_add(*, start: dt.date, days: int) -> dt.date:
    """The date ``days`` working days after ``start`` (the day of submission does not count):
    weekends and the holiday calendar are skipped."""
    if days < 0:
        raise ValueError("days must not be negative")
    # Enough calendar days for any realistic run of holidays; extended if the calendar is unusually full.
    horizon = days * 2 + 30
    while True:
        holidays = holidays_between(start=start, end=start + dt.timedelta(days=horizon))
        day, counted = start, 0
        while counted < days and day < start + dt.timedelta(days=horizon):
            day += dt.timedelta(days=1)
            if is_working_day(day=day, holidays=holidays):
                counted += 1
        if counted == days:
            return day
        horizon *= 2


def working_days_between(*, start: dt.date, end: dt.date) -> int:
    """Working days after ``start`` up to and including ``end`` (negative when ``end`` is earlier)."""
    if end == start:
        return 0
    lo, hi, sign = (start, end, 1) if end > start else (end, start, -1)
    holidays = holidays_between(start=lo, end=hi)
    count = sum(
        1 for n in range(1, (hi - lo).days + 1) if is_working_day(day=lo + dt.timedelta(days=n), holidays=holidays)
    )
    return sign * count


def request_is_overdue(*, request: ServiceRequest, on: dt.date | None = None) -> bool:
    """Open past its deadline, or closed later than it."""
    on = on or today()
    if request.status in FINAL:
        return (
            request.status == ServiceRequest.Status.DONE
            and request.closed_at is not None
            and (timezone.localdate(request.closed_at) > request.due_date)
        )
    return on > request.due_date


def overdue_q(*, on: dt.date | None = None) -> Q:
    return Q(status__in=OPEN, due_date__lt=on or today())


def _unit_path(user) -> str | None:
    # Read from the database: a tree with ordered siblings may have moved the unit since it was loaded.
    from shell.people.models import Unit

    return Unit.objects.filter(pk=user.unit_id).values_list("path", flat=True).first() if user.unit_id else None


def requests_visible_to(*, user) -> QuerySet[ServiceRequest]:
    """A service officer sees the requests of their unit (and the units below it); everyone sees the
    requests they registered or are assigned; city-wide supervisors see all."""
    qs = ServiceRequest.objects.select_related("service", "unit", "assignee", "registered_by")
    if not user.is_authenticated:
        return qs.none()
    if user.has_perm(PERM_VIEW_ALL):
        return qs
    q = Q(registered_by=user) | Q(assignee=user)
    path = _unit_path(user) if user.has_perm(PERM_HANDLE) else None
    if path:
        q |= Q(unit__path__startswith=path)
    return qs.filter(q)


def request_may_be_handled_by(*, user, request: ServiceRequest) -> bool:
    """Acting on a request (status, assignment) is for officers of its unit, its assignee, and
    city-wide coordinators; whoever only registered it may follow it, not process it."""
    if not user.is_authenticated or not user.has_perm(PERM_HANDLE):
        return False
    if user.has_perm(PERM_VIEW_ALL) or request.assignee_id == user.pk:
        return True
    path = _unit_path(user)
    return bool(path) and ServiceRequest.objects.filter(pk=request.pk, unit__path__startswith=path).exists()


def request_for(*, user, number: str) -> ServiceRequest | None:
    if "\x00" in number:  # no number holds one (and PostgreSQL cannot compare text with it)
        return None
    return requests_visible_to(user=user).filter(number=number.strip().upper()).first()


def requests_waiting_count(*, user) -> int:
    """The badge: open requests assigned to the user, plus unassigned ones of their unit."""
    if not user.has_perm(PERM_HANDLE):
        return 0
    mine = Q(assignee=user)
    path = _unit_path(user)
    if path:
        mine |= Q(assignee__isnull=True, unit__path__startswith=path)
    return ServiceRequest.objects.filter(mine, status__in=OPEN).count()


def request_filter(
    *, qs: QuerySet[ServiceRequest], status: str = "", mine: bool = False, overdue: bool = False, user=None
):
    if status:
        qs = qs.filter(status=status)
    if mine and user is not None:
        qs = qs.filter(assignee=user)
    if overdue:
        qs = qs.filter(overdue_q())
    return qs


def transitions_of(*, request: ServiceRequest) -> QuerySet[RequestTransition]:
    return request.transitions.select_related("actor")


def officers_for(*, request: ServiceRequest):
    """Who a request may be assigned to: active service officers of its unit or the units below."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Permission

    User = get_user_model()
    perm = Permission.objects.get(content_type__app_label="layanan", codename="handle_request")
    return (
        User.objects.filter(is_active=True, unit__path__startswith=request.unit.path, unit__isnull=False)
        .filter(Q(groups__permissions=perm) | Q(user_permissions=perm) | Q(is_superuser=True))
        .distinct()
        .order_by("full_name", "username")
    )


def services_active() -> QuerySet[ServiceType]:
    return ServiceType.objects.filter(active=True).select_related("unit")


def public_status(*, number: str) -> dict | None:
    """What a citizen may learn by request number alone: the service, the status and the dates,
    nothing about the person."""
    request = (
        ServiceRequest.objects.filter(number=number.strip().upper()).select_related("service").first()
        if number and "\x00" not in number  # no number holds one (PostgreSQL cannot compare text with it)
        else None
    )
    if request is None:
        return None
    last = request.transitions.order_by("-at", "-pk").first()
    return {
        "number": request.number,
        "service": request.service.name,
        "status": request.status,
        "status_label": request.get_status_display(),
        "submitted_on": timezone.localdate(request.submitted_at),
        "due_date": request.due_date,
        "updated_on": timezone.localdate(last.at) if last else timezone.localdate(request.submitted_at),
        "closed": request.status in FINAL,
    }
