"""The report figures on a small city worked out by hand (reports/tests/factories.py):

employee    type     unit        2026 verified JP          target  status (1 July: elapsed 0.4986)
Full        PNS      A1          12 + 10 = 22              20      met
Reversed    PNS      A1          8 + 6 - 6 = 8 (5 pending) 20      behind (8 < 9.97; projected 16.0)
Nothing     PPPK     A           none                      20      behind
Mover       PNS      A1 (was B)  10                        20      on track (10 >= 9.97)
Newcomer    non-ASN  B, Apr 15   15                        15.0    met (20 x 9/12)
Unit A2 has nobody; A rolls up A1 and its own employee.
"""

import datetime as dt
from decimal import Decimal

import pytest

from lms.hours.models import Exemption, JpFormTotal, JpMonthTotal, JpYearTotal, LedgerEntry, TargetRule, YearPolicy
from lms.hours.selectors import target_for
from lms.hours.totals import totals_rebuild
from reports import selectors
from reports.selectors import ReportFilters
from reports.tests.factories import TODAY, credit, make_city
from shell.people.models import User
from shell.people.tests.factories import UnitFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin():
    return User.objects.create_superuser("boss", "boss@example.com", "secret-pass-123")


@pytest.fixture
def city():
    return make_city()


def test_per_employee(city, admin):
    frame = selectors.compliance_frame(viewer=admin, filters=ReportFilters(year=2026), today=TODAY).set_index("name")
    assert set(frame.index) == {"Full", "Reversed", "Nothing", "Mover", "Newcomer"}  # not the admin
    assert frame.loc["Full", "jp"] == 22 and frame.loc["Full", "status"] == "met"
    assert frame.loc["Reversed", "jp"] == 8 and frame.loc["Reversed", "pending_jp"] == 5
    assert frame.loc["Reversed", "status"] == "behind"
    assert frame.loc["Reversed", "projected_jp"] == pytest.approx(16.0, abs=0.1)
    assert frame.loc["Nothing", "jp"] == 0 and frame.loc["Nothing", "status"] == "behind"
    assert frame.loc["Nothing", "verified_entries"] == 0
    assert frame.loc["Mover", "unit_code"] == "A1" and frame.loc["Mover", "status"] == "on_track"
    assert frame.loc["Newcomer", "target_jp"] == 15.0 and frame.loc["Newcomer", "status"] == "met"
    assert frame.loc["Mover", "opd_code"] == "A"
    summary = selectors.status_summary(compliance=frame.reset_index())
    assert summary["counts"] == {"met": 2, "on_track": 1, "at_risk": 0, "behind": 2}
    assert summary["no_records"] == 1 and summary["jp_total"] == 55 and summary["target_total"] == 95


def test_unit_rollup_by_tree(city, admin):
    filters = ReportFilters(year=2026)
    compliance = selectors.compliance_frame(viewer=admin, filters=filters, today=TODAY)
    rollup = selectors.unit_rollup_frame(compliance=compliance, units=selectors.units_frame(viewer=admin)).set_index(
        "unit_code"
    )
    a1, a, a2, b = (rollup.loc[c] for c in ("A1", "A", "A2", "B"))
    assert (a1.employees, a1.met, a1.on_track, a1.behind, a1.jp_total) == (3, 1, 1, 1, 40)
    assert (a.employees, a.employees_direct, a.met, a.on_track, a.behind, a.jp_total) == (4, 1, 1, 1, 2, 40)
    assert a.met_rate == 25.0 and a.on_pace_rate == 50.0 and a.avg_jp == 10.0
    assert (a2.employees, a2.met, a2.met_rate) == (0, 0, 0.0)  # a unit with nobody is listed, with zeros
    assert (b.employees, b.met, b.jp_total) == (1, 1, 15)  # the mover's JP went with him to A1


def test_filters_unit_subtree_and_type(city, admin):
    frame = selectors.compliance_frame(viewer=admin, filters=ReportFilters(year=2026, unit=city.a), today=TODAY)
    assert set(frame["name"]) == {"Full", "Reversed", "Nothing", "Mover"}
    frame = selectors.compliance_frame(
        viewer=admin, filters=ReportFilters(year=2026, employment_type="pppk"), today=TODAY
    )
    assert list(frame["name"]) == ["Nothing"]


