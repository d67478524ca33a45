"""Who sees whose learning records: a learner their own, a supervisor their direct team, HR the
units of their scope (a unit subtree or the whole city). Everything else is a 404 (or 403 for pages
that only exist for supervisors and HR)."""

import datetime as dt
from types import SimpleNamespace

import pytest
from django.utils import timezone

from content.tests.factories import make_course
from lms import services
from lms.models import Enrollment
from shell.inbox.models import Notification
from shell.people import roles
from shell.people.tests.factories import UnitFactory, UserFactory, hr_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def org(django_capture_on_commit_callbacks):
    """Dinas A (with Bidang A1) and Dinas B; a supervisor in A with one direct report."""
    dinas_a = UnitFactory(name="Dinas A")
    bidang_a1 = UnitFactory(name="Bidang A1", parent=dinas_a)
    dinas_b = UnitFactory(name="Dinas B")
    supervisor = UserFactory(full_name="Atasan A", unit=dinas_a, roles=[roles.LEARNER, roles.SUPERVISOR])
    report = UserFactory(full_name="Bawahan A", unit=dinas_a, supervisor=supervisor)
    in_a1 = UserFactory(full_name="Staf A1", unit=bidang_a1)
    in_b = UserFactory(full_name="Staf B", unit=dinas_b)
    report_of_report = UserFactory(full_name="Staf Bawahan", unit=dinas_a, supervisor=report)
    course = make_course(title="Pelayanan Prima")
    people = [supervisor, report, in_a1, in_b, report_of_report]
    with django_capture_on_commit_callbacks(execute=True):
        enrollments = {p.pk: services.check_enrollment_self(user=p, course_id=course.pk) for p in people}
    return SimpleNamespace(
        dinas_a=dinas_a,
        bidang_a1=bidang_a1,
        dinas_b=dinas_b,
        supervisor=supervisor,
        report=report,
        in_a1=in_a1,
        in_b=in_b,
        report_of_report=report_of_report,
        course=course,
        enrollments=enrollments,
    )


def enrollment_url(org, user):
    return f"/belajar/pendaftaran/{org.enrollments[user.pk].pk}/"


def employee_url(user):
    return f"/belajar/pegawai/{user.uuid}/"


def statuses(client, org, users):
    return {
        user.full_name: (client.get(enrollment_url(org, user)).status_code, client.get(employee_url(user)).status_code)
        for user in users
    }


def everyone(org):
    return [org.supervisor, org.report, org.in_a1, org.in_b, org.report_of_report]


def test_learner_sees_only_their_own_records(client, org):
    client.force_login(org.in_b)
    assert statuses(client, org, everyone(org)) == {
        "Atasan A": (404, 404),
        "Bawahan A": (404, 404),
        "Staf A1": (404, 404),
        "Staf B": (200, 200),
        "Staf Bawahan": (404, 404),
    }
    assert client.get("/belajar/tim/").status_code == 403


def test_missing_records_are_404_not_500(client, org):
    client.force_login(org.in_b)
    assert client.get("/belajar/pendaftaran/999999/").status_code == 404
    assert client.get("/belajar/pegawai/00000000-0000-0000-0000-000000000000/").status_code == 404
    assert client.get("/belajar/pegawai/bukan-uuid/").status_code == 404


def test_supervisor_sees_their_direct_reports_only(client, org):
    client.force_login(org.supervisor)
    assert statuses(client, org, everyone(org)) == {
        "Atasan A": (200, 200),
        "Bawahan A": (200, 200),
        "Staf A1": (404, 404),
        "Staf B": (404, 404),
        "Staf Bawahan": (404, 404),  # a report's report is not a direct report
    }
    response = client.get(enrollment_url(org, org.report))
    assert "Pelayanan Prima" in response.content.decode()
    team = client.get("/belajar/tim/")
    assert team.status_code == 200
    assert [person for person, _ in team.context["rows"]] == [org.report]


def test_hr_scoped_to_a_unit_sees_its_subtree_only(client, org):
    hr = hr_user(unit=org.dinas_a, full_name="SDM Dinas A")
    client.force_login(hr)
    assert statuses(client, org, everyone(org)) == {
        "Atasan A": (200, 200),
        "Bawahan A": (200, 200),
        "Staf A1": (200, 200),
        "Staf B": (404, 404),
        "Staf Bawahan": (200, 200),
    }
    team = client.get("/belajar/tim/")
    assert team.status_code == 200
    shown = {person.full_name for person, _ in team.context["rows"]}
    assert shown == {"Atasan A", "Bawahan A", "Staf A1", "Staf Bawahan"}


def test_hr_scoped_to_a_child_unit_does_not_see_the_parent_unit(client, org):
    client.force_login(hr_user(unit=org.bidang_a1))
    assert statuses(client, org, [org.report, org.in_a1, org.in_b]) == {
        "Bawahan A": (404, 404),
        "Staf A1": (200, 200),
        "Staf B": (404, 404),
    }


# Regression: hr_scope_q gives an empty Q() for the whole city (and superusers), and OR-ing an empty Q
# into Q(pk=user.pk) drops it, so such users once saw nobody but themself.


