"""Each kind scored on the server, and what a crafted response gets (0, never an error)."""

from decimal import Decimal

import pytest

from lms.evaluation.drafts import DraftError, draft_check
from lms.evaluation.scoring import correct_response, fraction

from .factories import sample


def score(kind, response, **changes):
    draft = draft_check(sample(kind, **changes))
    return fraction(kind, draft.data, response)


@pytest.mark.parametrize(
    ("response", "expected"),
    [(0, "1"), (1, "0"), (2, "0"), (7, "0"), (-1, "0"), (True, "0"), ("0", "0"), (None, "0"), ([0], "0")],
)
def test_single_choice(response, expected):
    assert score("single", response) == Decimal(expected)


@pytest.mark.parametrize(
    ("response", "expected"),
    [
        ([0, 1], "1"),
        ([1, 0], "1"),
        ([0], "0.5"),
        ([0, 2], "0"),
        ([0, 1, 2], "0.5"),
        ([0, 1, 2, 3], "0"),  # ticking everything earns nothing
        ([0, 0], "0"),  # the same choice twice is a crafted form
        ([9], "0"),
        ("0,1", "0"),
        ([], "0"),
    ],
)
def test_multiple_choice(response, expected):
    assert score("multiple", response) == Decimal(expected)


def test_true_false():
    assert score("truefalse", True) == 1
    assert score("truefalse", False) == 0
    assert score("truefalse", "true") == 0
    assert score("truefalse", 1) == 0


@pytest.mark.parametrize(
    ("response", "expected"),
    [
        ("BKPSDM", "1"),
        ("  bkpsdm ", "1"),  # case does not count unless the question says so
        ("BKD Kota", "0.5"),  # * stands for any text
        ("BKP SDM", "0"),
        ("", "0"),
        (["BKPSDM"], "0"),
        (".*", "0"),  # a learner's text is never a pattern
    ],
)
def test_short_answer(response, expected):
    assert score("short", response) == Decimal(expected)


def test_short_answer_case_sensitive():
    data = {"answers": [{"text": "BKPSDM", "fraction": 1.0}], "case_sensitive": True}
    assert score("short", "BKPSDM", data=data) == 1
    assert score("short", "bkpsdm", data={**data, "answers": [{"text": "BKPSDM", "fraction": 1.0}]}) == 0


@pytest.mark.parametrize(
    ("response", "expected"),
    [
        ("3.14", "1"),
        ("3,141", "1"),
        ("3.145", "1"),
        ("3.146", "0"),
        ("3", "0.5"),
        (3, "0.5"),
        ("tiga", "0"),
        ("nan", "0"),
        ("inf", "0"),
        ("", "0"),
    ],
)
def test_numeric_with_tolerance(response, expected):
    assert score("numeric", response) == Decimal(expected)


def test_matching_counts_each_pair_and_ignores_distractors():
    assert score("matching", {"0": 0, "1": 1, "2": 2}) == 1
    assert score("matching", {"0": 0, "1": 3, "2": 2}) == Decimal("0.6667")
    assert score("matching", {"0": 1, "1": 0}) == 0
    assert score("matching", {"0": "0", "1": 99, "2": -1}) == 0
    assert score("matching", [0, 1, 2]) == 0


def test_matching_right_sides_count_by_text():
    data = {"pairs": [{"left": "a", "right": "X"}, {"left": "b", "right": "X"}, {"left": "c", "right": "Y"}]}
    assert score("matching", {"0": 1, "1": 0, "2": 2}, data=data) == 1


def test_ordering():
    assert score("ordering", [0, 1, 2]) == 1
    assert score("ordering", [0, 2, 1]) == Decimal("0.3333")
    assert score("ordering", [2, 1, 0]) == Decimal("0.3333")
    assert score("ordering", [0, 1]) == 0
    assert score("ordering", [0, 0, 1]) == 0


def test_essay_waits_for_the_trainer():
    assert score("essay", "Jawaban panjang") is None


@pytest.mark.parametrize("kind", ["single", "multiple", "truefalse", "short", "numeric", "matching", "ordering"])
def test_the_correct_response_earns_the_full_mark(kind):
    draft = draft_check(sample(kind))
    assert fraction(kind, draft.data, correct_response(kind, draft.data)) == 1


@pytest.mark.parametrize(
    ("kind", "data", "message"),
    [
        ("single", {"choices": [{"text": "a", "fraction": 0.5}, {"text": "b", "fraction": 0}]}, "100%"),
        ("single", {"choices": [{"text": "a", "fraction": 1}]}, "2 sampai"),
        ("multiple", {"choices": [{"text": "a", "fraction": 0.5}, {"text": "b", "fraction": 0.2}]}, "berjumlah 100%"),
        ("multiple", {"choices": [{"text": "a", "fraction": "x"}, {"text": "b", "fraction": 1}]}, "bukan angka"),
        ("truefalse", {"answer": "yes"}, "benar atau salah"),
        ("short", {"answers": []}, "setidaknya satu"),
        ("numeric", {"answers": [{"value": "abc", "fraction": 1}]}, "bukan angka"),
        ("matching", {"pairs": [{"left": "a", "right": "b"}]}, "2 pasangan"),
        ("ordering", {"items": ["a"]}, "2 sampai"),
        ("short", {"answers": [{"text": "a*b*c*d*e", "fraction": 1}]}, "tanda *"),
        ("single", {}, "2 sampai"),
        ("single", {"choices": "abc"}, "tidak lengkap"),
    ],
)
def test_bad_questions_are_refused_naming_them(kind, data, message):
    with pytest.raises(DraftError) as error:
        draft_check(sample(kind, data=data, name="Soal rusak"))
    assert "Soal rusak" in str(error.value) and message in str(error.value)
