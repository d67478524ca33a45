"""The demo brings a training coordinator, a prerequisite, a course due date and an announcement, once."""

import pytest

from content.models import CoursePage
from fixtures.demo import load_demo
from lms.courses.demo import courses_demo_load
from lms.courses.models import Announcement, TrainingCoordinator
from lms.courses.selectors import bulk_enrollment_units

pytestmark = pytest.mark.django_db


def test_the_demo_of_the_course_pages(django_capture_on_commit_callbacks):
    load_demo()
    with django_capture_on_commit_callbacks(execute=True):
        assert "koordinator" in courses_demo_load()
    coordinator = TrainingCoordinator.objects.get().user
    assert coordinator.username == "koordinator"
    assert {u.code for u in bulk_enrollment_units(user=coordinator)} == {
        "DUKCAPIL",
        "DUKCAPIL.DAFDUK",
        "DUKCAPIL.CAPIL",
    }
    spreadsheet = CoursePage.objects.get(title="Analisis Data dengan Spreadsheet")
    assert [c.title for c in spreadsheet.prerequisites.all()] == ["Keamanan Informasi untuk Pegawai"]
    assert CoursePage.objects.get(title="Keamanan Informasi untuk Pegawai").due_date is not None
    announcement = Announcement.objects.get()
    assert announcement.recipients > 0
    assert courses_demo_load() is None  # once
    assert Announcement.objects.count() == 1
