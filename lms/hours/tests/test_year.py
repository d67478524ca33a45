"""The JP year is the calendar year in Asia/Jakarta; yearly targets per employment type are data,
pro-rated for mid-year hires (docs/domain/jp-ledger.md)."""

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace

import pytest

from content.tests.factories import make_course
from lms import services
from lms.hours import selectors as hours_selectors
from lms.hours.models import LedgerEntry, TargetRule, YearPolicy
from lms.hours.selectors import jakarta_date, jp_by_category, jp_total, jp_totals_for, ledger_for, target_for
from lms.models import Enrollment
from lms.selectors import year_progress
from lms.xapi.transformers import learning_event_record
from shell.people.models import User
from shell.people.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

UTC = dt.UTC


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    return lambda: django_capture_on_commit_callbacks(execute=True)


def complete_at(moment: dt.datetime, committed, jp="4", category="teknis") -> User:
    learner = UserFactory()
    course = make_course(jp=jp, category=category, lessons=("text",))
    with committed():
        enrollment = services.check_enrollment_self(user=learner, course_id=course.pk)
        learning_event_record("lms.course.completed", user=learner, enrollment=enrollment, timestamp=moment)
    assert Enrollment.objects.get(pk=enrollment.pk).completed_at == moment
    return learner


# The year boundary -----------------------------------------------------------------------------


def test_completion_at_half_past_midnight_wib_on_new_year_counts_in_the_new_year(committed):
    learner = complete_at(dt.datetime(2025, 12, 31, 17, 30, tzinfo=UTC), committed)  # 00:30 WIB, 1 Jan 2026
    assert LedgerEntry.objects.get(user=learner).date == dt.date(2026, 1, 1)
    assert jp_total(user=learner, year=2026) == Decimal("4")
    assert jp_total(user=learner, year=2025) == Decimal("0")
    assert [e.jp for e in ledger_for(user=learner, year=2026)] == [Decimal("4")]
    assert not ledger_for(user=learner, year=2025).exists()
    assert jp_totals_for(users=[learner], year=2026) == {learner.pk: Decimal("4")}
    assert jp_totals_for(users=[learner], year=2025) == {}


def test_completion_a_minute_before_midnight_wib_counts_in_the_old_year(committed):
    learner = complete_at(dt.datetime(2025, 12, 31, 16, 59, tzinfo=UTC), committed)  # 23:59 WIB, 31 Dec 2025
    assert LedgerEntry.objects.get(user=learner).date == dt.date(2025, 12, 31)
    assert jp_total(user=learner, year=2025) == Decimal("4")
    assert jp_total(user=learner, year=2026) == Decimal("0")
    assert jp_by_category(user=learner, year=2025) == {"teknis": Decimal("4")}
    assert jp_by_category(user=learner, year=2026) == {}


def test_the_first_minute_of_the_year_in_jakarta_is_the_last_evening_in_utc(committed):
    learner = complete_at(dt.datetime(2024, 12, 31, 17, 0, tzinfo=UTC), committed)  # 00:00 WIB, 1 Jan 2025
    assert jp_total(user=learner, year=2025) == Decimal("4")
    assert jp_total(user=learner, year=2024) == Decimal("0")


@pytest.mark.parametrize(
    ("moment", "date"),
    [
        (dt.datetime(2025, 12, 31, 16, 59, 59, tzinfo=UTC), dt.date(2025, 12, 31)),
        (dt.datetime(2025, 12, 31, 17, 0, tzinfo=UTC), dt.date(2026, 1, 1)),
        (dt.datetime(2026, 1, 1, 0, 30, tzinfo=dt.timezone(dt.timedelta(hours=7))), dt.date(2026, 1, 1)),
        (dt.datetime(2026, 1, 1, 8, 0, tzinfo=dt.timezone(dt.timedelta(hours=9))), dt.date(2026, 1, 1)),  # WIT
    ],
)
def test_jakarta_date(moment, date):
    assert jakarta_date(moment) == date


def test_current_year_is_the_jakarta_year(monkeypatch):
    monkeypatch.setattr(
        hours_selectors, "timezone", SimpleNamespace(now=lambda: dt.datetime(2025, 12, 31, 17, 30, tzinfo=UTC))
    )
    assert hours_selectors.current_year() == 2026


# Targets ---------------------------------------------------------------------------------------


