from django.urls import path

from . import views

app_name = "layanan"

urlpatterns = [
    path("", views.request_list, name="request_list"),
    path("baru/", views.request_register, name="request_register"),
    path("katalog/", views.catalogue, name="catalogue"),
    path("permohonan/<str:number>/", views.request_detail, name="request_detail"),
    path("permohonan/<str:number>/lampiran/<int:pk>/", views.attachment_download, name="attachment_download"),
    path("permohonan/<str:number>/status/", views.request_change_status, name="request_change_status"),
    path("permohonan/<str:number>/tugaskan/", views.request_assign, name="request_assign"),
]