def test_employment_types(city, admin):
    compliance = selectors.compliance_frame(viewer=admin, filters=ReportFilters(year=2026), today=TODAY)
    types = selectors.employment_type_frame(compliance=compliance).set_index("employment_type")
    assert (types.loc["pns", "employees"], types.loc["pns", "met"], types.loc["pns", "behind"]) == (3, 1, 1)
    assert (types.loc["pppk", "employees"], types.loc["pppk", "behind"]) == (1, 1)
    assert (types.loc["non_asn", "employees"], types.loc["non_asn", "met_rate"]) == (1, 100.0)


def test_category_form_and_reversal(city, admin):
    frame = selectors.category_form_frame(viewer=admin, filters=ReportFilters(year=2026))
    got = {(r.category, r.form): (r.jp, r.employees) for r in frame.itertuples()}
    # The reversed seminar claim nets to zero and is left out.
    assert got == {
        ("teknis", "e_learning"): (30.0, 3),
        ("manajerial", "pelatihan"): (10.0, 1),
        ("pemerintahan", "bimtek"): (15.0, 1),
    }


def test_monthly_trend(city, admin):
    trend = selectors.monthly_trend_frame(viewer=admin, filters=ReportFilters(year=2026), target_total=95.0)
    assert trend["jp"].tolist()[:6] == [18.0, 12.0, 10.0, 6.0, 9.0, 0.0]  # May: -6 reversal + 15
    assert trend["cumulative_jp"].tolist()[:5] == [18.0, 30.0, 40.0, 46.0, 55.0]
    assert trend["target_line"].tolist()[5] == 47.5 and trend["target_line"].tolist()[11] == 95.0


def test_vectorised_targets_agree_with_target_for(admin):
    TargetRule.objects.create(year=2025, employment_type="pns", target_jp=Decimal("24"))
    TargetRule.objects.create(year=2026, employment_type="pppk", target_jp=Decimal("15"))
    YearPolicy.objects.create(year=2026, prorate_mid_year_hires=True)
    unit = UnitFactory()
    people = [
        UserFactory(unit=unit, employment_type=kind, hired_on=hired, nip=None if kind == "non_asn" else None)
        for kind in ("pns", "pppk", "non_asn")
        for hired in (
            None,
            dt.date(2010, 5, 1),
            dt.date(2026, 1, 20),
            dt.date(2026, 3, 1),
            dt.date(2026, 8, 31),
            dt.date(2027, 2, 1),
        )
    ]
    Exemption.objects.create(user=people[1], year=2026, reason="study_leave")
    for year in (2025, 2026):
        frame = selectors.compliance_frame(viewer=admin, filters=ReportFilters(year=year), today=TODAY)
        got = dict(zip(frame["employee_id"], frame["target_jp"], strict=True))
        for person in people:
            assert got[person.pk] == float(target_for(user=person, year=year)), (
                person.employment_type,
                person.hired_on,
                year,
            )


def test_status_agrees_with_pace_for_the_learner(city, admin):
    from lms.hours.pace import compliance_status, year_elapsed

    frame = selectors.compliance_frame(viewer=admin, filters=ReportFilters(year=2026), today=TODAY)
    elapsed = year_elapsed(on=TODAY, year=2026)
    for row in frame.itertuples():
        assert row.status == compliance_status(row.jp, row.target_jp, elapsed=elapsed, planned=row.planned_jp)


def test_running_totals_follow_every_ledger_write(city):
    """Triggers keep the totals equal to a fresh aggregation: credit, reversal, status change, delete."""
    pending = LedgerEntry.objects.get(status=LedgerEntry.Status.PENDING)
    pending.status = LedgerEntry.Status.VERIFIED
    pending.save()
    extra = credit(city.nothing, 3, dt.date(2026, 7, 1), form="coaching")
    extra.delete()

    def snapshot():
        return (
            sorted(JpYearTotal.objects.exclude(hundredths=0).values_list("user_id", "year", "status", "hundredths")),
            sorted(JpMonthTotal.objects.exclude(hundredths=0).values_list("user_id", "year", "month", "hundredths")),
            sorted(
                JpFormTotal.objects.exclude(hundredths=0).values_list(
                    "user_id", "year", "category", "form", "hundredths"
                )
            ),
        )

    live = snapshot()
    totals_rebuild()
    assert snapshot() == live
    year = dict(JpYearTotal.objects.filter(user=city.reversed, year=2026).values_list("status", "hundredths"))
    assert year["verified"] == 1300  # 8 + 6 - 6 + the 5 now verified
