"""Work done in other modules becomes e-Kinerja activities, so nobody types the same work twice.

Each handler runs after commit in Celery and may see the same event twice: the activity's
``source_key`` is unique, so a redelivery (or the same fact published by two paths) changes nothing.
The events and their payloads are declared by the modules that publish them (``lms/events.py``:
``lms.course.completed``, ``lms.session.attended``, ``lms.certificate.issued``;
``shell/modules/layanan/events.py``: ``layanan.request.done``; the city's registered apps, through the
shell's inbound API: ``apps.activity.recorded``, declared in ``shell/apps/events.py``);
``python manage.py shell_modules`` lists them. Handlers read keys with ``.get`` where an older event in the outbox may lack one.
"""

from __future__ import annotations

import datetime as dt
import logging
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _

from shell import formatting

from .models import Activity, Evidence
from .services import activity_from_event

logger = logging.getLogger(__name__)


def _jp(value: Any) -> Decimal | None:
    try:
        return Decimal(str(value)) if value not in (None, "") else None
    except InvalidOperation:
        return None


def _date(value: Any) -> dt.date:
    if value:
        parsed = parse_datetime(str(value))
        if parsed is not None:
            return timezone.localdate(parsed) if timezone.is_aware(parsed) else parsed.date()
        parsed_date = parse_date(str(value))
        if parsed_date is not None:
            return parsed_date
    return timezone.localdate()


def _certificate(payload: dict) -> list[dict]:
    url = payload.get("certificate_url")
    if not url:
        return []
    number = payload.get("certificate_number") or ""
    return [{"kind": Evidence.Kind.CERTIFICATE, "label": _("Sertifikat %(number)s") % {"number": number}, "url": url}]


def _competency_key(payload: dict) -> str | None:
    if payload.get("course_id"):
        return f"lms.course:{payload['course_id']}:user:{payload['user_id']}"
    if payload.get("session_id"):
        return f"lms.session:{payload['session_id']}:user:{payload['user_id']}"
    return None


def _competency(title: str, jp: Decimal | None) -> tuple[str, str]:
    label = _("Pengembangan kompetensi: %(title)s") % {"title": title}
    body = _("%(jp)s JP, dicatat otomatis dari Universitas Pemerintahan.") % {"jp": formatting.jp(jp)} if jp else ""
    return label, body


def _user_id(payload: dict) -> int | None:
    try:
        return int(payload["user_id"])
    except (KeyError, TypeError, ValueError):
        logger.warning("kinerja: event payload without a user_id: %r", payload)
        return None


def on_course_completed(event_id: str, payload: dict) -> None:
    if _user_id(payload) is None or not payload.get("course_id"):
        return
    jp = _jp(payload.get("jp"))
    title, description = _competency(payload.get("course_title") or "", jp)
    activity_from_event(
        user_id=int(payload["user_id"]),
        source_key=_competency_key(payload),
        kind=Activity.Kind.COMPETENCY,
        title=title,
        description=description,
        date=_date(payload.get("completed_on")),
        jp=jp,
        evidence=[
            {"kind": Evidence.Kind.LINK, "label": _("Riwayat belajar"), "url": "/belajar/riwayat/"},
            *_certificate(payload),
        ],
    )


def on_session_attended(event_id: str, payload: dict) -> None:
    if _user_id(payload) is None or not payload.get("session_id"):
        return
    jp = _jp(payload.get("jp"))
    title, description = _competency(payload.get("title") or "", jp)
    activity_from_event(
        user_id=int(payload["user_id"]),
        source_key=_competency_key({"session_id": payload.get("session_id"), "user_id": payload["user_id"]}),
        kind=Activity.Kind.COMPETENCY,
        title=title,
        description=description,
        date=_date(payload.get("date")),
        jp=jp,
        evidence=_certificate(payload),
    )


def on_certificate_issued(event_id: str, payload: dict) -> None:
    if _user_id(payload) is None:
        return
    key = _competency_key(payload)
    if key is None:
        return
    jp = _jp(payload.get("jp"))
    title, description = _competency(payload.get("title") or "", jp)
    activity_from_event(
        user_id=int(payload["user_id"]),
        source_key=key,
        kind=Activity.Kind.COMPETENCY,
        title=title,
        description=description,
        date=_date(payload.get("date")),
        jp=jp,
        evidence=_certificate({"certificate_url": payload.get("url"), "certificate_number": payload.get("number")}),
    )


def on_request_done(event_id: str, payload: dict) -> None:
    if _user_id(payload) is None or "request_id" not in payload:
        return
    activity_from_event(
        user_id=int(payload["user_id"]),
        source_key=f"layanan.request:{payload['request_id']}",
        kind=Activity.Kind.SERVICE,
        title=_("Melayani permohonan %(service)s (%(number)s)")
        % {"service": payload.get("service", ""), "number": payload.get("number", "")},
        date=_date(payload.get("finished_at")),
        evidence=[
            {
                "kind": Evidence.Kind.LINK,
                "label": _("Permohonan %(number)s") % {"number": payload.get("number", "")},
                "url": payload.get("url", ""),
            }
        ],
    )


def on_app_activity(event_id: str, payload: dict) -> None:
    """Work done in one of the city's registered apps (the shell's inbound API): once per app and its id."""
    if _user_id(payload) is None or not payload.get("app") or not payload.get("activity_id"):
        return
    url = payload.get("url") or ""
    activity_from_event(
        user_id=int(payload["user_id"]),
        source_key=f"apps:{payload['app']}:{payload['activity_id']}",
        kind=Activity.Kind.MANUAL,
        title=payload.get("title") or "",
        description=payload.get("description") or "",
        date=_date(payload.get("date")),
        quantity=_jp(payload.get("quantity")),
        output_unit=(payload.get("output_unit") or "")[:50],
        evidence=[{"kind": Evidence.Kind.LINK, "label": payload.get("app_name") or payload["app"], "url": url}]
        if url
        else [],
    )
