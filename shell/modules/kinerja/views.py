from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from shell.files import private_file_response

from . import selectors, services
from .forms import ActivityForm, ResubmitForm, ReviewForm, SkpResultForm
from .models import Evidence


def _year(request) -> int:
    raw = request.GET.get("tahun", "")
    return int(raw) if raw.isdigit() and 2000 <= int(raw) <= 2100 else timezone.localdate().year


@login_required
def activity_log(request):
    """My activity log of the month, and a form to add a day's work."""
    month = selectors.this_month()
    results = selectors.results_for_activity(user=request.user, year=month.year)
    form = ActivityForm(request.POST or None, request.FILES or None, results=results)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.activity_create(
                user=request.user,
                date=data["date"],
                title=data["title"],
                description=data["description"],
                quantity=data["quantity"],
                output_unit=data["output_unit"],
                result=data["result"],
                evidence_url=data["evidence_url"],
                evidence_file=data["evidence_file"],
            )
        except ValidationError as exc:
            form.add_error(None, " ".join(exc.messages))
        else:
            messages.success(request, _("Aktivitas dicatat dan menunggu persetujuan atasan."))
            return redirect("kinerja:activity_log")
    return render(
        request,
        "kinerja/activity_log.html",
        {
            "form": form,
            "month": month,
            "activities": selectors.activities_of(user=request.user, month=month),
            "summary": selectors.month_summary(user=request.user, month=month),
            "to_review": selectors.review_count(user=request.user),
            "has_team": selectors.team_of(user=request.user).exists(),
        },
    )


@login_required
def evidence_download(request, pk: int):
    """An evidence file, to whoever may see its activity (the employee, their supervisor)."""
    evidence = Evidence.objects.filter(pk=pk).exclude(file="").first()
    if evidence is None or selectors.activity_visible(viewer=request.user, pk=evidence.activity_id) is None:
        raise Http404(_("Bukti tidak ditemukan atau bukan wewenang Anda."))
    return private_file_response(evidence.file, name=f"bukti-dukung-{evidence.pk}")


@login_required
def activity_detail(request, pk: int):
    activity = selectors.activity_visible(viewer=request.user, pk=pk)
    if activity is None:
        raise Http404(_("Aktivitas tidak ditemukan atau bukan wewenang Anda."))
    return render(
        request,
        "kinerja/activity_detail.html",
        {
            "activity": activity,
            "may_review": activity.user.supervisor_id == request.user.pk,
            "may_fix": activity.user_id == request.user.pk and activity.status == activity.Status.RETURNED,
        },
    )


@login_required
@require_POST
def activity_resubmit(request, pk: int):
    """The employee corrects a returned activity and sends it to the supervisor again."""
    activity = selectors.activity_visible(viewer=request.user, pk=pk)
    if activity is None or activity.user_id != request.user.pk:
        raise Http404
    form = ResubmitForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Periksa kembali isian aktivitas."))
        return redirect("kinerja:activity_detail", pk=pk)
    try:
        services.activity_resubmit(activity_id=pk, user=request.user, **form.cleaned_data)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Aktivitas diperbaiki dan diajukan lagi ke atasan."))
    return redirect("kinerja:activity_detail", pk=pk)


@login_required
def approvals(request):
    """The direct supervisor's queue: the team's activities and plans waiting for them."""
    return _approvals_page(request)


def _approvals_page(request, status: int = 200, picked: frozenset[int] = frozenset(), note: str = ""):
    return render(
        request,
        "kinerja/approvals.html",
        {
            "activities": selectors.activities_to_review(reviewer=request.user),
            "skps": selectors.skps_to_review(reviewer=request.user),
            "form": ReviewForm(),
            "picked": picked,
            "note": note,
        },
        status=status,
    )


@login_required
@require_POST
def approvals_bulk(request):
    """Several of the team's activities approved, or returned with one note, in one go. Someone else's
    activity among them: nothing is decided, and the page says so (403)."""
    form = ReviewForm(request.POST)
    raw = request.POST.getlist("ids")
    # ASCII digits of a database id only: "²" passes str.isdigit() but not int(), 20 digits overflow.
    if not form.is_valid() or not raw or not all(v.isascii() and v.isdigit() and len(v) <= 18 for v in raw):
        messages.error(request, _("Pilih aktivitas, lalu setujui atau kembalikan."))
        return redirect("kinerja:approvals")
    approve = form.cleaned_data["decision"] == "approve"
    try:
        result = services.activities_review_bulk(
            activity_ids=[int(value) for value in raw],
            reviewer=request.user,
            approve=approve,
            note=form.cleaned_data["note"],
        )
    except PermissionDenied as exc:
        messages.error(request, str(exc))
        return _approvals_page(request, status=403)
    except ValidationError as exc:
        # E.g. "return" without a note: the page again with the same items ticked and the note as written.
        messages.error(request, " ".join(exc.messages))
        picked = frozenset(int(value) for value in raw)
        return _approvals_page(request, status=400, picked=picked, note=form.cleaned_data["note"])
    done = len(result.reviewed)
    if done:
        text = (
            ngettext("%(n)d aktivitas disetujui.", "%(n)d aktivitas disetujui.", done)
            if approve
            else ngettext("%(n)d aktivitas dikembalikan.", "%(n)d aktivitas dikembalikan.", done)
        )
        messages.success(request, text % {"n": done})
    if result.already:
        messages.warning(
            request,
            ngettext(
                "%(n)d aktivitas sudah diperiksa sebelumnya dan tidak diubah.",
                "%(n)d aktivitas sudah diperiksa sebelumnya dan tidak diubah.",
                len(result.already),
            )
            % {"n": len(result.already)},
        )
    return redirect("kinerja:approvals")


@login_required
@require_POST
def activity_review(request, pk: int):
    form = ReviewForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Pilih setujui atau kembalikan."))
        return redirect("kinerja:approvals")
    try:
        activity = services.activity_review(
            activity_id=pk,
            reviewer=request.user,
            approve=form.cleaned_data["decision"] == "approve",
            note=form.cleaned_data["note"],
        )
    except PermissionDenied as exc:
        raise Http404(str(exc)) from exc
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("%(title)s: %(status)s.") % {"title": activity.title[:80], "status": activity.get_status_display()},
        )
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect("kinerja:approvals")


@login_required
def skp(request):
    year = _year(request)
    parents = selectors.parent_results_for(user=request.user, year=year)
    form = SkpResultForm(request.POST or None, parents=parents)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.skp_result_add(user=request.user, year=year, **data)
        except ValidationError as exc:
            form.add_error(None, " ".join(exc.messages))
        else:
            messages.success(request, _("Rencana hasil kerja ditambahkan."))
            return redirect(f"{request.path}?tahun={year}")
    return render(
        request,
        "kinerja/skp.html",
        {"year": year, "skp": selectors.skp_for(user=request.user, year=year), "form": form},
    )


@login_required
@require_POST
def skp_submit(request):
    year = _year(request)
    try:
        services.skp_submit(user=request.user, year=year)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("SKP %(year)s diajukan ke atasan.") % {"year": year})
    return redirect(f"/kinerja/skp/?tahun={year}")


@login_required
@require_POST
def skp_approve(request, pk: int):
    try:
        services.skp_approve(skp_id=pk, reviewer=request.user)
    except PermissionDenied as exc:
        raise Http404(str(exc)) from exc
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("SKP disetujui."))
    return redirect("kinerja:approvals")
