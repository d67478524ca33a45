from django.urls import path

import shell.converters  # noqa: F401  (registers <id:>)

from . import views
from .h5p import views as h5p_views
from .video import views as video_views

app_name = "lms"

urlpatterns = [
    path("", views.my_learning, name="my_learning"),
    path("kursus/<id:course_id>/daftar/", views.enroll, name="enroll"),
    path("kursus/<id:course_id>/mulai/", views.launch_page, name="launch_page"),
    path("pelajaran/<id:lesson_id>/selesai/", views.lesson_done, name="lesson_done"),
    path("pelajaran/<id:lesson_id>/kuis/", views.quiz_submit, name="quiz_submit"),
    path("riwayat/", views.history, name="history"),
    path("riwayat/pdf/", views.history_pdf, name="history_pdf"),
    path("pendaftaran/<id:pk>/", views.enrollment_detail, name="enrollment_detail"),
    path("tim/", views.team, name="team"),
    path("pegawai/<uuid:user_uuid>/", views.employee_detail, name="employee_detail"),
    path("tugaskan/", views.assign, name="assign"),
    path("h5p/<id:lesson_id>/<id:content_id>/xapi/", h5p_views.statement, name="h5p_statement"),
    path("h5p/<id:lesson_id>/<id:content_id>/karantina/", h5p_views.quarantine, name="h5p_quarantine"),
    path("h5p/<id:lesson_id>/<id:content_id>/percobaan/", h5p_views.attempt, name="h5p_attempt"),
    path("video/<id:lesson_id>/<slug:block_id>/xapi/", video_views.statement, name="video_statement"),
    path("video/berkas/<str:token>/", video_views.video_file, name="video_file"),
]
