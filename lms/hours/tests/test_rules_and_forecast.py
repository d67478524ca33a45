"""Yearly rules as data (docs/domain/jp-ledger.md): targets per employment type (PNS, PPPK, non-ASN) with an optional
maximum, exemptions, credit rules per form and year; an employee who changes unit mid-year keeps the
year's JP; the forecast and the "start by" date; reminders sent once per period."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core import mail
from django.test import override_settings
from django.urls import reverse

from content.tests.factories import make_course
from lms import services as lms_services
from lms.classroom.services import check_registration_create
from lms.classroom.tests.factories import make_session
from lms.hours import pace
from lms.hours.forecast import at_risk_for, forecast_for, start_by_date
from lms.hours.models import CreditRule, Exemption, ReminderPoint, ReminderSent, TargetRule
from lms.hours.selectors import JAKARTA, credit_rule_for, jp_counted, target_for, targets_for
from lms.hours.services import reminder_period, reminders_send
from lms.hours.tests.factories import credit as ledger_test_credit
from lms.selectors import year_progress
from shell.inbox.models import Notification
from shell.people import roles
from shell.people.models import User
from shell.people.selectors import employees_visible_to
from shell.people.tests.factories import UnitFactory, UserFactory, hr_user

pytestmark = pytest.mark.django_db


def credit(user, jp, date=dt.date(2026, 3, 1), key=None, form="e_learning", category="teknis"):
    return ledger_test_credit(
        user, jp, date, category=category, form=form, external_id=key or f"test:{user.pk}:{date}:{jp}:{form}"
    )


# Targets per employment type ------------------------------------------------------------------------


def test_pppk_and_non_asn_targets_and_the_pppk_maximum():
    TargetRule.objects.create(year=2026, employment_type="pppk", target_jp=Decimal("20"), max_jp=Decimal("24"))
    TargetRule.objects.create(year=2026, employment_type="non_asn", target_jp=Decimal("10"))
    pppk = UserFactory(employment_type=User.EmploymentType.PPPK)
    honorary = UserFactory(employment_type=User.EmploymentType.NON_ASN, nip=None)
    pns = UserFactory()
    assert [target_for(user=u, year=2026) for u in (pppk, honorary, pns)] == [
        Decimal("20"),
        Decimal("10"),
        Decimal("20"),
    ]
    assert targets_for(users=[pppk, honorary, pns], year=2026) == {pppk.pk: 20, honorary.pk: 10, pns.pk: 20}
    for user in (pppk, honorary, pns):
        credit(user, "30")
    # The maximum counts for PPPK only; the ledger keeps every entry.
    assert [jp_counted(user=u, year=2026) for u in (pppk, honorary, pns)] == [
        Decimal("24"),
        Decimal("30"),
        Decimal("30"),
    ]
    assert year_progress(user=pppk, year=2026).total == Decimal("24")
    assert forecast_for(user=pppk, year=2026, today=dt.date(2026, 6, 1)).achieved == Decimal("24")


def test_an_exempted_employee_has_no_target_that_year_only():
    user = UserFactory()
    Exemption.objects.create(user=user, year=2026, reason=Exemption.Reason.STUDY_LEAVE)
    assert target_for(user=user, year=2026) == 0
    assert targets_for(users=[user], year=2026) == {user.pk: 0}
    assert target_for(user=user, year=2027) == 20
    assert forecast_for(user=user, year=2026, today=dt.date(2026, 11, 1)).status == pace.MET


def test_a_mid_year_hire_is_pro_rated_the_same_in_bulk():
    user = UserFactory(hired_on=dt.date(2026, 7, 15))
    assert target_for(user=user, year=2026) == targets_for(users=[user], year=2026)[user.pk] == Decimal("10.0")


def test_credit_rules_are_per_form_and_year_with_defaults():
    CreditRule.objects.create(year=2025, form="coaching", unit="session", jp_per_unit=Decimal("2"), max_jp_per_year=10)
    CreditRule.objects.create(year=2027, form="coaching", unit="hour", jp_per_unit=Decimal("1"))
    assert credit_rule_for(form="coaching", year=2026).unit == "session"  # 2025's rule still in force
    assert credit_rule_for(form="coaching", year=2027).unit == "hour"
    default = credit_rule_for(form="seminar", year=2026)
    assert (default.unit, default.max_jp_per_year, default.evidence_required, default.approval_required) == (
        "jp",
        None,
        True,
        True,
    )


# An employee who changes unit mid-year ---------------------------------------------------------------


def test_a_unit_change_mid_year_keeps_the_years_jp_with_the_employee(client):
    old_unit, new_unit = UnitFactory(), UnitFactory()
    old_boss = UserFactory(roles=[roles.LEARNER, roles.SUPERVISOR])
    new_boss = UserFactory(roles=[roles.LEARNER, roles.SUPERVISOR])
    old_hr, new_hr = hr_user(unit=old_unit), hr_user(unit=new_unit)
    mover = UserFactory(unit=old_unit, supervisor=old_boss)
    credit(mover, "6", date=dt.date(2026, 3, 1))
    mover.unit, mover.supervisor = new_unit, new_boss
    mover.save()
    credit(mover, "4", date=dt.date(2026, 9, 1))
    # The whole year follows the employee: the new unit's supervisor and HR see 10 JP...
    for viewer in (new_boss, new_hr):
        assert employees_visible_to(user=viewer).filter(pk=mover.pk).exists()
    forecast = at_risk_for(users=[mover], year=2026, today=dt.date(2026, 11, 1))
    assert forecast and forecast[0].achieved == Decimal("10")
    client.force_login(new_hr)
    page = client.get(reverse("lms:employee_detail", args=[mover.uuid])).content.decode()
    assert "10" in page
    # ...and the old ones no longer see the employee at all.
    for viewer in (old_boss, old_hr):
        assert not employees_visible_to(user=viewer).filter(pk=mover.pk).exists()
        client.force_login(viewer)
        assert client.get(reverse("lms:employee_detail", args=[mover.uuid])).status_code == 404


# The forecast ---------------------------------------------------------------------------------------


def test_start_by_is_counted_back_from_year_end_at_the_steady_pace():
    args = dict(target=Decimal("20"), year=2026)
    assert start_by_date(achieved=Decimal("0"), planned=Decimal("0"), **args) == dt.date(2026, 1, 1)
    assert start_by_date(achieved=Decimal("10"), planned=Decimal("0"), **args) == dt.date(
        2026, 7, 2
    )  # 183 days: 2 Jul .. 31 Dec
    assert start_by_date(achieved=Decimal("15"), planned=Decimal("5"), **args) is None
    assert start_by_date(achieved=Decimal("0"), planned=Decimal("0"), target=Decimal("0"), year=2026) is None


def test_the_forecast_counts_enrolments_and_registered_sessions_as_planned():
    learner = UserFactory()
    credit(learner, "4", date=dt.date(2026, 2, 1))
    course = make_course(jp="3", lessons=("text",))
    lms_services.check_enrollment_self(user=learner, course_id=course.pk)
    session = make_session(days=[(dt.date(2026, 8, 10), dt.time(8), dt.time(16))], jp="8")
    check_registration_create(user=learner, session_id=session.pk, now=dt.datetime(2026, 7, 1, tzinfo=JAKARTA))
    today = dt.date(2026, 7, 2)
    f = forecast_for(user=learner, year=2026, today=today)
    elapsed = pace.year_elapsed(on=today, year=2026)
    assert f.planned == Decimal("11")
    assert float(f.projected) == pytest.approx(round(4 + 11 + 4 / elapsed * (1 - elapsed), 1))
    assert f.status == pace.compliance_status(4, 20, elapsed=elapsed, planned=11)
    assert f.start_by == start_by_date(achieved=Decimal("4"), planned=Decimal("11"), target=Decimal("20"), year=2026)
    # Last year's forecast does not count this year's plans.
    assert forecast_for(user=learner, year=2025, today=today).planned == 0


def test_at_risk_lists_only_those_below_a_steady_pace_worst_first():
    today = dt.date(2026, 7, 2)  # half the year
    on_pace, slow, nothing = UserFactory(), UserFactory(), UserFactory()
    credit(on_pace, "12")
    credit(slow, "8")
    rows = at_risk_for(users=[on_pace, slow, nothing], year=2026, today=today)
    assert [f.user for f in rows] == [nothing, slow]
    assert [f.status for f in rows] == [pace.BEHIND, pace.BEHIND]


def test_the_at_risk_page_shows_the_team_only(client):
    boss = UserFactory(roles=[roles.LEARNER, roles.SUPERVISOR])
    mine, stranger = UserFactory(supervisor=boss, full_name="Anggota Tim"), UserFactory(full_name="Orang Lain")
    client.force_login(boss)
    page = client.get(reverse("hours:at_risk")).content.decode()
    assert mine.full_name in page and stranger.full_name not in page
    client.force_login(mine)
    assert client.get(reverse("hours:at_risk")).status_code == 403
    assert client.get(reverse("hours:forecast")).status_code == 200


# Reminders -----------------------------------------------------------------------------------------


def test_the_period_is_the_latest_point_passed_and_a_years_own_points_replace_the_default():
    # The migration's every-year points: 31 Mar, 30 Jun, 30 Sep, 15 Nov (employees).
    assert reminder_period(today=dt.date(2026, 3, 30), audience="employee") is None
    assert reminder_period(today=dt.date(2026, 4, 2), audience="employee") == dt.date(2026, 3, 31)
    assert reminder_period(today=dt.date(2026, 4, 20), audience="employee") is None  # beat down too long
    ReminderPoint.objects.create(year=2026, month=4, day=15, audience="employee")
    assert reminder_period(today=dt.date(2026, 4, 20), audience="employee") == dt.date(2026, 4, 15)
    assert reminder_period(today=dt.date(2026, 7, 1), audience="employee") is None  # 30 Jun not used in 2026
    assert reminder_period(today=dt.date(2027, 7, 1), audience="employee") == dt.date(2027, 6, 30)


@override_settings(LEARNING_REMINDER_EMAIL=True)
def test_reminders_go_once_per_period_even_when_the_schedule_runs_twice(django_capture_on_commit_callbacks):
    boss = UserFactory(roles=[roles.LEARNER, roles.SUPERVISOR], email="boss@tangerangkota.go.id")
    behind = UserFactory(supervisor=boss, email="behind@tangerangkota.go.id", full_name="Tertinggal")
    fine = UserFactory(supervisor=boss, email="fine@tangerangkota.go.id")
    credit(fine, "20")
    today = dt.date(2026, 10, 1)  # employees' 30 Sep point and the supervisors' 1 Oct point
    with django_capture_on_commit_callbacks(execute=True):
        first = reminders_send(today=today)
    with django_capture_on_commit_callbacks(execute=True):
        second = reminders_send(today=today)
    with django_capture_on_commit_callbacks(execute=True):
        next_day = reminders_send(today=today + dt.timedelta(days=1))
    assert first["employee"] >= 1 and first["supervisor"] == 1
    assert second == {"employee": 0, "supervisor": 0} and next_day == {"employee": 0, "supervisor": 0}
    assert Notification.objects.filter(user=behind, kind="lms.jp_reminder").count() == 1
    assert not Notification.objects.filter(user=fine, kind="lms.jp_reminder").exists()
    team_note = Notification.objects.get(user=boss, kind="lms.team_at_risk")
    assert "Tertinggal" in team_note.body and "1 anggota tim" in team_note.title
    # The supervisor is behind too: their own reminder and their team's list, one e-mail each.
    sent_to = [m.to[0] for m in mail.outbox]
    assert sent_to.count("behind@tangerangkota.go.id") == 1 and sent_to.count("boss@tangerangkota.go.id") == 2
    assert "fine@tangerangkota.go.id" not in sent_to
    # The next point is a new period: reminded again.
    with django_capture_on_commit_callbacks(execute=True):
        reminders_send(today=dt.date(2026, 11, 15))
    assert Notification.objects.filter(user=behind, kind="lms.jp_reminder").count() == 2
    assert ReminderSent.objects.filter(user=behind).count() == 2


def test_no_email_unless_configured():
    UserFactory(email="x@tangerangkota.go.id")
    reminders_send(today=dt.date(2026, 10, 1))
    assert mail.outbox == []


# Riwayat belajar ------------------------------------------------------------------------------------


def test_history_lists_every_entry_and_downloads_as_pdf(client):
    learner = UserFactory()
    credit(learner, "4", date=dt.date(2026, 2, 1), category="teknis")
    credit(learner, "2", date=dt.date(2026, 3, 1), category="manajerial", form="seminar")
    client.force_login(learner)
    page = client.get(reverse("lms:history") + "?tahun=2026").content.decode()
    assert "history-pdf" in page
    response = client.get(reverse("lms:history_pdf") + "?tahun=2026")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert "riwayat-belajar-2026.pdf" in response["Content-Disposition"]
