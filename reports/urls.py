from django.urls import path

from . import views

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("pegawai/", views.employees, name="employees"),
    path("unit/", views.units, name="units"),
    path("unit/cari/", views.unit_search, name="unit_search"),
    path("kategori/", views.categories, name="categories"),
    path("kursus/", views.courses, name="courses"),
    path("unduh/", views.download, name="download"),
    path("ekspor/", views.export_list, name="export_list"),
    path("ekspor/<int:pk>/", views.export_detail, name="export_detail"),
    path("ekspor/<int:pk>/berkas/", views.export_file, name="export_file"),
    path("api/ringkasan/", views.summary_api, name="summary_api"),
]
