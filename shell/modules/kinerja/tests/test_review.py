"""The direct supervisor checks the activity log and the SKP; nobody else can."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from shell.inbox.models import Notification
from shell.modules.kinerja import services
from shell.modules.kinerja.models import Activity, Skp
from shell.people import roles
from shell.people.tests.factories import UnitFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def team():
    unit = UnitFactory()
    boss = UserFactory(unit=unit, roles=[roles.LEARNER, roles.SUPERVISOR])
    member = UserFactory(unit=unit, supervisor=boss)
    return boss, member


def log(user, **kwargs):
    defaults = dict(user=user, date=timezone.localdate(), title="Rekap data KTP-el harian")
    return services.activity_create(**{**defaults, **kwargs})


def test_the_supervisor_approves_and_returns_with_a_reason(team, client):
    boss, member = team
    a, b = log(member), log(member, title="Rapat koordinasi")
    client.force_login(boss)
    assert "2 aktivitas perlu persetujuan" in client.get("/").content.decode()

    services.activity_review(activity_id=a.pk, reviewer=boss, approve=True)
    with pytest.raises(ValidationError, match="alasan"):
        services.activity_review(activity_id=b.pk, reviewer=boss, approve=False, note="")
    services.activity_review(activity_id=b.pk, reviewer=boss, approve=False, note="Lampirkan notulen")
    assert Activity.objects.get(pk=a.pk).status == "approved"
    returned = Activity.objects.get(pk=b.pk)
    assert (returned.status, returned.reviewer, returned.review_note) == ("returned", boss, "Lampirkan notulen")
    assert Notification.objects.filter(user=member, kind="kinerja.activity_returned").count() == 1
    with pytest.raises(ValidationError, match="sudah diperiksa"):
        services.activity_review(activity_id=a.pk, reviewer=boss, approve=False, note="x")

    client.force_login(member)
    assert "1 aktivitas dikembalikan" in client.get("/").content.decode()
    services.activity_resubmit(
        activity_id=b.pk, user=member, title="Rapat koordinasi", description="notulen", quantity=Decimal(1)
    )
    assert Activity.objects.get(pk=b.pk).status == "submitted"


def test_only_the_direct_supervisor_may_review(team, client):
    boss, member = team
    other_boss = UserFactory(roles=[roles.LEARNER, roles.SUPERVISOR])
    activity = log(member)
    with pytest.raises(PermissionDenied):
        services.activity_review(activity_id=activity.pk, reviewer=other_boss, approve=True)
    with pytest.raises(PermissionDenied):
        services.activity_review(activity_id=activity.pk, reviewer=member, approve=True)  # not one's own
    client.force_login(other_boss)
    assert client.get(f"/kinerja/aktivitas/{activity.pk}/").status_code == 404
    assert client.post(f"/kinerja/aktivitas/{activity.pk}/periksa/", {"decision": "approve"}).status_code == 404
    assert client.post(f"/api/kinerja/activities/{activity.pk}/review/", {"approve": True}).status_code == 404
    assert Activity.objects.get(pk=activity.pk).status == "submitted"
    client.force_login(boss)
    assert client.get("/kinerja/persetujuan/").context["activities"].get() == activity
    response = client.post(f"/kinerja/aktivitas/{activity.pk}/periksa/", {"decision": "approve"})
    assert response.status_code == 302 and Activity.objects.get(pk=activity.pk).status == "approved"


def test_bad_activity_input_is_refused_with_a_message(team, client):
    boss, member = team
    with pytest.raises(ValidationError, match="masa depan"):
        log(member, date=timezone.localdate() + dt.timedelta(days=1))
    client.force_login(member)
    response = client.post("/kinerja/", {"date": "2026-01-05", "title": "", "quantity": "0", "output_unit": "x"})
    assert response.status_code == 200 and not Activity.objects.exists()
    assert "errors" in response.content.decode()
    response = client.post(
        "/api/kinerja/activities/", {"date": "2999-01-01", "title": "x"}, content_type="application/json"
    )
    assert response.status_code == 400 and "masa depan" in str(response.json())


def test_skp_cascades_from_the_supervisors_plan_and_is_approved_by_them(team, client):
    boss, member = team
    year = timezone.localdate().year
    boss_result = services.skp_result_add(
        user=boss,
        year=year,
        text="Cakupan KTP-el 98%",
        parent=None,
        indicator="Persentase",
        target=Decimal(98),
        unit="%",
        aspect="kuantitas",
    )
    mine = services.skp_result_add(
        user=member,
        year=year,
        text="Perekaman KTP-el warga",
        parent=boss_result,
        indicator="Warga terekam",
        target=Decimal(1200),
        unit="orang",
        aspect="kuantitas",
    )
    stranger_result = services.skp_result_add(
        user=UserFactory(), year=year, text="x", parent=None, indicator="x", target=Decimal(1), unit="x", aspect="waktu"
    )
    with pytest.raises(ValidationError, match="atasan langsung"):
        services.skp_result_add(
            user=member,
            year=year,
            text="y",
            parent=stranger_result,
            indicator="y",
            target=Decimal(1),
            unit="y",
            aspect="waktu",
        )
    skp = services.skp_submit(user=member, year=year)
    with pytest.raises(PermissionDenied):
        services.skp_approve(skp_id=skp.pk, reviewer=UserFactory())
    services.skp_approve(skp_id=skp.pk, reviewer=boss)
    assert Skp.objects.get(pk=skp.pk).status == "approved"
    # An activity may be tied to one's own plan result, not someone else's.
    log(member, result=mine)
    with pytest.raises(ValidationError):
        log(member, result=boss_result)
    client.force_login(member)
    body = client.get("/api/kinerja/skp/").json()
    assert body["status"] == "approved" and body["results"][0]["parent"] == "Cakupan KTP-el 98%"


# Found by schemathesis (tests/test_api_schemathesis.py) ------------------------------------------


def test_the_skp_api_checks_the_year(team, client):
    boss, member = team
    client.force_login(member)
    assert client.get("/api/kinerja/skp/?year=32589158477190044731").status_code == 400  # was echoed back
    assert client.get("/api/kinerja/skp/", {"year": "2" * 5000}).status_code == 400  # was a 500 (int())
    body = client.get("/api/kinerja/skp/?year=").json()  # empty: this year's, which has no SKP yet
    assert body == {"year": timezone.localdate().year, "status": None, "approved_at": None, "results": []}


def test_an_activity_logged_with_a_blank_unit_gets_the_default_unit(team, client):
    boss, member = team
    client.force_login(member)
    body = {"date": timezone.localdate().isoformat(), "title": "Rapat", "output_unit": ""}
    response = client.post("/api/kinerja/activities/", body, content_type="application/json")
    assert response.status_code == 201 and response.json()["output_unit"] == "kegiatan"
