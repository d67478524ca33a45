"""The learner's forecast and the at-risk list of supervisors (their team) and HR (their scope); BKPSDM's
review of the ledger: the anomaly list, an entry's evidence page (also the employee's own), revocations
and corrections."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from shell import formatting
from shell.people.selectors import employees_visible_to, sees_others

from .anomalies import DETECTORS, DETECTORS_BY_KIND, anomalies_of_entry, anomaly_list, anomaly_units
from .forecast import at_risk_for, forecast_for
from .forms import AnomalyFilterForm, CorrectionForm, RevokeForm
from .models import LedgerEntry
from .review import check_ledger_correction_create, check_ledger_revoke
from .selectors import current_year, entry_evidence, entry_for_viewer, hr_reviewable_employees, jakarta_date
from .services import LedgerError

SHOWN = 500  # rows on the page; the count says how many there are in all


@login_required
def my_forecast(request):
    today = jakarta_date(timezone.now())
    return render(
        request,
        "hours/forecast.html",
        {"forecast": forecast_for(user=request.user, year=today.year, today=today), "today": today},
    )


@login_required
def at_risk(request):
    user = request.user
    if not sees_others(user=user):
        raise PermissionDenied(_("Halaman ini untuk atasan dan SDM."))
    today = jakarta_date(timezone.now())
    people = (
        employees_visible_to(user=user)
        .exclude(pk=user.pk)
        .filter(is_active=True, is_superuser=False)
        .select_related("unit")
        .order_by("pk")
    )
    rows = at_risk_for(users=people, year=today.year, today=today)
    return render(
        request,
        "hours/at_risk.html",
        {"rows": rows[:SHOWN], "count": len(rows), "shown": SHOWN, "today": today, "year": today.year},
    )


# BKPSDM's review of the ledger -------------------------------------------------------------------------

ANOMALIES_PER_PAGE = 100


def _hr_employees(request):
    """The employees the signed-in HR user reviews; 403 for anyone without an HR scope."""
    employees = hr_reviewable_employees(viewer=request.user)
    if employees is None:
        raise PermissionDenied(_("Halaman ini untuk SDM (BKPSDM)."))
    return employees


@login_required
def anomalies(request):
    _hr_employees(request)
    units = anomaly_units(viewer=request.user)
    form = AnomalyFilterForm(request.GET, units=units)
    context = {"form": form, "units": units, "detectors": DETECTORS, "years": range(current_year(), 2019, -1)}
    if not form.is_valid():
        query = request.GET.copy()
        query.pop("unit", None)
        query.pop("halaman", None)
        context.update(year=form.cleaned_data.get("tahun"), candidates=form.candidates, query=query.urlencode())
        return render(request, "hours/anomalies.html", context, status=403 if form.out_of_scope else 400)
    data = form.cleaned_data
    rows = anomaly_list(
        viewer=request.user, year=data["tahun"], unit=data["unit"], kinds=[data["jenis"]] if data["jenis"] else None
    )
    page = Paginator(rows, ANOMALIES_PER_PAGE).get_page(request.GET.get("halaman"))
    query = request.GET.copy()
    query.pop("halaman", None)
    return render(
        request,
        "hours/anomalies.html",
        {
            **context,
            "searched": True,
            "page": page,
            "count": len(rows),
            "resolved": sum(1 for row in rows if row.resolved),
            "kind": DETECTORS_BY_KIND.get(data["jenis"]) if data["jenis"] else None,
            "year": data["tahun"],
            "unit": data["unit"],
            "query": query.urlencode(),
        },
    )


def _entry_or_404(request, pk: int) -> tuple[LedgerEntry, bool]:
    entry, as_hr = entry_for_viewer(viewer=request.user, pk=pk)
    if entry is None:
        raise Http404(_("Entri JP ini tidak ada atau di luar cakupan Anda."))
    return entry, as_hr


def _entry_page(request, entry: LedgerEntry, as_hr: bool, *, revoke_form=None, status: int = 200):
    return render(
        request,
        "hours/entry_detail.html",
        {
            "entry": entry,
            "evidence": entry_evidence(entry=entry),
            "as_hr": as_hr,
            "anomalies": anomalies_of_entry(viewer=request.user, entry=entry) if as_hr else [],
            "revoke_form": revoke_form or RevokeForm(),
        },
        status=status,
    )


@login_required
def entry_detail(request, pk: int):
    entry, as_hr = _entry_or_404(request, pk)
    return _entry_page(request, entry, as_hr)


@login_required
@require_POST
def entry_revoke(request, pk: int):
    """Two steps, so that one tap never revokes: the reason is posted to a confirmation page, and only the
    confirmation (``confirm``) revokes."""
    entry, as_hr = _entry_or_404(request, pk)
    if not as_hr:
        raise PermissionDenied(_("Hanya SDM (BKPSDM) yang dapat mencabut JP pegawai dalam cakupannya."))
    form = RevokeForm(request.POST)
    if not form.is_valid():
        return _entry_page(request, entry, as_hr, revoke_form=form, status=400)
    reason = form.cleaned_data["reason"]
    if not form.cleaned_data["confirm"]:
        return render(request, "hours/entry_revoke_confirm.html", {"entry": entry, "form": form, "reason": reason})
    try:
        reversal, revoked = check_ledger_revoke(entry=entry, by=request.user, reason=reason)
    except PermissionError as error:
        raise PermissionDenied(str(error)) from error
    except LedgerError as error:
        form.add_error(None, str(error))
        return _entry_page(request, entry, as_hr, revoke_form=form, status=400)
    if revoked:
        messages.success(
            request,
            _("%(jp)s JP dari %(title)s dicabut. %(name)s diberi tahu alasannya di kotak masuk.")
            % {"jp": formatting.jp(entry.jp), "title": entry.title, "name": entry.user.display_name},
        )
    else:
        messages.info(request, _("Entri ini sudah dibatalkan sebelumnya; tidak ada yang berubah."))
    return redirect("hours:entry", pk=entry.pk)


PICK_SHOWN = 20


@login_required
def correction_pick(request):
    """HR finds an employee of their scope (NIP, name or username) to add a correction for."""
    employees = _hr_employees(request)
    q = (request.GET.get("q") or "").replace("\x00", "").strip()[:100]  # PostgreSQL refuses NUL in text
    found = []
    if len(q) >= 3:
        found = list(
            employees.filter(Q(nip__startswith=q) | Q(full_name__icontains=q) | Q(username__iexact=q))
            .select_related("unit")
            .order_by("full_name", "pk")[:PICK_SHOWN]
        )
    return render(request, "hours/correction_pick.html", {"q": q, "found": found, "shown": PICK_SHOWN})


@login_required
def correction_create(request, user_uuid):
    """Three steps, so that a slip of the finger never writes: the form, a confirmation page showing what
    will be credited to whom and why (``ubah`` goes back to the form), and the confirmation (``confirm``,
    with the page's one-time key) that writes and tells the employee."""
    employees = _hr_employees(request)
    employee = employees.filter(uuid=user_uuid).select_related("unit").first()
    if employee is None:
        raise Http404(_("Pegawai ini tidak ada atau di luar cakupan Anda."))
    form = CorrectionForm(request.POST or None)
    status = 200
    if request.method == "POST" and not request.POST.get("ubah"):
        status = 400
        if form.is_valid():
            data = dict(form.cleaned_data)
            confirmed, confirmation = data.pop("confirm"), data.pop("confirmation")
            if not confirmed or confirmation is None:
                return _correction_confirm_page(request, employee, form)
            try:
                entry = check_ledger_correction_create(
                    by=request.user, user=employee, confirmation=confirmation, **data
                )
            except PermissionError as error:
                raise PermissionDenied(str(error)) from error
            except LedgerError as error:
                form.add_error(None, str(error))
            else:
                messages.success(
                    request,
                    _("Koreksi %(jp)s JP untuk %(name)s dicatat. %(name)s diberi tahu di kotak masuk.")
                    % {"jp": formatting.jp(entry.jp), "name": employee.display_name},
                )
                return redirect("hours:entry", pk=entry.pk)
    return render(request, "hours/correction_form.html", {"employee": employee, "form": form}, status=status)


def _correction_confirm_page(request, employee, form: CorrectionForm):
    data = form.cleaned_data
    return render(
        request,
        "hours/correction_confirm.html",
        {
            "employee": employee,
            "form": form,
            "data": data,
            "form_label": dict(form.fields["form"].choices).get(data["form"], data["form"]),
            "category_label": dict(form.fields["category"].choices).get(data["category"], data["category"]),
            "confirmation": uuid.uuid4(),
            "fields": [form[name] for name in ("title", "date", "jp", "form", "category", "reason")],
        },
    )
