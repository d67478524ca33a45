from django.urls import path

from . import views

app_name = "h5p"

urlpatterns = [
    path("main/<str:token>/", views.player, name="player"),
    path("f/<str:token>/", views.content_root, name="content_root"),
    path("f/<str:token>/<path:path>", views.content_file, name="content_file"),
    path("lib/", views.library_root, name="library_root"),
    path("lib/<str:folder>/<path:path>", views.library_file, name="library_file"),
]
