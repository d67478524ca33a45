"""Learning events become xAPI statements here: one transformer class per event family
(course.py, lesson.py, quiz.py), registered with the internal event name."""

from __future__ import annotations

import datetime as dt
from abc import ABC, abstractmethod
from typing import Any, ClassVar

from django.utils import timezone

from ... import activities
from ..actors import actor_for_user, actor_ifi
from ..constants import PLATFORM, VERB_DISPLAY
from ..ids import platform_statement_id
from ..projections import project_statements
from ..services import Recorded, format_timestamp, statement_record

_registry: dict[str, type[Transformer]] = {}


def transformer(event_name: str):
    def decorator(cls: type[Transformer]) -> type[Transformer]:
        cls.event_name = event_name
        _registry[event_name] = cls
        return cls

    return decorator


class Transformer(ABC):
    event_name: ClassVar[str]
    verb: ClassVar[str]

    def __init__(self, *, user, enrollment, timestamp: dt.datetime | None = None, **extra: Any) -> None:
        self.user = user
        self.enrollment = enrollment
        self.timestamp = timestamp or timezone.now()
        self.extra = extra

    # What varies per family
    @abstractmethod
    def object(self) -> dict[str, Any]:
        """The statement's object (an Activity)."""

    def result(self) -> dict[str, Any] | None:
        return None

    def parent_activities(self) -> list[dict[str, Any]]:
        return []

    def extensions(self) -> dict[str, Any]:
        return {}

    def id_key(self, actor: dict[str, Any], object_id: str) -> str:
        """What makes the statement the same event: by default verb, actor, object and time."""
        return f"{self.verb}|{actor_ifi(actor)}|{object_id}|{format_timestamp(self.timestamp)}"

    # The statement
    def statement(self) -> dict[str, Any]:
        actor = actor_for_user(self.user)
        obj = self.object()
        context: dict[str, Any] = {
            "registration": str(self.enrollment.registration),
            "platform": PLATFORM,
            "language": "id-ID",
        }
        if parents := self.parent_activities():
            context["contextActivities"] = {"parent": parents}
        if extensions := self.extensions():
            context["extensions"] = extensions
        statement = {
            "id": platform_statement_id(self.id_key(actor, obj["id"])),
            "actor": actor,
            "verb": {"id": self.verb, "display": VERB_DISPLAY[self.verb]},
            "object": obj,
            "context": context,
            "timestamp": format_timestamp(self.timestamp),
        }
        if (result := self.result()) is not None:
            statement["result"] = result
        return statement

    def course_activity(self) -> dict[str, Any]:
        course = self.enrollment.course
        return activities.activity(activities.course_iri(course.pk), name=course.title, kind="course")


def learning_event_record(event_name: str, **data: Any) -> Recorded:
    """Record a learning event (e.g. ``lms.course.completed``) as the platform's own xAPI statement, and
    project it at once: what the learner sees next (a lesson done, a course completed, its JP) is already
    true when the request answers, and nothing announces a credit the ledger does not hold."""
    recorded = statement_record(statement=_registry[event_name](**data).statement())
    if recorded.created:
        project_statements([recorded.id])
    return recorded
