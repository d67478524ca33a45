"""Survey pages: the participant's surveys and follow-ups, templates and links for trainers and BKPSDM,
results (a trainer: their own courses, classes and ratings; BKPSDM: all)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lms.classroom.models import ClassSession
from lms.hours.selectors import current_year

from . import selectors, services
from .forms import FollowUpForm, LinkForm, SurveyForm, TemplateForm
from .models import LIKERT_LABELS, SurveyTemplate


def _year(request) -> int | None:
    value = request.GET.get("tahun", "")
    if value == "semua":
        return None
    return int(value) if value.isdigit() and 2000 <= int(value) <= 2100 else current_year()


@login_required
def my_surveys(request):
    return render(
        request,
        "surveys/my_surveys.html",
        {
            "pending": selectors.surveys_pending(user=request.user),
            "follow_ups": selectors.follow_ups_pending(user=request.user),
            "manages": selectors.manages_surveys(user=request.user),
            "sees_results": selectors.manages_surveys(user=request.user)
            or selectors.manages_all_surveys(user=request.user),
        },
    )


def _answer(request, *, course_id: int, session_id: int | None):
    target = selectors.survey_target_for(user=request.user, course_id=course_id, session_id=session_id)
    if target is None:
        raise Http404(_("Tidak ada survei untuk Anda di kursus atau kelas ini."))
    if selectors.survey_answered(user=request.user, target=target.key):
        return render(
            request, "surveys/answered.html", {"target": target}, status=409 if request.method == "POST" else 200
        )
    form = SurveyForm(request.POST or None, target=target)
    if request.method == "POST" and form.is_valid():
        try:
            services.survey_submit(user=request.user, target=target, answers=form.answers())
        except services.SurveyError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Terima kasih, jawaban Anda tersimpan tanpa nama."))
            return redirect("surveys:mine")
    return render(
        request,
        "surveys/answer.html",
        {"target": target, "form": form, "labels": LIKERT_LABELS},
        status=400 if form.errors else 200,
    )


@login_required
def answer_course(request, course_id: int):
    return _answer(request, course_id=course_id, session_id=None)


@login_required
def answer_session(request, session_id: int):
    course_id = ClassSession.objects.filter(pk=session_id).values_list("course_id", flat=True).first()
    if course_id is None:
        raise Http404(_("Kelas ini tidak ada."))
    return _answer(request, course_id=course_id, session_id=session_id)


@login_required
def follow_up(request, pk: int):
    row = selectors.follow_up_for(user=request.user, pk=pk)
    if row is None:
        raise Http404(_("Survei tindak lanjut ini tidak ada atau bukan untuk Anda."))
    if row.answered_at is not None:
        return render(request, "surveys/follow_up.html", {"row": row, "form": None})
    form = FollowUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.follow_up_answer(
                user=request.user,
                follow_up=row,
                applied=form.cleaned_data["applied"],
                example=form.cleaned_data["example"],
            )
        except services.SurveyError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Terima kasih, jawaban tindak lanjut tersimpan."))
            return redirect("surveys:mine")
    return render(request, "surveys/follow_up.html", {"row": row, "form": form}, status=400 if form.errors else 200)


# Templates and links ----------------------------------------------------------------------------------


def _require_manager(request):
    if not selectors.manages_surveys(user=request.user):
        raise PermissionDenied(_("Hanya pelatih dan BKPSDM yang mengelola survei."))


@login_required
def manage(request):
    _require_manager(request)
    return render(
        request,
        "surveys/manage.html",
        {
            "templates": selectors.templates_manageable(user=request.user),
            "links": selectors.links_manageable(user=request.user),
        },
    )


def _template_or_404(request, pk: int) -> SurveyTemplate:
    template = selectors.templates_manageable(user=request.user).filter(pk=pk).first()
    if template is None:
        raise Http404(_("Templat ini tidak ada atau bukan milik Anda."))
    return template


def _template_form(request, template: SurveyTemplate | None):
    _require_manager(request)
    initial = TemplateForm.initial_for(template) if template else {}
    form = TemplateForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.survey_template_save(
                by=request.user,
                title=form.cleaned_data["title"],
                description=form.cleaned_data["description"],
                sections=form.sections(),
                template=template,
            )
        except services.SurveyError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Templat survei disimpan."))
            return redirect("surveys:template", pk=saved.pk)
    answered = template is not None and selectors.template_is_answered(template=template)
    return render(
        request,
        "surveys/template_form.html",
        {"form": form, "template": template, "answered": answered},
        status=400 if form.errors else 200,
    )


@login_required
def template_create(request):
    return _template_form(request, None)


@login_required
def template_edit(request, pk: int):
    _require_manager(request)
    return _template_form(request, _template_or_404(request, pk))


@login_required
@require_POST
def template_copy(request, pk: int):
    _require_manager(request)
    template = selectors.templates_attachable(user=request.user).filter(pk=pk).first()
    if template is None:
        raise Http404(_("Templat ini tidak ada."))
    copy = services.survey_template_copy(template=template, by=request.user)
    messages.success(request, _("Salinan dibuat: ubah pertanyaannya di sini."))
    return redirect("surveys:template", pk=copy.pk)


@login_required
def link_create(request):
    _require_manager(request)
    form = LinkForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        services.survey_link_save(
            by=request.user,
            template=form.cleaned_data["template"],
            course=form.cleaned_data["course"],
            session=form.cleaned_data["session"],
            required_for_certificate=form.cleaned_data["required_for_certificate"],
            follow_up=form.cleaned_data["follow_up"],
        )
        messages.success(request, _("Survei dipasang."))
        return redirect("surveys:manage")
    return render(request, "surveys/link_form.html", {"form": form}, status=400 if form.errors else 200)


@login_required
@require_POST
def link_delete(request, pk: int):
    _require_manager(request)
    link = selectors.links_manageable(user=request.user).filter(pk=pk).first()
    if link is None:
        raise Http404(_("Survei ini tidak ada atau bukan dari kursus/kelas Anda."))
    services.survey_link_delete(link=link)
    messages.success(request, _("Survei dilepas dari kursus atau kelas."))
    return redirect("surveys:manage")


# Results ----------------------------------------------------------------------------------------------


@login_required
def results(request):
    if not (selectors.manages_surveys(user=request.user) or selectors.manages_all_surveys(user=request.user)):
        raise PermissionDenied(_("Hasil survei hanya untuk pelatih kursus/kelas itu dan BKPSDM."))
    year = _year(request)
    return render(
        request,
        "surveys/results.html",
        {
            "year": year,
            "rows": selectors.targets_with_responses(viewer=request.user, year=year),
            "all": selectors.manages_all_surveys(user=request.user),
            "trainers": selectors.trainers_evaluated(year=year)
            if selectors.manages_all_surveys(user=request.user)
            else None,
            "min_size": selectors.min_group_size(),
        },
    )


def _result(request, *, course_id: int, session_id: int | None):
    if not selectors.results_visible(viewer=request.user, course_id=course_id, session_id=session_id):
        raise Http404(_("Hasil ini tidak ada atau bukan untuk Anda."))
    year = _year(request)
    result = selectors.reaction_result(course_id=course_id, session_id=session_id, year=year)
    level3 = selectors.follow_up_summary(course_id=course_id, session_id=session_id, year=year)
    return render(request, "surveys/result.html", {"result": result, "level3": level3, "year": year})


@login_required
def result_course(request, course_id: int):
    return _result(request, course_id=course_id, session_id=None)


@login_required
def result_session(request, session_id: int):
    course_id = ClassSession.objects.filter(pk=session_id).values_list("course_id", flat=True).first()
    if course_id is None:
        raise Http404(_("Kelas ini tidak ada."))
    return _result(request, course_id=course_id, session_id=session_id)


@login_required
def trainer_mine(request):
    return _trainer(request, request.user)


@login_required
def trainer_detail(request, user_id: int):
    if user_id != request.user.pk and not selectors.manages_all_surveys(user=request.user):
        raise Http404(_("Hasil pelatih lain hanya untuk BKPSDM."))
    trainer = get_user_model().objects.filter(pk=user_id).first()
    if trainer is None:
        raise Http404(_("Pelatih ini tidak ada."))
    return _trainer(request, trainer)


def _trainer(request, trainer):
    year = _year(request)
    result = selectors.trainer_result(trainer=trainer, year=year)
    return render(
        request,
        "surveys/trainer.html",
        {"result": result, "year": year, "min_size": selectors.min_group_size(), "own": trainer == request.user},
    )
