"""The H5P player's statements: the one way a learner's browser can move their own progress (docs/trust.md).

A result counts only when it comes through the player's endpoint, for an enrolled learner on a live
lesson, within an attempt the server opened when it served the player, with a score inside the item's
bounds and not sooner than a person could answer. Where the item's correct answers are in its own content
the server scores ``result.response`` itself and its score is the one that counts; other scores are kept
as self-reported. Everything else is refused (and the player quarantines it) or stored without effect.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import uuid
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from content.h5p import scoring
from content.h5p.models import H5PContent, QuarantinedStatement
from content.models import LessonPage
from lms import activities
from lms.models import Enrollment
from lms.xapi.actors import actor_for_user
from lms.xapi.constants import VERB_ANSWERED, VERB_COMPLETED, VERB_FAILED, VERB_PASSED
from lms.xapi.models import Statement
from lms.xapi.player import player_replayed, player_session_id, player_session_token, player_statement_stamp
from lms.xapi.projections import project_statements
from lms.xapi.services import StatementConflict, StatementError, statements_record
from lms.xapi.validation import XapiValidationError, validate_statement

from .models import H5PAttempt, H5PResult

RESULT_VERBS = (VERB_ANSWERED, VERB_COMPLETED, VERB_PASSED, VERB_FAILED)
_TOLERANCE = 0.011
_ATTEMPT_SALT = "lms.h5p.attempt"


class StatementRefused(Exception):
    """status 403: the learner may not report on this item (or the attempt is unknown); 400: the statement
    itself is refused (the player quarantines it)."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status
        self.message = message


@dataclass(frozen=True)
class Placement:
    lesson: LessonPage
    content: H5PContent
    enrollment: Enrollment
    pass_mark: int
    required: bool

    @property
    def iri(self) -> str:
        return activities.h5p_iri(self.lesson.pk, self.content.pk)


def h5p_placement(*, user, lesson_id: int, content_id: int) -> Placement:
    """The item as placed in a live lesson of a course the user is enrolled in, else StatementRefused(403)."""
    lesson = LessonPage.objects.live().filter(pk=lesson_id).first()
    block = None
    if lesson is not None:
        block = next((item for item in lesson.h5p_items if item["content"].pk == content_id), None)
    if block is None:
        raise StatementRefused(403, _("Konten H5P ini tidak ada di pelajaran tersebut."))
    enrollment = Enrollment.objects.filter(user=user, course_id=lesson.get_parent().pk).first()
    if enrollment is None:
        raise StatementRefused(403, _("Anda belum terdaftar di kursus pelajaran ini."))
    return Placement(lesson, block["content"], enrollment, int(block["pass_mark"] or 0), bool(block["required"]))


# --- Attempts ------------------------------------------------------------------------------------------


def h5p_attempt_open(*, user, enrollment: Enrollment, lesson: LessonPage, content: H5PContent) -> str:
    """Open an attempt as the player is served; returns its signed token, which the lesson page sends back
    with every statement of this player."""
    attempt = H5PAttempt.objects.create(
        user=user, enrollment=enrollment, lesson=lesson, content=content, opened_at=timezone.now()
    )
    return player_session_token(salt=_ATTEMPT_SALT, session_id=attempt.pk, user_id=user.pk)


def _attempt(*, token: str | None, user, placement: Placement) -> H5PAttempt:
    reload = _("Percobaan H5P ini tidak dikenal atau kedaluwarsa; muat ulang halaman pelajaran.")
    attempt_id = player_session_id(
        token=token, salt=_ATTEMPT_SALT, user_id=user.pk, max_age=settings.H5P_PLAYER_TOKEN_MAX_AGE
    )
    attempt = (
        attempt_id
        and H5PAttempt.objects.filter(
            pk=attempt_id,
            user=user,
            lesson=placement.lesson,
            content=placement.content,
            enrollment=placement.enrollment,
        ).first()
    )
    if not attempt:
        raise StatementRefused(403, reload)
    return attempt


