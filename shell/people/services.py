from __future__ import annotations

from django.contrib.auth.models import Group, Permission
from django.db import transaction

from . import roles
from .models import HrScope, Unit, User


@transaction.atomic
def roles_setup() -> dict[str, Group]:
    """Create every role group with exactly its permissions. Safe to run again."""
    from shell.hooks import get_hooks

    wanted: dict[str, list[str]] = {role: list(roles.ROLE_PERMISSIONS.get(role, ())) for role in roles.ALL_ROLES}
    # Mounted modules add roles (or permissions to the shell's roles) through the role_permissions hook.
    for fn in get_hooks("role_permissions"):
        for role, dotted_perms in fn().items():
            wanted.setdefault(role, []).extend(dotted_perms)
    groups = {}
    for role, dotted_perms in wanted.items():
        group, _ = Group.objects.get_or_create(name=role)
        perms = []
        for dotted in dotted_perms:
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
