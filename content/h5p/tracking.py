"""Learners' H5P statements: checked, completed with who/where, and stored in our LRS; refused ones are
quarantined. Also the item results that lesson completion (lms.projections) and trainers' reports use.

This module is where content meets the learning records: it reads enrolments and statements through
lms, as the lesson page's template tags do.
"""

from __future__ import annotations

import datetime as dt
import math
import uuid
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from content.models import LessonPage
from lms import activities
from lms.models import Enrollment
from lms.xapi.actors import actor_for_user
from lms.xapi.constants import PLATFORM, VERB_ANSWERED, VERB_COMPLETED, VERB_FAILED, VERB_PASSED
from lms.xapi.models import Statement, key
from lms.xapi.services import StatementConflict, StatementError, statements_record
from lms.xapi.validation import XapiValidationError, validate_statement

from .models import H5PContent, QuarantinedStatement

RESULT_VERBS = (VERB_ANSWERED, VERB_COMPLETED, VERB_PASSED, VERB_FAILED)
_TOLERANCE = 0.011


class StatementRefused(Exception):
    """status 403: the learner may not report on this item; 400: the statement itself is refused (the
    player quarantines it)."""

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


def h5p_statement_prepare(*, user, placement: Placement, statement: Any) -> dict[str, Any]:
    """What the player sent, made ours: the actor is the learner, the object must be this item (or one of
    its nested items), the score within the item's bounds, the context the lesson, course and enrolment."""
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
    stamp = parse_datetime(data["timestamp"]) if isinstance(data.get("timestamp"), str) else None
    if stamp is None or stamp > timezone.now() + dt.timedelta(minutes=5):
        data["timestamp"] = timezone.now().isoformat()
    context = dict(data["context"]) if isinstance(data.get("context"), dict) else {}
    groups = dict(context.get("contextActivities") or {})
    course = placement.lesson.get_parent().specific
    ours = [
        activities.activity(activities.lesson_iri(placement.lesson.pk), name=placement.lesson.title, kind="lesson"),
        activities.activity(activities.course_iri(course.pk), name=course.title, kind="course"),
    ]
    grouping = groups.get("grouping") or []
    grouping = [grouping] if isinstance(grouping, dict) else list(grouping)
    known = {g.get("id") for g in grouping if isinstance(g, dict)}
    groups["grouping"] = grouping + [a for a in ours if a["id"] not in known]
    context["contextActivities"] = groups
    context["registration"] = str(placement.enrollment.registration)
    context["platform"] = PLATFORM
    data["context"] = context
    data.pop("authority", None)
    data.pop("stored", None)
    try:
        validate_statement(data, path="statement")
    except XapiValidationError as error:
        raise StatementRefused(400, str(error)) from None
    return data


def h5p_statement_record(*, user, lesson_id: int, content_id: int, statement: Any) -> Statement:
    placement = h5p_placement(user=user, lesson_id=lesson_id, content_id=content_id)
    data = h5p_statement_prepare(user=user, placement=placement, statement=statement)
    try:
        return statements_record(statements=[data])[0].statement
    except StatementConflict as error:
        raise StatementRefused(400, str(error)) from None
    except StatementError as error:
        raise StatementRefused(400, str(error)) from None


def h5p_statement_quarantine(
    *, user, lesson_id: int, content_id: int, statement: Any, reason: str
) -> QuarantinedStatement:
    """Keep a statement our LRS refused, with the reason; the same statement sent again is kept once."""
    placement = h5p_placement(user=user, lesson_id=lesson_id, content_id=content_id)
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


# --- Results -----------------------------------------------------------------------------------------


@dataclass
class ItemResult:
    done: bool = False
    scaled: Decimal | None = None
    best: Decimal | None = None
    attempts: int = 0
    sub_scores: dict[str, Decimal] = field(default_factory=dict)

    def passed(self, pass_mark: int) -> bool:
        if not self.done:
            return False
        return pass_mark <= 0 or (self.best is not None and self.best * 100 >= pass_mark)


def _scaled(data: dict[str, Any]) -> Decimal | None:
    score = (data.get("result") or {}).get("score") or {}
    if score.get("scaled") is not None:
        return Decimal(str(score["scaled"]))
    if score.get("raw") is not None and score.get("max"):
        return Decimal(str(score["raw"])) / Decimal(str(score["max"]))
    return None


def _scored(data: dict[str, Any]) -> bool:
    result = data.get("result") or {}
    return "score" in result or result.get("completion") is True or "success" in result


