"""Each question kind scored on the server: ``fraction(kind, data, response)`` is the share of the question's
mark earned, 0..1, or None for an essay until its trainer grades it. A response that does not fit the
question (a crafted form, a stale page) scores 0, never an error.

``data`` by kind (what QuestionVersion.data holds; lms.evaluation.formats reads and writes it):

- single / multiple: ``{"choices": [{"text", "fraction", "feedback"}]}``; fraction in -1..1 per choice.
  Single: the chosen choice's fraction (never below 0). Multiple: the chosen choices' fractions added,
  held to 0..1 (a wrong tick takes back what a right one gave).
- truefalse: ``{"answer": true|false}``.
- short: ``{"answers": [{"text", "fraction"}], "case_sensitive": bool}``; spaces around and between words
  do not count; ``*`` in an accepted answer stands for any text.
- numeric: ``{"answers": [{"value", "tolerance", "fraction"}]}``; right within ``value ± tolerance``.
- matching: ``{"pairs": [{"left", "right"}]}`` (a pair with no left side is a distractor); the response maps
  each left index to the index of the pair whose right side was chosen; a right side counts by its text.
- ordering: ``{"items": [text, ...]}`` in the right order; the response lists item indices as arranged;
  the share of items in their right place.
- essay: ``{}``; the trainer gives the fraction.
"""

from __future__ import annotations

import math
import re
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from .models import QuestionKind

_FOUR = Decimal("0.0001")


def _clamp(value: float) -> Decimal:
    return Decimal(str(min(1.0, max(0.0, value)))).quantize(_FOUR, rounding=ROUND_HALF_UP)


def normalise_text(text: str, *, case_sensitive: bool) -> str:
    text = " ".join(str(text).split())
    return text if case_sensitive else text.casefold()


def _short_matches(given: str, accepted: str, *, case_sensitive: bool) -> bool:
    given = normalise_text(given, case_sensitive=case_sensitive)
    accepted = normalise_text(accepted, case_sensitive=case_sensitive)
    if "*" not in accepted:
        return given == accepted
    pattern = ".*".join(re.escape(part) for part in accepted.split("*"))
    return re.fullmatch(pattern, given, flags=0 if case_sensitive else re.IGNORECASE) is not None


def parse_number(text: Any) -> float | None:
    """A learner's number: ``3,5`` (Indonesian) or ``3.5``; thousands separators are not guessed at."""
    if isinstance(text, bool):
        return None
    if isinstance(text, (int, float)):
        value = float(text)
    else:
        text = str(text).strip().replace(" ", "")
        if text.count(",") == 1 and "." not in text:
            text = text.replace(",", ".")
        try:
            value = float(text)
        except ValueError:
            return None
    return value if math.isfinite(value) else None


def _indices(response: Any) -> list[int] | None:
    if not isinstance(response, list) or not all(isinstance(i, int) and not isinstance(i, bool) for i in response):
        return None
    return response


def fraction(kind: str, data: dict, response: Any) -> Decimal | None:
    if kind == QuestionKind.ESSAY:
        return None
    if response is None:
        return Decimal(0)
    score = _SCORERS[kind](data, response)
    return _clamp(score)


def _single(data: dict, response: Any) -> float:
    choices = data["choices"]
    if isinstance(response, bool) or not isinstance(response, int) or not 0 <= response < len(choices):
        return 0.0
    return float(choices[response]["fraction"])


def _multiple(data: dict, response: Any) -> float:
    choices = data["choices"]
    chosen = _indices(response)
    if chosen is None or len(set(chosen)) != len(chosen) or any(not 0 <= i < len(choices) for i in chosen):
        return 0.0
    return sum(float(choices[i]["fraction"]) for i in chosen)


def _true_false(data: dict, response: Any) -> float:
    return 1.0 if isinstance(response, bool) and response == bool(data["answer"]) else 0.0


def _short(data: dict, response: Any) -> float:
    if not isinstance(response, str) or not response.strip():
        return 0.0
    case_sensitive = bool(data.get("case_sensitive"))
    best = 0.0
    for answer in data["answers"]:
        if _short_matches(response, answer["text"], case_sensitive=case_sensitive):
            best = max(best, float(answer["fraction"]))
    return best


def _numeric(data: dict, response: Any) -> float:
    value = parse_number(response)
    if value is None:
        return 0.0
    best = 0.0
    for answer in data["answers"]:
        # A small epsilon so that 0.1 + 0.2 style binary rounding never turns a right answer wrong.
        if abs(value - float(answer["value"])) <= abs(float(answer.get("tolerance") or 0)) + 1e-9:
            best = max(best, float(answer["fraction"]))
    return best


def _matching(data: dict, response: Any) -> float:
    pairs = data["pairs"]
    lefts = [i for i, pair in enumerate(pairs) if pair["left"]]
    if not lefts or not isinstance(response, dict):
        return 0.0
    right = 0
    for i in lefts:
        chosen = response.get(str(i))
        if isinstance(chosen, bool) or not isinstance(chosen, int) or not 0 <= chosen < len(pairs):
            continue
        if pairs[chosen]["right"] == pairs[i]["right"]:
            right += 1
    return right / len(lefts)


def _ordering(data: dict, response: Any) -> float:
    items = data["items"]
    arranged = _indices(response)
    if arranged is None or sorted(arranged) != list(range(len(items))):
        return 0.0
    # Items with the same text are interchangeable.
    right = sum(1 for position, index in enumerate(arranged) if items[index] == items[position])
    return right / len(items)


_SCORERS = {
    QuestionKind.SINGLE: _single,
    QuestionKind.MULTIPLE: _multiple,
    QuestionKind.TRUE_FALSE: _true_false,
    QuestionKind.SHORT: _short,
    QuestionKind.NUMERIC: _numeric,
    QuestionKind.MATCHING: _matching,
    QuestionKind.ORDERING: _ordering,
}


def correct_response(kind: str, data: dict) -> Any:
    """The response that earns the full mark (shown once review of correct answers opens)."""
    if kind == QuestionKind.SINGLE:
        return max(range(len(data["choices"])), key=lambda i: float(data["choices"][i]["fraction"]))
    if kind == QuestionKind.MULTIPLE:
        return [i for i, choice in enumerate(data["choices"]) if float(choice["fraction"]) > 0]
    if kind == QuestionKind.TRUE_FALSE:
        return bool(data["answer"])
    if kind in (QuestionKind.SHORT, QuestionKind.NUMERIC):
        best = max(data["answers"], key=lambda a: float(a["fraction"]))
        return best["text"] if kind == QuestionKind.SHORT else best["value"]
    if kind == QuestionKind.MATCHING:
        return {str(i): i for i, pair in enumerate(data["pairs"]) if pair["left"]}
    if kind == QuestionKind.ORDERING:
        return list(range(len(data["items"])))
    return None
