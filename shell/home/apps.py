from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HomeConfig(AppConfig):
    name = "shell.home"
    label = "home"
    verbose_name = _("Beranda")

    def ready(self):
        from django.contrib.auth import get_user_model
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from .services import badge_source_changed, roles_changed

        post_save.connect(badge_source_changed, dispatch_uid="home-badge-source-saved")
        post_delete.connect(badge_source_changed, dispatch_uid="home-badge-source-deleted")
        m2m_changed.connect(roles_changed, sender=get_user_model().groups.through, dispatch_uid="home-roles")
