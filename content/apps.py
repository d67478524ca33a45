from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContentConfig(AppConfig):
    name = "content"
    verbose_name = _("Konten pembelajaran")

    def ready(self) -> None:
        from wagtail import signals as wagtail_signals

        from . import signals

        # Reviewers hear of submissions, trainers of decisions (content.services, through the inbox).
        wagtail_signals.task_submitted.connect(signals.task_submitted, dispatch_uid="content.task_submitted")
        wagtail_signals.task_rejected.connect(signals.task_rejected, dispatch_uid="content.task_rejected")
        wagtail_signals.workflow_approved.connect(signals.workflow_approved, dispatch_uid="content.workflow_approved")
