"""HR's anomaly list (lms/hours/anomalies.py): each detector finds its case and not the near-miss beside it,
within the HR user's scope only, with a handful of queries whatever the number of employees."""

import datetime as dt
import json
import uuid
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from content.h5p.tests.factories import TRUE_FALSE, import_sample, make_h5p_course
from content.tests.factories import make_course
from lms import activities
from lms.claims.models import Claim
from lms.h5p.models import H5PAttempt, H5PResult
from lms.h5p.services import h5p_attempt_open
from lms.hours.anomalies import DETECTORS, anomaly_list, bursts, duplicates, too_fast
from lms.hours.evidence import Credit
from lms.hours.models import LedgerEntry
from lms.hours.services import ledger_credit
from lms.hours.tests.factories import credit
from lms.models import Enrollment
from lms.xapi.transformers import learning_event_record
from shell.people import roles
from shell.people.models import User
from shell.people.tests.factories import UnitFactory, UserFactory, hr_user

pytestmark = pytest.mark.django_db

YEAR = 2025
DAY = dt.date(YEAR, 3, 10)
WIB = dt.timezone(dt.timedelta(hours=7))


@pytest.fixture(autouse=True)
def _thresholds(settings):
    settings.ANOMALY_BURST_HOURS = 24
    settings.ANOMALY_BURST_JP = 16


@pytest.fixture
def city(db):
    unit_a, unit_b = UnitFactory(code="ANOM-A", name="Dinas A"), UnitFactory(code="ANOM-B", name="Dinas B")
    return {
        "unit_a": unit_a,
        "unit_b": unit_b,
        "hr_a": hr_user(unit=unit_a),
        "hr_city": hr_user(unit=None),
        "a": UserFactory(unit=unit_a, full_name="Ani Anomali"),
        "a2": UserFactory(unit=unit_a, full_name="Adi Wajar"),
        "b": UserFactory(unit=unit_b, full_name="Budi Lain Unit"),
    }


def everyone():
    return User.objects.all()


def kinds_of(rows, user):
    return sorted(r.kind for r in rows if r.employee.pk == user.pk)


# a) Many JP in a short time ------------------------------------------------------------------------


def test_more_than_the_limit_within_a_day_is_a_burst_and_exactly_the_limit_is_not(city):
    a, a2 = city["a"], city["a2"]
    first, second = credit(a, 10, DAY), credit(a, 7, DAY)  # 17 JP on one day
    credit(a2, 10, DAY), credit(a2, 6, DAY)  # 16 JP: the limit, not more
    credit(a2, 10, DAY + dt.timedelta(days=1))  # 24 h after the first day starts: another window
    rows = bursts(employees=everyone(), year=YEAR)
    assert [r.employee for r in rows] == [a]
    (row,) = rows
    assert row.jp == Decimal("17") and {e.pk for e in row.entries} == {first.pk, second.pk}
    assert row.when == DAY and "17 JP" in row.what


def test_a_burst_across_midnight_is_found_from_the_statements_time(city):
    """Two course completions four hours apart, on two dates, are one burst; 25 hours apart they are not."""
    a, a2 = city["a"], city["a2"]

    def complete(user, jp: str, at: dt.datetime) -> LedgerEntry:
        course = make_course(title=f"Kursus {jp} {at:%H}", jp=jp, lessons=("text",))
        enrollment = Enrollment.objects.create(user=user, course=course)
        learning_event_record("lms.course.completed", user=user, enrollment=enrollment, timestamp=at)
        return LedgerEntry.objects.get(user=user, title=course.title)

    late = complete(a, "9", dt.datetime(YEAR, 3, 10, 22, tzinfo=WIB))
    early = complete(a, "9", dt.datetime(YEAR, 3, 11, 2, tzinfo=WIB))
    complete(a2, "9", dt.datetime(YEAR, 3, 10, 8, tzinfo=WIB))
    complete(a2, "9", dt.datetime(YEAR, 3, 11, 9, tzinfo=WIB))
    rows = bursts(employees=everyone(), year=YEAR)
    assert [(r.employee, r.jp) for r in rows] == [(a, Decimal("18"))]
    assert {e.pk for e in rows[0].entries} == {late.pk, early.pk}
    assert rows[0].when == dt.date(YEAR, 3, 11)


