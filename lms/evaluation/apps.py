from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationConfig(AppConfig):
    name = "lms.evaluation"
    label = "evaluation"
    verbose_name = _("Evaluasi: bank soal, kuis, pre-test dan post-test")

    def ready(self) -> None:
        from . import projections  # noqa: F401  (registers the post-test's projection)
