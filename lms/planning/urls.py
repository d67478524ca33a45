from django.urls import path

from . import views

app_name = "planning"

urlpatterns = [
    path("", views.home, name="home"),
    path("penilaian/", views.self_assessment, name="self_assessment"),
    path("rencana/", views.plan, name="plan"),
    path("rencana/tambah/", views.plan_item_add, name="plan_item_add"),
    path("rencana/butir/<int:pk>/hapus/", views.plan_item_remove, name="plan_item_remove"),
    path("rencana/ajukan/", views.plan_propose, name="plan_propose"),
    path("tim/", views.team, name="team"),
    path("tim/penilaian/<int:pk>/", views.team_assessment, name="team_assessment"),
    path("tim/rencana/<int:pk>/", views.team_plan, name="team_plan"),
    path("kamus/", views.dictionary, name="dictionary"),
    path("kamus/ekspor.xlsx", views.dictionary_export, name="dictionary_export"),
]