def test_a_revoked_credit_no_longer_makes_a_burst_and_its_row_stays_resolved(city):
    from lms.hours.services import ledger_revoke

    a = city["a"]
    credit(a, 10, DAY)
    big = credit(a, 10, DAY)
    (row,) = bursts(employees=everyone(), year=YEAR)
    assert not row.resolved and row.jp == 20
    ledger_revoke(entry=big, by=city["hr_city"], reason="Tidak wajar")
    (row,) = bursts(employees=everyone(), year=YEAR)
    assert row.resolved and row.jp == 10 and big in row.entries
    assert "setelah pencabutan tidak melebihi batas lagi" in row.what


def test_bursts_of_other_years_are_not_listed(city):
    credit(city["a"], 20, dt.date(YEAR - 1, 6, 1))
    assert bursts(employees=everyone(), year=YEAR) == []
    assert len(bursts(employees=everyone(), year=YEAR - 1)) == 1


def test_the_list_asks_the_same_few_queries_for_3_or_30_employees(city):
    def ask() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as captured:
            rows = anomaly_list(viewer=city["hr_city"], year=YEAR)
        return len(captured), len(rows)

    ask()  # the viewer's permissions, read once per user object
    for user in UserFactory.create_batch(3):
        credit(user, 9, DAY), credit(user, 9, DAY)
    few = ask()
    for user in UserFactory.create_batch(27):
        credit(user, 9, DAY), credit(user, 9, DAY)
    many = ask()
    assert few[1] == 3 and many[1] == 30
    assert few[0] == many[0] < 25


# b) H5P items answered faster than plausible ---------------------------------------------------------


@pytest.fixture
def h5p_lesson(db):
    content = import_sample(TRUE_FALSE)
    course = make_h5p_course([content], title="Kursus Interaktif Cepat")
    return course, course.lessons().first(), content


def _answer(learner, course, lesson, content, *, after: dt.timedelta | None = None) -> H5PResult:
    enrollment, _ = Enrollment.objects.get_or_create(user=learner, course=course)
    token = h5p_attempt_open(user=learner, enrollment=enrollment, lesson=lesson, content=content)
    if after is not None:
        H5PAttempt.objects.filter(user=learner).update(opened_at=timezone.now() - after)
    client = Client()
    client.force_login(learner)
    statement = {
        "id": str(uuid.uuid4()),
        "actor": {"objectType": "Agent", "name": "x", "mbox": "mailto:x@example.com"},
        "verb": {"id": "http://adlnet.gov/expapi/verbs/answered", "display": {"en-US": "answered"}},
        "object": {"objectType": "Activity", "id": activities.h5p_iri(lesson.pk, content.pk)},
        "result": {"score": {"min": 0, "raw": 1, "max": 1, "scaled": 1}, "success": True, "response": "false"},
    }
    url = f"/belajar/h5p/{lesson.pk}/{content.pk}/xapi/?attempt={token}"
    response = client.post(url, json.dumps(statement), content_type="application/json")
    assert response.status_code == 200, response.content
    return H5PResult.objects.filter(user=learner).latest("pk")


def test_too_fast_h5p_answers_are_listed_per_employee_with_item_and_seconds(city, h5p_lesson, settings):
    settings.H5P_MIN_SECONDS_PER_ITEM = 30
    course, lesson, content = h5p_lesson
    fast = _answer(city["a"], course, lesson, content)
    calm = _answer(city["a2"], course, lesson, content, after=dt.timedelta(minutes=2))
    assert fast.too_fast and not calm.too_fast
    rows = too_fast(employees=everyone(), year=timezone.localdate().year)
    assert [r.employee for r in rows] == [city["a"]]
    (row,) = rows
    assert course.title in row.what
    assert row.details == [f"{content.title} ({lesson.title}): {fast.seconds} detik"]
    assert row.jp == 0 and row.entries == []  # not credited: nothing to revoke


# c) The same evidence twice -----------------------------------------------------------------------------


def _credit(user, ref: int, evidence: str, statement_id=None) -> LedgerEntry:
    entry, _ = ledger_credit(
        credit=Credit(
            user_id=user.pk,
            kind=LedgerEntry.SourceKind.CLAIM,
            ref=ref,
            jp=Decimal("3"),
            date=DAY,
            category="teknis",
            form="seminar",
            title=f"Seminar {ref}",
            evidence=evidence,
            statement_id=statement_id,
        )
    )
    return entry


