"""HR (their scope) and a unit's training coordinator (their units) enrol a unit or a list of NIPs: a
preview first, then all of it or nothing; each learner is told in their inbox."""

import datetime as dt
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from content.tests.factories import make_course
from lms.courses.forms import nip_rows
from lms.courses.models import EnrollmentBatch
from lms.courses.selectors import bulk_plan_for_nips, bulk_plan_for_unit
from lms.courses.services import check_enrollment_batch_confirm, enrollment_batch_run, enrollment_batches_pending
from lms.courses.tasks import enrollment_batches_resume_task
from lms.models import Enrollment
from shell.inbox.models import Notification
from shell.people.tests.factories import UserFactory

from .factories import enrol, make_city

pytestmark = pytest.mark.django_db
URL = "/belajar/daftar-massal/"


@pytest.fixture
def city():
    return make_city()


def enrolled(course) -> set[str]:
    return {e.user.display_name for e in Enrollment.objects.filter(course=course).select_related("user")}


def preview(client, data, **extra):
    return client.post(URL, {"request_key": str(uuid.uuid4()), **data}, **extra)


def confirm(client, response, committed):
    """Send the preview's own form back with the confirm button, as the page does."""
    form = response.context["form"]
    data = {name: value for name, value in form.data.items() if name != "preview"}
    data["confirm"] = "1"
    with committed(execute=True):
        return client.post(URL, data, follow=True)


def test_hr_previews_a_unit_with_sub_units_then_confirms(client, city, django_capture_on_commit_callbacks):
    enrol(city.in_a, city.course)
    client.force_login(city.hr_a)
    response = preview(
        client, {"course": city.course.pk, "mode": "unit", "unit": city.dinas_a.pk, "with_subunits": "on"}
    )
    assert response.status_code == 200
    plan = response.context["plan"]
    assert {u.display_name for u in plan.to_enroll} == {"Budi Bidang A1", "Koordinator A", "Pembelajar Biasa"}
    assert [u.display_name for u in plan.already] == ["Ani Dinas A"]
    assert not plan.errors and 'data-testid="confirm-button"' in response.content.decode()
    assert Enrollment.objects.filter(course=city.course).count() == 1  # a preview writes nothing

    done = confirm(client, response, django_capture_on_commit_callbacks)
    assert "3 pegawai didaftarkan ke Pelayanan Prima" in done.content.decode()
    assert enrolled(city.course) == {"Ani Dinas A", "Budi Bidang A1", "Koordinator A", "Pembelajar Biasa"}
    assert "Citra Dinas B" not in enrolled(city.course)
    budi = Enrollment.objects.get(course=city.course, user=city.in_a1)
    assert budi.source == Enrollment.Source.ASSIGNED and budi.assigned_by == city.hr_a
    notes = Notification.objects.filter(kind="lms.course_assigned", title="Anda didaftarkan ke kursus: Pelayanan Prima")
    assert sorted(n.user_id for n in notes) == sorted(u.pk for u in plan.to_enroll)
    batch = EnrollmentBatch.objects.get()
    assert batch.done_at is not None and batch.enrolled == 3


def test_without_sub_units_only_the_unit_itself(city):
    plan = bulk_plan_for_unit(by=city.hr_city, course=city.course, unit=city.dinas_a, with_subunits=False)
    assert "Budi Bidang A1" not in {u.display_name for u in plan.to_enroll}


def test_a_coordinator_enrols_their_unit_and_is_refused_another(client, city):
    client.force_login(city.coordinator_a)
    ok = preview(client, {"course": city.course.pk, "mode": "unit", "unit": city.bidang_a1.pk, "with_subunits": "on"})
    assert [u.display_name for u in ok.context["plan"].to_enroll] == ["Budi Bidang A1"]

    hostile = preview(
        client, {"course": city.course.pk, "mode": "unit", "unit": city.dinas_b.pk, "with_subunits": "on"}
    )
    assert hostile.status_code == 400
    assert hostile.context["plan"] is None
    assert hostile.context["form"].errors["unit"] == [
        "Unit ini di luar cakupan Anda: Anda hanya dapat mendaftarkan unit Anda."
    ]
    assert "Citra Dinas B" not in hostile.content.decode()
    assert bulk_plan_for_unit(by=city.coordinator_a, course=city.course, unit=city.dinas_b, with_subunits=True) is None
    # The unit list offers their units only.
    assert list(ok.context["form"].fields["unit"].queryset) == [city.dinas_a, city.bidang_a1]


