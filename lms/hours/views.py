"""The learner's forecast and the at-risk list of supervisors (their team) and HR (their scope)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from shell.people.selectors import employees_visible_to, sees_others

from .forecast import at_risk_for, forecast_for
from .selectors import jakarta_date

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