def test_two_credits_on_the_same_evidence_or_statement_are_found_and_distinct_ones_are_not(city):
    a, a2, b = city["a"], city["a2"], city["b"]
    one, two = _credit(a, 1, "claim:1"), _credit(b, 2, "claim:1")
    same = uuid.uuid4()
    three, four = _credit(a2, 3, "claim:3", same), _credit(a2, 4, "claim:4", same)
    _credit(a2, 5, "claim:5"), _credit(a2, 55, "claim:55", uuid.uuid4())  # near-misses
    rows = [r for r in duplicates(employees=everyone(), year=YEAR)]
    assert sorted((r.employee.pk, sorted(e.pk for e in r.entries)) for r in rows) == sorted(
        [
            (a.pk, sorted([one.pk, two.pk])),
            (b.pk, sorted([one.pk, two.pk])),
            (a2.pk, sorted([three.pk, four.pk])),
        ]
    )


def _claim(user, *, number="", sha="", status=Claim.Status.APPROVED, title="Seminar") -> Claim:
    return Claim.objects.create(
        user=user,
        title=title,
        organiser="LAN",
        form="seminar",
        category="teknis",
        start_date=DAY,
        end_date=DAY,
        jp_requested=Decimal("3"),
        certificate_number=number,
        evidence_sha256=sha,
        status=status,
        submitted_at=timezone.now(),
    )


def test_claims_with_the_same_certificate_number_or_file_are_found(city):
    a, a2, b = city["a"], city["a2"], city["b"]
    first = _claim(a, number="SERT-1", title="Pertama")
    second = _claim(b, number=" sert-1 ", title="Kedua")  # another case and spaces: the same number
    entry = _credit(a, first.pk, f"claim:{first.pk}")
    _claim(a2, number="SERT-10")  # near-miss: another number
    _claim(a2, number="SERT-1", status=Claim.Status.WITHDRAWN)  # withdrawn: never counts
    shared_file = "f" * 64
    third = _claim(a2, sha=shared_file, status=Claim.Status.VERIFIED, title="Ketiga")
    fourth = _claim(a2, sha=shared_file, status=Claim.Status.REVERSED, title="Keempat")
    _claim(b, sha="e" * 64, status=Claim.Status.REJECTED), _claim(b, sha="e" * 64, status=Claim.Status.RETURNED)
    rows = duplicates(employees=everyone(), year=YEAR)
    found = sorted((r.employee.pk, sorted(c.pk for c in r.claims)) for r in rows)
    assert found == sorted(
        [(a.pk, sorted([first.pk, second.pk])), (b.pk, sorted([first.pk, second.pk])), (a2.pk, [third.pk, fourth.pk])]
    )
    row_a = next(r for r in rows if r.employee == a)
    assert "SERT-1" in row_a.what and row_a.entries == [entry] and row_a.jp == Decimal("3")


# The list for HR: scope, filters, registry ----------------------------------------------------------------


def test_hr_of_unit_a_sees_only_unit_a_and_not_the_other_units_entries_of_a_shared_duplicate(city):
    a, b = city["a"], city["b"]
    credit(a, 17, DAY), credit(b, 17, DAY)
    one, two = _credit(a, 1, "claim:1"), _credit(b, 2, "claim:1")
    rows = anomaly_list(viewer=city["hr_a"], year=YEAR)
    assert {r.employee for r in rows} == {a}
    dup = next(r for r in rows if r.kind == "duplicate")
    assert dup.entries == [one] and dup.hidden == 1  # B's entry is counted, not shown
    city_rows = anomaly_list(viewer=city["hr_city"], year=YEAR)
    assert {r.employee for r in city_rows} == {a, b}
    assert {e.pk for r in city_rows if r.kind == "duplicate" for e in r.entries} == {one.pk, two.pk}
    assert anomaly_list(viewer=city["hr_city"], year=YEAR, unit=city["unit_b"], kinds=["burst"])[0].employee == b
    assert anomaly_list(viewer=a, year=YEAR) is None  # not HR


def test_every_detector_is_registered_once():
    kinds = [d.kind for d in DETECTORS]
    assert kinds == ["burst", "too_fast", "duplicate"] and len(set(kinds)) == len(kinds)


def page(user, query=""):
    client = Client()
    client.force_login(user)
    return client.get(f"/belajar/jp/anomali/{query}")


