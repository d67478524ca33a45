"""Who may see whom. Every page and API that shows another employee's data goes through here."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from .models import HrScope, Unit, User
from .roles import PERM_VIEW_SCOPE, PERM_VIEW_TEAM


def unit_subtree_q(unit: Unit, prefix: str = "unit__") -> Q:
    return Q(**{f"{prefix}path__startswith": unit.path})


def hr_scope_q(*, user: User) -> Q | None:
    """A filter for the employees within the user's HR scopes; None when they have no scope.
    An empty Q() means the whole city."""
    if not user.has_perm(PERM_VIEW_SCOPE):
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
    if user.has_perm(PERM_VIEW_TEAM):
        q |= Q(supervisor=user)
    if scope is not None:
        q |= scope
    return User.objects.filter(q)


def employee_is_visible_to(*, viewer: User, employee: User) -> bool:
    return employees_visible_to(user=viewer).filter(pk=employee.pk).exists()


def sees_others(*, user: User) -> bool:
    """Whether ``user`` may see other employees' records at all (their direct team, or an HR scope)."""
    return user.has_perm(PERM_VIEW_TEAM) or user.has_perm(PERM_VIEW_SCOPE)


def users_matching(*, query: str, limit: int = 20, first_in_group: str = "") -> list[User]:
    """Active users whose name or username matches every word of ``query`` (a search-as-you-type picker: a
    few at a time, never the whole city); members of ``first_in_group`` (a role) come first. Not by NIP:
    a picker names people, it does not tell who holds a number."""
    from django.db.models import Exists, OuterRef

    words = query.split()[:5]
    if not words:
        return []
    qs = User.objects.filter(is_active=True)
    for word in words:
        qs = qs.filter(Q(full_name__icontains=word) | Q(username__istartswith=word))
    if first_in_group:
        in_group = User.groups.through.objects.filter(user_id=OuterRef("pk"), group__name=first_in_group)
        qs = qs.annotate(first=Exists(in_group)).order_by("-first", "full_name", "username")
    else:
        qs = qs.order_by("full_name", "username")
    return list(qs.select_related("unit")[:limit])


def user_choice_label(user: User) -> str:
    """How a picker names an employee: name and unit (two people of one name are mostly told apart by it)."""
    return " · ".join(part for part in (user.display_name, user.unit.name if user.unit_id else "") if part)