# --- Checking what the player sent ---------------------------------------------------------------------


def _all_sub_content_ids(value: Any, found: set[str]) -> set[str]:
    if isinstance(value, dict):
        if isinstance(value.get("subContentId"), str):
            found.add(value["subContentId"])
        for child in value.values():
            _all_sub_content_ids(child, found)
    elif isinstance(value, list):
        for child in value:
            _all_sub_content_ids(child, found)
    return found


def _check_score(result: dict[str, Any], bound: int | None) -> None:
    score = result.get("score")
    if score is None:
        return
    if not isinstance(score, dict):
        raise StatementRefused(400, "result.score: not an object.")
    raw, low, high, scaled = (score.get(k) for k in ("raw", "min", "max", "scaled"))
    numbers = [v for v in (raw, low, high, scaled) if v is not None]
    if any(not isinstance(v, int | float) or isinstance(v, bool) or not math.isfinite(v) for v in numbers):
        raise StatementRefused(400, "result.score: raw, min, max and scaled must be numbers.")
    if scaled is not None and not 0 <= scaled <= 1:
        raise StatementRefused(400, f"result.score.scaled {scaled} is outside 0..1.")
    if raw is not None:
        if high is None:
            raise StatementRefused(400, "result.score.raw needs result.score.max.")
        if raw < (low or 0) or raw > high:
            raise StatementRefused(400, f"result.score.raw {raw} is outside {low or 0}..{high}.")
        if scaled is not None and high > 0 and abs(scaled - raw / high) > _TOLERANCE:
            raise StatementRefused(400, f"result.score.scaled {scaled} does not match raw/max {raw}/{high}.")
    if bound is not None and high is not None and high != bound:
        raise StatementRefused(400, f"result.score.max {high} differs from this item's maximum {bound}.")


def h5p_statement_prepare(*, user, placement: Placement, statement: Any, now: dt.datetime) -> dict[str, Any]:
    """What the player sent, made ours: the actor is the learner, the object must be this item (or one of
    its nested items), the score within the item's bounds, the context the lesson, course and enrolment,
    and the time the server's (a statement's own timestamp never dates anything)."""
    if not isinstance(statement, dict):
        raise StatementRefused(400, "The statement must be a JSON object.")
    data = dict(statement)
    data["actor"] = actor_for_user(user)
    try:
        data["id"] = str(uuid.UUID(str(data.get("id") or uuid.uuid4())))
    except ValueError:
        raise StatementRefused(400, "id: not a UUID.") from None
    obj = data.get("object")
    if not isinstance(obj, dict) or not isinstance(obj.get("id"), str):
        raise StatementRefused(400, "object.id is required.")
    parsed = activities.parse_h5p(obj["id"])
    if parsed is None or parsed[:2] != (placement.lesson.pk, placement.content.pk):
        raise StatementRefused(400, f"object.id {obj['id'][:200]} is not this H5P item ({placement.iri}).")
    sub_id = parsed[2]
    content = placement.content
    if sub_id is None:
        bound = content.max_score
    elif sub_id in _all_sub_content_ids(content.content_json, set()):
        bound = (content.sub_items.get(sub_id) or {}).get("max_score")
    else:
        raise StatementRefused(400, f"object.id: subContentId {sub_id} is not part of this H5P item.")
    result = data.get("result")
    if result is not None:
        if not isinstance(result, dict):
            raise StatementRefused(400, "result: not an object.")
        _check_score(result, bound)
    player_statement_stamp(data, lesson=placement.lesson, enrollment=placement.enrollment, now=now)
    try:
        validate_statement(data, path="statement")
    except XapiValidationError as error:
        raise StatementRefused(400, str(error)) from None
    return data


# --- Results --------------------------------------------------------------------------------------------


def _scored(data: dict[str, Any]) -> bool:
    result = data.get("result") or {}
    return "score" in result or result.get("completion") is True or "success" in result