def test_the_page_lists_the_scope_s_anomalies_by_unit_with_links_to_the_evidence(city):
    entry = credit(city["a"], 17, DAY, title="Kursus Kilat")
    credit(city["b"], 17, DAY, title="Kursus Unit B")
    response = page(city["hr_a"], f"?tahun={YEAR}")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Ani Anomali" in html and f"/belajar/jp/entri/{entry.pk}/" in html and "Dinas A" in html
    assert "Budi Lain Unit" not in html and "Kursus Unit B" not in html
    html_city = page(city["hr_city"], f"?tahun={YEAR}&unit=ANOM-B").content.decode()
    assert "Budi Lain Unit" in html_city and "Ani Anomali" not in html_city


def test_a_unit_outside_the_scope_is_refused_and_an_unknown_one_is_a_400(city):
    credit(city["b"], 17, DAY)
    response = page(city["hr_a"], f"?tahun={YEAR}&unit=ANOM-B")
    assert response.status_code == 403 and "Budi Lain Unit" not in response.content.decode()
    assert page(city["hr_a"], "?unit=TIDAK-ADA").status_code == 400
    assert page(city["hr_a"], "?tahun=abc").status_code == 400
    assert page(city["hr_a"], "?jenis=bukan").status_code == 400


def test_employees_and_supervisors_cannot_open_the_list(city):
    credit(city["a"], 17, DAY)
    supervisor = UserFactory(unit=city["unit_a"], roles=[roles.LEARNER, roles.SUPERVISOR])
    city["a"].supervisor = supervisor
    city["a"].save(update_fields=["supervisor"])
    for user in (city["a"], supervisor):
        response = page(user)
        assert response.status_code == 403 and "Ani Anomali" not in response.content.decode()


def test_the_page_fits_a_phone_and_pages_through_many_rows(city, settings):
    from lms.hours import views

    settings.ANOMALY_BURST_JP = 1
    for user in UserFactory.create_batch(3, unit=city["unit_a"]):
        credit(user, 2, DAY)
    views.ANOMALIES_PER_PAGE, saved = 2, views.ANOMALIES_PER_PAGE
    try:
        first = page(city["hr_a"], f"?tahun={YEAR}").content.decode()
        second = page(city["hr_a"], f"?tahun={YEAR}&halaman=2").content.decode()
    finally:
        views.ANOMALIES_PER_PAGE = saved
    assert 'name="viewport"' in first and "<table" not in first  # one column of cards, no wide table
    assert "halaman=2" in first and first.count('data-kind="burst"') == 2 and second.count('data-kind="burst"') == 1


# The page's unit filter, its empty state, and revoked credits -------------------------------------------


def test_the_unit_is_found_by_its_name_or_code_in_any_case(city):
    credit(city["a"], 17, DAY, title="Kursus Kilat")
    child = UnitFactory(code="ANOM-A-KES", name="Bidang Kesehatan Anak", parent=city["unit_a"])
    UserFactory(unit=child)  # the list offers the units where employees of the scope work
    for text in ("Dinas A", "dinas a", "  DINAS   A ", "anom-a", "ANOM-A", "Dinas A (ANOM-A)", "x (anom-a)"):
        response = page(city["hr_city"], f"?tahun={YEAR}&unit={text}")
        html = response.content.decode()
        assert response.status_code == 200, text
        assert "Ani Anomali" in html and "Budi Lain Unit" not in html, text
        assert '<strong data-testid="anomaly-unit">Dinas A</strong>' in html, text
    # A part of a name that fits one unit of the scope will do; one that fits several asks which.
    assert page(city["hr_city"], f"?tahun={YEAR}&unit=kesehatan anak").status_code == 200
    response = page(city["hr_city"], f"?tahun={YEAR}&unit=dinas")
    html = response.content.decode()
    assert response.status_code == 400 and 'data-testid="unit-candidates"' in html
    assert "unit=ANOM-A" in html and "unit=ANOM-B" in html and child.code not in html.split("unit-candidates")[1]
    # The list offers the units by name (with the code, so that two units of one name stay apart).
    assert '<option value="Dinas A (ANOM-A)">' in page(city["hr_a"]).content.decode()


