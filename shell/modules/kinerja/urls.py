from django.urls import path

from . import views

app_name = "kinerja"

urlpatterns = [
    path("", views.activity_log, name="activity_log"),
    path("aktivitas/<int:pk>/", views.activity_detail, name="activity_detail"),
    path("bukti/<int:pk>/", views.evidence_download, name="evidence_download"),
    path("aktivitas/<int:pk>/periksa/", views.activity_review, name="activity_review"),
    path("aktivitas/<int:pk>/perbaiki/", views.activity_resubmit, name="activity_resubmit"),
    path("persetujuan/", views.approvals, name="approvals"),
    path("persetujuan/massal/", views.approvals_bulk, name="approvals_bulk"),
    path("skp/", views.skp, name="skp"),
    path("skp/ajukan/", views.skp_submit, name="skp_submit"),
    path("skp/<int:pk>/setujui/", views.skp_approve, name="skp_approve"),
]
