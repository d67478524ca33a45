"""Reads of learners' H5P results: what lesson completion is decided from, and trainers' reports."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from content.h5p.models import H5PContent, QuarantinedStatement
from content.h5p.selectors import h5p_content_usage
from content.models import LessonPage
from lms import activities
from lms.models import Enrollment
from lms.xapi.constants import VERB_ANSWERED
from lms.xapi.models import key

from .models import H5PResult


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


def h5p_item_result(*, enrollment: Enrollment, lesson_id: int, content: H5PContent) -> ItemResult:
    """The learner's result on one placed item, from the results the player's endpoint accepted (too fast
    or voided ones do not count): its own results, or, for a container, its nested items' latest results
    (counting towards the parent once every nested item has one)."""
    rows = (
        H5PResult.objects.filter(enrollment=enrollment, lesson_id=lesson_id, content=content, too_fast=False)
        .exclude(statement__voided=True)
        .order_by("recorded_at", "pk")
    )
    result = ItemResult()
    latest_sub: dict[str, tuple[Decimal, Decimal]] = {}
    for row in rows:
        sub = row.sub_content_id or None
        if sub is None and content.sub_items:
            continue  # a container's own total is the browser's sum: its nested results decide (docs/trust.md)
        if sub is None:
            result.done = True
            result.attempts += 1
            result.scaled = row.scaled
            if row.scaled is not None and (result.best is None or row.scaled > result.best):
                result.best = row.scaled
        elif sub in content.sub_items:
            if row.scored_by == H5PResult.ScoredBy.SELF_REPORTED:
                # A self-reported nested score weighs one question, whatever maximum the browser claims.
                latest_sub[sub] = (min(row.scaled or Decimal(0), Decimal(1)), Decimal(1))
            elif row.raw is not None and row.max:
                latest_sub[sub] = (row.raw, row.max)
            elif row.scaled is not None:
                latest_sub[sub] = (row.scaled, Decimal(1))
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
        result = h5p_item_result(enrollment=enrollment, lesson_id=lesson.pk, content=content)
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
                return re.sub(r"<[^>]+>", "", text).strip()[:200]
    return content.title


def h5p_content_results(*, content: H5PContent) -> dict[str, Any]:
    """Per item: attempts, learners, average score (the counted scores: the server's own where it scores the
    type), the most-missed questions, and the statements the LRS refused."""
    iris = [activities.h5p_iri(lesson.pk, content.pk) for lesson in h5p_content_usage(content=content)]
    keys = [key(iri) for iri in iris] + [key(f"{iri}?subContentId={sub}") for iri in iris for sub in content.sub_items]
    rows = (
        H5PResult.objects.filter(content=content, too_fast=False, statement__activity_key__in=keys)
        .exclude(statement__voided=True)
        .select_related("statement")
        .only("sub_content_id", "scaled", "success", "scored_by", "user_id", "statement__data", "statement__verb")
    )
    attempts, learners, scores = 0, set(), []
    questions: dict[str | None, dict[str, Any]] = {}
    for row in rows.iterator():
        sub = row.sub_content_id or None
        data = row.statement.data
        learners.add(row.user_id)
        scaled = row.scaled
        if sub is None or not content.sub_items:
            attempts += 1
        if scaled is not None and (sub is None or not content.max_score or content.sub_items):
            scores.append(scaled)
        success = row.success if row.success is not None else (data.get("result") or {}).get("success")
        if row.statement.verb == VERB_ANSWERED or sub is not None or success is not None:
            entry = questions.setdefault(sub, {"title": _question_title(data, content, sub), "answers": 0, "missed": 0})
            entry["answers"] += 1
            if row.scored_by == H5PResult.ScoredBy.SERVER and scaled is not None:
                # The server's own score says whether the answer was right; its success is the lesson's pass
                # mark (with a pass mark of 0, a wrong answer passes, yet the question was missed).
                wrong = scaled < 1
            else:
                wrong = success is False or (success is None and scaled is not None and scaled < 1)
            if wrong:
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