def test_a_unit_nobody_has_is_explained_and_another_scopes_unit_refused_by_name_too(city):
    credit(city["b"], 17, DAY, title="Kursus Unit B")
    response = page(city["hr_a"], f"?tahun={YEAR}&unit=Dinas Tidak Ada")
    html = response.content.decode()
    assert response.status_code == 400
    assert "Tidak ada unit dalam cakupan Anda yang cocok dengan “Dinas Tidak Ada”" in html
    assert 'data-testid="no-anomalies"' in html
    for text in ("Dinas B", "dinas b", "anom-b", "Dinas B (ANOM-B)"):
        response = page(city["hr_a"], f"?tahun={YEAR}&unit={text}")
        assert response.status_code == 403 and "Budi Lain Unit" not in response.content.decode(), text
        assert "Kursus Unit B" not in response.content.decode()
    assert page(city["hr_a"], f"?tahun={YEAR}&unit=%00Dinas").status_code in (200, 400)


def test_nothing_to_show_says_so(city):
    credit(city["a"], 3, DAY, title="Kursus Biasa")  # below the limit: no anomaly
    response = page(city["hr_a"], f"?tahun={YEAR}")
    html = response.content.decode()
    assert response.status_code == 200 and 'data-testid="anomaly-count">0 anomali' in html
    assert "Tidak ada anomali dalam cakupan Anda tahun 2025." in html
    html = page(city["hr_a"], f"?tahun={YEAR}&unit=Dinas A").content.decode()
    assert "Tidak ada anomali di Dinas A (dan unit di bawahnya) tahun 2025." in html


def test_a_revoked_credit_stays_on_its_row_as_revoked_with_who_and_when(city):
    from lms.hours.review import check_ledger_revoke

    hr = city["hr_a"]
    hr.full_name = "Hana SDM A"
    hr.save(update_fields=["full_name"])
    first = credit(city["a"], 10, DAY, title="Kursus Satu")
    second = credit(city["a"], 9, DAY, title="Kursus Dua")
    third = credit(city["a"], 8, DAY, title="Kursus Tiga")
    check_ledger_revoke(entry=second, by=hr, reason="Tidak wajar")
    # 18 JP still stand within the day: still a burst, and the revoked credit is on the row, marked.
    (row,) = anomaly_list(viewer=hr, year=YEAR, kinds=["burst"])
    assert [e.pk for e in row.entries] == [first.pk, second.pk, third.pk] and row.jp == 18 and not row.resolved
    assert [e.is_reversed for e in row.entries] == [False, True, False]
    assert row.entries[1].revocation.revoked_by == hr
    html = page(hr, f"?tahun={YEAR}").content.decode()
    revoked = html.split('data-testid="entry-revoked"', 1)[1].split("</small>", 1)[0]
    assert "Dicabut oleh Hana SDM A" in revoked and timezone.localdate().strftime("%Y") in revoked
    assert "ditangani" not in html.lower() and 'data-testid="anomaly-resolved"' not in html
    # Revoking another leaves 10 JP: the row stays, resolved, both revocations named.
    check_ledger_revoke(entry=third, by=hr, reason="Tidak wajar juga")
    (row,) = anomaly_list(viewer=hr, year=YEAR, kinds=["burst"])
    assert row.resolved and row.jp == 10
    html = page(hr, f"?tahun={YEAR}").content.decode()
    assert html.count("Dicabut oleh Hana SDM A") == 2 and 'data-testid="anomaly-resolved"' in html
    assert "1 sudah dicabut" in html


def test_a_revoked_duplicate_stays_on_its_row_while_the_others_stand(city):
    from lms.hours.review import check_ledger_revoke

    a = city["a"]
    one, two, three = _credit(a, 11, "claim:11"), _credit(a, 12, "claim:11"), _credit(a, 13, "claim:11")
    check_ledger_revoke(entry=three, by=city["hr_a"], reason="Bukti sama")
    (row,) = duplicates(employees=everyone(), year=YEAR)
    assert [e.pk for e in row.entries] == [one.pk, two.pk, three.pk]
    html = page(city["hr_a"], f"?tahun={YEAR}&jenis=duplicate").content.decode()
    assert html.count('data-testid="entry-revoked"') == 1
    assert not row.resolved and row.jp == 6
    # All but one revoked: nothing is counted twice any more; the row stays, resolved.
    check_ledger_revoke(entry=two, by=city["hr_a"], reason="Bukti sama")
    (row,) = duplicates(employees=everyone(), year=YEAR)
    assert row.resolved and row.jp == 3 and "tinggal 1 yang berlaku" in row.what
