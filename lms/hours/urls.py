from django.urls import path

from . import views

app_name = "hours"

urlpatterns = [
    path("", views.my_forecast, name="forecast"),
    path("risiko/", views.at_risk, name="at_risk"),
]
