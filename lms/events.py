"""Every event the LMS publishes to the other modules (through ``shell.events.publish``), with its payload:
the one place to read them. The declarations are handed to the shell in ``lms/shell_hooks.py``; the shell
refuses an event or a payload that is not declared here. All JP are decimal strings ("2.5"), dates ISO
strings. Handlers may see an event twice (each carries a deterministic event id)."""

from __future__ import annotations

from shell.types import EventType

EVENT_COURSE_COMPLETED = "lms.course.completed"
EVENT_JP_CREDITED = "lms.jp.credited"
EVENT_JP_REVOKED = "lms.jp.revoked"
EVENT_SESSION_ATTENDED = "lms.session.attended"
EVENT_CERTIFICATE_ISSUED = "lms.certificate.issued"
EVENT_COURSE_ANNOUNCED = "lms.course.announced"
EVENT_ENROLLMENT_BATCH_CONFIRMED = "lms.enrollment.batch_confirmed"

EVENTS = (
    EventType(
        EVENT_COURSE_COMPLETED,
        {"user_id": int, "course_id": int, "course_title": str, "jp": str, "statement_id": str},
        "An employee completed an online course (its completion statement was projected); once per enrolment.",
    ),
    EventType(
        EVENT_JP_CREDITED,
        {"user_id": int, "entry_id": int, "jp": str, "date": str},
        "JP were credited to an employee's ledger (a course, a classroom session, an approved claim, a "
        "correction, an import): once per source key.",
    ),
    EventType(
        EVENT_JP_REVOKED,
        {"user_id": int, "entry_id": int, "jp": str, "date": str},
        "A credit was reversed (its evidence voided, or revoked by BKPSDM): ``entry_id`` is the reversal, "
        "``jp`` negative; once per reversed credit.",
    ),
    EventType(
        EVENT_SESSION_ATTENDED,
        {
            "user_id": int,
            "session_id": int,
            "title": str,
            "jp": str,
            "date": str,
            "certificate_url": str,
            "certificate_number": str,
        },
        "An employee attended enough of a classroom session to be credited; ``date`` is its last day.",
    ),
    EventType(
        EVENT_CERTIFICATE_ISSUED,
        {"user_id": int, "number": str, "url": str, "title": str, "jp": str, "date": str},
        "A certificate was issued (``url`` is its public verification page); it names the course or the "
        "classroom session it is for.",
        optional={"course_id": int, "session_id": int},
    ),
    EventType(
        EVENT_COURSE_ANNOUNCED,
        {"announcement_id": int, "course_id": int, "title": str},
        "A trainer announced something to everyone enrolled in their course (the LMS puts it in their inboxes).",
    ),
    EventType(
        EVENT_ENROLLMENT_BATCH_CONFIRMED,
        {"batch_id": int, "course_id": int, "count": int},
        "HR or a unit's training coordinator confirmed a bulk enrolment of ``count`` employees (the LMS "
        "enrols them, in chunks, and tells each one).",
    ),
)
