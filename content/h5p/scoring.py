"""What a package can score, read from its content.json: the bounds a learner's statement must respect.

Only content types whose maximum follows from their parameters are computed (as their own
getMaxScore() does); for the others the maximum is unknown (None) and statements are checked for
internal consistency only.
"""

from __future__ import annotations

import re
from typing import Any

_CLOZE = re.compile(r"\*[^*]+\*")


def _correct_answers(params: dict[str, Any]) -> int:
    return sum(1 for answer in params.get("answers") or [] if isinstance(answer, dict) and answer.get("correct"))


def _multichoice(params: dict[str, Any]) -> int | None:
    behaviour = params.get("behaviour") or {}
    correct = _correct_answers(params)
    kind = behaviour.get("type", "auto")
    single = kind == "single" or (kind == "auto" and correct == 1)
    if single or behaviour.get("singlePoint"):
        return 1
    return correct or None


def _count_clozes(texts: list[Any]) -> int | None:
    total = sum(len(_CLOZE.findall(text)) for text in texts if isinstance(text, str))
    return total or None


# Library machine name -> max score from its params.
CALCULATORS = {
    "H5P.TrueFalse": lambda p: 1,
    "H5P.MultiChoice": _multichoice,
    "H5P.Blanks": lambda p: _count_clozes(p.get("questions") or []),
    "H5P.DragText": lambda p: _count_clozes([p.get("textField")]),
    "H5P.MarkTheWords": lambda p: _count_clozes([p.get("textField")]),
    "H5P.SingleChoiceSet": lambda p: len(p.get("choices") or []) or None,
}
# Types that report a score whose bounds we cannot derive from their parameters.
SCORABLE_UNKNOWN = frozenset(
    {
        "H5P.Essay",
        "H5P.DragQuestion",
        "H5P.Summary",
        "H5P.QuestionSet",
        "H5P.ImageMultipleHotspotQuestion",
        "H5P.ImageHotspotQuestion",
        "H5P.ArithmeticQuiz",
        "H5P.SpeakTheWords",
        "H5P.SortParagraphs",
        "H5P.CoursePresentation",
        "H5P.InteractiveVideo",
        "H5P.GuessTheAnswer",
    }
)
# Score-less types (GuessTheAnswer shows an answer but scores nothing).
SCORELESS = frozenset({"H5P.GuessTheAnswer"})


def library_name(value: Any) -> str:
    """'H5P.MultiChoice 1.14' -> 'H5P.MultiChoice'."""
    return value.split(" ", 1)[0] if isinstance(value, str) else ""


def max_score(library: str, params: dict[str, Any]) -> int | None:
    calculator = CALCULATORS.get(library)
    if calculator is None or not isinstance(params, dict):
        return None
    try:
        return calculator(params)
    except (TypeError, AttributeError):
        return None


def _title(node: dict[str, Any]) -> str:
    metadata = node.get("metadata") or {}
    params = node.get("params") or {}
    for candidate in (
        metadata.get("title"),
        params.get("question"),
        params.get("taskDescription"),
        params.get("text"),
    ):
        if isinstance(candidate, str) and candidate.strip():
            return re.sub(r"<[^>]+>", "", candidate).strip()[:200]
    return library_name(node.get("library"))


def sub_items(content_json: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Scorable nested items (those with a subContentId) of a container such as H5P.Column."""
    found: dict[str, dict[str, Any]] = {}

    def visit(value: Any) -> None:
        if isinstance(value, dict):
            library = library_name(value.get("library"))
            sub_id = value.get("subContentId")
            if library and isinstance(sub_id, str) and sub_id:
                scorable = library in CALCULATORS or (library in SCORABLE_UNKNOWN and library not in SCORELESS)
                if scorable:
                    found[sub_id] = {
                        "library": library,
                        "max_score": max_score(library, value.get("params") or {}),
                        "title": _title(value),
                    }
            for child in value.values():
                visit(child)
        elif isinstance(value, list):
            for child in value:
                visit(child)

    visit(content_json)
    return found


def package_max_score(main_library: str, content_json: dict[str, Any], items: dict[str, dict[str, Any]]) -> int | None:
    """The main library's own maximum; for a container, the sum of its nested items' maxima when all are known."""
    own = max_score(main_library, content_json)
    if own is not None:
        return own
    if items and all(item["max_score"] is not None for item in items.values()):
        return sum(item["max_score"] for item in items.values())
    return None
