"""A trainer's view of their course: each learner's progress, scores and last activity, filtered and
exported. Trainers see their own courses only; HR and coordinators the learners of their scope."""

import csv
import datetime as dt
import io
import re

import pytest
from django.utils import timezone

from content.tests.factories import RIGHT_ANSWERS, WRONG_ANSWERS
from lms import services
from lms.courses.selectors import LearnerFilters, course_learners, learner_rows, scored_lessons
from shell.people.tests.factories import UserFactory

from .factories import enrol, make_city

pytestmark = pytest.mark.django_db


@pytest.fixture
def city():
    c = make_city()
    text, quiz = c.course.lessons()
    # Ani: done (text, quiz passed); Budi: text done, quiz failed; Citra: enrolled, nothing yet.
    ani = enrol(c.in_a, c.course)
    services.lesson_complete(enrollment=ani, lesson=text)
    services.quiz_submit(enrollment=ani, lesson=quiz, answers=RIGHT_ANSWERS)
    budi = enrol(c.in_a1, c.course)
    services.lesson_complete(enrollment=budi, lesson=text)
    services.quiz_submit(enrollment=budi, lesson=quiz, answers=WRONG_ANSWERS)
    enrol(c.in_b, c.course)
    return c


def page(client, user, url):
    client.force_login(user)
    return client.get(url)


def names(response) -> list[str]:
    return [row.user.display_name for row in response.context["rows"]]


def test_the_trainer_sees_every_learner_with_progress_scores_and_last_activity(client, city):
    response = page(client, city.trainer, f"/belajar/pantau/{city.course.pk}/")
    assert response.status_code == 200
    rows = {row.user.display_name: row for row in response.context["rows"]}
    assert sorted(rows) == ["Ani Dinas A", "Budi Bidang A1", "Citra Dinas B"]
    ani, budi, citra = rows["Ani Dinas A"], rows["Budi Bidang A1"], rows["Citra Dinas B"]
    assert (ani.done, ani.required, ani.percent, ani.status) == (2, 2, 100, "selesai")
    assert (budi.done, budi.percent, budi.status) == (1, 50, "berjalan")
    assert (citra.done, citra.percent, citra.status) == (0, 0, "belum-mulai")
    assert [score for _lesson, score in ani.lesson_scores] == [1]
    assert [score for _lesson, score in budi.lesson_scores] == [0]
    assert citra.lesson_scores[0][1] is None
    assert ani.last_activity is not None and citra.last_activity is not None  # her enrolment's statement
    assert ani.last_activity >= citra.last_activity - dt.timedelta(seconds=5)
    summary = response.context["summary"]
    assert (summary.enrolled, summary.completed, summary.in_progress, summary.not_started) == (3, 1, 1, 1)
    html = response.content.decode()
    assert "Ani Dinas A" in html and "Selesai" in html and "100%" in html


def test_filters_narrow_the_list_and_bad_values_are_ignored(client, city):
    url = f"/belajar/pantau/{city.course.pk}/"
    client.force_login(city.trainer)
    assert names(client.get(url, {"status": "selesai"})) == ["Ani Dinas A"]
    assert names(client.get(url, {"status": "belum-mulai"})) == ["Citra Dinas B"]
    assert names(client.get(url, {"status": "berjalan"})) == ["Budi Bidang A1"]
    assert names(client.get(url, {"q": "budi"})) == ["Budi Bidang A1"]
    assert names(client.get(url, {"q": city.in_b.nip})) == ["Citra Dinas B"]
    assert names(client.get(url, {"unit": city.dinas_a.pk})) == ["Ani Dinas A", "Budi Bidang A1"]  # with sub-units
    assert names(client.get(url, {"urut": "kemajuan"}))[0] == "Ani Dinas A"
    for bad in (
        {"q": "\x00"},
        {"status": "x"},
        {"unit": "abc"},
        {"unit": "999999"},
        {"urut": "drop table"},
        {"halaman": "-1"},
    ):
        response = client.get(url, bad)
        assert response.status_code == 200, bad
        assert len(response.context["rows"]) == 3, bad


