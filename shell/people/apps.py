from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeopleConfig(AppConfig):
    name = "shell.people"
    label = "people"
    verbose_name = _("Kepegawaian")

    def ready(self):
        from django.db.models.signals import post_delete, post_save, pre_save

        from . import events
        from .models import Unit, User

        # Employees joining, moving and leaving, and units changing, are published as events (events.py).
        pre_save.connect(events.user_before_save, sender=User, dispatch_uid="people-user-before")
        post_save.connect(events.user_saved, sender=User, dispatch_uid="people-user-saved")
        post_delete.connect(events.user_deleted, sender=User, dispatch_uid="people-user-deleted")
        pre_save.connect(events.unit_before_save, sender=Unit, dispatch_uid="people-unit-before")
        post_save.connect(events.unit_saved, sender=Unit, dispatch_uid="people-unit-saved")
        post_delete.connect(events.unit_deleted, sender=Unit, dispatch_uid="people-unit-deleted")
