"""/aplikasi/: the home tiles of the city's external apps lead here, then on to the app."""

from django.urls import path

from . import views

app_name = "apps"

urlpatterns = [path("<slug:slug>/", views.launch, name="launch")]
