from django.urls import path

from . import views

app_name = "evaluation"

urlpatterns = [
    path("bank/", views.bank_index, name="bank_index"),
    path("bank/<int:course_id>/", views.bank, name="bank"),
    path("bank/<int:course_id>/ekspor.xml", views.bank_export, {"fmt": "xml"}, name="export_xml"),
    path("bank/<int:course_id>/ekspor.gift.txt", views.bank_export, {"fmt": "gift"}, name="export_gift"),
    path("bank/<int:course_id>/kuis/baru/", views.quiz_edit, name="quiz_new"),
    path("bank/<int:course_id>/kuis/<int:quiz_id>/", views.quiz_edit, name="quiz_edit"),
    path("bank/<int:course_id>/penilaian/", views.grading, name="grading"),
    path("soal/<int:question_id>/", views.question_edit, name="question_edit"),
    path("kuis/<int:quiz_id>/", views.quiz_page, name="quiz"),
    path("kuis/<int:quiz_id>/mulai/", views.attempt_start, name="start"),
    path("kuis/<int:quiz_id>/analisis/", views.analysis, name="analysis"),
    path("percobaan/<int:attempt_id>/", views.attempt_page, name="attempt"),
    path("percobaan/<int:attempt_id>/jawab/", views.answer, name="answer"),
    path("percobaan/<int:attempt_id>/kirim/", views.attempt_finish, name="finish"),
    path("percobaan/<int:attempt_id>/ulasan/", views.review, name="review"),
]
