from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class H5PTrackingConfig(AppConfig):
    name = "lms.h5p"
    label = "h5p_tracking"
    verbose_name = _("Hasil H5P pegawai")
