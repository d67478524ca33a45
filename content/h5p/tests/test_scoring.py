"""The server's own score for a statement's result.response, checked against statements the real H5P
libraries sent from the platform's player (fixtures/statements/, made by capture_statements.py): for an
honest answer the server and the player agree exactly; for a forged one the server's score is its own."""

from __future__ import annotations

import copy
import json
import re
from decimal import Decimal
from pathlib import Path

import pytest

from content.h5p.scoring import (
    max_score,
    score_response,
    score_single_choice_set_item,
    score_sub_response,
    single_choice_set_questions,
    statement_sub_content_id,
    sub_items,
)

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "statements"
CAPTURED = sorted(FIXTURES.glob("*.json"))
ANSWERED = "http://adlnet.gov/expapi/verbs/answered"


def _load(name: str) -> dict:
    return json.loads((FIXTURES / f"{name}.json").read_text())


def _answered(fixture: dict) -> list[dict]:
    return [s for s in fixture["statements"] if s["verb"]["id"] == ANSWERED]


def _server_score(fixture: dict, statement: dict):
    """What the platform does with the statement: a nested item (a SingleChoiceSet's question too) is scored
    in the whole content.json, the package's main library around it."""
    response = statement["result"].get("response")
    sub_id = statement_sub_content_id(statement["object"])
    if sub_id is not None:
        return score_sub_response(fixture["content"], sub_id, response, main_library=fixture["main_library"])
    return score_response(fixture["main_library"], fixture["content"], response)


def _player_score(statement: dict):
    score = statement["result"]["score"]
    return score["raw"], score["max"]


def test_the_captures_cover_every_library_the_server_scores():
    played = {_load(path.stem)["main_library"] for path in CAPTURED}
    nested = {
        item["content"]["library"].split(" ")[0]
        for path in CAPTURED
        for item in _load(path.stem)["content"].get("content", [])
        if isinstance(item, dict) and "content" in item
    }
    assert {"H5P.MultiChoice", "H5P.TrueFalse", "H5P.Blanks", "H5P.DragText", "H5P.SingleChoiceSet"} <= played
    assert {"H5P.MultiChoice", "H5P.TrueFalse", "H5P.Blanks", "H5P.SingleChoiceSet"} <= nested
    assert len(CAPTURED) >= 25


@pytest.mark.parametrize("path", CAPTURED, ids=[p.stem for p in CAPTURED])
def test_an_honest_answer_scores_exactly_as_the_real_player_did(path):
    fixture = _load(path.stem)
    answered = _answered(fixture)
    assert answered, "the capture holds no answer"
    for statement in answered:
        assert _server_score(fixture, statement) == _player_score(statement), statement["result"].get("response")


@pytest.mark.parametrize("path", CAPTURED, ids=[p.stem for p in CAPTURED])
def test_the_stored_maximum_is_the_players(path):
    fixture = _load(path.stem)
    items = sub_items(fixture["content"], fixture["main_library"])
    for statement in _answered(fixture):
        sub_id = statement_sub_content_id(statement["object"])
        if sub_id is None:
            expected = max_score(fixture["main_library"], fixture["content"])
        else:  # a nested item, a SingleChoiceSet's question included (worth 1)
            expected = items[sub_id]["max_score"]
        assert _player_score(statement)[1] == expected


# ---- what the captures show about each library's response ----------------------------------------------


def test_multichoice_reports_the_package_index_of_a_shuffled_answer():
    fixture = _load("multichoice_single_correct")
    statement = _answered(fixture)[0]
    shown = [choice["id"] for choice in statement["object"]["definition"]["choices"]]
    assert shown != sorted(shown)  # the player shuffled the answers (randomAnswers)...
    chosen = int(statement["result"]["response"])
    text = fixture["content"]["answers"][chosen]["text"]
    assert re.sub(r"<[^>]+>", "", text).strip() == "Jakarta"  # ...yet reports the answer's place in the package


def test_multichoice_reports_several_answers_in_screen_order_joined():
    statement = _answered(_load("multichoice_multi_three_of_four"))[0]
    assert re.fullmatch(r"\d(\[,\]\d)+", statement["result"]["response"])
    assert _answered(_load("multichoice_no_correct_answer_blank"))[0]["result"]["response"] == ""


def test_blanks_decodes_entities_but_keeps_tags_inside_a_blank():
    # "*<strong>Banten</strong>*" wants the tags typed; "*Jawa&nbsp;Barat*" wants a no-break space.
    plain = _answered(_load("blanks_html_inside_a_cloze"))[0]
    assert plain["result"]["response"] == "Banten[,]Jawa Barat" and _player_score(plain) == (0, 2)
    typed = _answered(_load("blanks_html_inside_a_cloze_typed"))[0]
    assert typed["result"]["response"].startswith("<strong>Banten</strong>[,]") and _player_score(typed)[0] >= 1


