"""Report writes: report files (export jobs). Nothing else is written here."""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from shell import formatting
from shell.people.models import Unit, User

from .models import ExportJob

logger = logging.getLogger(__name__)


def _params(filters) -> dict:
    return {"year": filters.year, "unit": filters.unit.code if filters.unit else "", "type": filters.employment_type}


def filters_from_params(params: dict):
    from .selectors import ReportFilters

    unit = Unit.objects.filter(code=params["unit"]).first() if params.get("unit") else None
    return ReportFilters(year=int(params["year"]), unit=unit, employment_type=params.get("type", ""))


def export_job_create(*, owner: User, report: str, fmt: str, filters, view: str = "") -> ExportJob:
    """Queue a background export; asking again for the same file while it is being built returns the
    same job (a double click, a retried request)."""
    from .tasks import export_run_task

    params = {**_params(filters), "view": view}
    with transaction.atomic():
        existing = (
            ExportJob.objects.select_for_update()
            .filter(
                owner=owner,
                report=report,
                format=fmt,
                params=params,
                status__in=[ExportJob.Status.QUEUED, ExportJob.Status.RUNNING],
            )
            .first()
        )
        if existing:
            return existing
        job = ExportJob.objects.create(owner=owner, report=report, format=fmt, params=params)
        transaction.on_commit(lambda: export_run_task.delay(job.pk))
    return job


def _progress(job_id: int):
    def update(pct: int, stage: str) -> None:
        ExportJob.objects.filter(pk=job_id).update(progress=min(max(pct, 0), 99), stage=stage[:200])

    return update


def export_job_run(*, job_id: int) -> ExportJob | None:
    """Build the job's file, keep it for REPORTS_EXPORT_KEEP_HOURS and tell the owner in the inbox.
    Safe to run twice: a finished job is left as it is."""
    from shell.inbox.services import notification_create

    from .bundles import report_bundle
    from .exports import export_bundle, filename

    with transaction.atomic():
        job = ExportJob.objects.select_for_update().filter(pk=job_id).first()
        if job is None or job.status in (ExportJob.Status.DONE, ExportJob.Status.EXPIRED):
            return job
        job.status, job.progress, job.stage = ExportJob.Status.RUNNING, 1, _("Dimulai")
        job.save(update_fields=["status", "progress", "stage"])
    progress = _progress(job.pk)
    try:
        filters = filters_from_params(job.params)
        # The owner's scope now, not when they asked: a revoked HR scope stops the export.
        bundle = report_bundle(report=job.report, viewer=job.owner, filters=filters, progress=progress)
        data = export_bundle(bundle, job.format, view=job.params.get("view") or None, progress=progress)
        progress(97, _("Menyimpan berkas"))
        name = filename(bundle, job.format, job.params.get("view") or None)
    except Exception as error:  # the owner is told; the worker log has the traceback
        logger.exception("export job %s failed", job.pk)
        ExportJob.objects.filter(pk=job.pk).update(
            status=ExportJob.Status.FAILED, error=str(error)[:500], finished_at=timezone.now()
        )
        notification_create(
            user=job.owner,
            kind="reports.export_failed",
            title=_("Ekspor laporan gagal"),
            body=_("Silakan coba lagi atau hubungi admin."),
            url=reverse("reports:export_detail", args=[job.pk]),
            dedupe_key=f"reports.export_failed:{job.pk}",
        )
        return ExportJob.objects.get(pk=job.pk)
    now = timezone.now()
    job.refresh_from_db()
    if job.file:
        job.file.delete(save=False)
    job.file.save(name, ContentFile(data), save=False)
    job.status, job.progress, job.stage = ExportJob.Status.DONE, 100, _("Selesai")
    job.rows = sum(len(v.frame) for v in bundle.views)
    job.finished_at = now
    job.expires_at = now + dt.timedelta(hours=settings.REPORTS_EXPORT_KEEP_HOURS)
    job.save()
    notification_create(
        user=job.owner,
        kind="reports.export_ready",
        title=_("Laporan siap diunduh: %(name)s") % {"name": name},
        body=_("Berkas disimpan sampai %(when)s.") % {"when": formatting.short_datetime(job.expires_at)},
        url=reverse("reports:export_file", args=[job.pk]),
        dedupe_key=f"reports.export_ready:{job.pk}",
    )
    return job


def export_jobs_expire(*, now: dt.datetime | None = None) -> int:
    """Delete the files of exports past their keeping time (idempotent)."""
    now = now or timezone.now()
    expired = 0
    for job in ExportJob.objects.filter(status=ExportJob.Status.DONE, expires_at__lte=now):
        if job.file:
            job.file.delete(save=False)
        job.status = ExportJob.Status.EXPIRED
        job.save(update_fields=["file", "status"])
        expired += 1
    return expired
