"""Thin views of the course pages: read through selectors, write through services."""

from __future__ import annotations

import csv
from collections.abc import Iterator

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from content.models import CoursePage
from shell.site import site_url
from shell.spreadsheets import formula_safe

from ..services import LearningError
from . import selectors, services
from .calendar import calendar_ics
from .forms import AnnouncementForm, BulkEnrollForm, LearnerFilterForm
from .selectors import LearnerRow


def _course(course_id: int) -> CoursePage:
    return get_object_or_404(CoursePage, pk=course_id)


def _refuse_unless_follows(request, course: CoursePage) -> None:
    if selectors.learner_scope_q(viewer=request.user, course=course) is None:
        raise PermissionDenied(_("Halaman ini untuk pelatih kursus ini, SDM dan koordinator pelatihan."))


@login_required
def followed_courses(request):
    """The courses whose learners the user follows (those they train; for HR and coordinators, those with
    learners in their scope)."""
    rows = selectors.courses_followed_by(user=request.user)
    if not rows and selectors.bulk_enrollment_scope_q(user=request.user) is None:
        raise PermissionDenied(_("Halaman ini untuk pelatih, SDM dan koordinator pelatihan."))
    return render(request, "courses/followed_courses.html", {"rows": rows})


def _learners(request, course: CoursePage) -> tuple[LearnerFilterForm, object]:
    form = LearnerFilterForm(request.GET or None, units=selectors.learner_units(viewer=request.user, course=course))
    return form, selectors.course_learners(viewer=request.user, course=course, filters=form.filters())


@login_required
def course_learners(request, course_id: int):
    """A course's learners for its trainers (all) and HR / coordinators (their scope): progress, scores,
    last activity; filtered, paged, exportable."""
    course = _course(course_id)
    _refuse_unless_follows(request, course)
    form, enrollments = _learners(request, course)
    lessons = selectors.scored_lessons(course=course)
    page = Paginator(enrollments, 50).get_page(request.GET.get("halaman"))
    rows = list(selectors.learner_rows(course=course, enrollments=page.object_list, lessons=lessons))
    query = request.GET.copy()
    query.pop("halaman", None)
    return render(
        request,
        "courses/course_learners.html",
        {
            "course": course,
            "form": form,
            "page_obj": page,
            "rows": rows,
            "lessons": lessons,
            "summary": selectors.course_summary(viewer=request.user, course=course),
            "is_trainer": selectors.course_is_trainer(user=request.user, course=course),
            "query": query.urlencode(),
        },
    )


def _percent(value) -> str:
    return "" if value is None else str(round(value * 100))


def _csv_lines(course: CoursePage, rows: Iterator[LearnerRow], lessons) -> Iterator[str]:
    """Dates stay ISO here, on purpose: a spreadsheet reads "2026-12-03" and "2026-12-03 23:51" as dates in
    every locale (Indonesian Excel and LibreOffice included), while "3 Des 2026" stays text and "03/12/2026"
    is read month-first by an English Excel. Times are Asia/Jakarta without an offset ("+07:00" would make
    the cell text). People read dates on the pages and in the PDFs, in the Indonesian format."""

    class Line:
        def write(self, value: str) -> str:
            return value

    writer = csv.writer(Line(), lineterminator="\r\n")
    header = [
        _("Nama"),
        _("NIP"),
        _("Unit"),
        _("Terdaftar"),
        _("Tenggat"),
        _("Pelajaran wajib selesai"),
        _("Pelajaran wajib"),
        _("Kemajuan (%)"),
        _("Rata-rata nilai (%)"),
        *[_("Nilai: %(lesson)s (%%)") % {"lesson": lesson.title} for lesson in lessons],
        _("Status"),
        _("Selesai"),
        _("Aktivitas terakhir"),
    ]
    yield "\ufeff" + writer.writerow([formula_safe(h) for h in header])  # BOM: Excel reads the names right
    for row in rows:
        user, e = row.user, row.enrollment
        local = timezone.localtime
        yield writer.writerow(
            [
                formula_safe(value)
                for value in (
                    user.display_name,
                    user.nip or "",
                    user.unit.name if user.unit else "",
                    local(e.enrolled_at).date().isoformat(),
                    row.due.isoformat() if row.due else "",
                    row.done,
                    row.required,
                    row.percent,
                    _percent(row.avg_score),
                    *[_percent(score) for _lesson, score in row.lesson_scores],
                    row.status_label,
                    local(e.completed_at).date().isoformat() if e.completed_at else "",
                    local(row.last_activity).replace(tzinfo=None).isoformat(sep=" ", timespec="minutes")
                    if row.last_activity
                    else "",
                )
            ]
        )


