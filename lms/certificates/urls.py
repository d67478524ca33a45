from django.urls import path

from . import views

app_name = "certificates"

urlpatterns = [
    path("", views.certificate_list, name="list"),
    path("kelola/", views.manage_list, name="manage"),
    path("<int:pk>/", views.certificate_detail, name="detail"),
    path("<int:pk>/pdf/", views.certificate_download, name="pdf"),
    path("<int:pk>/cabut/", views.certificate_revoke, name="revoke"),
    path("<int:pk>/terbitkan-ulang/", views.certificate_reissue, name="reissue"),
    # Public: the QR code on the certificate points here.
    path("v/<str:code>/", views.verify, name="verify"),
]
