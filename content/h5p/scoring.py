"""What a package can score, read from its content.json: the bounds a learner's statement must respect, and
the server's own score for the response a statement carries.

Only content types whose maximum follows from their parameters are computed (as their own
getMaxScore() does); for the others the maximum is unknown (None) and statements are checked for
internal consistency only.

``score_response`` scores ``result.response`` from the package's own parameters, as the library's own
getScore() does in the browser, so the server need not trust the score the browser sends. Each scorer
follows the code of the library version the platform's samples bring (MultiChoice 1.14, TrueFalse 1.6,
Blanks 1.12, DragText 1.10, SingleChoiceSet 1.11) and is checked against statements captured from those
libraries in the real player (content/h5p/tests/fixtures/statements/). What those libraries send as
``result.response``:

- H5P.MultiChoice: the chosen answers' indices in params.answers (their order in the package, also when
  the player shuffles them), joined by "[,]"; "" when none is chosen.
- H5P.TrueFalse: "true" or "false"; "" when not answered.
- H5P.Blanks: every blank's trimmed input, in order, joined by "[,]".
- H5P.DragText: the word dropped on each blank, in order ("" for an empty blank), joined by "[,]".
- H5P.SingleChoiceSet: one statement per question (its object.id ends in ?subContentId=<the question's
  subContentId>), the response being the chosen answer's index in the package (answers are shuffled on
  screen; the first answer in the package is the right one).

H5P.MarkTheWords is not scored here (None): its words are cut from the HTML of its text by a browser's
parser and version-dependent rules, and no sample brings the library to check a scorer against.

A response the library cannot have sent (an unknown answer id, a word count that does not fit) scores 0:
nothing in it is right. None means the server cannot score the statement (a type or parameters it does not
understand, or a response that can be read more than one way); the caller then treats the browser's score
as self-reported.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Any

Score = tuple[Decimal | int, int]

# JavaScript's \s (what H5P.trim and the libraries' regular expressions strip), which is not Python's.
_JS_SPACE = "\t\n\v\f\r \u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"
_JS_TRIM = re.compile(f"^[{_JS_SPACE}]+|[{_JS_SPACE}]+$")
_JS_TRAILING_SPACE = re.compile(f"[{_JS_SPACE}]+\\Z")
_CLOZE = re.compile(r"\*[^*]+\*")  # MarkTheWords' marked words, roughly
SEPARATOR = "[,]"  # how xAPI (and H5P) join the parts of a response
SINGLE_CHOICE_SET = "H5P.SingleChoiceSet"


def _js_trim(value: str) -> str:
    return _JS_TRIM.sub("", value)


def _js_truthy(value: Any) -> bool:
    """JavaScript's truthiness of a JSON value ([] and {} are true there)."""
    if isinstance(value, list | dict):
        return True
    return bool(value)


def _number(value: Any) -> Decimal | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


def _plain(value: Decimal) -> Decimal | int:
    return int(value) if value == value.to_integral_value() else value


def _indices(response: str, count: int) -> list[int] | None:
    """'2[,]0' -> [2, 0]; None when a part is not the index of one of ``count`` answers."""
    if response == "":
        return []
    found = []
    for part in response.split(SEPARATOR):
        if not re.fullmatch(r"\d{1,6}", part) or int(part) >= count:
            return None
        found.append(int(part))
    return found


# ---- H5P.MultiChoice (1.14: multichoice.js calcScore, getMaxScore, addResponseToXAPI) -------------------