def _claimed(data: dict[str, Any]) -> tuple[Decimal | None, Decimal | None, Decimal | None]:
    """(raw, max, scaled) as the browser reported them."""
    score = (data.get("result") or {}).get("score") or {}
    raw = Decimal(str(score["raw"])) if score.get("raw") is not None else None
    high = Decimal(str(score["max"])) if score.get("max") is not None else None
    if score.get("scaled") is not None:
        scaled = Decimal(str(score["scaled"]))
    elif raw is not None and high:
        scaled = raw / high
    elif data.get("verb", {}).get("id") == VERB_PASSED:
        scaled = Decimal(1)
    else:
        scaled = None
    return raw, high, scaled


def _set_score(*, attempt: H5PAttempt, questions: list[str]) -> tuple[Decimal, Decimal]:
    """A SingleChoiceSet's total in this attempt: the server's scores of its questions' latest answers (a
    question not answered scores 0), never the sum the browser sends with the set's own statement."""
    latest: dict[str, Decimal] = {}
    rows = H5PResult.objects.filter(
        attempt=attempt, sub_content_id__in=questions, scored_by=H5PResult.ScoredBy.SERVER, raw__isnull=False
    ).order_by("recorded_at", "pk")
    for sub_id, raw in rows.values_list("sub_content_id", "raw"):
        latest[sub_id] = raw
    return sum(latest.values(), Decimal(0)), Decimal(len(questions))


def _server_score(
    content: H5PContent, sub_id: str | None, data: dict[str, Any], *, attempt: H5PAttempt
) -> tuple[Decimal, Decimal] | None:
    """The server's own (raw, max) where the item's answers are in its content. For those types a response the
    server cannot read scores 0 (never the browser's claim); None for types only the browser can score."""
    main_library = scoring.library_name(content.main_library_name)
    questions = scoring.single_choice_set_questions(content.content_json, sub_id, main_library)
    if questions:
        return _set_score(attempt=attempt, questions=questions)
    response = (data.get("result") or {}).get("response")
    response = response if isinstance(response, str) else None
    if sub_id is None:
        library = main_library
        scored = scoring.score_response(library, content.content_json, response)
        bound = content.max_score
    else:
        library = (content.sub_items.get(sub_id) or {}).get("library") or scoring.sub_content_library(
            content.content_json, sub_id, main_library
        )
        scored = scoring.score_sub_response(content.content_json, sub_id, response, main_library=main_library)
        bound = (content.sub_items.get(sub_id) or {}).get("max_score")
    if scored is not None:
        raw, high = scored
        return Decimal(str(raw)), Decimal(str(high))
    if library in scoring.RESPONSE_SCORERS and bound:
        return Decimal(0), Decimal(bound)
    return None


def _min_seconds(*, attempt: H5PAttempt, content: H5PContent, sub_id: str | None) -> int:
    """How soon after the attempt opened a person could plausibly have answered: a few seconds per question
    (the whole set for the item itself; for a nested item, as many as were answered in this attempt)."""
    per_item = settings.H5P_MIN_SECONDS_PER_ITEM
    if sub_id is None:
        return per_item * max(1, len(content.sub_items))
    answered = set(
        H5PResult.objects.filter(attempt=attempt).exclude(sub_content_id="").values_list("sub_content_id", flat=True)
    )
    return per_item * len(answered | {sub_id})


