from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LmsConfig(AppConfig):
    name = "lms"
    verbose_name = _("Pembelajaran")

    def ready(self) -> None:
        from . import projections  # noqa: F401  (registers the statement projections)
        from .xapi.transformers import (  # noqa: F401  (register the event transformers)
            classroom,
            course,
            lesson,
            quiz,
            video,
        )