def test_whole_city_hr_sees_everyone(client, org):
    client.force_login(hr_user(unit=None))
    assert statuses(client, org, everyone(org)) == {
        "Atasan A": (200, 200),
        "Bawahan A": (200, 200),
        "Staf A1": (200, 200),
        "Staf B": (200, 200),
        "Staf Bawahan": (200, 200),
    }
    team = client.get("/belajar/tim/")
    assert {person.full_name for person, _ in team.context["rows"]} == {p.full_name for p in everyone(org)}


def test_superuser_sees_everyone(client, org):
    admin = UserFactory(is_superuser=True, is_staff=True)
    client.force_login(admin)
    assert statuses(client, org, [org.in_a1, org.in_b]) == {"Staf A1": (200, 200), "Staf B": (200, 200)}


def test_whole_city_hr_assigns_to_anyone(client, org):
    course = make_course(title="Tata Naskah")
    client.force_login(hr_user(unit=None))
    response = client.post(
        "/belajar/tugaskan/", {"course": course.pk, "employees": [org.in_a1.pk, org.in_b.pk], "due_date": due()}
    )
    assert response.status_code == 302
    assert Enrollment.objects.filter(course=course).count() == 2


def test_scope_without_the_hr_role_grants_nothing(client, org):
    hr = hr_user(unit=None)
    hr.groups.clear()
    hr = type(hr).objects.get(pk=hr.pk)  # drop the cached permissions
    client.force_login(hr)
    assert client.get(enrollment_url(org, org.in_b)).status_code == 404
    assert client.get("/belajar/tim/").status_code == 403


# Assigning courses -----------------------------------------------------------------------------


def due():
    return (timezone.localdate() + dt.timedelta(days=30)).isoformat()


def test_supervisor_assigns_a_course_to_their_report(client, org, django_capture_on_commit_callbacks):
    course = make_course(title="Tata Naskah")
    client.force_login(org.supervisor)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/belajar/tugaskan/", {"course": course.pk, "employees": [org.report.pk], "due_date": due()}
        )
    assert response.status_code == 302
    assert response.url == "/belajar/tim/"
    enrollment = Enrollment.objects.get(user=org.report, course=course)
    assert enrollment.source == Enrollment.Source.ASSIGNED
    assert enrollment.assigned_by == org.supervisor
    assert enrollment.due_date.isoformat() == due()
    assert Notification.objects.filter(user=org.report, kind="lms.course_assigned").count() == 1


def test_supervisor_cannot_assign_outside_their_team(client, org):
    course = make_course(title="Tata Naskah")
    client.force_login(org.supervisor)
    response = client.post(
        "/belajar/tugaskan/", {"course": course.pk, "employees": [org.in_b.pk, org.report.pk], "due_date": due()}
    )
    assert response.status_code == 400
    assert f"Pegawai {org.in_b.pk} tidak ada dalam tim atau cakupan Anda." in response.content.decode()
    assert not Enrollment.objects.filter(course=course).exists()
    assert not Notification.objects.filter(kind="lms.course_assigned").exists()


def test_assign_service_refuses_employees_outside_the_team_by_name(org):
    course = make_course(title="Tata Naskah")
    with pytest.raises(services.LearningError) as error:
        services.enrollment_assign(
            assigned_by=org.supervisor,
            employees=[org.report, org.in_b],
            course=course,
            due_date=timezone.localdate() + dt.timedelta(days=7),
        )
    assert str(error.value) == "Anda tidak berwenang menugaskan kursus kepada: Staf B."
    assert not Enrollment.objects.filter(course=course).exists()


def test_hr_assigns_within_scope_but_not_outside(client, org):
    course = make_course(title="Tata Naskah")
    client.force_login(hr_user(unit=org.dinas_a))
    response = client.post("/belajar/tugaskan/", {"course": course.pk, "employees": [org.in_b.pk], "due_date": due()})
    assert response.status_code == 400
    response = client.post("/belajar/tugaskan/", {"course": course.pk, "employees": [org.in_a1.pk], "due_date": due()})
    assert response.status_code == 302
    assert list(Enrollment.objects.filter(course=course).values_list("user", flat=True)) == [org.in_a1.pk]


def test_learner_without_assign_permission_gets_403(client, org):
    course = make_course(title="Tata Naskah")
    client.force_login(org.report)
    assert client.get("/belajar/tugaskan/").status_code == 403
    response = client.post("/belajar/tugaskan/", {"course": course.pk, "employees": [org.in_b.pk], "due_date": due()})
    assert response.status_code == 403
    assert not Enrollment.objects.filter(course=course).exists()


# Anonymous -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/belajar/"),
        ("get", "/belajar/riwayat/"),
        ("get", "/belajar/tim/"),
        ("get", "/belajar/tugaskan/"),
        ("post", "/belajar/tugaskan/"),
        ("get", "/belajar/pendaftaran/1/"),
        ("get", "/belajar/pegawai/00000000-0000-0000-0000-000000000000/"),
        ("post", "/belajar/kursus/1/daftar/"),
        ("post", "/belajar/kursus/1/mulai/"),
        ("post", "/belajar/pelajaran/1/selesai/"),
        ("post", "/belajar/pelajaran/1/kuis/"),
    ],
)
def test_anonymous_users_are_sent_to_the_login_page(client, method, path):
    response = getattr(client, method)(path)
    assert response.status_code == 302
    assert response.url.startswith("/masuk/?next=")
    assert path.rstrip("/").split("/")[-1] in response.url
