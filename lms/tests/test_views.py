"""The learner's path over HTTP, and bad input that must get a message, never a 500."""

import datetime as dt

import pytest
from django.utils import timezone

from content.tests.factories import make_course
from lms.hours.models import LedgerEntry
from lms.hours.selectors import current_year
from lms.models import Enrollment, LessonProgress
from lms.xapi.constants import VERB_ANSWERED, VERB_COMPLETED, VERB_LAUNCHED
from lms.xapi.models import Statement
from shell.people import roles
from shell.people.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

RIGHT = {"q0": "0", "q1": "0", "q2": ["0", "1"]}


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def learner():
    return UserFactory(full_name="Siti Pembelajar")


@pytest.fixture
def course():
    return make_course(title="Pelayanan Publik Digital", jp="4", lessons=("text", "video", "quiz"))


@pytest.fixture
def enrolled(client, learner, course, committed):
    client.force_login(learner)
    with committed():
        assert client.post(f"/belajar/kursus/{course.pk}/daftar/").status_code == 302
    return Enrollment.objects.get(user=learner, course=course)


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def test_learner_path_from_enrolment_to_credited_jp(client, learner, course, committed):
    text, video, quiz = course.lessons()
    client.force_login(learner)
    page = client.get(course.url).content.decode()
    assert 'data-testid="enroll"' in page

    with committed():
        response = client.post(f"/belajar/kursus/{course.pk}/daftar/")
    assert response.url == course.url
    response = client.get(course.url)
    assert "Anda terdaftar di Pelayanan Publik Digital. Selamat belajar!" in messages_of(response)
    assert 'data-testid="continue"' in response.content.decode()
    assert "Mulai belajar" in response.content.decode()

    with committed():
        response = client.post(f"/belajar/kursus/{course.pk}/mulai/")
    assert response.url == text.url
    assert Statement.objects.filter(user=learner, verb=VERB_LAUNCHED).count() == 1
    assert 'data-testid="lesson-done"' in client.get(text.url).content.decode()

    with committed():
        response = client.post(f"/belajar/pelajaran/{text.pk}/selesai/")
    assert response.url == video.url
    assert "Pelajaran ini sudah selesai." in client.get(text.url).content.decode()
    with committed():
        response = client.post(f"/belajar/pelajaran/{video.pk}/selesai/")
    assert response.url == quiz.url
    quiz_page = client.get(quiz.url).content.decode()
    assert 'data-testid="quiz-submit"' in quiz_page
    assert 'type="checkbox" name="q2"' in quiz_page  # two correct choices: tick both
    assert Enrollment.objects.get(user=learner).completed_at is None

    with committed():
        response = client.post(f"/belajar/pelajaran/{quiz.pk}/kuis/", RIGHT)
    assert response.url == course.url
    response = client.get(course.url)
    assert messages_of(response) == ["Lulus! Benar 3 dari 3 (nilai lulus 70%).", "Kursus selesai! 4 JP dikreditkan."]
    assert 'data-testid="course-completed"' in response.content.decode()

    assert Enrollment.objects.get(user=learner).completed_at is not None
    assert LedgerEntry.objects.get(user=learner).jp == 4
    assert "JP tahun ini: 4 / 20" in client.get("/").content.decode()
    history = client.get("/belajar/riwayat/")
    assert history.context["year"] == current_year()
    assert "Pelayanan Publik Digital" in history.content.decode()
    assert [e.title for e in history.context["entries"]] == ["Pelayanan Publik Digital"]
    my_learning = client.get("/belajar/")
    assert [e.course.pk for e in my_learning.context["completed"]] == [course.pk]
    assert my_learning.context["active"] == []


# The projection task runs after commit (with a real worker: after the response), so where the learner
# goes next must not depend on it having run. In these tests it runs when the `committed()` block ends.


def test_after_a_lesson_the_learner_goes_on_before_the_projection_task_ran(client, enrolled, course, committed):
    text, video, quiz = course.lessons()
    with committed():  # the projection task runs after the response, as a worker would
        response = client.post(f"/belajar/pelajaran/{text.pk}/selesai/")
    assert response.url == video.url


def test_the_last_quiz_says_the_course_is_complete_before_the_projection_task_ran(client, enrolled, course, committed):
    text, video, quiz = course.lessons()
    with committed():
        client.post(f"/belajar/pelajaran/{text.pk}/selesai/")
        client.post(f"/belajar/pelajaran/{video.pk}/selesai/")
    with committed():
        response = client.post(f"/belajar/pelajaran/{quiz.pk}/kuis/", RIGHT)
    assert response.url == course.url
    assert "Kursus selesai! 4 JP dikreditkan." in messages_of(client.get(course.url))