def test_overdue_follows_the_enrolment_due_date_else_the_course(client, city):
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    city.course.due_date = yesterday
    city.course.save()
    enrollment = city.course.enrollments.get(user=city.in_a1)
    enrollment.due_date = timezone.localdate() + dt.timedelta(days=10)  # the supervisor gave Budi more time
    enrollment.save()
    response = page(client, city.trainer, f"/belajar/pantau/{city.course.pk}/?status=terlambat")
    assert names(response) == ["Citra Dinas B"]  # Ani completed, Budi has his own later due date
    assert response.context["summary"].overdue == 1


def test_hr_and_coordinators_see_only_their_scope(client, city):
    url = f"/belajar/pantau/{city.course.pk}/"
    assert names(page(client, city.hr_a, url)) == ["Ani Dinas A", "Budi Bidang A1"]
    assert names(page(client, city.coordinator_b, url)) == ["Citra Dinas B"]
    assert len(page(client, city.hr_city, url).context["rows"]) == 3
    csv_text = page(client, city.hr_a, url + "csv/").getvalue().decode()
    assert "Citra Dinas B" not in csv_text and "Ani Dinas A" in csv_text


def test_others_are_refused(client, city):
    url = f"/belajar/pantau/{city.course.pk}/"
    for user in (city.other_trainer, city.learner, city.in_a):
        assert page(client, user, url).status_code == 403, user
        assert page(client, user, url + "csv/").status_code == 403, user
    assert page(client, city.trainer, f"/belajar/pantau/{city.other_course.pk}/").status_code == 403
    assert page(client, city.trainer, "/belajar/pantau/999999/").status_code == 404
    client.logout()
    assert client.get(url).status_code == 302


def test_the_trainer_lists_their_courses_and_a_learner_is_refused(client, city):
    response = page(client, city.trainer, "/belajar/pantau/")
    assert [course.title for course, _n in response.context["rows"]] == ["Pelayanan Prima"]
    assert response.context["rows"][0][1] == 3
    hr = page(client, city.hr_a, "/belajar/pantau/")
    assert [(course.title, n) for course, n in hr.context["rows"]] == [("Pelayanan Prima", 2)]
    assert page(client, city.learner, "/belajar/pantau/").status_code == 403


def test_csv_export_has_every_learner_with_scores_and_is_formula_safe(client, city):
    hostile = UserFactory(full_name='=HYPERLINK("http://x")', unit=city.dinas_a)
    enrol(hostile, city.course)
    response = page(client, city.trainer, f"/belajar/pantau/{city.course.pk}/csv/?status=")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    text = response.getvalue().decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    header, body = rows[0], rows[1:]
    assert header[:3] == ["Nama", "NIP", "Unit"] and "Nilai: Pelajaran 2 (%)" in header
    by_name = {row[0]: dict(zip(header, row, strict=True)) for row in body}
    assert by_name["Ani Dinas A"]["Nilai: Pelajaran 2 (%)"] == "100"
    assert by_name["Ani Dinas A"]["Status"] == "Selesai"
    assert by_name["Budi Bidang A1"]["Kemajuan (%)"] == "50"
    assert by_name["Citra Dinas B"]["Nilai: Pelajaran 2 (%)"] == ""
    assert '\'=HYPERLINK("http://x")' in by_name
    # Dates a spreadsheet reads as dates in any locale: ISO, and times without a "+07:00" that makes them text.
    for row in by_name.values():
        for value in row.values():
            assert "+07:00" not in value
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", by_name["Ani Dinas A"]["Terdaftar"])
    last = [row["Aktivitas terakhir"] for row in by_name.values() if row["Aktivitas terakhir"]]
    assert last and all(re.fullmatch(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}", value) for value in last), last
    filtered = page(client, city.trainer, f"/belajar/pantau/{city.course.pk}/csv/?status=selesai").getvalue().decode()
    assert filtered.count("\r\n") == 2  # header and Ani


def test_learner_rows_read_progress_in_a_few_queries(city, django_assert_max_num_queries):
    for n in range(30):
        enrol(UserFactory(full_name=f"Peserta {n:02d}", unit=city.dinas_b), city.course)
    lessons = scored_lessons(course=city.course)
    # Access, the required lessons (twice), the enrolments, one read of progress per chunk.
    with django_assert_max_num_queries(5):
        enrollments = course_learners(viewer=city.trainer, course=city.course, filters=LearnerFilters())
        rows = list(learner_rows(course=city.course, enrollments=enrollments, lessons=lessons))
    assert len(rows) == 33