def h5p_item_result(*, user_id: int, registration, lesson_id: int, content: H5PContent) -> ItemResult:
    """The learner's result on one placed item: its own scored statements, or, for a container, the
    statements of its nested items (each counting towards the parent once all have an answer)."""
    iri = activities.h5p_iri(lesson_id, content.pk)
    keys = [key(iri)] + [key(f"{iri}?subContentId={sub}") for sub in content.sub_items]
    rows = Statement.objects.filter(
        user_id=user_id,
        registration=registration,
        activity_key__in=keys,
        verb_key__in=[key(v) for v in RESULT_VERBS],
        voided=False,
    ).order_by("timestamp", "stored")
    result = ItemResult()
    latest_sub: dict[str, tuple[Decimal, Decimal]] = {}
    for row in rows:
        parsed = activities.parse_h5p(row.activity_id)
        if parsed is None or not _scored(row.data):
            continue
        sub = parsed[2]
        if sub is None:
            result.done = True
            result.attempts += 1
            scaled = _scaled(row.data)
            if scaled is None and row.verb == VERB_PASSED:
                scaled = Decimal(1)
            result.scaled = scaled
            if scaled is not None and (result.best is None or scaled > result.best):
                result.best = scaled
        elif sub in content.sub_items:
            score = (row.data.get("result") or {}).get("score") or {}
            raw, high = score.get("raw"), score.get("max")
            if raw is not None and high:
                latest_sub[sub] = (Decimal(str(raw)), Decimal(str(high)))
            elif _scaled(row.data) is not None:
                latest_sub[sub] = (_scaled(row.data), Decimal(1))
            result.sub_scores[sub] = latest_sub[sub][0] / latest_sub[sub][1] if sub in latest_sub else Decimal(0)
    if content.sub_items and not result.done and set(latest_sub) >= set(content.sub_items):
        raw = sum(r for r, _ in latest_sub.values())
        high = sum(h for _, h in latest_sub.values())
        result.done = True
        result.attempts = max(result.attempts, 1)
        result.scaled = result.best = (raw / high) if high else Decimal(1)
    return result


def h5p_lesson_status(*, enrollment: Enrollment, lesson: LessonPage) -> tuple[bool, Decimal | None, int]:
    """(every required scorable item passed, the lowest best score among them, attempts) for a gated lesson."""
    done, scores, attempts = True, [], 0
    for item in lesson.h5p_items:
        content = item["content"]
        if not (item["required"] and content.scorable):
            continue
        result = h5p_item_result(
            user_id=enrollment.user_id, registration=enrollment.registration, lesson_id=lesson.pk, content=content
        )
        attempts = max(attempts, result.attempts)
        if result.best is not None:
            scores.append(result.best)
        done = done and result.passed(int(item["pass_mark"] or 0))
    return done, (min(scores) if scores else None), attempts


# --- Reports for trainers ----------------------------------------------------------------------------


def _question_title(data: dict[str, Any], content: H5PContent, sub: str | None) -> str:
    if sub and sub in content.sub_items:
        return content.sub_items[sub]["title"]
    definition = (data.get("object") or {}).get("definition") or {}
    for key_name in ("description", "name"):
        value = definition.get(key_name) or {}
        if value:
            text = next(iter(value.values()))
            if isinstance(text, str) and text.strip():
                import re

                return re.sub(r"<[^>]+>", "", text).strip()[:200]
    return content.title


def h5p_content_results(*, content: H5PContent) -> dict[str, Any]:
    """Per item: attempts, learners, average score (of each scored attempt of the item itself, or for a
    container the average of its nested items' scores), and the most-missed questions."""
    from .selectors import h5p_content_usage

    # By activity key (indexed), for every lesson that places the item, and every nested item.
    iris = [activities.h5p_iri(lesson.pk, content.pk) for lesson in h5p_content_usage(content=content)]
    keys = [key(iri) for iri in iris] + [key(f"{iri}?subContentId={sub}") for iri in iris for sub in content.sub_items]
    rows = Statement.objects.filter(
        verb_key__in=[key(v) for v in RESULT_VERBS], voided=False, activity_key__in=keys
    ).only("activity_id", "data", "user_id", "verb")
    attempts, learners, scores = 0, set(), []
    questions: dict[str | None, dict[str, Any]] = {}
    for row in rows.iterator():
        parsed = activities.parse_h5p(row.activity_id)
        if parsed is None or parsed[1] != content.pk or not _scored(row.data):
            continue
        sub = parsed[2]
        learners.add(row.user_id)
        scaled = _scaled(row.data)
        if sub is None or not content.sub_items:
            attempts += 1
        if scaled is not None and (sub is None or not content.max_score or content.sub_items):
            scores.append(scaled)
        success = (row.data.get("result") or {}).get("success")
        if row.verb == VERB_ANSWERED or sub is not None or success is not None:
            entry = questions.setdefault(
                sub, {"title": _question_title(row.data, content, sub), "answers": 0, "missed": 0}
            )
            entry["answers"] += 1
            if success is False or (success is None and scaled is not None and scaled < 1):
                entry["missed"] += 1
    if content.sub_items and not attempts:
        attempts = max((q["answers"] for q in questions.values()), default=0)
    missed = sorted((q for q in questions.values() if q["missed"]), key=lambda q: (-q["missed"], q["title"]))
    return {
        "attempts": attempts,
        "learners": len(learners),
        "average": (sum(scores) / len(scores)) if scores else None,
        "most_missed": missed[:10],
        "quarantined": QuarantinedStatement.objects.filter(content=content).select_related("user", "lesson"),
    }
