from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoursesConfig(AppConfig):
    """Running a course: its learners' progress for trainers, announcements, bulk enrolment,
    prerequisites and due dates, and each learner's calendar feed (docs/domain/courses.md)."""

    name = "lms.courses"
    label = "courses"
    verbose_name = _("Pengelolaan kursus")
