from django.urls import path

import shell.converters  # noqa: F401  (registers <id:>)

from . import views

app_name = "courses"

urlpatterns = [
    path("pantau/", views.followed_courses, name="followed"),
    path("pantau/<id:course_id>/", views.course_learners, name="learners"),
    path("pantau/<id:course_id>/csv/", views.course_learners_csv, name="learners_csv"),
    path("pantau/<id:course_id>/pengumuman/", views.announcements, name="announcements"),
    path("daftar-massal/", views.bulk_enroll, name="bulk_enroll"),
    path("kalender/", views.calendar, name="calendar"),
    path("kalender/alamat-baru/", views.calendar_reset, name="calendar_reset"),
    # No login: calendar apps fetch it without a session; the secret token is the key.
    path("kalender/<slug:token>.ics", views.calendar_feed, name="calendar_feed"),
]
