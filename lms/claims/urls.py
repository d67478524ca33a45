from django.urls import path

from . import views

app_name = "claims"

urlpatterns = [
    path("", views.claim_list, name="list"),
    path("baru/", views.claim_create, name="create"),
    path("persetujuan/", views.to_decide, name="to_decide"),
    path("audit/", views.audit, name="audit"),
    path("<int:pk>/", views.claim_detail, name="detail"),
    path("<int:pk>/ubah/", views.claim_edit, name="edit"),
    path("<int:pk>/bukti/", views.claim_evidence, name="evidence"),
    path("<int:pk>/putuskan/", views.claim_decide, name="decide"),
    path("<int:pk>/verifikasi/", views.claim_verify, name="verify"),
    path("<int:pk>/batalkan/", views.claim_reverse, name="reverse"),
    path("<int:pk>/tarik/", views.claim_withdraw, name="withdraw"),
]
