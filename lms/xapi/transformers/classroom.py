"""Classroom sessions and external learning claims as statements.

- ``classroom.day.attended``: one per participant and day (however often the code is scanned).
- ``classroom.session.completed``: one per participant, when the class is closed with enough attendance;
  carries the JP credited, the category and the form, so the ledger can be checked against statements.
- ``claims.claim.completed``: an approved external claim; voided when BKPSDM reverses it.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings

from ..actors import actor_for_user, actor_ifi
from ..constants import (
    ACTIVITY_TYPE_COURSE,
    ACTIVITY_TYPE_MEETING,
    EXT_CATEGORY,
    EXT_CREDIT_NOTE,
    EXT_FORM,
    EXT_JP,
    VERB_ATTENDED,
    VERB_COMPLETED,
    VERB_DISPLAY,
    VERB_VOIDED,
)
from ..ids import platform_statement_id
from ..services import Recorded, format_timestamp, statement_record
from . import Transformer, transformer


def session_iri(session_id: int) -> str:
    return f"{settings.XAPI_ACTIVITY_ROOT}/classroom/{session_id}"


def session_day_iri(session_id: int, date) -> str:
    return f"{session_iri(session_id)}/day/{date.isoformat()}"


def claim_iri(claim_id: int) -> str:
    return f"{settings.XAPI_ACTIVITY_ROOT}/claim/{claim_id}"


def _activity(iri: str, name: str, kind: str) -> dict[str, Any]:
    return {"objectType": "Activity", "id": iri, "definition": {"type": kind, "name": {"id-ID": name}}}


class _OncePerRegistration(Transformer):
    """The same event of the same participant is one statement, whenever it is recorded."""

    def id_key(self, actor, object_id):
        return f"{self.verb}|{actor_ifi(actor)}|{object_id}|{self.enrollment.registration}"

    def session_activity(self) -> dict[str, Any]:
        session = self.enrollment.session
        return _activity(session_iri(session.pk), session.display_title, ACTIVITY_TYPE_MEETING)


@transformer("classroom.day.attended")
class SessionDayAttended(_OncePerRegistration):
    verb = VERB_ATTENDED

    def object(self):
        day = self.extra["day"]
        session = self.enrollment.session
        name = f"{session.display_title} ({day.date.isoformat()})"
        return _activity(session_day_iri(session.pk, day.date), name, ACTIVITY_TYPE_MEETING)

    def parent_activities(self):
        return [self.session_activity()]

    def extensions(self):
        return {"https://w3id.org/tangerang/xapi/extensions/checkin-method": self.extra["method"]}


@transformer("classroom.session.completed")
class SessionCompleted(_OncePerRegistration):
    verb = VERB_COMPLETED

    def object(self):
        return self.session_activity()

    def result(self):
        return {"completion": True, "success": True, "score": {"scaled": float(self.extra["share"])}}

    def extensions(self):
        session = self.enrollment.session
        return {
            EXT_JP: float(self.extra["jp"]),
            EXT_CATEGORY: session.course.category,
            EXT_FORM: session.course.development_form,
            **({EXT_CREDIT_NOTE: self.extra["note"]} if self.extra.get("note") else {}),
        }


@transformer("claims.claim.completed")
class ClaimCompleted(_OncePerRegistration):
    verb = VERB_COMPLETED

    def object(self):
        claim = self.enrollment
        activity = _activity(claim_iri(claim.pk), claim.title, ACTIVITY_TYPE_COURSE)
        activity["definition"]["description"] = {"id-ID": claim.organiser}
        return activity

    def result(self):
        return {"completion": True}

    def extensions(self):
        claim = self.enrollment
        return {
            EXT_JP: float(self.extra["jp"]),
            EXT_CATEGORY: claim.category,
            EXT_FORM: claim.form,
            **({EXT_CREDIT_NOTE: self.extra["note"]} if self.extra.get("note") else {}),
        }


def statement_void(*, statement_id, by_user, timestamp) -> Recorded:
    """Void one of our statements (e.g. a reversed claim). Deterministic: voiding twice is one statement."""
    statement = {
        "id": platform_statement_id(f"{VERB_VOIDED}|{statement_id}"),
        "actor": actor_for_user(by_user),
        "verb": {"id": VERB_VOIDED, "display": VERB_DISPLAY[VERB_VOIDED]},
        "object": {"objectType": "StatementRef", "id": str(statement_id)},
        "timestamp": format_timestamp(timestamp),
    }
    return statement_record(statement=statement)
