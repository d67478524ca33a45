from django.urls import path

from . import views

app_name = "surveys"

urlpatterns = [
    path("", views.my_surveys, name="mine"),
    path("isi/kursus/<int:course_id>/", views.answer_course, name="answer_course"),
    path("isi/kelas/<int:session_id>/", views.answer_session, name="answer_session"),
    path("tindak-lanjut/<int:pk>/", views.follow_up, name="follow_up"),
    path("kelola/", views.manage, name="manage"),
    path("kelola/templat/baru/", views.template_create, name="template_create"),
    path("kelola/templat/<int:pk>/", views.template_edit, name="template"),
    path("kelola/templat/<int:pk>/salin/", views.template_copy, name="template_copy"),
    path("kelola/pasang/", views.link_create, name="link_create"),
    path("kelola/pasang/<int:pk>/lepas/", views.link_delete, name="link_delete"),
    path("hasil/", views.results, name="results"),
    path("hasil/kursus/<int:course_id>/", views.result_course, name="result_course"),
    path("hasil/kelas/<int:session_id>/", views.result_session, name="result_session"),
    path("hasil/pelatih/", views.trainer_mine, name="trainer_mine"),
    path("hasil/pelatih/<int:user_id>/", views.trainer_detail, name="trainer_detail"),
]
