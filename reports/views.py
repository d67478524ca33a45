"""Report pages for HR (and, limited to their team or themself, for everyone else): thin views over
the selectors, the same frames as the downloads."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lms.hours.pace import STATUSES

from . import charts, selectors, services
from .bundles import report_bundle, status_labels, type_labels
from .dashboard import dashboard_data
from .exports import CONTENT_TYPES, export_bundle, filename
from .forms import ExportForm, ReportFilterForm
from .models import ExportJob


def _filters(request):
    """The cleaned filters, or an error response: 403 for a unit outside the scope, 400 otherwise."""
    form = ReportFilterForm(request.GET or request.POST or None, viewer=request.user)
    if not form.is_bound:
        form = ReportFilterForm({}, viewer=request.user)
    if form.is_valid():
        return form, form.filters(), None
    status = 403 if form.out_of_scope else 400
    response = render(request, "reports/error.html", {"form": form}, status=status)
    return form, None, response


def _dashboard_data(request, filters) -> dict:
    return dashboard_data(viewer=request.user, filters=filters)


def _context(form, filters, **extra) -> dict:
    return {"form": form, "filters": filters, "years": range(selectors.report_today().year, 2019, -1), **extra}


@login_required
def unit_search(request):
    """The unit picker's search (static/js/autocomplete.js): units of the viewer's scope only."""
    query = request.GET.get("q", "").replace("\x00", "").strip()[:100]  # PostgreSQL text takes no NUL
    units = selectors.report_units_matching(viewer=request.user, query=query)
    return JsonResponse({"results": [{"id": unit.code, "label": f"{unit.code} — {unit.name}"} for unit in units]})


@login_required
def dashboard(request):
    form, filters, error = _filters(request)
    if error:
        return error
    return render(request, "reports/dashboard.html", _context(form, filters, **_dashboard_data(request, filters)))


@login_required
def employees(request):
    form, filters, error = _filters(request)
    if error:
        return error
    frame = selectors.compliance_frame(viewer=request.user, filters=filters)
    status = request.GET.get("status", "")
    if status:
        if status not in STATUSES:
            return render(
                request,
                "reports/error.html",
                {"message": _("Status tidak dikenal: %(s)s.") % {"s": status}},
                status=400,
            )
        frame = frame[frame["status"] == status]
    order = request.GET.get("urut", "status")
    sort = {"status": (["percent", "name"], [True, True]), "nama": (["name"], [True]), "jp": (["jp"], [False])}
    columns, ascending = sort.get(order, sort["status"])
    frame = frame.sort_values(columns, ascending=ascending, kind="stable")
    frame["status_label"] = frame["status"].map(status_labels())
    frame["type_label"] = frame["employment_type"].map(type_labels())
    page = Paginator(frame.to_dict("records"), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "reports/employees.html",
        _context(
            form, filters, page=page, total=len(frame), status=status, statuses=status_labels().items(), order=order
        ),
    )


@login_required
def units(request):
    form, filters, error = _filters(request)
    if error:
        return error
    compliance = selectors.compliance_frame(viewer=request.user, filters=filters)
    rollup = selectors.unit_rollup_frame(
        compliance=compliance, units=selectors.units_frame(viewer=request.user, filters=filters)
    )
    return render(request, "reports/units.html", _context(form, filters, rows=rollup.to_dict("records")))


@login_required
def categories(request):
    form, filters, error = _filters(request)
    if error:
        return error
    compliance = selectors.compliance_frame(viewer=request.user, filters=filters, detail=False)
    frame = selectors.category_form_frame(viewer=request.user, filters=filters)
    trend = selectors.monthly_trend_frame(
        viewer=request.user, filters=filters, target_total=float(compliance["target_jp"].sum())
    )
    by_category = frame.groupby("category_label")["jp"].sum().sort_values(ascending=False)
    return render(
        request,
        "reports/categories.html",
        _context(
            form,
            filters,
            rows=frame.to_dict("records"),
            trend=trend.to_dict("records"),
            chart_trend=charts.trend_svg(trend),
            chart_categories=charts.hbar_svg(
                by_category.index.tolist(), by_category.round(1).tolist(), name="categories"
            ),
        ),
    )


@login_required
def courses(request):
    form, filters, error = _filters(request)
    if error:
        return error
    bundle = report_bundle(report="kursus", viewer=request.user, filters=filters)
    course_frame, rooms = bundle.view("kursus").frame, bundle.view("kelas").frame
    return render(
        request,
        "reports/courses.html",
        _context(
            form,
            filters,
            courses=course_frame.to_dict("records"),
            rooms=rooms.to_dict("records"),
            chart_courses=charts.hbar_svg(
                course_frame["course"].astype(str).tolist()[:20],
                course_frame["completion_rate"].astype(float).tolist()[:20],
                name="courses",
                suffix="%",
                max_value=100,
            ),
        ),
    )


@login_required
def summary_api(request):
    """The dashboard's figures as JSON (same scope and filters as the page)."""
    form, filters, error = _filters(request)
    if error:
        return JsonResponse({"errors": form.errors.get_json_data()}, status=error.status_code)
    data = _dashboard_data(request, filters)
    return JsonResponse(
        {
            "year": filters.year,
            "unit": filters.unit.code if filters.unit else None,
            "employment_type": filters.employment_type or None,
            "summary": data["summary"],
            "units": [
                {
                    k: r[k]
                    for k in ("unit_code", "unit_name", "employees", "met", "on_track", "at_risk", "behind", "met_rate")
                }
                for r in data["units"]
            ],
            "trend": [{"month": r["month"], "jp": r["jp"]} for r in data["trend"]],
        },
        json_dumps_params={"default": float},
    )


