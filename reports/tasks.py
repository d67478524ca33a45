"""Report tasks: build an export in the background, and delete exports past their keeping time."""

from celery import shared_task

from . import services


@shared_task(name="reports.export_run", acks_late=True, soft_time_limit=1800, time_limit=1900)
def export_run_task(job_id: int) -> None:
    services.export_job_run(job_id=job_id)


@shared_task(name="reports.expire_exports", acks_late=True)
def expire_exports_task() -> int:
    return services.export_jobs_expire()


@shared_task(name="reports.warm_dashboard", acks_late=True)
def warm_dashboard_task() -> None:
    """Rebuild the city-wide dashboard of this year before anyone waits for it."""
    from django.conf import settings
    from django.utils import translation

    from .dashboard import city_viewer, dashboard_data
    from .selectors import ReportFilters, report_today

    for language, _name in settings.LANGUAGES:  # the cached page holds its labels and charts in one language
        with translation.override(language):
            dashboard_data(viewer=city_viewer(), filters=ReportFilters(year=report_today().year), refresh=True)