def _result_record(*, stored: Statement, attempt: H5PAttempt, placement: Placement, now: dt.datetime) -> None:
    data = stored.data
    if stored.verb not in RESULT_VERBS or not _scored(data):
        return
    sub_id = activities.parse_h5p(stored.activity_id)[2]
    raw, high, claimed = _claimed(data)
    server = _server_score(placement.content, sub_id, data, attempt=attempt)
    scaled = claimed
    scored_by = H5PResult.ScoredBy.SELF_REPORTED
    if server is not None:
        raw, high = server
        scaled = (raw / high) if high else Decimal(1)
        scored_by = H5PResult.ScoredBy.SERVER
    seconds = max(0, int((now - attempt.opened_at).total_seconds()))
    try:
        with transaction.atomic():
            H5PResult.objects.create(
                statement=stored,
                attempt=attempt,
                user_id=stored.user_id,
                enrollment=placement.enrollment,
                lesson=placement.lesson,
                content=placement.content,
                sub_content_id=sub_id or "",
                raw=raw,
                max=high,
                scaled=scaled.quantize(Decimal("0.0001")) if scaled is not None else None,
                claimed_scaled=claimed.quantize(Decimal("0.0001")) if claimed is not None else None,
                success=(scaled * 100 >= placement.pass_mark) if server is not None and scaled is not None else None,
                scored_by=scored_by,
                too_fast=seconds < _min_seconds(attempt=attempt, content=placement.content, sub_id=sub_id),
                seconds=seconds,
                recorded_at=now,
            )
    except IntegrityError:
        pass  # the same statement again: its result is already kept


def _replayed(*, user, placement: Placement, statement: Any) -> Statement | None:
    return player_replayed(user=user, registration=placement.enrollment.registration, statement=statement)


def h5p_statement_record(
    *, user, lesson_id: int, content_id: int, attempt_token: str | None, statement: Any
) -> Statement:
    placement = h5p_placement(user=user, lesson_id=lesson_id, content_id=content_id)
    attempt = _attempt(token=attempt_token, user=user, placement=placement)
    replayed = _replayed(user=user, placement=placement, statement=statement)
    if replayed is not None:
        return replayed  # the player resends what it already delivered (a lost answer): nothing changes
    now = timezone.now()
    data = h5p_statement_prepare(user=user, placement=placement, statement=statement, now=now)
    try:
        with transaction.atomic():
            recorded = statements_record(statements=[data], source=Statement.Source.PLAYER, sender=user)[0]
            stored = recorded.statement
            if recorded.created:
                _result_record(stored=stored, attempt=attempt, placement=placement, now=now)
    except StatementConflict as error:
        raise StatementRefused(400, str(error)) from None
    except StatementError as error:
        raise StatementRefused(400, str(error)) from None
    # Projected now, so the answer tells the learner whether the lesson is done.
    project_statements([stored.pk])
    return stored


# What the quarantine keeps from one learner's player: statements of ordinary size, a bounded number per item.
QUARANTINE_MAX_BYTES = 64 * 1024
QUARANTINE_MAX_PER_ITEM = 50


def h5p_statement_quarantine(
    *, user, lesson_id: int, content_id: int, statement: Any, reason: str
) -> QuarantinedStatement:
    """Keep a statement our LRS refused, with the reason; the same statement sent again is kept once."""
    placement = h5p_placement(user=user, lesson_id=lesson_id, content_id=content_id)
    if not isinstance(statement, dict) or len(json.dumps(statement, default=str)) > QUARANTINE_MAX_BYTES:
        raise StatementRefused(400, _("Pernyataan karantina harus objek JSON, paling besar 64 KB."))
    statement_id = None
    if isinstance(statement, dict):
        try:
            statement_id = uuid.UUID(str(statement.get("id")))
        except ValueError:
            statement_id = None
    if statement_id is not None:
        existing = QuarantinedStatement.objects.filter(user=user, statement_id=statement_id).first()
        if existing is not None:
            return existing
    kept = QuarantinedStatement.objects.filter(user=user, content=placement.content).count()
    if kept >= QUARANTINE_MAX_PER_ITEM:
        raise StatementRefused(429, _("Terlalu banyak pernyataan karantina untuk konten ini."))
    try:
        with transaction.atomic():
            return QuarantinedStatement.objects.create(
                content=placement.content,
                lesson=placement.lesson,
                user=user,
                statement_id=statement_id,
                statement=statement if statement is not None else {},
                reason=str(reason)[:2000] or _("(tanpa alasan)"),
            )
    except IntegrityError:
        return QuarantinedStatement.objects.get(user=user, statement_id=statement_id)
