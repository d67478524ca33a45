"""Certificates that wait for a survey. ``lms.certificates`` asks here before issuing one; the survey's
answer releases it (``services.survey_submit``). Reads and writes this app's own rows only, so that the
certificates may import it without importing the surveys' services (which issue certificates)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lms.classroom.models import ClassSession
from shell.inbox.services import notification_create

from .models import CertificateHold, target_key
from .selectors import survey_required_unanswered


def _encode(issue: dict) -> dict:
    return {
        key: value.isoformat()
        if isinstance(value, dt.date | dt.datetime)
        else str(value)
        if isinstance(value, Decimal)
        else value
        for key, value in issue.items()
    }


def hold_decode(data: dict) -> dict:
    """certificate_issue's arguments from a hold (the user comes from the hold's row)."""
    return {
        **data,
        "jp": Decimal(data["jp"]),
        "start_date": dt.date.fromisoformat(data["start_date"]),
        "end_date": dt.date.fromisoformat(data["end_date"]),
    }


def certificate_hold(*, user, source_key: str, course_id: int | None, session_id: int | None, issue: dict) -> bool:
    """Hold the certificate when its course or class requires the survey and ``user`` has not answered it:
    True when held (kept to be issued later, once per source key), False when it may be issued now."""
    if session_id:
        course_id = ClassSession.objects.filter(pk=session_id).values_list("course_id", flat=True).first()
    if not course_id:
        return False
    if not survey_required_unanswered(user=user, course_id=course_id, session_id=session_id):
        return False
    try:
        with transaction.atomic():
            hold, created = CertificateHold.objects.get_or_create(
                source_key=source_key,
                defaults={
                    "user": user,
                    "target": target_key(course_id=course_id, session_id=session_id),
                    "issue": _encode(issue),
                    "held_at": timezone.now(),
                },
            )
    except IntegrityError:
        return True  # a concurrent twin held it first (and told the learner)
    if created:
        url = f"/belajar/survei/isi/kelas/{session_id}/" if session_id else f"/belajar/survei/isi/kursus/{course_id}/"
        notification_create(
            user=user,
            kind="lms.survey_pending",
            title=_("Isi survei peserta: %(title)s") % {"title": issue.get("title", "")},
            body=_("Sertifikat Anda terbit setelah survei diisi. Jawaban disimpan tanpa nama."),
            url=url,
            dedupe_key=f"survey-pending:{hold.pk}",
        )
    return True
