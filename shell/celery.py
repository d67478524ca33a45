import os

from celery import Celery
from celery.signals import import_modules

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shell.settings.local")

app = Celery("shell")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
app.autodiscover_tasks(["shell"])  # the shell is a package, not an installed app


@import_modules.connect
def _mount_module_schedules(sender=None, **kwargs) -> None:
    """Beat runs the shell's own periodic tasks (settings) and those of the mounted modules (hook
    ``periodic_tasks``): sent once Django is set up (Celery's Django fixup, connected first), before
    beat reads its schedule. A module switched off leaves no entry behind."""
    from django.conf import settings

    from shell.hooks import beat_schedule

    # Under the namespaced name: the plain one would not override what settings.CELERY_BEAT_SCHEDULE says.
    app.conf.CELERY_BEAT_SCHEDULE = {**settings.CELERY_BEAT_SCHEDULE, **beat_schedule()}
