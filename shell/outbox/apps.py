from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutboxConfig(AppConfig):
    name = "shell.outbox"
    label = "outbox"
    verbose_name = _("Peristiwa antarmodul")