def test_a_coordinator_naming_another_units_nips_gets_row_errors_and_nothing_is_enrolled(
    client, city, django_capture_on_commit_callbacks
):
    client.force_login(city.coordinator_a)
    text = f"NIP\n{city.in_a.nip}\n{city.in_b.nip}\n"
    response = preview(client, {"course": city.course.pk, "mode": "daftar", "nip_text": text})
    plan = response.context["plan"]
    assert [(e.row, e.message) for e in plan.errors] == [
        (3, "Tidak ada pegawai aktif dengan NIP ini di unit dalam cakupan Anda.")
    ]
    html = response.content.decode()
    assert "Citra Dinas B" not in html and "Dinas B" not in html
    assert 'data-testid="confirm-button"' not in html
    # A confirmation forced anyway enrols nobody: the plan is computed again and still has its error.
    confirmed = confirm(client, response, django_capture_on_commit_callbacks)
    assert "Ani Dinas A" not in enrolled(city.course) and not EnrollmentBatch.objects.exists()
    assert "Perbaiki dulu baris yang salah" in confirmed.content.decode()


def test_bad_rows_are_numbered_and_explained(city):
    inactive = UserFactory(full_name="Pensiunan", unit=city.dinas_a, is_active=False)
    enrol(city.in_a1, city.course)
    rows = nip_rows(
        "\n".join(
            [
                "Nama;NIP",
                f"Ani;{city.in_a.nip}",
                "Salah;12345",
                f"Ani lagi;{city.in_a.nip}",
                "Ilmiah;1,98503E+17",
                "",
                f"Pensiun;{inactive.nip}",
                f"Budi;{city.in_a1.nip}",
                "Tidak ada;198503122010011999",
            ]
        )
    )
    plan = bulk_plan_for_nips(by=city.hr_a, course=city.course, rows=rows, description="CSV")
    errors = {e.row: e.message for e in plan.errors}
    assert errors[3] == "NIP harus 18 digit; yang diisi 5 digit."
    assert errors[4] == "NIP ini sudah ada di baris 2."
    assert errors[5].startswith("NIP terbaca sebagai angka (1,98503E+17)")
    assert errors[7] == "Pegawai ini tidak aktif."
    assert errors[9] == "Tidak ada pegawai aktif dengan NIP ini di unit dalam cakupan Anda."
    assert sorted(errors) == [3, 4, 5, 7, 9]
    assert [u.display_name for u in plan.to_enroll] == ["Ani Dinas A"]
    assert [u.display_name for u in plan.already] == ["Budi Bidang A1"]
    assert not plan.can_confirm
    with pytest.raises(Exception, match="Perbaiki dulu"):
        check_enrollment_batch_confirm(by=city.hr_a, plan=plan, due_date=None, request_key=uuid.uuid4())


def test_a_csv_file_is_read_and_carried_to_the_confirmation(client, city, django_capture_on_commit_callbacks):
    client.force_login(city.hr_city)
    upload = SimpleUploadedFile("daftar.csv", f"\ufeffnip,nama\n'{city.in_a.nip},Ani\n{city.in_b.nip},Citra\n".encode())
    due = timezone.localdate() + dt.timedelta(days=20)
    response = preview(
        client, {"course": city.course.pk, "mode": "daftar", "nip_file": upload, "due_date": due.isoformat()}
    )
    assert {u.display_name for u in response.context["plan"].to_enroll} == {"Ani Dinas A", "Citra Dinas B"}
    confirm(client, response, django_capture_on_commit_callbacks)
    assert enrolled(city.course) == {"Ani Dinas A", "Citra Dinas B"}
    assert Enrollment.objects.get(user=city.in_b, course=city.course).due_date == due
    note = Notification.objects.get(user=city.in_b, kind="lms.course_assigned")
    assert "Didaftarkan oleh SDM Kota" in note.body


def test_a_confirmation_that_no_longer_matches_its_preview_is_shown_again(
    client, city, django_capture_on_commit_callbacks
):
    client.force_login(city.hr_a)
    response = preview(
        client, {"course": city.course.pk, "mode": "unit", "unit": city.dinas_a.pk, "with_subunits": "on"}
    )
    UserFactory(full_name="Pegawai Baru", unit=city.dinas_a)  # joined since the preview
    again = confirm(client, response, django_capture_on_commit_callbacks)
    assert "Daftar berubah sejak pratinjau" in again.content.decode()
    assert not Enrollment.objects.filter(course=city.course).exists()
    assert "Pegawai Baru" in {u.display_name for u in again.context["plan"].to_enroll}