class _MultiChoice:
    """The library's own reading of its params (defaults as in its constructor)."""

    def __init__(self, params: dict[str, Any]):
        answers = params.get("answers")
        if not isinstance(answers, list) or not answers or not all(isinstance(a, dict) for a in answers):
            raise ValueError("answers")
        behaviour = params.get("behaviour") if isinstance(params.get("behaviour"), dict) else {}
        self.weight = _number(params.get("weight", 1))
        self.weights = [_number(a.get("weight", 1)) for a in answers]
        pass_percentage = _number(behaviour.get("passPercentage", 100))
        if self.weight is None or pass_percentage is None or None in self.weights:
            raise ValueError("weights")
        self.pass_percentage = pass_percentage
        self.correct = [_js_truthy(a.get("correct")) for a in answers]
        correct_count = sum(self.correct)
        self.blank_is_correct = correct_count == 0
        kind = behaviour.get("type", "auto")
        self.single_answer = correct_count == 1 if kind == "auto" else kind == "single"
        self.single_point = _js_truthy(behaviour.get("singlePoint", True))

    def calculated_max(self) -> Decimal:
        if self.blank_is_correct:
            return self.weight
        return sum((w for w, right in zip(self.weights, self.correct, strict=True) if right), Decimal(0))

    def max_score(self) -> Decimal:
        return self.weight if self.single_answer or self.single_point else self.calculated_max()

    def score(self, chosen: list[int]) -> Decimal:
        if self.single_answer:
            # toggleCheck: one point for the right answer, whatever the weights.
            return Decimal(1 if chosen and self.correct[chosen[0]] else 0)
        score = Decimal(0)
        for index in chosen:
            score += self.weights[index] if self.correct[index] else -self.weights[index]
        score = max(score, Decimal(0))
        if not chosen and self.blank_is_correct:
            score = self.weight
        if self.single_point:
            calculated = self.calculated_max()
            if calculated == 0:
                raise ValueError("no points to share")
            score = self.weight if 100 * score / calculated >= self.pass_percentage else Decimal(0)
        return score


def _multichoice_max(params: dict[str, Any]) -> int | None:
    try:
        high = _MultiChoice(params).max_score()
    except ValueError:
        return None
    return int(high) if high > 0 and high == high.to_integral_value() else None


def _score_multichoice(params: dict[str, Any], response: str | None, context: dict[str, Any]) -> Score | None:
    try:
        task = _MultiChoice(params)
        high = task.max_score()
    except ValueError:
        return None
    if high <= 0 or high != high.to_integral_value():
        return None
    chosen = _indices(response or "", len(task.correct))
    if chosen is None or len(set(chosen)) != len(chosen) or (task.single_answer and len(chosen) > 1):
        return 0, int(high)  # no player sends this
    try:
        return _plain(task.score(chosen)), int(high)
    except ValueError:
        return None


# ---- H5P.TrueFalse (1.6: h5p-true-false.js getCorrectAnswer, addResponseToXAPI) --------------------------


def _score_true_false(params: dict[str, Any], response: str | None, context: dict[str, Any]) -> Score | None:
    correct = "true" if params.get("correct", "true") == "true" else "false"
    return (1 if response == correct else 0), 1


# ---- H5P.Blanks (1.12: blanks.js handleBlanks, parseSolution; cloze.js correct) --------------------------


def _handle_blanks(question: str) -> list[str]:
    """The text of each blank (between asterisks) in the order Blanks.handleBlanks finds them, with its
    quirks: '**' is no blank, and the character right after a blank is never the start of the next one."""
    found: list[str] = []
    placeholder = "\x00"  # stands for the input field the library puts in; its length does not matter
    cloze_end: int | None = None
    cloze_start = question.find("*")
    while cloze_start != -1 and cloze_end != -1:
        cloze_start += 1
        cloze_end = question.find("*", cloze_start)
        if cloze_end == -1:
            continue
        content = question[cloze_start:cloze_end]
        replacer = ""
        if content:
            found.append(content)
            replacer = placeholder
            cloze_end += 1
        else:
            cloze_start += 1
        question = question[: cloze_start - 1] + replacer + question[cloze_end:]
        cloze_end = cloze_start + len(replacer)
        cloze_start = question.find("*", cloze_end)
    return found


def _blank_solutions(content: str) -> list[str]:
    """parseSolution: the part before ':' (the tip) split on '/', each trimmed, then HTML entities decoded
    (through a textarea: tags are kept as typed, not stripped)."""
    tip_start = content.find(":")
    solution = content[:tip_start] if tip_start != -1 else content
    return [html.unescape(_js_trim(part)) for part in solution.split("/")]


def _blanks_clozes(params: dict[str, Any]) -> list[list[str]] | None:
    questions = params.get("questions")
    if not isinstance(questions, list) or not questions:
        return None  # the library would play its own example question
    questions = [q for q in questions if _js_truthy(q)]  # it drops empty questions
    if not all(isinstance(q, str) for q in questions):
        return None
    return [_blank_solutions(content) for question in questions for content in _handle_blanks(question)]