@login_required
@require_POST
def download(request):
    form, filters, error = _filters(request)
    if error:
        return error
    export = ExportForm(request.POST)
    if not export.is_valid():
        return render(request, "reports/error.html", {"form": export}, status=400)
    report, fmt, view = export.cleaned_data["laporan"], export.cleaned_data["format"], export.cleaned_data["tampilan"]
    if view and view not in {"pegawai", "unit", "jenis", "kategori", "tren", "kursus", "kelas"}:
        return render(
            request, "reports/error.html", {"message": _("Tampilan tidak dikenal: %(v)s.") % {"v": view}}, status=400
        )
    size = selectors.report_employees(viewer=request.user, filters=filters).count()
    if export.cleaned_data["latar"] or size > settings.REPORTS_SYNC_MAX_ROWS:
        job = services.export_job_create(owner=request.user, report=report, fmt=fmt, filters=filters, view=view)
        messages.info(request, _("Laporan sedang dibuat. Tautan unduhan akan dikirim ke kotak masuk Anda."))
        return redirect("reports:export_detail", job.pk)
    bundle = report_bundle(report=report, viewer=request.user, filters=filters)
    if fmt == "csv" and view and bundle.view(view) is None:
        return render(
            request,
            "reports/error.html",
            {"message": _("Tampilan %(v)s tidak ada di laporan ini.") % {"v": view}},
            status=400,
        )
    response = HttpResponse(export_bundle(bundle, fmt, view=view or None), content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{filename(bundle, fmt, view or None)}"'
    return response


def _own_job(request, pk: int) -> ExportJob:
    job = ExportJob.objects.filter(pk=pk, owner=request.user).first()
    if job is None:
        raise Http404(_("Ekspor ini tidak ada atau bukan milik Anda."))
    return job


@login_required
def export_detail(request, pk: int):
    job = _own_job(request, pk)
    if request.GET.get("format") == "json":
        return JsonResponse({"status": job.status, "progress": job.progress, "stage": job.stage})
    return render(request, "reports/export_detail.html", {"job": job})


@login_required
def export_list(request):
    jobs = ExportJob.objects.filter(owner=request.user)[:50]
    return render(request, "reports/export_list.html", {"jobs": jobs})


@login_required
def export_file(request, pk: int):
    job = _own_job(request, pk)
    if job.status == ExportJob.Status.EXPIRED or (job.expires_at and job.expires_at <= timezone.now()):
        return render(
            request, "reports/error.html", {"message": _("Berkas ini sudah kedaluwarsa; buat ekspor baru.")}, status=410
        )
    if job.status != ExportJob.Status.DONE or not job.file:
        return redirect("reports:export_detail", job.pk)
    return FileResponse(job.file.open("rb"), as_attachment=True, filename=job.file.name.rsplit("/", 1)[-1])
