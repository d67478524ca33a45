"""The citizens' status lookup, outside the login: /cek-permohonan/?nomor=LYN-XXXX-XXXX."""

from django.urls import path

from . import views

urlpatterns = [path("", views.public_lookup, name="lookup")]
