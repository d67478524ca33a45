from django.urls import path

from . import views

app_name = "classroom"

urlpatterns = [
    path("", views.session_list, name="list"),
    path("<int:pk>/", views.session_detail, name="detail"),
    path("<int:pk>/daftar/", views.register, name="register"),
    path("<int:pk>/batal/", views.cancel, name="cancel"),
    path("<int:pk>/absen/", views.checkin, name="checkin"),
    path("<int:pk>/absen/status/", views.checkin_status, name="checkin_status"),
    path("<int:pk>/qr-saya/", views.my_qr, name="my_qr"),
    path("<int:pk>/pelatih/", views.trainer_page, name="trainer"),
    path("<int:pk>/pelatih/kode/", views.trainer_code, name="trainer_code"),
    path("<int:pk>/pelatih/hadir/", views.trainer_mark, name="trainer_mark"),
    path("<int:pk>/pelatih/konfirmasi/", views.trainer_pending, name="trainer_pending"),
    path("<int:pk>/pelatih/konfirmasi/putuskan/", views.trainer_decide, name="trainer_decide"),
    path("<int:pk>/pelatih/pindai/", views.trainer_scan, name="trainer_scan"),
    path("<int:pk>/pelatih/tutup/", views.trainer_close, name="trainer_close"),
]