@login_required
def course_learners_csv(request, course_id: int):
    course = _course(course_id)
    _refuse_unless_follows(request, course)
    _form, enrollments = _learners(request, course)
    lessons = selectors.scored_lessons(course=course)
    rows = selectors.learner_rows(course=course, enrollments=enrollments.iterator(chunk_size=1000), lessons=lessons)
    response = StreamingHttpResponse(_csv_lines(course, rows, lessons), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="peserta-{course.slug}-{timezone.localdate():%Y%m%d}.csv"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def announcements(request, course_id: int):
    """A course's trainers write announcements to its learners (and see those written)."""
    course = _course(course_id)
    if not selectors.course_is_trainer(user=request.user, course=course):
        raise PermissionDenied(_("Hanya pelatih kursus ini yang dapat menulis pengumuman."))
    form = AnnouncementForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            announcement, created = services.check_announcement_create(
                author=request.user,
                course=course,
                title=form.cleaned_data["title"],
                body=form.cleaned_data["body"],
                request_key=form.cleaned_data["request_key"],
            )
        except LearningError as error:
            form.add_error(None, str(error))
        else:
            if created:
                messages.success(
                    request, _("Pengumuman dikirim ke kotak masuk semua peserta %(course)s.") % {"course": course.title}
                )
            else:
                messages.info(request, _("Pengumuman ini sudah terkirim sebelumnya; tidak dikirim dua kali."))
            return redirect("courses:announcements", course_id=course.pk)
    return render(
        request,
        "courses/announcements.html",
        {"course": course, "form": form, "announcements": selectors.course_announcements(course=course)},
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def bulk_enroll(request):
    """HR (their scope) and training coordinators (their units) enrol a unit or a list of NIPs: a preview
    first (who will be enrolled, who already is, which rows are wrong), then all of it or nothing."""
    if selectors.bulk_enrollment_scope_q(user=request.user) is None:
        raise PermissionDenied(_("Halaman ini untuk SDM dan koordinator pelatihan unit."))
    units = selectors.bulk_enrollment_units(user=request.user)
    data = request.POST if request.method == "POST" else None
    form = BulkEnrollForm(data, request.FILES or None, units=units, initial={"course": request.GET.get("kursus")})
    plan, refusal = None, None
    if request.method == "POST" and form.is_valid():
        plan = _plan(request, form)
        if plan is not None and "confirm" in request.POST:
            if form.cleaned_data["fingerprint"] != plan.fingerprint:
                messages.warning(request, _("Daftar berubah sejak pratinjau. Periksa lagi, lalu konfirmasi."))
            else:
                try:
                    batch, _created = services.check_enrollment_batch_confirm(
                        by=request.user,
                        plan=plan,
                        due_date=form.cleaned_data["due_date"],
                        request_key=form.cleaned_data["request_key"],
                    )
                except LearningError as error:
                    refusal = str(error)
                else:
                    messages.success(
                        request,
                        _("%(n)s pegawai didaftarkan ke %(course)s; masing-masing menerima pemberitahuan.")
                        % {"n": len(batch.user_ids), "course": batch.course.title},
                    )
                    return redirect(reverse("courses:bulk_enroll") + f"?kursus={batch.course_id}")
        if plan is not None:
            form = _preview_form(form, plan)
        if refusal:
            form.add_error(None, refusal)
    return render(
        request,
        "courses/bulk_enroll.html",
        {"form": form, "plan": plan},
        status=400 if form.errors else 200,
    )


def _plan(request, form: BulkEnrollForm):
    data = form.cleaned_data
    if data["mode"] == BulkEnrollForm.MODE_UNIT:
        return selectors.bulk_plan_for_unit(
            by=request.user, course=data["course"], unit=data["unit"], with_subunits=data["with_subunits"]
        )
    return selectors.bulk_plan_for_nips(
        by=request.user,
        course=data["course"],
        rows=data["rows"],
        description=_("Daftar NIP (%(n)s baris)") % {"n": len(data["rows"])},
    )


def _preview_form(form: BulkEnrollForm, plan) -> BulkEnrollForm:
    """The same input again, with the uploaded file's text carried in the text field, and the preview's
    fingerprint: what a confirmation must match."""
    values = form.data.copy()
    values["fingerprint"] = plan.fingerprint
    values["mode"] = form.cleaned_data["mode"]  # a list sent with the unit radio still on is shown as a list
    if form.cleaned_data["mode"] == BulkEnrollForm.MODE_LIST:
        values["nip_text"] = form.cleaned_data["nip_text"]
    preview = BulkEnrollForm(values, units=form.fields["unit"].queryset)
    preview.is_valid()
    return preview


@login_required
def calendar(request):
    """The learner's private calendar address, to subscribe to in their phone's calendar."""
    feed = services.calendar_feed_get(user=request.user)
    url = site_url(reverse("courses:calendar_feed", args=[feed.token]))
    return render(
        request,
        "courses/calendar.html",
        {
            "feed": feed,
            "feed_url": url,
            "webcal_url": "webcal://" + url.split("://", 1)[1],
            "due_dates": selectors.calendar_due_dates(user=request.user),
            "class_days": selectors.calendar_class_days(user=request.user, since=timezone.localdate()),
        },
    )


@login_required
@require_POST
def calendar_reset(request):
    services.calendar_feed_reset(user=request.user)
    messages.success(
        request, _("Alamat kalender diganti. Alamat lama tidak berlaku lagi; langganan ulang dengan yang baru.")
    )
    return redirect("courses:calendar")


def calendar_feed(request, token: str):
    """The feed itself: no login (calendar apps have no session), the secret token is the key."""
    feed = selectors.calendar_feed_of(token=token)
    if feed is None:
        raise Http404(_("Alamat kalender ini tidak berlaku."))
    response = HttpResponse(calendar_ics(user=feed.user), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="belajar.ics"'
    response["Cache-Control"] = "private, max-age=900"
    response["X-Robots-Tag"] = "noindex"
    return response
