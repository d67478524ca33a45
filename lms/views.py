"""Thin views: read through selectors, write through services, say what went wrong in words."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from content.models import CompetencyCategory, CoursePage, LessonPage
from shell.formatting import jp
from shell.people.selectors import employees_visible_to, sees_others

from . import selectors, services
from .forms import AssignCourseForm, YearForm, quiz_answers_from
from .hours import selectors as hours_selectors
from .hours.selectors import current_year
from .models import Enrollment


def _year(request) -> int:
    form = YearForm(request.GET)
    return (form.is_valid() and form.cleaned_data.get("tahun")) or current_year()


@login_required
def my_learning(request):
    enrollments = list(selectors.enrollments_for(user=request.user))
    return render(
        request,
        "lms/my_learning.html",
        {
            "active": [e for e in enrollments if not e.is_completed],
            "completed": [e for e in enrollments if e.is_completed],
            "progress": selectors.year_progress(user=request.user),
        },
    )


@login_required
@require_POST
def enroll(request, course_id: int):
    try:
        services.check_enrollment_self(user=request.user, course_id=course_id)
    except services.LearningError as error:
        messages.error(request, str(error))
        course = CoursePage.objects.live().filter(pk=course_id).first()
        return redirect(course.url if course else "lms:my_learning")
    course = CoursePage.objects.get(pk=course_id)
    messages.success(request, _("Anda terdaftar di %(course)s. Selamat belajar!") % {"course": course.title})
    return redirect(course.url)


def _own_enrollment(request, course_id: int) -> Enrollment:
    enrollment = Enrollment.objects.filter(user=request.user, course_id=course_id).select_related("course").first()
    if enrollment is None:
        raise Http404(_("Anda belum terdaftar di kursus ini."))
    return enrollment


@login_required
def launch_page(request, course_id: int):
    """Start or resume (POST records 'launched') and go to the first lesson not done yet."""
    enrollment = _own_enrollment(request, course_id)
    if request.method == "POST":
        services.course_launch(enrollment=enrollment)
    state = selectors.course_state(user=request.user, course=enrollment.course)
    if not state.lessons:  # approved before its lessons: say so instead of reloading the same page
        messages.info(request, str(services.NO_LESSON_YET))
    target = state.next_lesson or enrollment.course
    return redirect(target.url)


def _lesson_and_enrollment(request, lesson_id: int) -> tuple[LessonPage, Enrollment]:
    lesson = get_object_or_404(LessonPage.objects.live(), pk=lesson_id)
    return lesson, _own_enrollment(request, lesson.get_parent().pk)


@login_required
@require_POST
def lesson_done(request, lesson_id: int):
    lesson, enrollment = _lesson_and_enrollment(request, lesson_id)
    try:
        services.lesson_complete(enrollment=enrollment, lesson=lesson)
    except services.LearningError as error:
        messages.error(request, str(error))
        return redirect(lesson.url)
    return _after_lesson(request, enrollment, lesson)


@login_required
@require_POST
def quiz_submit(request, lesson_id: int):
    lesson, enrollment = _lesson_and_enrollment(request, lesson_id)
    quiz = lesson.quiz
    answers = quiz_answers_from(request.POST, len(quiz["questions"]) if quiz else 0)
    try:
        result = services.quiz_submit(enrollment=enrollment, lesson=lesson, answers=answers)
    except services.LearningError as error:
        messages.error(request, str(error))
        return redirect(lesson.url)
    score = {"correct": result.correct, "total": result.total, "mark": result.pass_mark}
    if result.passed:
        messages.success(request, _("Lulus! Benar %(correct)s dari %(total)s (nilai lulus %(mark)s%%).") % score)
        return _after_lesson(request, enrollment, lesson)
    messages.warning(
        request, _("Belum lulus: benar %(correct)s dari %(total)s; perlu %(mark)s%%. Silakan coba lagi.") % score
    )
    return redirect(lesson.url)


def _after_lesson(request, enrollment: Enrollment, finished: LessonPage):
    """Where to go next. The lesson's statement was projected in the request, so completion and the credit
    are read as they stand: only JP the ledger holds are announced."""
    enrollment.refresh_from_db(fields=["completed_at"])
    if enrollment.completed_at is not None:
        credited = selectors.course_credit_jp(enrollment=enrollment)
        if credited is not None:
            messages.success(request, _("Kursus selesai! %(jp)s JP dikreditkan.") % {"jp": jp(credited)})
        else:
            messages.success(request, _("Kursus selesai!"))
        return redirect(enrollment.course.url)
    state = selectors.course_state(user=request.user, course=enrollment.course)
    remaining = [row.lesson for row in state.lessons if not row.done and row.lesson.pk != finished.pk]
    return redirect(remaining[0].url if remaining else enrollment.course.url)


def _category_label(category: str) -> str:
    labels = dict(CompetencyCategory.choices)
    return str(labels.get(category, category))


@login_required
def history(request):
    year = _year(request)
    return render(
        request,
        "lms/history.html",
        {
            "year": year,
            "entries": hours_selectors.ledger_for(user=request.user, year=year),
            "by_category": {
                _category_label(category): total
                for category, total in hours_selectors.jp_by_category(user=request.user, year=year).items()
            },
            "progress": selectors.year_progress(user=request.user, year=year),
            "years": range(current_year(), current_year() - 5, -1),
        },
    )


@login_required
def history_pdf(request):
    """Riwayat belajar as a PDF: every entry of the year with its source, and the totals per category."""
    from django.http import HttpResponse

    from .hours.pdf import history_pdf as render_history_pdf

    year = _year(request)
    progress = selectors.year_progress(user=request.user, year=year)
    content = render_history_pdf(
        user=request.user,
        year=year,
        entries=hours_selectors.ledger_for(user=request.user, year=year),
        by_category={
            _category_label(category): total
            for category, total in hours_selectors.jp_by_category(user=request.user, year=year).items()
        },
        total=progress.total,
        target=progress.target,
    )
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="riwayat-belajar-{year}.pdf"'
    return response


@login_required
def enrollment_detail(request, pk: int):
    enrollment = selectors.enrollment_visible(viewer=request.user, pk=pk)
    if enrollment is None:
        raise Http404(_("Data pembelajaran ini tidak ada atau bukan milik Anda."))
    state = selectors.course_state(user=enrollment.user, course=enrollment.course)
    return render(request, "lms/enrollment_detail.html", {"enrollment": enrollment, "state": state})


def _can_see_others(user) -> bool:
    return sees_others(user=user)


@login_required
def team(request):
    if not _can_see_others(request.user):
        raise PermissionDenied(_("Halaman ini untuk atasan dan SDM."))
    year = _year(request)
    people = list(
        employees_visible_to(user=request.user)
        .exclude(pk=request.user.pk)
        .filter(is_active=True)
        .select_related("unit")
        .order_by("unit__path", "full_name")[:500]
    )
    totals = hours_selectors.jp_totals_for(users=people, year=year)
    rows = [
        selectors.YearProgress(year, totals.get(p.pk, 0), hours_selectors.target_for(user=p, year=year)) for p in people
    ]
    return render(request, "lms/team.html", {"rows": list(zip(people, rows, strict=True)), "year": year})


@login_required
def employee_detail(request, user_uuid):
    employee = employees_visible_to(user=request.user).filter(uuid=user_uuid).first()
    if employee is None:
        raise Http404(_("Pegawai ini tidak ada dalam tim atau cakupan Anda."))
    year = _year(request)
    return render(
        request,
        "lms/employee_detail.html",
        {
            "employee": employee,
            "year": year,
            "progress": selectors.year_progress(user=employee, year=year),
            "enrollments": selectors.enrollments_for(user=employee),
            "entries": hours_selectors.ledger_for(user=employee, year=year),
        },
    )


@login_required
@permission_required("lms.assign_course", raise_exception=True)
def assign(request):
    employees = selectors.employees_managed_by(user=request.user).order_by("full_name")
    form = AssignCourseForm(request.POST or None, employees=employees)
    if request.method == "POST" and form.is_valid():
        try:
            done = services.enrollment_assign(
                assigned_by=request.user,
                employees=list(form.cleaned_data["employees"]),
                course=form.cleaned_data["course"],
                due_date=form.cleaned_data["due_date"],
            )
        except services.LearningError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Kursus ditugaskan kepada %(n)s pegawai.") % {"n": len(done)})
            return redirect("lms:team")
    return render(request, "lms/assign.html", {"form": form}, status=400 if form.errors else 200)
