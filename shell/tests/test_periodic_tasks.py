"""Celery beat runs the shell's own periodic tasks (settings) and those each mounted module declares
(``Module.periodic_tasks``); a module switched off leaves no entry behind."""

from django.conf import settings

from shell.celery import _mount_module_schedules, app
from shell.testing import modules_mounted

DEFAULT = list(settings.SHELL_MODULES)


def _schedule_for(modules: list[str]) -> dict:
    saved = app.conf.beat_schedule
    try:
        with modules_mounted(modules):
            _mount_module_schedules(sender=app)  # as when beat starts (signal import_modules)
            return dict(app.conf.beat_schedule)
    finally:
        app.conf.CELERY_BEAT_SCHEDULE = saved


def test_beat_runs_the_shells_and_every_mounted_modules_periodic_tasks():
    schedule = _schedule_for(DEFAULT)
    assert {name: entry["task"] for name, entry in schedule.items()} == {
        "shell-dispatch-pending-events": "shell.dispatch_pending_events",
        "webhooks-deliver-due": "webhooks.deliver_due",
        "xapi-project-pending": "xapi.project_pending",
        "xapi-forward-outbox": "xapi.forward_outbox",
        "hours-send-reminders": "hours.send_reminders",
        "classroom-close-finished": "classroom.close_finished",
        "courses-resume-enrollment-batches": "courses.enrollment_batches_resume",
        "evaluation-close-overdue": "evaluation.close_overdue",
        "surveys-follow-ups": "surveys.follow_ups_send",
        "video-purge-watches": "video.purge_watches",
        "layanan-notify-overdue": "layanan.notify_overdue",
        "kinerja-push-pending": "kinerja.push_pending",
        "reports-expire-exports": "reports.expire_exports",
        "reports-warm-dashboard": "reports.warm_dashboard",
    }
    from django.apps import apps

    app.loader.import_default_modules()
    app.autodiscover_tasks([config.name for config in apps.get_app_configs()], force=True)  # however lazy
    assert {entry["task"] for entry in schedule.values()} <= set(app.tasks)  # each names a real task


def test_a_module_switched_off_has_no_periodic_task():
    schedule = _schedule_for([m for m in DEFAULT if m != "shell.modules.layanan"])
    assert "layanan-notify-overdue" not in schedule
    assert "kinerja-push-pending" in schedule and "shell-dispatch-pending-events" in schedule
