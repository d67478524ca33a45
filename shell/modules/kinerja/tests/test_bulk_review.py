"""Bulk approval: a supervisor ticks several of the team's activities and approves them, or returns them
with one note, in one request. Only the direct supervisor of each employee decides: a batch holding
anyone else's activity decides nothing and says so."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from shell.inbox.models import Notification
from shell.modules.kinerja import services
from shell.modules.kinerja.models import Activity
from shell.people import roles
from shell.people.tests.factories import UnitFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def teams():
    unit = UnitFactory()
    boss = UserFactory(unit=unit, roles=[roles.LEARNER, roles.SUPERVISOR])
    other_boss = UserFactory(unit=unit, roles=[roles.LEARNER, roles.SUPERVISOR])
    mine = [UserFactory(unit=unit, supervisor=boss) for _ in range(2)]
    theirs = UserFactory(unit=unit, supervisor=other_boss)
    return boss, other_boss, mine, theirs


def log(user, title="Rekap data KTP-el harian"):
    return services.activity_create(user=user, date=timezone.localdate(), title=title)


def statuses(activities):
    return [Activity.objects.get(pk=a.pk).status for a in activities]


def test_several_activities_approved_at_once(teams):
    boss, _other, (ani, budi), _theirs = teams
    picked = [log(ani), log(ani, "Rapat koordinasi"), log(budi)]
    left = log(budi, "Tidak dipilih")
    result = services.activities_review_bulk(activity_ids=[a.pk for a in picked], reviewer=boss, approve=True)
    assert [a.pk for a in result.reviewed] == sorted(a.pk for a in picked) and result.already == []
    assert statuses(picked) == ["approved"] * 3 and statuses([left]) == ["submitted"]
    assert {a.reviewer_id for a in Activity.objects.filter(pk__in=[a.pk for a in picked])} == {boss.pk}


def test_returned_together_with_one_note_each_employee_told(teams):
    boss, _other, (ani, budi), _theirs = teams
    picked = [log(ani), log(budi)]
    with pytest.raises(ValidationError, match="alasan"):
        services.activities_review_bulk(activity_ids=[a.pk for a in picked], reviewer=boss, approve=False, note=" ")
    assert statuses(picked) == ["submitted", "submitted"]
    services.activities_review_bulk(
        activity_ids=[a.pk for a in picked], reviewer=boss, approve=False, note="Lampirkan notulen"
    )
    assert statuses(picked) == ["returned", "returned"]
    assert set(Activity.objects.filter(pk__in=[a.pk for a in picked]).values_list("review_note", flat=True)) == {
        "Lampirkan notulen"
    }
    for employee in (ani, budi):
        assert Notification.objects.filter(user=employee, kind="kinerja.activity_returned").count() == 1


def test_another_teams_activity_in_the_batch_decides_nothing(teams):
    boss, _other, (ani, _budi), theirs = teams
    own, foreign = log(ani), log(theirs, "Aktivitas tim lain")
    with pytest.raises(PermissionDenied) as refused:
        services.activities_review_bulk(activity_ids=[own.pk, foreign.pk], reviewer=boss, approve=True)
    assert "1 aktivitas yang dipilih bukan aktivitas tim langsung Anda; tidak ada yang diperiksa." == str(refused.value)
    assert statuses([own, foreign]) == ["submitted", "submitted"]
    # Ids that do not exist, and the supervisor's own activity, count as not theirs to decide.
    with pytest.raises(PermissionDenied):
        services.activities_review_bulk(activity_ids=[own.pk, 10**9], reviewer=boss, approve=True)
    with pytest.raises(PermissionDenied):
        services.activities_review_bulk(activity_ids=[own.pk, log(boss).pk], reviewer=boss, approve=True)
    assert statuses([own]) == ["submitted"]


def test_activities_decided_meanwhile_are_left_and_reported(teams):
    boss, _other, (ani, _budi), _theirs = teams
    first, second = log(ani), log(ani, "Kedua")
    services.activity_review(activity_id=first.pk, reviewer=boss, approve=False, note="Perbaiki judul")
    result = services.activities_review_bulk(activity_ids=[first.pk, second.pk], reviewer=boss, approve=True)
    assert [a.pk for a in result.reviewed] == [second.pk] and [a.pk for a in result.already] == [first.pk]
    assert statuses([first, second]) == ["returned", "approved"]


def test_an_empty_or_oversized_batch_is_refused_in_words(teams):
    boss, *_ = teams
    with pytest.raises(ValidationError, match="Pilih setidaknya satu"):
        services.activities_review_bulk(activity_ids=[], reviewer=boss, approve=True)
    with pytest.raises(ValidationError, match="Paling banyak"):
        services.activities_review_bulk(
            activity_ids=range(1, services.BULK_REVIEW_MAX + 2), reviewer=boss, approve=True
        )


def test_the_page_approves_the_ticked_ones(teams, client):
    boss, _other, (ani, budi), _theirs = teams
    picked, left = [log(ani), log(budi)], log(budi, "Nanti saja")
    client.force_login(boss)
    page = client.get(reverse("kinerja:approvals")).content.decode()
    assert 'data-select-all="ids"' in page and f'name="ids" value="{left.pk}"' in page
    response = client.post(
        reverse("kinerja:approvals_bulk"),
        {"ids": [a.pk for a in picked], "decision": "approve", "note": ""},
        follow=True,
    )
    assert "2 aktivitas disetujui." in response.content.decode()
    assert statuses(picked) == ["approved", "approved"] and statuses([left]) == ["submitted"]


def test_a_hostile_supervisor_posting_another_teams_ids_gets_a_403_and_nothing_approved(teams, client):
    _boss, other_boss, (ani, budi), theirs = teams
    victims = [log(ani), log(budi)]
    own = log(theirs)
    client.force_login(other_boss)
    response = client.post(
        reverse("kinerja:approvals_bulk"), {"ids": [own.pk, *[a.pk for a in victims]], "decision": "approve"}
    )
    assert response.status_code == 403
    assert "2 aktivitas yang dipilih bukan aktivitas tim langsung Anda; tidak ada yang diperiksa." in (
        response.content.decode()
    )
    assert statuses([*victims, own]) == ["submitted"] * 3


def test_garbage_ids_change_nothing(teams, client):
    boss, _other, (ani, _budi), _theirs = teams
    activity = log(ani)
    client.force_login(boss)
    response = client.post(reverse("kinerja:approvals_bulk"), {"ids": [activity.pk, "1 OR 1=1"], "decision": "approve"})
    assert response.status_code == 302
    assert statuses([activity]) == ["submitted"]


def test_forged_ids_and_an_overlong_note_are_refused_in_words(teams, client):
    """Review 16, F5 and F13: '²' passes str.isdigit() but not int(); 20 digits overflow; a note has a limit."""
    boss, _other, (ani, _budi), _theirs = teams
    activity = log(ani)
    client.force_login(boss)
    for ids in ("²", "99999999999999999999", "١"):
        response = client.post(reverse("kinerja:approvals_bulk"), {"ids": ids, "decision": "approve"}, follow=True)
        assert response.status_code == 200 and "Pilih aktivitas" in response.content.decode(), ids
    response = client.post(
        reverse("kinerja:approvals_bulk"), {"ids": activity.pk, "decision": "approve", "note": "x" * 1001}
    )
    assert response.status_code == 302
    assert statuses([activity]) == ["submitted"]


def test_returning_without_a_note_keeps_the_ticked_items_and_the_page(teams, client):
    boss, _other, (ani, budi), _theirs = teams
    picked, left = [log(ani), log(budi)], log(budi, "Tidak dipilih")
    client.force_login(boss)
    response = client.post(
        reverse("kinerja:approvals_bulk"), {"ids": [a.pk for a in picked], "decision": "return", "note": "  "}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Tuliskan alasan" in page
    for activity in picked:
        assert f'value="{activity.pk}" data-testid="pick-{activity.pk}" checked' in page
    assert f'data-testid="pick-{left.pk}">' in page  # not ticked
    assert '<span data-selected-count="ids">2</span>' in page
    assert statuses(picked) == ["submitted", "submitted"]