def test_target_follows_the_rule_of_the_employment_type_and_year(settings):
    settings.LEARNING_DEFAULT_TARGET_JP = 24
    TargetRule.objects.create(year=2026, employment_type=User.EmploymentType.PPPK, target_jp=Decimal("10"))
    TargetRule.objects.create(year=2026, employment_type=User.EmploymentType.NON_ASN, target_jp=Decimal("8"))
    pppk = UserFactory(employment_type=User.EmploymentType.PPPK)
    non_asn = UserFactory(employment_type=User.EmploymentType.NON_ASN, nip=None)
    pns = UserFactory(employment_type=User.EmploymentType.PNS)

    assert target_for(user=pppk, year=2026) == Decimal("10")
    assert target_for(user=non_asn, year=2026) == Decimal("8")
    assert target_for(user=pns, year=2026) == Decimal("24")  # no PNS rule: the setting
    assert target_for(user=pppk, year=2025) == Decimal("24")  # a rule never reaches back to earlier years


def test_target_falls_back_to_the_latest_earlier_year_then_to_the_setting(settings):
    settings.LEARNING_DEFAULT_TARGET_JP = 20
    for year, target in [(2023, "12"), (2025, "15"), (2028, "30")]:
        TargetRule.objects.create(year=year, employment_type=User.EmploymentType.PPPK, target_jp=Decimal(target))
    pppk = UserFactory(employment_type=User.EmploymentType.PPPK)

    assert target_for(user=pppk, year=2022) == Decimal("20")
    assert target_for(user=pppk, year=2023) == Decimal("12")
    assert target_for(user=pppk, year=2024) == Decimal("12")
    assert target_for(user=pppk, year=2025) == Decimal("15")
    assert target_for(user=pppk, year=2027) == Decimal("15")
    assert target_for(user=pppk, year=2028) == Decimal("30")


@pytest.mark.parametrize(
    ("hired_on", "target"),
    [
        (dt.date(2026, 7, 15), Decimal("10.0")),  # July to December: 6 of 12 months
        (dt.date(2026, 7, 1), Decimal("10.0")),
        (dt.date(2026, 10, 1), Decimal("5.0")),
        (dt.date(2026, 12, 31), Decimal("1.7")),
        (dt.date(2026, 2, 1), Decimal("18.3")),
        (dt.date(2026, 1, 20), Decimal("20")),  # hired in January: the whole year
        (dt.date(2019, 7, 15), Decimal("20")),  # hired in an earlier year
        (None, Decimal("20")),
    ],
)
def test_mid_year_hire_target_is_pro_rated_by_remaining_months(hired_on, target):
    user = UserFactory(hired_on=hired_on)
    assert target_for(user=user, year=2026) == target


def test_pro_rating_applies_to_the_rule_of_the_employment_type():
    TargetRule.objects.create(year=2026, employment_type=User.EmploymentType.PPPK, target_jp=Decimal("10"))
    pppk = UserFactory(employment_type=User.EmploymentType.PPPK, hired_on=dt.date(2026, 7, 1))
    assert target_for(user=pppk, year=2026) == Decimal("5.0")
    assert target_for(user=pppk, year=2027) == Decimal("10")  # the next year in full


def test_pro_rating_switched_off_by_the_year_policy():
    user = UserFactory(hired_on=dt.date(2026, 7, 15))
    YearPolicy.objects.create(year=2026, prorate_mid_year_hires=False)
    assert target_for(user=user, year=2026) == Decimal("20")


def test_pro_rating_policy_of_the_latest_earlier_year_applies():
    YearPolicy.objects.create(year=2024, prorate_mid_year_hires=False)
    YearPolicy.objects.create(year=2027, prorate_mid_year_hires=True)
    assert target_for(user=UserFactory(hired_on=dt.date(2026, 7, 15)), year=2026) == Decimal("20")
    assert target_for(user=UserFactory(hired_on=dt.date(2027, 7, 15)), year=2027) == Decimal("10.0")


def test_year_progress_compares_the_total_with_the_target(committed):
    learner = complete_at(dt.datetime(2026, 3, 2, 2, 0, tzinfo=UTC), committed, jp="5")
    progress = year_progress(user=learner, year=2026)
    assert (progress.total, progress.target, progress.percent, progress.met) == (Decimal("5"), Decimal("20"), 25, False)
    TargetRule.objects.create(year=2026, employment_type=learner.employment_type, target_jp=Decimal("4"))
    progress = year_progress(user=learner, year=2026)
    assert (progress.percent, progress.met) == (100, True)
