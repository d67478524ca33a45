"""External learning claims: the employee's form and list, the supervisor's decisions, BKPSDM's audit."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from content.models import DevelopmentForm
from lms.hours.models import CreditRule
from lms.hours.selectors import current_year
from shell.files import private_file_response

from . import selectors, services
from .forms import ClaimForm, DecisionForm, ReasonForm
from .models import Claim


def _claim_or_404(request, pk: int) -> Claim:
    claim = selectors.claim_visible(viewer=request.user, pk=pk)
    if claim is None:
        raise Http404(_("Klaim ini tidak ada atau bukan milik Anda / tim Anda."))
    return claim


def _rules_context() -> dict:
    year = current_year()
    rules = {r.form: r for r in CreditRule.objects.filter(year__lte=year).order_by("year")}
    labels = dict(DevelopmentForm.choices)
    for rule in rules.values():
        rule.label = str(labels.get(rule.form, rule.form))
    return {"rules": sorted(rules.values(), key=lambda r: r.label)}


@login_required
def claim_list(request):
    return render(
        request,
        "claims/claim_list.html",
        {
            "claims": selectors.claims_of(user=request.user),
            "to_decide": selectors.claims_to_decide(viewer=request.user).count(),
            "can_audit": selectors.hr_scope_users(viewer=request.user) is not None,
        },
    )


def _submit(request, claim: Claim | None):
    form = ClaimForm(request.POST or None, request.FILES or None, instance=claim)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.check_claim_submit(
                user=request.user,
                data=form.data_for_service(),
                evidence=request.FILES.get("evidence"),
                claim=Claim.objects.get(pk=claim.pk) if claim else None,
            )
        except services.ClaimError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Klaim diajukan."))
            return redirect("claims:detail", pk=saved.pk)
    context = {"form": form, "claim": claim, **_rules_context()}
    return render(request, "claims/claim_form.html", context, status=400 if form.errors else 200)


@login_required
def claim_create(request):
    return _submit(request, None)


@login_required
def claim_edit(request, pk: int):
    claim = _claim_or_404(request, pk)
    if claim.user_id != request.user.pk or claim.status != Claim.Status.RETURNED:
        raise PermissionDenied(_("Hanya klaim Anda yang dikembalikan untuk diperbaiki yang bisa diubah."))
    return _submit(request, claim)


@login_required
def claim_detail(request, pk: int):
    claim = _claim_or_404(request, pk)
    return render(
        request,
        "claims/claim_detail.html",
        {
            "claim": claim,
            "can_decide": claim.status == Claim.Status.SUBMITTED
            and selectors.can_decide(viewer=request.user, claim=claim),
            "can_audit": selectors.can_audit(viewer=request.user, claim=claim),
            "decision_form": DecisionForm(),
            "reason_form": ReasonForm(),
        },
    )


@login_required
def claim_evidence(request, pk: int):
    claim = _claim_or_404(request, pk)
    if not claim.evidence:
        raise Http404(_("Klaim ini tidak memiliki bukti."))
    return private_file_response(claim.evidence, name=f"bukti-{claim.pk}")


@login_required
@require_POST
def claim_decide(request, pk: int):
    claim = _claim_or_404(request, pk)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Pilih keputusan: setujui, kembalikan, atau tolak."))
        return redirect("claims:detail", pk=pk)
    try:
        services.claim_decide(
            claim=claim, by=request.user, decision=form.cleaned_data["decision"], reason=form.cleaned_data["reason"]
        )
    except PermissionError as error:
        raise PermissionDenied(str(error)) from error
    except services.ClaimError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Keputusan disimpan."))
    return redirect("claims:detail", pk=pk)


@login_required
@require_POST
def claim_verify(request, pk: int):
    claim = _claim_or_404(request, pk)
    try:
        services.claim_verify(claim=claim, by=request.user)
    except PermissionError as error:
        raise PermissionDenied(str(error)) from error
    except services.ClaimError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Klaim diverifikasi."))
    return redirect("claims:detail", pk=pk)


@login_required
@require_POST
def claim_reverse(request, pk: int):
    claim = _claim_or_404(request, pk)
    form = ReasonForm(request.POST)
    try:
        services.claim_reverse(
            claim=claim, by=request.user, reason=form.data.get("reason", "") if form.is_bound else ""
        )
    except PermissionError as error:
        raise PermissionDenied(str(error)) from error
    except services.ClaimError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Klaim dibatalkan; JP-nya dikoreksi dengan entri pembatalan."))
    return redirect("claims:detail", pk=pk)


@login_required
@require_POST
def claim_withdraw(request, pk: int):
    claim = _claim_or_404(request, pk)
    try:
        services.claim_withdraw(claim=claim, by=request.user)
    except services.ClaimError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Klaim ditarik."))
    return redirect("claims:list")


@login_required
def to_decide(request):
    return render(request, "claims/to_decide.html", {"claims": selectors.claims_to_decide(viewer=request.user)})


@login_required
def audit(request):
    if selectors.hr_scope_users(viewer=request.user) is None:
        raise PermissionDenied(_("Halaman ini untuk SDM (BKPSDM)."))
    status = request.GET.get("status") or None
    if status and status not in Claim.Status.values:
        status = None
    return render(
        request,
        "claims/audit.html",
        {
            "claims": selectors.claims_for_audit(viewer=request.user, status=status)[:500],
            "status": status,
            "statuses": [
                (s, Claim.Status(s).label)
                for s in (Claim.Status.APPROVED, Claim.Status.VERIFIED, Claim.Status.REVERSED)
            ],
        },
    )
