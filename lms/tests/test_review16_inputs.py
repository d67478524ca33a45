"""Review 16 (hostile): out-of-range ids are 404s (F6); "mark done" on an H5P-gated lesson is refused in
words (F14)."""

import pytest
from django.test import Client

from shell.people.tests.factories import UserFactory

pytestmark = pytest.mark.django_db
HUGE = "99999999999999999999"


def test_twenty_digit_ids_are_404_not_500():
    client = Client(raise_request_exception=False)
    client.force_login(UserFactory())
    for method, url in (
        ("get", f"/belajar/pantau/{HUGE}/"),
        ("get", f"/belajar/pantau/{HUGE}/csv/"),
        ("post", f"/belajar/kursus/{HUGE}/daftar/"),
        ("post", f"/belajar/pelajaran/{HUGE}/selesai/"),
        ("post", f"/belajar/video/{HUGE}/x/xapi/?watch=a"),
    ):
        assert getattr(client, method)(url).status_code == 404, url


def test_mark_done_on_an_h5p_gated_lesson_is_refused_in_words(client):
    from content.h5p.services import h5p_content_import
    from content.h5p.tests.factories import TRUE_FALSE, make_h5p_course, sample
    from lms import services
    from lms.models import LessonProgress
    from lms.xapi.models import Statement
    from shell.people import roles

    content = h5p_content_import(upload=sample(TRUE_FALSE), user=UserFactory(roles=[roles.ADMIN]))
    course = make_h5p_course([content])
    learner = UserFactory()
    services.check_enrollment_self(user=learner, course_id=course.pk)
    (lesson,) = course.get_children().specific()
    client.force_login(learner)
    response = client.post(f"/belajar/pelajaran/{lesson.pk}/selesai/", follow=True)
    assert "selesai otomatis setelah nilai H5P Anda tercatat" in response.content.decode()
    assert not LessonProgress.objects.filter(lesson=lesson, completed_at__isnull=False).exists()
    assert not Statement.objects.filter(sender=learner).exists()
