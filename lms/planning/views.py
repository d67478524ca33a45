"""Pages of competency planning: my profile and self-assessment, my plan; the supervisor's team (profiles to
validate, plans to agree); BKPSDM's dictionary and standards with their XLSX import and export."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from content.models import DevelopmentForm

from . import selectors, services, xlsx
from .models import Assessment, DevelopmentPlan, PlanItem

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _int(value, default=None):
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


@login_required
def home(request):
    year = selectors.planning_year()
    user = request.user
    assessment = selectors.assessment_of(user=user, year=year)
    position = assessment.position if assessment and assessment.position_id else selectors.position_for(user=user)
    gaps = selectors.gaps_for(assessment=assessment, position=position)
    progress = selectors.plan_progress(plan=selectors.plan_of(user=user, year=year))
    return render(
        request,
        "planning/home.html",
        {
            "year": year,
            "position": position,
            "assessment": assessment,
            "gaps": gaps,
            "rating": selectors.performance_rating(user=user, year=year),
            "progress": progress,
            "waiting": selectors.waiting_count(user=user, year=year),
            "is_hr": selectors.is_hr(user=user),
        },
    )


def _answers_from(post, indicator_ids) -> dict[int, tuple[bool | None, str]]:
    answers = {}
    for pk in indicator_ids:
        raw = post.get(f"meets_{pk}")
        meets = True if raw == "1" else False if raw == "0" else None
        answers[pk] = (meets, post.get(f"example_{pk}", "").strip())
    return answers


def _competency_blocks(assessment: Assessment):
    """The standard's competencies with their indicators, each with this assessment's answer."""
    standards = selectors.standards_of(position=assessment.position)
    indicators = selectors.indicators_for(competency_ids=[s.competency_id for s in standards])
    answers = {a.indicator_id: a for a in assessment.answers.all()} if assessment.pk else {}
    blocks = []
    for standard in standards:
        rows = [(indicator, answers.get(indicator.pk)) for indicator in indicators.get(standard.competency_id, [])]
        blocks.append({"standard": standard, "rows": rows})
    return blocks


@login_required
def self_assessment(request):
    year = selectors.planning_year()
    # A GET writes nothing: until the first save the page shows an unsaved profile for the current position.
    assessment = selectors.assessment_of(user=request.user, year=year) or Assessment(
        user=request.user, year=year, position=selectors.position_for(user=request.user)
    )
    status = 200
    if request.method == "POST":
        ids = [i.pk for block in _competency_blocks(assessment) for i, _a in block["rows"]]
        submit = "submit" in request.POST
        try:
            services.check_self_assessment_save(
                user=request.user, year=year, answers=_answers_from(request.POST, ids), submit=submit
            )
        except services.PlanningError as error:
            messages.error(request, str(error))
            status = 400
        else:
            messages.success(
                request, _("Penilaian diajukan ke atasan untuk divalidasi.") if submit else _("Jawaban disimpan.")
            )
            return redirect("planning:home" if submit else "planning:self_assessment")
        assessment = selectors.assessment_of(user=request.user, year=year) or assessment
    return render(
        request,
        "planning/self_assessment.html",
        {"year": year, "assessment": assessment, "blocks": _competency_blocks(assessment)},
        status=status,
    )


@login_required
def plan(request):
    year = selectors.planning_year()
    user = request.user
    development_plan = selectors.plan_of(user=user, year=year) or DevelopmentPlan(user=user, year=year)
    assessment = selectors.assessment_of(user=user, year=year)
    gaps = selectors.gaps_for(assessment=assessment, position=selectors.position_for(user=user))
    suggestions = selectors.suggestions_for(gaps=gaps) if development_plan.editable else {}
    rating = selectors.performance_rating(user=user, year=year)
    return render(
        request,
        "planning/plan.html",
        {
            "year": year,
            "plan": development_plan,
            "progress": selectors.plan_progress(plan=development_plan if development_plan.pk else None),
            "gaps": [g for g in gaps if g.size],
            "suggestions": [(g, suggestions.get(g.competency.pk, [])) for g in gaps if g.size],
            "competencies": [g.competency for g in gaps] or list(selectors.competencies()),
            "performance_gap": rating is not None and rating.has_gap,
            "forms": DevelopmentForm.choices,
            "priorities": PlanItem.Priority.choices,
        },
    )


@login_required
@require_POST
def plan_item_add(request):
    post = request.POST
    try:
        services.check_plan_item_add(
            user=request.user,
            year=selectors.planning_year(),
            competency_id=_int(post.get("competency")),
            for_performance=post.get("for_performance") == "1",
            course_id=_int(post.get("course")),
            offer_id=_int(post.get("offer")),
            external_title=post.get("external_title", ""),
            form=post.get("form", ""),
            jp=post.get("jp"),
            priority=_int(post.get("priority"), PlanItem.Priority.MEDIUM),
            quarter=_int(post.get("quarter"), 0),
        )
    except services.PlanningError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Butir ditambahkan ke rencana."))
    return redirect("planning:plan")


@login_required
@require_POST
def plan_item_remove(request, pk: int):
    try:
        services.check_plan_item_remove(user=request.user, year=selectors.planning_year(), item_id=pk)
    except services.PlanningError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Butir dihapus dari rencana."))
    return redirect("planning:plan")


@login_required
@require_POST
def plan_propose(request):
    try:
        services.check_plan_propose(user=request.user, year=selectors.planning_year())
    except services.PlanningError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Rencana diajukan ke atasan."))
    return redirect("planning:plan")


# -- the supervisor ----------------------------------------------------------------------------------------------


@login_required
def team(request):
    year = selectors.planning_year()
    return render(
        request,
        "planning/team.html",
        {
            "year": year,
            "assessments": selectors.team_assessments_to_validate(supervisor=request.user).filter(year=year),
            "plans": selectors.team_plans_to_agree(supervisor=request.user).filter(year=year),
            "members": selectors.team_overview(supervisor=request.user, year=year),
        },
    )


def _team_assessment_or_404(request, pk: int) -> Assessment:
    assessment = Assessment.objects.select_related("user", "position").filter(pk=pk).first()
    if assessment is None or assessment.user.supervisor_id != request.user.pk:
        raise Http404(_("Penilaian ini tidak ada atau bukan milik tim langsung Anda."))
    return assessment


@login_required
def team_assessment(request, pk: int):
    assessment = _team_assessment_or_404(request, pk)
    status = 200
    if request.method == "POST":
        ids = [i.pk for block in _competency_blocks(assessment) for i, _a in block["rows"]]
        answers, missing = {}, False
        for indicator_id in ids:
            raw = request.POST.get(f"meets_{indicator_id}")
            if raw not in ("0", "1"):
                missing = True
            answers[indicator_id] = raw == "1"
        try:
            if missing:
                raise services.PlanningError(_("Validasi setiap indikator (ya atau tidak) sebelum menyimpan."))
            services.check_assessment_validate(
                supervisor=request.user, assessment_id=assessment.pk, answers=answers, note=request.POST.get("note", "")
            )
        except services.PlanningError as error:
            messages.error(request, str(error))
            status = 400
        else:
            messages.success(request, _("Penilaian %(name)s divalidasi.") % {"name": assessment.user.display_name})
            return redirect("planning:team")
    return render(
        request,
        "planning/team_assessment.html",
        {
            "assessment": assessment,
            "blocks": _competency_blocks(assessment),
            "gaps": selectors.gaps_for(assessment=assessment),
        },
        status=status,
    )


@login_required
def team_plan(request, pk: int):
    development_plan = DevelopmentPlan.objects.select_related("user").filter(pk=pk).first()
    if development_plan is None or development_plan.user.supervisor_id != request.user.pk:
        raise Http404(_("Rencana ini tidak ada atau bukan milik tim langsung Anda."))
    if request.method == "POST":
        try:
            services.check_plan_decide(
                supervisor=request.user,
                plan_id=pk,
                agree=request.POST.get("decision") == "agree",
                note=request.POST.get("note", ""),
            )
        except services.PlanningError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Keputusan rencana disimpan."))
            return redirect("planning:team")
    assessment = selectors.assessment_of(user=development_plan.user, year=development_plan.year)
    return render(
        request,
        "planning/team_plan.html",
        {
            "plan": development_plan,
            "progress": selectors.plan_progress(plan=development_plan),
            "gaps": [g for g in selectors.gaps_for(assessment=assessment) if g.size],
        },
    )


# -- BKPSDM ----------------------------------------------------------------------------------------------------


def _hr_only(request) -> None:
    if not selectors.is_hr(user=request.user):
        raise PermissionDenied(_("Halaman ini untuk BKPSDM."))


@login_required
def dictionary(request):
    _hr_only(request)
    errors: list[str] = []
    if request.method == "POST":
        upload = request.FILES.get("file")
        kind = request.POST.get("kind")
        if upload is None:
            errors = [_("Pilih berkas XLSX.")]
        else:
            try:
                if kind == "results":
                    n = services.assessment_centre_import(importer=request.user, upload=upload)
                    messages.success(request, _("Hasil assessment center %(n)d profil diimpor.") % {"n": n})
                else:
                    counts = services.dictionary_import(upload=upload)
                    messages.success(
                        request,
                        _(
                            "Diimpor: %(competencies)d kompetensi, %(indicators)d indikator baru, %(positions)d jabatan, "
                            "%(standards)d standar."
                        )
                        % counts,
                    )
                return redirect("planning:dictionary")
            except xlsx.XlsxError as error:
                errors = error.errors
            except services.PlanningError as error:
                errors = [str(error)]
    return render(
        request,
        "planning/dictionary.html",
        {
            "competencies": selectors.competencies().prefetch_related("indicators"),
            "positions": selectors.positions_with_standards(),
            "errors": errors[:50],
            "more_errors": max(len(errors) - 50, 0),
        },
        status=400 if errors else 200,
    )


@login_required
def dictionary_export(request):
    _hr_only(request)
    response = HttpResponse(services.dictionary_export(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = 'attachment; filename="kamus-kompetensi.xlsx"'
    return response
