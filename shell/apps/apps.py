from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CityAppsConfig(AppConfig):
    name = "shell.apps"
    label = "apps"
    verbose_name = _("Aplikasi kota")