def _utf16(value: str) -> list[int]:
    data = value.encode("utf-16-le", "surrogatepass")
    return [int.from_bytes(data[i : i + 2], "little") for i in range(0, len(data), 2)]


def _damerau_levenshtein(first: str, second: str) -> int:
    """H5P.TextUtilities.computeLevenshteinDistance(first, second, true), on UTF-16 code units as in JS."""
    a, b = _utf16(first), _utf16(second)
    if a == b:
        return 0
    if not a or not b:
        return len(a) or len(b)
    distance = [[i] + [0] * len(b) for i in range(len(a) + 1)]
    distance[0] = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            distance[i][j] = min(distance[i - 1][j] + 1, distance[i][j - 1] + 1, distance[i - 1][j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                distance[i][j] = min(distance[i][j], distance[i - 2][j - 2] + cost)
    return distance[len(a)][len(b)]


def _blank_is_right(answered: str, solutions: list[str], behaviour: dict[str, Any]) -> bool:
    case_sensitive = behaviour.get("caseSensitive", True) is True
    spelling = behaviour.get("acceptSpellingErrors", False) is True
    if not case_sensitive:
        answered = answered.lower()
        solutions = [solution.lower() for solution in solutions]
    for solution in solutions:
        if spelling:
            distance = _damerau_levenshtein(answered, solution)
            length = len(_utf16(solution))
            if (length > 9 and distance <= 2) or (length > 3 and distance <= 1):
                return True
        if answered == solution:
            return True
    return False


def _score_blanks(params: dict[str, Any], response: str | None, context: dict[str, Any]) -> Score | None:
    clozes = _blanks_clozes(params)
    if not clozes:
        return None
    answers = (response or "").split(SEPARATOR)
    if len(answers) != len(clozes):
        return None  # a learner may type "[,]" in a blank: the parts cannot be told apart
    behaviour = params.get("behaviour") if isinstance(params.get("behaviour"), dict) else {}
    right = sum(
        1
        for answered, solutions in zip(answers, clozes, strict=True)
        if _blank_is_right(_js_trim(answered), solutions, behaviour)
    )
    return right, len(clozes)


# ---- H5P.DragText (1.10: parseText, lex, Droppable.isCorrect, getXAPIResponse) --------------------------

_DRAG_TEXT_PARTS = re.compile("(\\*[^\\n\\r\\u2028\\u2029]*?\\*)")  # JS /(\*.*?\*)/: '.' stops at line ends
_DRAG_TEXT_TIP = re.compile(r":[^\\*]+")
_DRAG_TEXT_RIGHT_FEEDBACK = re.compile(r"\\\+[^\\*:]+")
_DRAG_TEXT_WRONG_FEEDBACK = re.compile(r"\\-[^\\*:]+")


def _drag_text_word(part: str) -> str:
    """lex(): the blank's word without its asterisks, tip (':tip') and feedback ('\\+right', '\\-wrong')."""
    word = part[1:] if part.startswith("*") else part
    word = word[:-1] if word.endswith("*") else word
    for pattern in (_DRAG_TEXT_TIP, _DRAG_TEXT_RIGHT_FEEDBACK, _DRAG_TEXT_WRONG_FEEDBACK):
        found = pattern.findall(part)
        if found:
            word = word.replace(",".join(found), "", 1)  # JS String.replace with an array: its join(",")
    return _JS_TRAILING_SPACE.sub("", word)


def _drag_text_blanks(params: dict[str, Any]) -> list[str] | None:
    text = params.get("textField")
    if not isinstance(text, str):
        return None
    text = re.sub(r"\r\n|\n|\r", "<br/>", text)
    parts = [part for part in _DRAG_TEXT_PARTS.split(text) if part]
    return [_drag_text_word(part) for part in parts if part.startswith("*") and part.endswith("*")]


def _score_drag_text(params: dict[str, Any], response: str | None, context: dict[str, Any]) -> Score | None:
    words = _drag_text_blanks(params)
    if not words:
        return None
    dropped = (response or "").split(SEPARATOR)
    if len(dropped) != len(words):
        if any(SEPARATOR in word for word in words):
            return None  # a dropped word holds the separator: the parts cannot be told apart
        return 0, len(words)  # no player sends this
    return sum(1 for got, want in zip(dropped, words, strict=True) if got == want), len(words)


# ---- H5P.SingleChoiceSet (1.11: SingleChoice answers, createXApiAnsweredEvent) ---------------------------


def statement_sub_content_id(statement_object: dict[str, Any] | None) -> str | None:
    """The subContentId a statement's object.id names (``?subContentId=``); None for the item itself. Its
    ``h5p-subContentId`` extension is never read: what the browser says there names nothing we score."""
    if not isinstance(statement_object, dict):
        return None
    object_id = statement_object.get("id")
    if isinstance(object_id, str) and "?subContentId=" in object_id:
        return object_id.split("?subContentId=", 1)[1] or None
    return None


def _score_single_choice(choice: dict[str, Any], response: str | None) -> Score | None:
    answers = choice.get("answers")
    if not isinstance(answers, list) or not answers:
        return None
    chosen = _indices(response or "", len(answers))
    # The first answer in the package is the right one (the player shuffles them, and reports the index in
    # the package).
    return (1 if chosen == [0] else 0), 1


def score_single_choice_set_item(set_params: dict[str, Any], sub_content_id: str, response: str | None) -> Score | None:
    """The server's score for one question of a SingleChoiceSet, found by its subContentId in the set's params."""
    choices = set_params.get("choices") if isinstance(set_params, dict) else None
    if not isinstance(choices, list):
        return None
    matches = [c for c in choices if isinstance(c, dict) and c.get("subContentId") == sub_content_id]
    if len(matches) != 1:
        return None
    return _score_single_choice(matches[0], response)


def _score_single_choice_set(params: dict[str, Any], response: str | None, context: dict[str, Any]) -> Score | None:
    # The set's own statement ("completed", the browser's sum) carries no response: the set is scored from
    # its questions' statements, each a nested item (score_sub_response), never from this one.
    return None


def _set_question_ids(params: Any) -> list[str]:
    choices = params.get("choices") if isinstance(params, dict) else None
    if not isinstance(choices, list):
        return []
    return [c["subContentId"] for c in choices if isinstance(c, dict) and isinstance(c.get("subContentId"), str)]


RESPONSE_SCORERS: dict[str, Callable[[dict[str, Any], str | None, dict[str, Any]], Score | None]] = {
    "H5P.MultiChoice": _score_multichoice,
    "H5P.TrueFalse": _score_true_false,
    "H5P.Blanks": _score_blanks,
    "H5P.DragText": _score_drag_text,
    "H5P.SingleChoiceSet": _score_single_choice_set,
}


def score_response(library: str, params: dict[str, Any], response: str | None) -> Score | None:
    """The server's own (raw, max) for ``response`` (a statement's result.response) to the content type
    ``library`` with ``params``; None when the server cannot score it (a SingleChoiceSet's own statement
    included: its questions are nested items). What is right comes from the package alone, never from the
    statement (its correctResponsesPattern is the browser's word)."""
    scorer = RESPONSE_SCORERS.get(library_name(library) or library)
    if scorer is None or not isinstance(params, dict) or not (response is None or isinstance(response, str)):
        return None
    try:
        return scorer(params, response, {})
    except (TypeError, AttributeError, ValueError, RecursionError):
        return None


def _find_sub_content(
    content_json: Any, sub_content_id: str, main_library: str = ""
) -> list[tuple[dict[str, Any], dict[str, Any] | None]]:
    """Every node with this subContentId, with the nearest library node (library + params) around it: the
    package's main library (``main_library`` with content.json as its params) for a node at the top."""
    root = (
        {"library": main_library, "params": content_json} if main_library and isinstance(content_json, dict) else None
    )
    found: list[tuple[dict[str, Any], dict[str, Any] | None]] = []

    def visit(value: Any, container: dict[str, Any] | None) -> None:
        if isinstance(value, dict):
            if value.get("subContentId") == sub_content_id:
                found.append((value, container))
            inner = value if isinstance(value.get("library"), str) and isinstance(value.get("params"), dict) else None
            for child in value.values():
                visit(child, inner or container)
        elif isinstance(value, list):
            for child in value:
                visit(child, container)

    visit(content_json, root)
    return found


def sub_content_library(content_json: dict[str, Any], sub_content_id: str, main_library: str = "") -> str:
    """The content type that scores a nested item: its own library, or for a question of a SingleChoiceSet
    (a node without a library) the set's; "" when the id is not in the content (or not only once)."""
    found = _find_sub_content(content_json, sub_content_id, main_library)
    if len(found) != 1:
        return ""
    node, container = found[0]
    if isinstance(node.get("library"), str):
        return library_name(node["library"])
    return library_name((container or {}).get("library"))


def score_sub_response(
    content_json: dict[str, Any],
    sub_content_id: str,
    response: str | None,
    *,
    main_library: str = "",
) -> Score | None:
    """The server's score for a statement of an item nested in a container (Column, QuestionSet,
    CoursePresentation, InteractiveVideo...: a node {"library", "params", "subContentId"} anywhere in
    content.json), or of a question of a SingleChoiceSet (a node in its params.choices; the set being the
    package's ``main_library`` or a node of it)."""
    if not isinstance(sub_content_id, str) or not sub_content_id:
        return None
    found = _find_sub_content(content_json, sub_content_id, main_library)
    if len(found) != 1:
        return None  # unknown, or named twice: which one answered cannot be told
    node, container = found[0]
    library = node.get("library")
    if isinstance(library, str) and isinstance(node.get("params"), dict):
        return score_response(library_name(library), node["params"], response)
    if container is not None and library_name(container["library"]) == SINGLE_CHOICE_SET:
        choices = container["params"].get("choices")
        if isinstance(choices, list) and any(choice is node for choice in choices):
            return score_single_choice_set_item(container["params"], sub_content_id, response)
    return None


def single_choice_set_questions(
    content_json: dict[str, Any], sub_content_id: str | None, main_library: str = ""
) -> list[str]:
    """The questions' subContentIds when the item (the package itself for None, else its nested item of this
    id) is a SingleChoiceSet, whose own total is the sum of its questions; [] for anything else."""
    if sub_content_id is None:
        return _set_question_ids(content_json) if library_name(main_library) == SINGLE_CHOICE_SET else []
    found = _find_sub_content(content_json, sub_content_id, main_library)
    if len(found) != 1 or library_name(found[0][0].get("library")) != SINGLE_CHOICE_SET:
        return []
    return _set_question_ids(found[0][0].get("params"))


# Library machine name -> max score from its params.
CALCULATORS = {
    "H5P.TrueFalse": lambda p: 1,
    "H5P.MultiChoice": _multichoice_max,
    "H5P.Blanks": lambda p: len(_blanks_clozes(p) or []) or None,
    "H5P.DragText": lambda p: len(_drag_text_blanks(p) or []) or None,
    "H5P.MarkTheWords": lambda p: len(_CLOZE.findall(p.get("textField") or "")) or None,
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


def sub_items(content_json: dict[str, Any], main_library: str = "") -> dict[str, dict[str, Any]]:
    """Scorable nested items (those with a subContentId) of a container such as H5P.Column. A SingleChoiceSet
    (the package itself, or nested) is a container of its questions: each question is an item worth 1, the
    set itself is none (its own statement is the browser's sum)."""
    found: dict[str, dict[str, Any]] = {}

    def add_questions(params: Any) -> None:
        choices = params.get("choices") if isinstance(params, dict) else None
        for choice in choices if isinstance(choices, list) else []:
            if isinstance(choice, dict) and isinstance(choice.get("subContentId"), str) and choice["subContentId"]:
                title = re.sub(r"<[^>]+>", "", str(choice.get("question") or "")).strip()[:200]
                found[choice["subContentId"]] = {
                    "library": SINGLE_CHOICE_SET,
                    "max_score": 1,
                    "title": title or SINGLE_CHOICE_SET,
                }

    def visit(value: Any) -> None:
        if isinstance(value, dict):
            library = library_name(value.get("library"))
            sub_id = value.get("subContentId")
            if library == SINGLE_CHOICE_SET and isinstance(value.get("params"), dict):
                add_questions(value["params"])
            elif library and isinstance(sub_id, str) and sub_id:
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

    if library_name(main_library) == SINGLE_CHOICE_SET:
        add_questions(content_json)
    else:
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