def test_a_double_confirmation_enrols_once(client, city, django_capture_on_commit_callbacks):
    client.force_login(city.hr_a)
    response = preview(client, {"course": city.course.pk, "mode": "unit", "unit": city.bidang_a1.pk})
    confirm(client, response, django_capture_on_commit_callbacks)
    confirm(client, response, django_capture_on_commit_callbacks)
    assert EnrollmentBatch.objects.count() == 1
    assert Notification.objects.filter(user=city.in_a1, kind="lms.course_assigned").count() == 1


def test_prerequisites_unit_members_lacking_them_are_listed_and_left_out(city):
    basics = make_course(title="Dasar", lessons=("text",))
    city.course.prerequisites.set([basics])
    city.course.save()
    plan = bulk_plan_for_unit(by=city.hr_a, course=city.course, unit=city.bidang_a1, with_subunits=True)
    assert plan.to_enroll == [] and [(u.display_name, [c.title for c in cs]) for u, cs in plan.lacking] == [
        ("Budi Bidang A1", ["Dasar"])
    ]
    rows = [(1, city.in_a1.nip)]
    plan = bulk_plan_for_nips(by=city.hr_a, course=city.course, rows=rows, description="CSV")
    assert [e.message for e in plan.errors] == ["Budi Bidang A1 belum menyelesaikan prasyarat: “Dasar”."]


def test_a_big_batch_runs_in_chunks_and_the_beat_resumes_a_lost_one(city, django_capture_on_commit_callbacks):
    people = [UserFactory(full_name=f"Pegawai {n:02d}", unit=city.dinas_b) for n in range(7)]
    plan = bulk_plan_for_unit(by=city.hr_city, course=city.course, unit=city.dinas_b, with_subunits=True)
    assert len(plan.to_enroll) == 9  # the seven, Citra and coordinator B
    batch = EnrollmentBatch.objects.create(
        course=city.course,
        created_by=city.hr_city,
        description="uji",
        user_ids=[u.pk for u in plan.to_enroll],
        request_key=uuid.uuid4(),
    )
    assert enrollment_batch_run(batch_id=batch.pk, chunk=4) == 5
    assert enrollment_batch_run(batch_id=batch.pk, chunk=4) == 1
    batch.refresh_from_db()
    assert batch.enrolled == 8 and batch.done_at is None
    # The chain was lost here: the beat's catch-up finishes it once the batch has not moved for a while.
    EnrollmentBatch.objects.filter(pk=batch.pk).update(progressed_at=timezone.now() - dt.timedelta(minutes=10))
    assert enrollment_batches_pending() == [batch.pk]
    assert enrollment_batches_resume_task() == 1
    batch.refresh_from_db()
    assert batch.done_at is not None and batch.enrolled == 9
    assert Enrollment.objects.filter(course=city.course, user__in=people).count() == 7
    assert Notification.objects.filter(kind="lms.course_assigned", user__in=people).count() == 7
    assert enrollment_batch_run(batch_id=batch.pk) == 0  # done: nothing more


def test_learners_trainers_and_supervisors_are_refused(client, city):
    for user in (city.learner, city.trainer, city.in_b):
        client.force_login(user)
        assert client.get(URL).status_code == 403
        assert preview(client, {"course": city.course.pk, "mode": "unit", "unit": city.dinas_a.pk}).status_code == 403
    assert not Enrollment.objects.exists()


def test_bad_input_is_a_message_not_a_500(client, city):
    client.force_login(city.hr_city)
    cases = [
        {},
        {"course": "abc", "mode": "unit"},
        {"course": city.course.pk, "mode": "unit"},
        {"course": city.course.pk, "mode": "unit", "unit": "999999"},
        {"course": city.course.pk, "mode": "daftar"},
        {"course": city.course.pk, "mode": "daftar", "nip_text": "\n\n"},
        {"course": city.course.pk, "mode": "daftar", "nip_file": SimpleUploadedFile("x.csv", b"\xff\xfe\x00\x81")},
        {"course": city.course.pk, "mode": "x"},
        {"course": city.course.pk, "mode": "unit", "unit": city.dinas_a.pk, "due_date": "kemarin"},
        {"course": city.course.pk, "mode": "unit", "unit": city.dinas_a.pk, "due_date": "2001-01-01"},
        {"course": city.course.pk, "mode": "unit", "unit": city.dinas_a.pk, "request_key": "x", "confirm": "1"},
    ]
    for data in cases:
        response = client.post(URL, data)
        assert response.status_code == 400, data
    assert not Enrollment.objects.exists()