def test_blanks_finds_blanks_as_the_library_does_not_as_a_regex_would():
    fixture = _load("blanks_adjacent_clozes")
    assert _player_score(_answered(fixture)[0]) == (2, 4)
    assert max_score("H5P.Blanks", fixture["content"]) == 4  # a naive \*[^*]+\* count says 5


def test_a_single_choice_set_sends_one_statement_per_question_under_its_subcontentid():
    fixture = _load("singlechoiceset_right_then_wrong")
    answered = _answered(fixture)
    ids = [statement_sub_content_id(s["object"]) for s in answered]
    assert ids == [c["subContentId"] for c in fixture["content"]["choices"]]
    assert [s["result"]["response"] for s in answered] == ["0", "2", "0"]
    completed = [s for s in fixture["statements"] if s["verb"]["id"].endswith("/completed")][0]
    # The set's own statement carries no response: the server scores the set from its questions.
    assert statement_sub_content_id(completed["object"]) is None
    assert score_response("H5P.SingleChoiceSet", fixture["content"], None) is None
    assert single_choice_set_questions(fixture["content"], None, "H5P.SingleChoiceSet") == ids
    assert set(sub_items(fixture["content"], "H5P.SingleChoiceSet")) == set(ids)


# ---- forged statements: a wrong response with a full score claimed --------------------------------------


FORGED = [
    "multichoice_single_wrong",
    "multichoice_multi_one_right_one_wrong",
    "multichoice_single_point_partial",
    "truefalse_answer_true_correct_false",
    "blanks_one_wrong_one_empty",
    "dragtext_swapped_and_empty",
    "singlechoiceset_right_then_wrong",
    "column_nested_items",
]


@pytest.mark.parametrize("name", FORGED)
def test_a_forged_full_score_is_not_believed(name):
    fixture = _load(name)
    forged_any = False
    for statement in _answered(fixture):
        raw, high = _player_score(statement)
        if raw == high:
            continue
        forged = copy.deepcopy(statement)
        forged["result"]["score"].update(raw=high, scaled=1)
        forged["result"]["success"] = True
        server = _server_score(fixture, forged)
        assert server == (raw, high) and server[0] < forged["result"]["score"]["raw"]
        forged_any = True
    assert forged_any


def test_a_forged_correct_responses_pattern_changes_nothing():
    fixture = _load("multichoice_single_wrong")
    statement = copy.deepcopy(_answered(fixture)[0])
    statement["object"]["definition"]["correctResponsesPattern"] = [statement["result"]["response"]]
    assert _server_score(fixture, statement) == (0, 1)


# ---- the rules, case by case ---------------------------------------------------------------------------


def _mc(answers, **behaviour):
    return {
        "answers": [{"text": f"<p>{t}</p>\n", "correct": c} for t, c in answers],
        "behaviour": {"type": "auto", "singlePoint": False, "passPercentage": 100, **behaviour},
    }


FOUR = [("a", True), ("b", False), ("c", True), ("d", False)]


@pytest.mark.parametrize(
    ("params", "response", "expected"),
    [
        (_mc(FOUR), "0[,]2", (2, 2)),
        (_mc(FOUR), "2", (1, 2)),
        (_mc(FOUR), "0[,]1", (0, 2)),  # a wrong choice takes back a right one
        (_mc(FOUR), "1[,]3", (0, 2)),  # never below 0
        (_mc(FOUR), "", (0, 2)),
        (_mc(FOUR, singlePoint=True), "0[,]2", (1, 1)),
        (_mc(FOUR, singlePoint=True), "0", (0, 1)),
        (_mc(FOUR, singlePoint=True, passPercentage=50), "0", (1, 1)),
        (_mc(FOUR, type="single"), "2", (1, 1)),
        (_mc(FOUR, type="single"), "0[,]2", (0, 1)),  # two answers where one can be chosen: no player sends it
        (_mc([("a", True), ("b", False)]), "0", (1, 1)),
        (_mc([("a", True), ("b", False)]), "1", (0, 1)),
        (_mc([("a", False), ("b", False)]), "", (1, 1)),  # no right answer: choosing none is right
        (_mc([("a", False), ("b", False)]), "0", (0, 1)),
        (_mc(FOUR), "7", (0, 2)),  # no such answer
        (_mc(FOUR), "0[,]0", (0, 2)),
        (_mc(FOUR), "x", (0, 2)),
        (_mc(FOUR), None, (0, 2)),
    ],
)
def test_multichoice(params, response, expected):
    assert score_response("H5P.MultiChoice", params, response) == expected


