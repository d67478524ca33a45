"""The shell's roles hold only the shell's permissions (seeing one's team or scope, the Wagtail admin);
each mounted module adds its own through its declaration (hook ``role_permissions``)."""

import pytest
from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType

from shell.people import roles
from shell.people.models import User
from shell.people.selectors import employees_visible_to, hr_scope_q, sees_others
from shell.people.services import roles_setup
from shell.people.tests.factories import UserFactory
from shell.testing import modules_mounted

pytestmark = pytest.mark.django_db


def _perms(role: str) -> set[str]:
    return {
        f"{app}.{codename}"
        for app, codename in Group.objects.get(name=role).permissions.values_list("content_type__app_label", "codename")
    }


def test_with_no_module_mounted_the_roles_hold_only_the_shells_permissions():
    with modules_mounted([]):
        roles_setup()
    assert _perms(roles.SUPERVISOR) == {"people.view_team"}
    assert _perms(roles.HR) == {"people.view_scope"}
    assert _perms(roles.LEARNER) == set()
    assert {p.split(".")[0] for role in roles.ALL_ROLES for p in _perms(role)} <= {
        "people",
        "wagtailadmin",
        "wagtaildocs",
        "wagtailimages",
    }


def test_the_lms_adds_its_own_permissions_to_the_roles():
    assert "lms" in settings.SHELL_MODULES
    roles_setup()
    assert "lms.enroll_self" in _perms(roles.LEARNER)
    assert {"people.view_team", "lms.assign_course"} <= _perms(roles.SUPERVISOR)
    assert {"people.view_scope", "lms.assign_course", "hours.view_ledgerentry"} <= _perms(roles.HR)


def _grant(user: User, codename: str) -> User:
    user.user_permissions.add(
        Permission.objects.get(content_type=ContentType.objects.get_for_model(User), codename=codename)
    )
    return User.objects.get(pk=user.pk)  # a fresh permission cache


def test_seeing_ones_team_is_the_shells_permission():
    boss = UserFactory()
    member, stranger = UserFactory(supervisor=boss), UserFactory()
    assert not sees_others(user=boss) and set(employees_visible_to(user=boss)) == {boss}
    boss = _grant(boss, "view_team")
    assert sees_others(user=boss)
    assert set(employees_visible_to(user=boss)) == {boss, member}
    assert stranger not in employees_visible_to(user=boss)


def test_seeing_ones_scope_is_the_shells_permission():
    hr = UserFactory(is_superuser=False)
    assert hr_scope_q(user=hr) is None
    hr = _grant(hr, "view_scope")
    assert sees_others(user=hr)