def test_launch_resumes_at_the_first_lesson_not_done(client, enrolled, course, committed):
    text, video, quiz = course.lessons()
    with committed():
        client.post(f"/belajar/pelajaran/{text.pk}/selesai/")
    assert client.get(f"/belajar/kursus/{course.pk}/mulai/").url == video.url
    assert not Statement.objects.filter(verb=VERB_LAUNCHED).exists()  # a GET records nothing


def test_failed_quiz_over_http_says_so_and_credits_nothing(client, enrolled, course, committed):
    *_, quiz = course.lessons()
    with committed():
        response = client.post(f"/belajar/pelajaran/{quiz.pk}/kuis/", {"q0": "1", "q1": "0", "q2": "0"})
    assert response.url == quiz.url
    response = client.get(quiz.url)
    assert "Belum lulus: benar 1 dari 3; perlu 70%. Silakan coba lagi." in messages_of(response)
    assert "Sudah 1 kali mencoba." in response.content.decode()
    assert not LedgerEntry.objects.exists()


# Bad input ------------------------------------------------------------------------------------


def test_enrolling_in_a_course_that_does_not_exist_gives_a_message(client, learner):
    client.force_login(learner)
    response = client.post("/belajar/kursus/999999/daftar/", follow=True)
    assert response.status_code == 200
    assert response.redirect_chain == [("/belajar/", 302)]
    assert "Kursus ini tidak ditemukan atau belum diterbitkan." in messages_of(response)
    assert not Enrollment.objects.exists()


def test_enrolling_in_an_unpublished_course_gives_a_message(client, learner):
    draft = make_course(title="Draf Rahasia", publish=False)
    client.force_login(learner)
    response = client.post(f"/belajar/kursus/{draft.pk}/daftar/", follow=True)
    assert response.status_code == 200
    assert "Kursus ini tidak ditemukan atau belum diterbitkan." in messages_of(response)
    assert not Enrollment.objects.exists()


def test_enrolling_without_the_permission_gives_a_message(client, course):
    user = UserFactory()
    user.groups.clear()
    client.force_login(user)
    response = client.post(f"/belajar/kursus/{course.pk}/daftar/", follow=True)
    assert response.redirect_chain == [(course.url, 302)]
    assert "Akun Anda tidak dapat mendaftar kursus. Hubungi admin SDM." in messages_of(response)
    assert not Enrollment.objects.exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"q0": "abc", "q1": "0", "q2": ["0", "1"]}, "Jawaban tidak sesuai dengan pertanyaan kuis."),
        ({"q0": "0", "q1": "7", "q2": ["0", "1"]}, "Jawaban tidak sesuai dengan pertanyaan kuis."),
        ({"q0": "0", "q1": "-3", "q2": ["0", "1"]}, "Jawaban tidak sesuai dengan pertanyaan kuis."),
        ({"q0": "0", "q1": "0", "q2": ["0", "9" * 30]}, "Jawaban tidak sesuai dengan pertanyaan kuis."),
        ({"q0": "0"}, "Jawab semua pertanyaan terlebih dahulu (belum dijawab: 2, 3)."),
        ({}, "Jawab semua pertanyaan terlebih dahulu (belum dijawab: 1, 2, 3)."),
    ],
)
def test_quiz_with_bad_answers_shows_a_clear_error(client, enrolled, course, committed, data, message):
    *_, quiz = course.lessons()
    with committed():
        response = client.post(f"/belajar/pelajaran/{quiz.pk}/kuis/", data, follow=True)
    assert response.status_code == 200
    assert response.redirect_chain == [(quiz.url, 302)]
    assert any(m.startswith(message) for m in messages_of(response)), messages_of(response)
    assert not Statement.objects.filter(verb=VERB_ANSWERED).exists()
    assert not LessonProgress.objects.filter(lesson=quiz).exists()


def test_quiz_post_to_a_text_lesson_gives_a_message(client, enrolled, course):
    text, *_ = course.lessons()
    response = client.post(f"/belajar/pelajaran/{text.pk}/kuis/", RIGHT, follow=True)
    assert "Pelajaran ini tidak memiliki kuis." in messages_of(response)


def test_marking_a_quiz_lesson_done_gives_a_message(client, enrolled, course):
    *_, quiz = course.lessons()
    response = client.post(f"/belajar/pelajaran/{quiz.pk}/selesai/", follow=True)
    assert response.redirect_chain == [(quiz.url, 302)]
    assert "Pelajaran ini selesai dengan lulus kuisnya." in messages_of(response)


