"""Each module declares the events it publishes and their payloads (``shell.types.EventType``, in its
Module declaration); ``shell.events.publish`` refuses anything else, before anything is kept."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from shell import events, hooks
from shell.outbox.models import Event
from shell.types import EventType, Module

pytestmark = pytest.mark.django_db

PINGED = EventType("uji.pinged", {"user_id": int, "jp": str, "late": bool}, "A test event.", optional={"note": str})


@pytest.fixture
def declared():
    with hooks.register_temporarily("event_types", lambda: [PINGED]):
        yield


def test_a_declared_event_with_its_payload_is_published(declared):
    event_id = events.publish("uji.pinged", {"user_id": 1, "jp": "2.5", "late": False})
    assert Event.objects.get(pk=event_id).payload == {"user_id": 1, "jp": "2.5", "late": False}
    events.publish("uji.pinged", {"user_id": 1, "jp": "2.5", "late": True, "note": "optional keys may be given"})


def test_publishing_an_undeclared_event_raises_and_keeps_nothing(declared):
    with pytest.raises(events.EventError, match="'uji.poked' is not declared"):
        events.publish("uji.poked", {"user_id": 1})
    assert not Event.objects.exists()


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        ({"user_id": 1, "jp": "2"}, r"missing \['late'\]"),
        ({"user_id": 1, "jp": "2", "late": False, "course_id": 3}, r"not declared \['course_id'\]"),
        ({"jp": "2", "late": False, "extra": 1}, r"missing \['user_id'\], not declared \['extra'\]"),
        ({"user_id": "1", "jp": "2", "late": False}, "user_id is int, not str"),
        ({"user_id": 1, "jp": 2, "late": False}, "jp is str, not int"),
        ({"user_id": True, "jp": "2", "late": False}, "user_id is int, not bool"),
        ({"user_id": 1, "jp": "2", "late": False, "note": None}, "note is str, not NoneType"),
    ],
)
def test_a_payload_that_differs_from_its_declaration_raises(declared, payload, message):
    with pytest.raises(events.EventError, match=message):
        events.publish("uji.pinged", payload)
    assert not Event.objects.exists()


def test_the_mounted_modules_declare_what_they_publish():
    names = set(events.declared_events())
    assert {
        "lms.course.completed",
        "lms.jp.credited",
        "lms.session.attended",
        "lms.certificate.issued",
        "layanan.request.done",
    } <= names
    listed = {name for info in hooks.mounted_modules() for name in info.events_published}
    # The shell core's own events (shell/people, shell/apps: hooks.CORE_PACKAGES) come from no module.
    core = {name for name in names if name.split(".")[0] in ("people", "apps")}
    assert {"people.employee.joined", "apps.activity.recorded"} <= core
    assert listed == names - core  # the operators' listing (manage.py shell_modules) shows the same


def test_every_handled_event_is_declared_by_a_mounted_module():
    handled = {h.event for fn in hooks.get_hooks("event_handlers") for h in fn()}
    assert handled <= set(events.declared_events())


def test_a_module_declares_typed_events_under_its_own_name():
    with pytest.raises(ImproperlyConfigured, match="declare each published event as an EventType"):
        hooks.register_module(Module(slug="uji", name="Uji", events_published=("uji.pinged",)))
    with pytest.raises(ImproperlyConfigured, match="its events are named uji"):
        hooks.register_module(Module(slug="uji", name="Uji", events_published=(EventType("lms.pinged", {}),)))


def test_two_different_declarations_of_one_event_are_refused(declared):
    other = EventType("uji.pinged", {"user_id": int})
    with hooks.register_temporarily("event_types", lambda: [other]):
        with pytest.raises(ImproperlyConfigured, match="declared twice"):
            events.publish("uji.pinged", {"user_id": 1})
