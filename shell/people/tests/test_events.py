"""Employees joining, moving and leaving, and units changing, are published as shell events, whatever
path changed them; a save that changes none of it publishes nothing."""

import pytest
from django.contrib.auth.models import update_last_login

from shell.outbox.models import Event
from shell.people.tests.factories import UnitFactory, UserFactory

pytestmark = pytest.mark.django_db


def published(name):
    return [e.payload for e in Event.objects.filter(name=name).order_by("created_at")]


def test_an_employee_joins_moves_and_leaves():
    old, new = UnitFactory(code="DISKOMINFO"), UnitFactory(code="BKPSDM")
    user = UserFactory(unit=old)
    joined = published("people.employee.joined")
    assert len(joined) == 1 and joined[0]["sub"] == str(user.uuid) and joined[0]["unit_code"] == "DISKOMINFO"

    user.position = "Analis"
    user.save()
    update_last_login(None, user)
    assert not published("people.employee.unit_changed")

    user.unit = new
    user.save()
    assert [(p["unit_code"], p["previous_unit_code"]) for p in published("people.employee.unit_changed")] == [
        ("BKPSDM", "DISKOMINFO")
    ]

    user.is_active = False
    user.save()
    assert [p["nip"] for p in published("people.employee.left")] == [user.nip]
    user.is_active = True
    user.save()
    assert len(published("people.employee.joined")) == 2  # came back


def test_a_unit_is_created_renamed_and_removed():
    parent = UnitFactory(code="SETDA")
    unit = UnitFactory(code="BAG-UMUM", name="Bagian Umum", parent=parent)
    unit.name = "Bagian Umum dan Protokol"
    unit.save()
    unit.save()  # nothing changed
    unit.delete()
    changes = [(p["unit_code"], p["change"], p["parent_code"]) for p in published("people.unit.changed")]
    assert changes == [
        ("SETDA", "created", ""),
        ("BAG-UMUM", "created", "SETDA"),
        ("BAG-UMUM", "updated", "SETDA"),
        ("BAG-UMUM", "deleted", "SETDA"),
    ]