def test_multichoice_weights_and_runtime_defaults():
    params = _mc(FOUR)
    params["answers"][0]["weight"] = 1.5
    assert score_response("H5P.MultiChoice", params, "0[,]2") is None  # a maximum of 2.5 points is no int
    params["answers"][2]["weight"] = 2.5
    assert score_response("H5P.MultiChoice", params, "0") == (Decimal("1.5"), 4)
    assert score_response("H5P.MultiChoice", params, "0[,]2[,]3") == (3, 4)
    # The library's own default is one point for the whole question (singlePoint) when params omit it.
    bare = {"answers": [{"text": "a", "correct": True}, {"text": "b", "correct": True}, {"text": "c"}]}
    assert score_response("H5P.MultiChoice", bare, "0") == (0, 1)
    assert max_score("H5P.MultiChoice", bare) == 1
    assert score_response("H5P.MultiChoice", {"answers": []}, "0") is None


@pytest.mark.parametrize(
    ("correct", "response", "expected"),
    [("true", "true", 1), ("true", "false", 0), ("false", "false", 1), ("false", "true", 0), ("true", "", 0)],
)
def test_true_false(correct, response, expected):
    assert score_response("H5P.TrueFalse", {"correct": correct}, response) == (expected, 1)
    assert score_response("H5P.TrueFalse", {"correct": correct}, "TRUE") == (0, 1)


def _blanks(*questions, **behaviour):
    return {"questions": list(questions), "behaviour": {"caseSensitive": True, **behaviour}}


@pytest.mark.parametrize(
    ("params", "response", "expected"),
    [
        (_blanks("<p>*Jakarta/DKI Jakarta:tip* di *Banten*</p>"), "DKI Jakarta[,]Banten", (2, 2)),
        (_blanks("<p>*Jakarta* di *Banten*</p>"), "jakarta[,]Banten", (1, 2)),
        (_blanks("<p>*Jakarta* di *Banten*</p>", caseSensitive=False), "jakarta[,]BANTEN", (2, 2)),
        (_blanks("<p>* Jakarta *</p>", "<p>*R&amp;D*</p>"), " Jakarta [,]R&D", (2, 2)),
        (_blanks("<p>*Jakarta*</p>"), "Jakrata", (0, 1)),
        (_blanks("<p>*Jakarta*</p>", acceptSpellingErrors=True), "Jakrata", (1, 1)),  # one swap in 7 letters
        (_blanks("<p>*Bogor*</p>", acceptSpellingErrors=True), "Bogar", (1, 1)),
        (_blanks("<p>*Bogor*</p>", acceptSpellingErrors=True), "Bgaor", (0, 1)),
        (_blanks("<p>*Ada*</p>", acceptSpellingErrors=True), "Adu", (0, 1)),  # 3 letters: no mistake allowed
        (_blanks("<p>*Tangerang Selatan*</p>", acceptSpellingErrors=True), "Tangreang Selatn", (1, 1)),
        (_blanks("<p>*Tangerang Selatan*</p>", acceptSpellingErrors=True), "Tangreang Slatn", (0, 1)),
        (_blanks("<p>*a*</p>", "", "<p>*b*</p>"), "a[,]b", (2, 2)),  # empty questions are dropped
        (_blanks("<p>*a* *b*</p>"), "a[,]x[,]b", None),  # "[,]" typed in a blank: cannot be read
    ],
)
def test_blanks(params, response, expected):
    assert score_response("H5P.Blanks", params, response) == expected


def test_blanks_without_questions_is_not_scored():
    assert score_response("H5P.Blanks", {"questions": []}, "") is None
    assert score_response("H5P.Blanks", {}, "") is None


@pytest.mark.parametrize(
    ("text", "response", "expected"),
    [
        ("Kota *Jakarta:tip* dan *Banten*.", "Jakarta[,]Banten", (2, 2)),
        ("Kota *Jakarta:tip* dan *Banten*.", "Banten[,]Jakarta", (0, 2)),
        ("Kota *Jakarta:tip* dan *Banten*.", "Jakarta[,]", (1, 2)),
        ("Kota *Jakarta\\+Benar\\-Salah* *Banten  *.", "Jakarta[,]Banten", (2, 2)),
        ("Kota *Jakarta*\n*Banten*", "Jakarta[,]Banten", (2, 2)),
        ("Kota *Jakarta* dan *Banten*.", "Jakarta", (0, 2)),  # no player sends fewer words than blanks
    ],
)
def test_drag_text(text, response, expected):
    assert score_response("H5P.DragText", {"textField": text}, response) == expected