def test_lessons_of_a_course_the_learner_is_not_enrolled_in_are_404(client, enrolled):
    other = make_course(title="Kursus Lain", lessons=("text", "quiz"))
    text, quiz = other.lessons()
    assert client.post(f"/belajar/pelajaran/{text.pk}/selesai/").status_code == 404
    assert client.post(f"/belajar/pelajaran/{quiz.pk}/kuis/", RIGHT).status_code == 404
    assert client.post(f"/belajar/kursus/{other.pk}/mulai/").status_code == 404
    assert client.post("/belajar/pelajaran/999999/selesai/").status_code == 404
    assert not Statement.objects.filter(verb__in=[VERB_ANSWERED, VERB_COMPLETED, VERB_LAUNCHED]).exists()


@pytest.mark.parametrize(
    "path",
    ["/belajar/kursus/{course}/daftar/", "/belajar/pelajaran/{lesson}/selesai/", "/belajar/pelajaran/{lesson}/kuis/"],
)
def test_get_on_post_only_urls_is_405(client, enrolled, course, path):
    lesson = next(iter(course.lessons()))
    response = client.get(path.format(course=course.pk, lesson=lesson.pk))
    assert response.status_code == 405


@pytest.mark.parametrize(
    ("query", "year"),
    [
        ("?tahun=abc", None),
        ("?tahun=", None),
        ("?tahun=1800", None),
        ("?tahun=99999999999999999999", None),
        ("?tahun=2024", 2024),
    ],
)
def test_history_year_falls_back_to_the_current_year(client, learner, query, year):
    client.force_login(learner)
    response = client.get(f"/belajar/riwayat/{query}")
    assert response.status_code == 200
    assert response.context["year"] == (year or current_year())


# The assign form -------------------------------------------------------------------------------


@pytest.fixture
def supervisor_and_report():
    supervisor = UserFactory(roles=[roles.LEARNER, roles.SUPERVISOR])
    report = UserFactory(supervisor=supervisor)
    return supervisor, report


def today():
    return timezone.localdate()


@pytest.mark.parametrize(
    ("due_date", "message"),
    [
        (lambda: (today() - dt.timedelta(days=1)).isoformat(), "Tenggat tidak boleh di masa lalu."),
        (lambda: (today() + dt.timedelta(days=731)).isoformat(), "Tenggat paling lama dua tahun dari hari ini."),
        (lambda: "31.12.2026", "Tulis tanggal seperti 2026-12-31."),
        (lambda: "2026-13-01", "Tulis tanggal seperti 2026-12-31."),
        (lambda: "2026-02-30", "Tulis tanggal seperti 2026-12-31."),
        (lambda: "besok", "Tulis tanggal seperti 2026-12-31."),
    ],
)
def test_assign_with_a_bad_due_date_shows_the_message_with_400(
    client, supervisor_and_report, course, due_date, message
):
    supervisor, report = supervisor_and_report
    client.force_login(supervisor)
    data = {"course": course.pk, "employees": [report.pk], "due_date": due_date()}
    response = client.post("/belajar/tugaskan/", data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Enrollment.objects.exists()


def test_assign_with_a_course_that_does_not_exist_shows_the_message_with_400(client, supervisor_and_report, course):
    supervisor, report = supervisor_and_report
    draft = make_course(title="Draf", publish=False)
    client.force_login(supervisor)
    for value in ("999999", "abc", str(draft.pk)):
        due = (today() + dt.timedelta(days=7)).isoformat()
        response = client.post("/belajar/tugaskan/", {"course": value, "employees": [report.pk], "due_date": due})
        assert response.status_code == 400
        assert "Pilih kursus yang ada di katalog." in response.content.decode()
    assert not Enrollment.objects.exists()


def test_assign_form_lists_only_the_team(client, supervisor_and_report):
    supervisor, report = supervisor_and_report
    UserFactory(full_name="Orang Lain")
    client.force_login(supervisor)
    response = client.get("/belajar/tugaskan/")
    assert response.status_code == 200
    assert list(response.context["form"].fields["employees"].queryset) == [report]


def test_history_names_categories_by_their_label(client, learner):
    from decimal import Decimal

    from lms.hours.tests.factories import credit

    credit(learner, Decimal("3"), dt.date.today(), category="sosial_kultural", form="seminar", title="Seminar")
    client.force_login(learner)
    html = client.get("/belajar/riwayat/").content.decode()
    assert "Sosial kultural: <strong>3 JP</strong>" in html
