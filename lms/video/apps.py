from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VideoTrackingConfig(AppConfig):
    name = "lms.video"
    label = "video_tracking"
    verbose_name = _("Tontonan video pegawai")