SET = {
    "choices": [
        {"subContentId": "q1", "question": "<p>Ibu kota?</p>", "answers": ["<p>Jakarta</p>\n", "<p>Bandung</p>\n"]},
        {"subContentId": "q2", "question": "<p>Banten?</p>", "answers": ["<p>Serang</p>\n", "<p>Bogor</p>\n"]},
    ]
}


def test_single_choice_set_questions():
    assert score_single_choice_set_item(SET, "q1", "0") == (1, 1)
    assert score_single_choice_set_item(SET, "q2", "1") == (0, 1)
    assert score_single_choice_set_item(SET, "q2", "5") == (0, 1)
    assert score_single_choice_set_item(SET, "q9", "0") is None
    assert score_sub_response(SET, "q2", "0", main_library="H5P.SingleChoiceSet 1.11") == (1, 1)
    assert score_sub_response(SET, "q1", "1", main_library="H5P.SingleChoiceSet") == (0, 1)
    assert score_sub_response(SET, "q1", "0") is None  # which set holds it cannot be told without the library
    # The set's own statement is never scored as one of its questions, whatever its extension names.
    assert score_response("H5P.SingleChoiceSet", SET, "0") is None
    by_extension = {"id": "x", "definition": {"extensions": {"http://h5p.org/x-api/h5p-subContentId": "q1"}}}
    assert statement_sub_content_id(by_extension) is None
    assert sub_items(SET, "H5P.SingleChoiceSet") == {
        "q1": {"library": "H5P.SingleChoiceSet", "max_score": 1, "title": "Ibu kota?"},
        "q2": {"library": "H5P.SingleChoiceSet", "max_score": 1, "title": "Banten?"},
    }


# ---- nested items in the other containers (their shapes in content.json) -------------------------------


def _node(library, sub_id, params):
    return {"library": library, "params": params, "subContentId": sub_id, "metadata": {}}


MC_PARAMS = _mc([("a", True), ("b", False)])
CONTAINERS = {
    "H5P.QuestionSet": {"questions": [_node("H5P.MultiChoice 1.16", "n1", MC_PARAMS)]},
    "H5P.CoursePresentation": {
        "presentation": {"slides": [{"elements": [{"action": _node("H5P.MultiChoice 1.16", "n1", MC_PARAMS)}]}]}
    },
    "H5P.InteractiveVideo": {
        "interactiveVideo": {
            "assets": {"interactions": [{"action": _node("H5P.MultiChoice 1.16", "n1", MC_PARAMS)}]},
        }
    },
    "H5P.Column": {"content": [{"content": _node("H5P.SingleChoiceSet 1.11", "set", SET)}]},
}


@pytest.mark.parametrize("container", sorted(CONTAINERS))
def test_a_nested_item_is_found_and_scored(container):
    content_json = CONTAINERS[container]
    if container == "H5P.Column":
        assert score_sub_response(content_json, "q1", "0") == (1, 1)
        assert score_sub_response(content_json, "q2", "1") == (0, 1)
        assert score_sub_response(content_json, "set", "") is None  # the set itself answers nothing
        assert set(sub_items(content_json)) == {"q1", "q2"}  # its questions are the items, the set none
        assert single_choice_set_questions(content_json, "set") == ["q1", "q2"]
    else:
        assert score_sub_response(content_json, "n1", "0") == (1, 1)
        assert score_sub_response(content_json, "n1", "1") == (0, 1)
    assert score_sub_response(content_json, "missing", "0") is None


def test_a_subcontentid_named_twice_is_not_scored():
    twice = {"questions": [_node("H5P.TrueFalse 1.6", "same", {"correct": "true"})] * 2}
    assert score_sub_response(twice, "same", "true") is None


@pytest.mark.parametrize("library", ["H5P.Essay", "H5P.MarkTheWords", "H5P.Column", "H5P.Unknown", ""])
def test_types_the_server_cannot_score(library):
    assert score_response(library, {"textField": "*a*", "answers": []}, "0") is None


def test_hostile_params_are_not_scored_and_do_not_raise():
    assert score_response("H5P.MultiChoice", {"answers": "nope"}, "0") is None
    assert score_response("H5P.MultiChoice", {"answers": [{"correct": True, "weight": "9"}]}, "0") is None
    assert score_response("H5P.Blanks", {"questions": [7]}, "a") is None
    assert score_response("H5P.DragText", {"textField": None}, "a") is None
    assert score_response("H5P.TrueFalse", [], "true") is None
    assert score_response("H5P.TrueFalse", {"correct": "true"}, 1) is None
    assert score_sub_response({"a": [{"subContentId": "x"}]}, "x", "0") is None
