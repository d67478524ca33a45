"""The ledger's running totals (kept by its own triggers, lms/hours/totals.py) equal a fresh aggregation
of the ledger after every kind of write, and the selectors the reports use read them."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db.models import Sum

from lms.hours.models import JpFormTotal, JpMonthTotal, JpYearTotal, LedgerEntry
from lms.hours.selectors import form_totals, month_totals, year_totals
from lms.hours.services import ledger_reverse
from lms.hours.tests.factories import credit
from lms.hours.totals import totals_paused, totals_rebuild
from shell.people.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _credit(user, key, jp, date, status=LedgerEntry.Status.VERIFIED):
    return credit(user, Decimal(jp), date, title=key, status=status, external_id=f"totals:{user.pk}:{key}")


def _snapshot():
    return (
        sorted(
            JpYearTotal.objects.exclude(entries=0).values_list("user_id", "year", "status", "hundredths", "entries")
        ),
        sorted(JpMonthTotal.objects.exclude(entries=0).values_list("user_id", "year", "month", "hundredths")),
        sorted(JpFormTotal.objects.exclude(entries=0).values_list("user_id", "year", "category", "form", "hundredths")),
    )


def test_the_totals_follow_credit_reversal_status_change_and_delete():
    learner = UserFactory()
    _credit(learner, "a", "4", dt.date(2026, 3, 2))
    ledger_reverse(
        entry=_credit(learner, "b", "2.5", dt.date(2026, 3, 9)),
        date=dt.date(2026, 4, 1),
        note="x",
        evidence="revocation:0",
    )
    pending = _credit(learner, "c", "1.25", dt.date(2026, 5, 1), status=LedgerEntry.Status.PENDING)
    _credit(learner, "d", "3", dt.date(2025, 12, 31)).delete()
    pending.status = LedgerEntry.Status.VERIFIED
    pending.save()

    live = _snapshot()
    totals_rebuild()
    assert _snapshot() == live
    verified = year_totals(user_ids=[learner.pk], year=2026).get(status="verified")
    assert (verified.hundredths, verified.entries) == (525, 4)  # 4 + 2.5 - 2.5 + 1.25
    assert dict(month_totals(user_ids=[learner.pk], year=2026).values_list("month", "hundredths")) == {
        3: 650,
        4: -250,
        5: 125,
    }
    assert form_totals(user_ids=[learner.pk], year=2026).aggregate(s=Sum("hundredths"))["s"] == 525
    assert not year_totals(user_ids=[learner.pk], year=2025).exclude(entries=0).exists()


def test_a_bulk_load_with_the_totals_paused_is_counted_once_at_the_end():
    learner = UserFactory()
    with totals_paused():
        _credit(learner, "bulk-1", "2", dt.date(2026, 1, 5))
        _credit(learner, "bulk-2", "3", dt.date(2026, 1, 6))
        assert not JpYearTotal.objects.filter(user=learner).exists()  # no per-row work meanwhile
    assert JpYearTotal.objects.get(user=learner, year=2026, status="verified").hundredths == 500
    _credit(learner, "after", "1", dt.date(2026, 2, 1))  # the triggers are back
    assert JpYearTotal.objects.get(user=learner, year=2026, status="verified").hundredths == 600
