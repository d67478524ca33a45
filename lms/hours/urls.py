from django.urls import path

from . import views

app_name = "hours"

urlpatterns = [
    path("", views.my_forecast, name="forecast"),
    path("risiko/", views.at_risk, name="at_risk"),
    path("anomali/", views.anomalies, name="anomalies"),
    path("entri/<int:pk>/", views.entry_detail, name="entry"),
    path("entri/<int:pk>/cabut/", views.entry_revoke, name="entry_revoke"),
    path("koreksi/", views.correction_pick, name="correction_pick"),
    path("pegawai/<uuid:user_uuid>/koreksi/", views.correction_create, name="correction_create"),
]
