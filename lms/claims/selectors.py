"""Claim reads. Every list of other people's claims goes through the shell's visibility rules."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from shell.people.models import User
from shell.people.selectors import hr_scope_q

from .models import Claim


def claims_of(*, user) -> QuerySet[Claim]:
    return Claim.objects.filter(user=user).order_by("-submitted_at")


def hr_scope_users(*, viewer) -> QuerySet[User] | None:
    scope = hr_scope_q(user=viewer)
    if scope is None:
        return None
    return User.objects.filter(scope)


def can_decide(*, viewer, claim: Claim) -> bool:
    """The direct supervisor decides; HR within scope decides for an employee without a supervisor."""
    if viewer.pk == claim.user_id:
        return False
    if claim.user.supervisor_id == viewer.pk:
        return True
    if claim.user.supervisor_id is None:
        return can_audit(viewer=viewer, claim=claim)
    return False


def can_audit(*, viewer, claim: Claim) -> bool:
    if viewer.pk == claim.user_id:
        return False
    scope = hr_scope_users(viewer=viewer)
    return scope is not None and scope.filter(pk=claim.user_id).exists()


def can_view(*, viewer, claim: Claim) -> bool:
    return viewer.pk == claim.user_id or claim.user.supervisor_id == viewer.pk or can_audit(viewer=viewer, claim=claim)


def claims_to_decide(*, viewer) -> QuerySet[Claim]:
    q = Q(user__supervisor=viewer)
    scope = hr_scope_q(user=viewer)
    if scope is not None:
        q |= Q(user__supervisor__isnull=True, user__in=User.objects.filter(scope))
    return (
        Claim.objects.filter(q, status=Claim.Status.SUBMITTED)
        .exclude(user=viewer)
        .select_related("user", "user__unit")
        .order_by("submitted_at")
    )


def claims_for_audit(*, viewer, status: str | None = None) -> QuerySet[Claim]:
    scope = hr_scope_q(user=viewer)
    if scope is None:
        return Claim.objects.none()
    qs = Claim.objects.filter(user__in=User.objects.filter(scope)).exclude(user=viewer)
    if status:
        qs = qs.filter(status=status)
    else:
        qs = qs.filter(status__in=[Claim.Status.APPROVED, Claim.Status.VERIFIED, Claim.Status.REVERSED])
    return qs.select_related("user", "user__unit", "decided_by").order_by("-decided_at", "-submitted_at")


def claim_visible(*, viewer, pk: int) -> Claim | None:
    claim = Claim.objects.filter(pk=pk).select_related("user", "user__supervisor").first()
    if claim is None or not can_view(viewer=viewer, claim=claim):
        return None
    return claim
