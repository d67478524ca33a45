"""The facts of identity the shell publishes as events (declared through ``shell/people/shell_hooks.py``):
an employee joins, changes unit or leaves, and a unit is created, changed or removed. The city's apps
receive them as webhooks (``shell/webhooks``); any module may handle them too.

They are published from the models' save and delete signals, so that every path that changes people
(the admin, the SSO login that creates an account, imports, the shell) publishes them, inside the same
transaction. ``QuerySet.update`` and ``bulk_create`` send no signals: a bulk import calls
``employee_changed_publish`` for what it changed.
"""

from __future__ import annotations

import uuid

from shell.events import publish
from shell.types import EventType

EMPLOYEE_JOINED = "people.employee.joined"
EMPLOYEE_UNIT_CHANGED = "people.employee.unit_changed"
EMPLOYEE_LEFT = "people.employee.left"
UNIT_CHANGED = "people.unit.changed"

_EMPLOYEE = {"user_id": int, "sub": str, "nip": str, "name": str, "unit_code": str, "employment_type": str}

EVENTS = (
    EventType(EMPLOYEE_JOINED, _EMPLOYEE, description="An employee account was created or reactivated."),
    EventType(
        EMPLOYEE_UNIT_CHANGED,
        {**_EMPLOYEE, "previous_unit_code": str},
        description="An employee moved to another unit (unit_code is empty when they have none).",
    ),
    EventType(EMPLOYEE_LEFT, _EMPLOYEE, description="An employee account was deactivated or removed."),
    EventType(
        UNIT_CHANGED,
        {"unit_code": str, "name": str, "change": str, "parent_code": str, "previous_unit_code": str},
        description="A unit was created, renamed or recoded (change: created, updated, deleted).",
    ),
)


def _unit_code(unit_id: int | None) -> str:
    from .models import Unit

    if unit_id is None:
        return ""
    return Unit.objects.filter(pk=unit_id).values_list("code", flat=True).first() or ""


def _employee(user) -> dict:
    return {
        "user_id": user.pk,
        "sub": str(user.uuid),
        "nip": user.nip or "",
        "name": user.display_name,
        "unit_code": _unit_code(user.unit_id),
        "employment_type": user.employment_type or "",
    }


def employee_changed_publish(*, user, before: dict | None, deleted: bool = False) -> None:
    """Publish what changed about ``user``: ``before`` holds their ``unit_id`` and ``is_active`` as they
    were (None: a new account)."""
    if deleted:
        if before is None or before["is_active"]:
            publish(EMPLOYEE_LEFT, _employee(user))
        return
    if before is None:
        if user.is_active:
            publish(EMPLOYEE_JOINED, _employee(user), event_id=f"{EMPLOYEE_JOINED}:{user.uuid}")
        return
    if user.is_active and not before["is_active"]:
        publish(EMPLOYEE_JOINED, _employee(user), event_id=f"{EMPLOYEE_JOINED}:{user.uuid}:{uuid.uuid4()}")
    elif before["is_active"] and not user.is_active:
        publish(EMPLOYEE_LEFT, _employee(user))
    elif user.is_active and before["unit_id"] != user.unit_id:
        publish(EMPLOYEE_UNIT_CHANGED, {**_employee(user), "previous_unit_code": _unit_code(before["unit_id"])})


def _parent_of(unit):
    """The unit's parent, or None: a unit at the top, or one whose parent went first (a subtree deleted
    parent before child, as treebeard does)."""
    if not unit.depth or unit.depth <= 1:
        return None
    return type(unit).objects.filter(path=unit.path[: -unit.steplen]).first()


def unit_changed_publish(*, unit, before: dict | None, deleted: bool = False) -> None:
    parent = _parent_of(unit)
    if deleted:
        change = "deleted"
    elif before is None:
        change = "created"
    elif (before["code"], before["name"]) != (unit.code, unit.name):
        change = "updated"
    else:
        return
    publish(
        UNIT_CHANGED,
        {
            "unit_code": unit.code,
            "name": unit.name,
            "change": change,
            "parent_code": parent.code if parent else "",
            "previous_unit_code": before["code"] if before and before["code"] != unit.code else "",
        },
    )


# Signal receivers: they only read what was there before and hand over to the functions above.

_WATCHED_USER_FIELDS = {"unit", "unit_id", "is_active"}


def user_before_save(sender, instance, raw=False, update_fields=None, **kwargs) -> None:
    if raw or (update_fields is not None and not _WATCHED_USER_FIELDS & set(update_fields)):
        instance._people_before = "skip"
        return
    found = sender.objects.filter(pk=instance.pk).values("unit_id", "is_active").first() if instance.pk else None
    instance._people_before = found


def user_saved(sender, instance, created, raw=False, **kwargs) -> None:
    before = instance.__dict__.pop("_people_before", None)
    if raw or before == "skip":
        return
    employee_changed_publish(user=instance, before=None if created else before)


def user_deleted(sender, instance, **kwargs) -> None:
    employee_changed_publish(user=instance, before={"is_active": instance.is_active}, deleted=True)


def unit_before_save(sender, instance, raw=False, **kwargs) -> None:
    found = sender.objects.filter(pk=instance.pk).values("code", "name").first() if instance.pk and not raw else None
    instance._people_before = found


def unit_saved(sender, instance, created, raw=False, **kwargs) -> None:
    before = instance.__dict__.pop("_people_before", None)
    if raw or (before is None and not created):
        return
    unit_changed_publish(unit=instance, before=None if created else before)


def unit_deleted(sender, instance, **kwargs) -> None:
    unit_changed_publish(unit=instance, before={"code": instance.code, "name": instance.name}, deleted=True)
