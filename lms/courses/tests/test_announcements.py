"""A trainer's announcement reaches every learner of the course: in the shell's inbox (an event, then a
bulk insert in a Celery task) and on the course page; sent once however often the form or the task is
retried; plain text, always shown escaped."""

import uuid

import pytest

from lms.courses.models import Announcement
from lms.courses.services import announcement_deliver, check_announcement_create
from lms.services import LearningError
from shell.inbox.models import Notification
from shell.outbox.models import Event
from shell.people.tests.factories import UserFactory

from .factories import enrol, make_city

pytestmark = pytest.mark.django_db

SCRIPT = '<script>alert("x")</script> & <b>tebal</b>'


@pytest.fixture
def city(django_capture_on_commit_callbacks):
    c = make_city()
    for user in (c.in_a, c.in_a1, c.in_b):
        enrol(user, c.course)
    enrol(c.learner, c.other_course)  # not in this course
    return c


def post(client, city, committed, **data):
    client.force_login(city.trainer)
    form = client.get(f"/belajar/pantau/{city.course.pk}/pengumuman/").context["form"]
    payload = {"title": "Jadwal ujian", "body": SCRIPT, "request_key": str(form["request_key"].initial), **data}
    with committed(execute=True):
        return client.post(f"/belajar/pantau/{city.course.pk}/pengumuman/", payload), payload


def test_every_learner_gets_it_in_the_inbox_escaped(client, city, django_capture_on_commit_callbacks):
    response, _payload = post(client, city, django_capture_on_commit_callbacks)
    assert response.status_code == 302
    announcement = Announcement.objects.get()
    notes = Notification.objects.filter(kind="lms.course_announcement")
    assert sorted(n.user_id for n in notes) == sorted(u.pk for u in (city.in_a, city.in_a1, city.in_b))
    note = notes.first()
    assert note.title == "Pengumuman Pelayanan Prima: Jadwal ujian"
    assert note.body == SCRIPT and note.url.endswith("#pengumuman")
    announcement.refresh_from_db()
    assert announcement.recipients == 3 and announcement.delivered_at is not None
    assert Event.objects.get(name="lms.course.announced").dispatched_at is not None

    client.force_login(city.in_a)
    inbox = client.get("/kotak-masuk/").content.decode()
    assert "Pengumuman kursus" in inbox  # the notification type the LMS declared
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in inbox
    assert SCRIPT not in inbox and "<script>alert" not in inbox
    course_page = client.get(city.course.url).content.decode()
    assert 'data-testid="course-announcements"' in course_page and "Jadwal ujian" in course_page
    assert "&lt;script&gt;" in course_page and "<script>alert" not in course_page
    assert "&lt;b&gt;tebal&lt;/b&gt;" in course_page


def test_the_same_form_sent_twice_announces_once(client, city, django_capture_on_commit_callbacks):
    _response, payload = post(client, city, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        again = client.post(f"/belajar/pantau/{city.course.pk}/pengumuman/", payload, follow=True)
    assert "sudah terkirim sebelumnya" in again.content.decode()
    assert Announcement.objects.count() == 1
    assert Notification.objects.filter(kind="lms.course_announcement").count() == 3


def test_a_retried_delivery_adds_nothing(city, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        announcement, created = check_announcement_create(
            author=city.trainer, course=city.course, title="Ujian", body="Senin", request_key=uuid.uuid4()
        )
    assert created
    assert announcement_deliver(announcement_id=announcement.pk) == 3
    assert announcement_deliver(announcement_id=announcement.pk) == 3
    assert Notification.objects.filter(kind="lms.course_announcement").count() == 3


def test_the_fan_out_is_a_few_inserts_however_many_learners(city, django_assert_max_num_queries):
    for n in range(60):
        enrol(UserFactory(full_name=f"Peserta {n}"), city.course)
    announcement = Announcement.objects.create(
        course=city.course, author=city.trainer, title="Ujian", body="Senin", request_key=uuid.uuid4()
    )
    with django_assert_max_num_queries(8):
        assert announcement_deliver(announcement_id=announcement.pk) == 63
    assert Notification.objects.filter(kind="lms.course_announcement").count() == 63


def test_only_the_course_trainers_may_announce(client, city):
    url = f"/belajar/pantau/{city.course.pk}/pengumuman/"
    for user in (city.other_trainer, city.in_a, city.hr_city, city.coordinator_a):
        client.force_login(user)
        assert client.get(url).status_code == 403, user
        assert client.post(url, {"title": "x", "body": "y", "request_key": str(uuid.uuid4())}).status_code == 403
    assert Announcement.objects.count() == 0
    with pytest.raises(LearningError):
        check_announcement_create(
            author=city.other_trainer, course=city.course, title="x", body="y", request_key=uuid.uuid4()
        )
    client.force_login(city.trainer)
    assert client.get("/belajar/pantau/999999/pengumuman/").status_code == 404


def test_bad_input_is_a_message_not_a_500(client, city):
    url = f"/belajar/pantau/{city.course.pk}/pengumuman/"
    client.force_login(city.trainer)
    for data in ({}, {"title": "", "body": "x", "request_key": "bukan-uuid"}, {"title": "x" * 151, "body": "y"}):
        response = client.post(url, data)
        assert response.status_code == 400, data
    assert Announcement.objects.count() == 0


def test_announcements_are_not_shown_to_who_is_not_in_the_course(client, city):
    Announcement.objects.create(
        course=city.course, author=city.trainer, title="Khusus peserta", body="Isi", request_key=uuid.uuid4()
    )
    client.force_login(city.learner)
    assert "Khusus peserta" not in client.get(city.course.url).content.decode()
    client.logout()
    assert "Khusus peserta" not in client.get(city.course.url).content.decode()
    client.force_login(city.in_b)
    assert "Khusus peserta" in client.get(city.course.url).content.decode()