def test_nip_rows_reads_lists_and_spreadsheets():
    assert nip_rows("198503122010011001\n\n 198503122010012002 \n") == [
        (1, "198503122010011001"),
        (3, "198503122010012002"),
    ]
    assert nip_rows("Nama;NIP Pegawai\nAni;'198503122010011001\n") == [(2, "198503122010011001")]
    assert nip_rows("nip\tnama\n198503122010011001\tAni") == [(2, "198503122010011001")]
    assert nip_rows('"198503122010011001","Ani"') == [(1, "198503122010011001")]


def test_a_csv_with_a_stray_quote_or_a_huge_field_is_a_message_not_a_500(client, city):
    """Review 16, F4: csv's field limit (128 KB) reached by one unclosed quote."""
    client.force_login(city.hr_city)
    stray = 'NIP\n"199001012010011001\n' + "199001012010011000\n" * 8000
    for data in (
        {"nip_text": stray},
        {"nip_file": SimpleUploadedFile("a.csv", ('"' + "1" * 200_000 + '"').encode())},
    ):
        response = client.post(URL, {"course": city.course.pk, "mode": "daftar", **data})
        assert response.status_code == 400
        assert "tidak dapat dibaca sebagai CSV" in response.content.decode()
    assert not Enrollment.objects.exists()


def test_a_used_request_key_for_another_course_is_refused_not_reported_done(
    client, city, django_capture_on_commit_callbacks
):
    """Review 16, F10: Back, another course, the same form: nobody is enrolled there, and the page must not
    say they were."""
    other = make_course(title="Kursus Lain", lessons=("text",))
    client.force_login(city.hr_a)
    key = str(uuid.uuid4())
    data = {"mode": "unit", "unit": city.bidang_a1.pk, "request_key": key}
    first = client.post(URL, {**data, "course": city.course.pk})
    confirm(client, first, django_capture_on_commit_callbacks)
    second = client.post(URL, {**data, "course": other.pk})
    page = confirm(client, second, django_capture_on_commit_callbacks).content.decode()
    assert "Formulir ini sudah dipakai" in page and "didaftarkan ke Kursus Lain" not in page
    assert not Enrollment.objects.filter(course=other).exists()
    assert EnrollmentBatch.objects.count() == 1


def test_a_pasted_list_with_the_unit_radio_left_on_is_read_as_the_list(client, city):
    client.force_login(city.hr_a)
    nips = "\n".join([city.in_a.nip, city.in_a1.nip])
    response = preview(client, {"course": city.course.pk, "mode": "unit", "nip_text": nips})
    assert response.status_code == 200, response.context["form"].errors
    assert "Pilih unitnya." not in response.content.decode()
    assert {u.display_name for u in response.context["plan"].to_enroll} == {"Ani Dinas A", "Budi Bidang A1"}
    assert response.context["form"].data["mode"] == "daftar"  # the preview shows the list mode it used


def test_an_uploaded_csv_with_the_unit_radio_left_on_is_read_as_the_list(client, city):
    client.force_login(city.hr_a)
    upload = SimpleUploadedFile("nip.csv", f"NIP\n{city.in_a.nip}\n".encode(), content_type="text/csv")
    response = preview(client, {"course": city.course.pk, "mode": "unit", "nip_file": upload})
    assert response.status_code == 200, response.context["form"].errors
    assert [u.display_name for u in response.context["plan"].to_enroll] == ["Ani Dinas A"]


def test_no_unit_and_no_list_still_asks_for_the_unit(client, city):
    client.force_login(city.hr_a)
    response = preview(client, {"course": city.course.pk, "mode": "unit"})
    assert response.status_code == 400 and "Pilih unitnya." in response.content.decode()


def test_a_course_with_no_live_lesson_cannot_be_bulk_enrolled(client, city):
    empty = make_course(title="Belum Ada Pelajaran", lessons=())
    client.force_login(city.hr_a)
    response = preview(client, {"course": empty.pk, "mode": "unit", "unit": city.dinas_a.pk})
    assert response.status_code == 400
    assert "Pelajaran kursus ini belum diterbitkan" in response.content.decode()
