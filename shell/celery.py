import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shell.settings.local")

app = Celery("shell")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
app.autodiscover_tasks(["shell"])  # the shell is a package, not an installed app
