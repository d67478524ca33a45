"""What the app registry brings to the shell's registry: its event and the inbox kind of app notices."""

from django.utils.translation import gettext_lazy as _

from shell import hooks
from shell.types import NotificationType

from . import events

hooks.register("event_types", lambda: list(events.EVENTS))
hooks.register("notification_types", lambda: [NotificationType(events.NOTIFICATION_KIND, _("Aplikasi kota"))])
