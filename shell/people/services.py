from __future__ import annotations

from django.contrib.auth.models import Group, Permission
from django.db import transaction

from . import roles
from .models import HrScope, Unit, User


@transaction.atomic
def roles_setup() -> dict[str, Group]:
    """Create every role group with exactly its permissions. Safe to run again."""
    groups = {}
    for role in roles.ALL_ROLES:
        group, _ = Group.objects.get_or_create(name=role)
        perms = []
        for dotted in roles.ROLE_PERMISSIONS.get(role, ()):
            app_label, codename = dotted.split(".", 1)
            perms.append(Permission.objects.get(content_type__app_label=app_label, codename=codename))
        group.permissions.add(*perms)
        groups[role] = group
    return groups


def user_add_roles(*, user: User, role_names: list[str]) -> None:
    user.groups.add(*Group.objects.filter(name__in=role_names))


def hr_scope_grant(*, user: User, unit: Unit | None) -> HrScope:
    scope, _ = HrScope.objects.get_or_create(user=user, unit=unit)
    user.groups.add(Group.objects.get(name=roles.HR))
    return scope
