"""SLA deadlines in working days (docs/domain/layanan.md, "SLA in working days", with a holiday
calendar): weekends and holidays do not count; overdue is measured against that date."""

import datetime as dt

import pytest
from django.utils import timezone

from shell.modules.layanan import selectors
from shell.modules.layanan.models import Holiday, ServiceRequest
from shell.modules.layanan.services import request_register, request_transition

from .factories import NIK, ServiceTypeFactory, officer

pytestmark = pytest.mark.django_db

FRI = dt.date(2026, 11, 20)  # a Friday
assert FRI.weekday() == 4


def test_working_days_skip_the_weekend():
    assert selectors.working_days_add(start=FRI, days=1) == dt.date(2026, 11, 23)  # Monday
    assert selectors.working_days_add(start=FRI, days=3) == dt.date(2026, 11, 25)  # Wednesday
    # Submitted on a Saturday: Monday is the first working day.
    assert selectors.working_days_add(start=dt.date(2026, 11, 21), days=1) == dt.date(2026, 11, 23)
    assert selectors.working_days_add(start=FRI, days=0) == FRI


def test_working_days_skip_holidays_from_the_calendar():
    Holiday.objects.create(date=dt.date(2026, 11, 23), name="Libur uji")
    Holiday.objects.create(date=dt.date(2026, 11, 24), name="Cuti bersama uji")
    # Fri + 3 working days: Mon and Tue are holidays -> Wed, Thu, Fri.
    assert selectors.working_days_add(start=FRI, days=3) == dt.date(2026, 11, 27)
    # A holiday on a Saturday changes nothing.
    Holiday.objects.create(date=dt.date(2026, 11, 28), name="Sabtu")
    assert selectors.working_days_add(start=FRI, days=4) == dt.date(2026, 11, 30)


def test_working_days_between_counts_both_ways():
    assert selectors.working_days_between(start=FRI, end=dt.date(2026, 11, 25)) == 3
    assert selectors.working_days_between(start=dt.date(2026, 11, 25), end=FRI) == -3
    assert selectors.working_days_between(start=FRI, end=FRI) == 0


def test_a_long_run_of_holidays_still_finds_the_date():
    start = dt.date(2026, 3, 16)
    for n in range(1, 40):
        Holiday.objects.create(date=start + dt.timedelta(days=n), name=f"h{n}")
    due = selectors.working_days_add(start=start, days=2)
    assert due > start + dt.timedelta(days=39) and due.weekday() < 5


def test_request_due_date_and_overdue_flag_across_a_weekend(monkeypatch):
    service = ServiceTypeFactory(sla_days=2)
    friday_noon = timezone.make_aware(dt.datetime(2026, 11, 20, 12, 0))
    monkeypatch.setattr(timezone, "now", lambda: friday_noon)
    request, _ = request_register(service=service, citizen_nik=NIK, citizen_name="Warga")
    assert request.due_date == dt.date(2026, 11, 24)  # Mon, Tue (not Sat, Sun)

    assert not selectors.request_is_overdue(request=request, on=dt.date(2026, 11, 23))
    assert not selectors.request_is_overdue(request=request, on=dt.date(2026, 11, 24))
    assert selectors.request_is_overdue(request=request, on=dt.date(2026, 11, 25))
    assert list(ServiceRequest.objects.filter(selectors.overdue_q(on=dt.date(2026, 11, 25)))) == [request]
    assert not ServiceRequest.objects.filter(selectors.overdue_q(on=dt.date(2026, 11, 24))).exists()


def test_a_request_finished_in_time_is_not_overdue_and_a_late_one_stays_flagged(monkeypatch):
    service = ServiceTypeFactory(sla_days=1)
    worker = officer(service.unit)
    moment = [timezone.make_aware(dt.datetime(2026, 11, 20, 9, 0))]
    monkeypatch.setattr(timezone, "now", lambda: moment[0])
    on_time, _ = request_register(service=service, citizen_nik=NIK, citizen_name="A")
    late, _ = request_register(service=service, citizen_nik=NIK, citizen_name="B")
    for r in (on_time, late):
        request_transition(request_id=r.pk, actor=worker, to_status="verification")
        request_transition(request_id=r.pk, actor=worker, to_status="processing")
    moment[0] = timezone.make_aware(dt.datetime(2026, 11, 23, 15, 0))  # Monday: the deadline
    request_transition(request_id=on_time.pk, actor=worker, to_status="done")
    moment[0] = timezone.make_aware(dt.datetime(2026, 11, 24, 8, 0))  # Tuesday: a day late
    request_transition(request_id=late.pk, actor=worker, to_status="done")
    on_time.refresh_from_db()
    late.refresh_from_db()
    assert not selectors.request_is_overdue(request=on_time, on=dt.date(2026, 12, 31))
    assert selectors.request_is_overdue(request=late, on=dt.date(2026, 12, 31))
    # Closed requests never count as open overdue work.
    assert not ServiceRequest.objects.filter(selectors.overdue_q(on=dt.date(2026, 12, 31))).exists()
