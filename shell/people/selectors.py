"""Who may see whom. Every page and API that shows another employee's data goes through here."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from .models import HrScope, Unit, User


def unit_subtree_q(unit: Unit, prefix: str = "unit__") -> Q:
    return Q(**{f"{prefix}path__startswith": unit.path})


def hr_scope_q(*, user: User) -> Q | None:
    """A filter for the employees within the user's HR scopes; None when they have no scope.
    An empty Q() means the whole city."""
    if not user.has_perm("lms.view_scope_learning"):
        return None
    if user.is_superuser:
        return Q()
    scopes = list(HrScope.objects.filter(user=user).select_related("unit"))
    if not scopes:
        return None
    if any(s.unit is None for s in scopes):
        return Q()
    q = Q(pk__in=[])
    for scope in scopes:
        q |= unit_subtree_q(scope.unit)
    return q


def employees_visible_to(*, user: User) -> QuerySet[User]:
    """The employees whose learning records ``user`` may see: themself, their direct team
    (supervisors), and the units of their HR scope (HR, admins)."""
    if not user.is_authenticated:
        return User.objects.none()
    scope = hr_scope_q(user=user)
    if scope is not None and not scope:  # an empty Q: the whole city (OR-ing it would drop it)
        return User.objects.all()
    q = Q(pk=user.pk)
    if user.has_perm("lms.view_team_learning"):
        q |= Q(supervisor=user)
    if scope is not None:
        q |= scope
    return User.objects.filter(q)


def employee_is_visible_to(*, viewer: User, employee: User) -> bool:
    return employees_visible_to(user=viewer).filter(pk=employee.pk).exists()


def employees_managed_by(*, user: User) -> QuerySet[User]:
    """Employees other than the user whom they may assign courses to."""
    if not user.has_perm("lms.assign_course"):
        return User.objects.none()
    return employees_visible_to(user=user).exclude(pk=user.pk).filter(is_active=True)
