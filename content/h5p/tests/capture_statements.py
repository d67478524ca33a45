"""Captures the xAPI statements the REAL H5P libraries send, played by the platform's player in Debian's
headless Chromium, into fixtures/statements/*.json (read by test_scoring.py).

Not part of the normal run (its name does not match test_*.py). Run it on purpose when a fixture must be
made again:

    CAPTURE_H5P=1 .venv/bin/python -m pytest -q -p no:cacheprovider content/h5p/tests/capture_statements.py

Each scenario is our own small content played by the libraries of a package the platform ships
(content/h5p/samples/); a learner answers it as written
in ``actions`` and every statement the player frame posts to the lesson page is kept as it was sent.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from content.h5p.packaging import package_with_content
from content.h5p.samples import COLUMN, DRAG_TEXT
from content.h5p.tests.factories import make_h5p_course

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "statements"
# The fixtures made before the packages moved into the repository say "played_by":
# "moodle-repurpose__column-252.h5p": the same library versions, byte for byte, now in COLUMN.
COLUMN_SAMPLE = COLUMN  # MultiChoice 1.14, TrueFalse 1.6, Blanks 1.12, SingleChoiceSet 1.11
DRAG_TEXT_SAMPLE = DRAG_TEXT  # DragText 1.10

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(os.environ.get("CAPTURE_H5P") != "1", reason="captures fixtures only when CAPTURE_H5P=1"),
]

# Every message the player frames post to the lesson page, kept before lesson.js relays it.
CAPTURE_SCRIPT = """
if (window.top === window) {
  window.__statements = [];
  window.addEventListener("message", function (event) {
    var data = event.data;
    if (data && data.source === "h5p-player" && data.type === "h5p:xapi") {
      window.__statements.push(JSON.parse(JSON.stringify(data.statement)));
    }
  });
}
"""


# ---- content -------------------------------------------------------------------------------------------


def multichoice(answers, *, kind="auto", single_point=False, random=True, pass_percentage=100, question="Pilih"):
    return {
        "question": f"<p>{question}</p>\n",
        "answers": [
            {"text": f"<p>{text}</p>\n", "correct": correct, "tipsAndFeedback": {"tip": "", "chosenFeedback": ""}}
            for text, correct in answers
        ],
        "behaviour": {
            "enableRetry": True,
            "enableSolutionsButton": True,
            "enableCheckButton": True,
            "type": kind,
            "singlePoint": single_point,
            "randomAnswers": random,
            "showSolutionsRequiresInput": True,
            "confirmCheckDialog": False,
            "confirmRetryDialog": False,
            "autoCheck": False,
            "passPercentage": pass_percentage,
            "showScorePoints": True,
        },
        "UI": {"checkAnswerButton": "Periksa", "tryAgainButton": "Ulangi", "showSolutionButton": "Solusi"},
    }


def true_false(correct: str, question="Jakarta adalah ibu kota Banten."):
    return {
        "question": f"<p>{question}</p>\n",
        "correct": correct,
        "behaviour": {
            "enableRetry": True,
            "enableSolutionsButton": True,
            "enableCheckButton": True,
            "autoCheck": False,
        },
        "l10n": {"trueText": "Benar", "falseText": "Salah", "checkAnswer": "Periksa"},
    }


def blanks(questions, *, case_sensitive=False, spelling=False):
    return {
        "text": "<p>Isilah</p>",
        "questions": questions,
        "behaviour": {
            "enableRetry": True,
            "enableSolutionsButton": True,
            "enableCheckButton": True,
            "autoCheck": False,
            "caseSensitive": case_sensitive,
            "showSolutionsRequiresInput": True,
            "separateLines": False,
            "confirmCheckDialog": False,
            "confirmRetryDialog": False,
            "acceptSpellingErrors": spelling,
        },
        "checkAnswer": "Periksa",
    }


def drag_text(text_field):
    return {
        "taskDescription": "<p>Seret kata</p>\n",
        "textField": text_field,
        "checkAnswer": "Periksa",
        "behaviour": {
            "enableRetry": True,
            "enableSolutionsButton": True,
            "instantFeedback": False,
            "enableCheckButton": True,
        },
    }


def single_choice_set(choices):
    return {
        "choices": [
            {"subContentId": sub_id, "question": f"<p>{question}</p>\n", "answers": [f"<p>{a}</p>\n" for a in answers]}
            for sub_id, question, answers in choices
        ],
        "behaviour": {
            "autoContinue": True,
            "timeoutCorrect": 300,
            "timeoutWrong": 300,
            "soundEffectsEnabled": False,
            "enableRetry": True,
            "enableSolutionsButton": True,
            "passPercentage": 100,
        },
    }


def column(*items):
    return {
        "content": [
            {
                "content": {
                    "library": library,
                    "params": params,
                    "subContentId": sub_id,
                    "metadata": {"contentType": library.split(" ")[0], "license": "U", "title": sub_id},
                },
                "useSeparator": "auto",
            }
            for library, sub_id, params in items
        ]
    }


MC = "H5P.MultiChoice 1.14"
TF = "H5P.TrueFalse 1.6"
BL = "H5P.Blanks 1.12"
SCS = "H5P.SingleChoiceSet 1.11"
CITIES = [("Jakarta", True), ("Bandung", False), ("Surabaya", False)]
FOUR = [("Serang", True), ("Bogor", False), ("Tangerang", True), ("Bekasi", False)]


# ---- actions (on the frame locator of the lesson's player) --------------------------------------------


def check(root):
    root.locator(".h5p-question-check-answer").first.click()


def choose(*texts):
    def act(frame, page):
        for text in texts:
            frame.locator(".h5p-answer", has_text=text).first.click()
        check(frame)

    return act


def nothing_then_check(frame, page):
    check(frame)


def true_false_answer(text):
    def act(frame, page):
        frame.locator(".h5p-true-false-answer", has_text=text).first.click()
        check(frame)

    return act


def fill(*values):
    def act(frame, page):
        inputs = frame.locator("input.h5p-text-input")
        for i, value in enumerate(values):
            inputs.nth(i).fill(value)
        check(frame)

    return act


def drop(*words):
    """Drops the i-th word on the i-th drop zone ('' leaves it empty), then checks."""

    def act(frame, page):
        for i, word in enumerate(words):
            if not word:
                continue
            draggable = frame.locator(".h5p-drag-draggables-container [role=button]", has_text=word).first
            zone = frame.locator(".h5p-drag-droppable-words .ui-droppable").nth(i)
            start, end = draggable.bounding_box(), zone.bounding_box()
            page.mouse.move(start["x"] + start["width"] / 2, start["y"] + start["height"] / 2)
            page.mouse.down()
            page.mouse.move(end["x"] + end["width"] / 2, end["y"] + end["height"] / 2, steps=12)
            page.mouse.up()
            page.wait_for_timeout(600)
        check(frame)

    return act


def pick_each(*texts):
    """SingleChoiceSet: on each slide in turn, click the alternative with that text (it moves on by itself)."""

    def act(frame, page):
        for text in texts:
            slide = frame.locator(".h5p-sc-slide.h5p-sc-current-slide")
            slide.locator(".h5p-sc-alternative", has_text=text).first.click()
            page.wait_for_timeout(1800)

    return act


# name -> (sample, main library, content, action, expected answered statements)
SCENARIOS = {
    "multichoice_single_correct": (COLUMN_SAMPLE, "H5P.MultiChoice", multichoice(CITIES), choose("Jakarta"), 1),
    "multichoice_single_wrong": (COLUMN_SAMPLE, "H5P.MultiChoice", multichoice(CITIES), choose("Surabaya"), 1),
    "multichoice_multi_all_correct": (
        COLUMN_SAMPLE,
        "H5P.MultiChoice",
        multichoice(FOUR),
        choose("Tangerang", "Serang"),
        1,
    ),
    "multichoice_multi_one_right_one_wrong": (
        COLUMN_SAMPLE,
        "H5P.MultiChoice",
        multichoice(FOUR),
        choose("Bekasi", "Serang"),
        1,
    ),
    "multichoice_multi_partial": (COLUMN_SAMPLE, "H5P.MultiChoice", multichoice(FOUR), choose("Tangerang"), 1),
    "multichoice_multi_everything": (
        COLUMN_SAMPLE,
        "H5P.MultiChoice",
        multichoice(FOUR),
        choose("Serang", "Bogor", "Tangerang", "Bekasi"),
        1,
    ),
    "multichoice_multi_three_of_four": (
        COLUMN_SAMPLE,
        "H5P.MultiChoice",
        multichoice(FOUR),
        choose("Serang", "Bogor", "Tangerang"),
        1,
    ),
    "multichoice_single_point_all": (
        COLUMN_SAMPLE,
        "H5P.MultiChoice",
        multichoice(FOUR, single_point=True),
        choose("Serang", "Tangerang"),
        1,
    ),
    "multichoice_single_point_partial": (
        COLUMN_SAMPLE,
        "H5P.MultiChoice",
        multichoice(FOUR, single_point=True),
        choose("Serang"),
        1,
    ),
    "multichoice_single_point_pass_50": (
        COLUMN_SAMPLE,
        "H5P.MultiChoice",
        multichoice(FOUR, single_point=True, pass_percentage=50),
        choose("Serang"),
        1,
    ),
    "multichoice_type_single_two_correct": (
        COLUMN_SAMPLE,
        "H5P.MultiChoice",
        multichoice(FOUR, kind="single"),
        choose("Tangerang"),
        1,
    ),
    "multichoice_type_multi_one_correct": (
        COLUMN_SAMPLE,
        "H5P.MultiChoice",
        multichoice(CITIES, kind="multi"),
        choose("Jakarta", "Bandung"),
        1,
    ),
    "multichoice_no_correct_answer_blank": (
        COLUMN_SAMPLE,
        "H5P.MultiChoice",
        multichoice([("Bogor", False), ("Bekasi", False)]),
        nothing_then_check,
        1,
    ),
    "multichoice_not_shuffled": (
        COLUMN_SAMPLE,
        "H5P.MultiChoice",
        multichoice(FOUR, random=False),
        choose("Bekasi", "Tangerang"),
        1,
    ),
    "truefalse_answer_true_correct_false": (
        COLUMN_SAMPLE,
        "H5P.TrueFalse",
        true_false("false"),
        true_false_answer("Benar"),
        1,
    ),
    "truefalse_answer_false_correct_false": (
        COLUMN_SAMPLE,
        "H5P.TrueFalse",
        true_false("false"),
        true_false_answer("Salah"),
        1,
    ),
    "truefalse_answer_true_correct_true": (
        COLUMN_SAMPLE,
        "H5P.TrueFalse",
        true_false("true"),
        true_false_answer("Benar"),
        1,
    ),
    "blanks_correct_any_case_and_alternative": (
        COLUMN_SAMPLE,
        "H5P.Blanks",
        blanks(
            [
                "<p>Ibu kota Indonesia adalah *Jakarta/DKI Jakarta:kota terbesar*.</p>\n",
                "<p>Tangerang ada di provinsi * Banten *, dekat *R&amp;D*.</p>\n",
            ]
        ),
        fill("dki jakarta", "BANTEN", "R&D"),
        1,
    ),
    "blanks_one_wrong_one_empty": (
        COLUMN_SAMPLE,
        "H5P.Blanks",
        blanks(
            [
                "<p>Ibu kota Indonesia adalah *Jakarta/DKI Jakarta:kota terbesar*.</p>\n",
                "<p>Tangerang ada di provinsi * Banten *, dekat *R&amp;D*.</p>\n",
            ]
        ),
        fill("Bandung", "  banten  ", ""),
        1,
    ),
    "blanks_case_sensitive": (
        COLUMN_SAMPLE,
        "H5P.Blanks",
        blanks(["<p>*Jakarta* dan *Banten*.</p>\n"], case_sensitive=True),
        fill("jakarta", "Banten"),
        1,
    ),
    "blanks_html_inside_a_cloze": (
        COLUMN_SAMPLE,
        "H5P.Blanks",
        blanks(["<p>Provinsi *<strong>Banten</strong>* dan *Jawa&nbsp;Barat*.</p>\n"]),
        fill("Banten", "Jawa Barat"),
        1,
    ),
    "blanks_html_inside_a_cloze_typed": (
        COLUMN_SAMPLE,
        "H5P.Blanks",
        blanks(["<p>Provinsi *<strong>Banten</strong>* dan *Jawa&nbsp;Barat*.</p>\n"]),
        fill("<strong>Banten</strong>", "Jawa\u00a0Barat"),
        1,
    ),
    "blanks_spelling_errors_accepted": (
        COLUMN_SAMPLE,
        "H5P.Blanks",
        blanks(
            ["<p>*Jakarta* *Tangerang Selatan* *Bogor* *Serang*</p>\n"],
            spelling=True,
        ),
        # swap (1 op, len 7 > 3: right) / 2 typos in 17 letters (right) / 1 typo in 5 (right) / 2 in 6 (wrong)
        fill("Jakrata", "Tangreang Selatn", "Bogar", "Sreagn"),
        1,
    ),
    "blanks_adjacent_clozes": (
        COLUMN_SAMPLE,
        "H5P.Blanks",
        blanks(["<p>*satu**dua* dan *tiga* lalu **kosong** *empat*</p>\n"]),
        fill("satu", "dua", "tiga", "empat"),
        1,
    ),
    "dragtext_all_correct": (
        DRAG_TEXT_SAMPLE,
        "H5P.DragText",
        drag_text("Ibu kota *Jakarta:kota terbesar*.\nKota *Tangerang* di *Banten*."),
        drop("Jakarta", "Tangerang", "Banten"),
        1,
    ),
    "dragtext_swapped_and_empty": (
        DRAG_TEXT_SAMPLE,
        "H5P.DragText",
        drag_text("Ibu kota *Jakarta:kota terbesar*.\nKota *Tangerang* di *Banten*."),
        drop("Banten", "", "Jakarta"),
        1,
    ),
    "dragtext_feedback_entities_and_spaces": (
        DRAG_TEXT_SAMPLE,
        "H5P.DragText",
        drag_text(
            "Ibu kota *Jakarta:kota terbesar\\+Benar sekali\\-Coba lagi*.\nRiset: *R&amp;D*. *Kota Tangerang  *."
        ),
        drop("Jakarta", "R&D", "Kota Tangerang"),
        1,
    ),
    "singlechoiceset_right_then_wrong": (
        COLUMN_SAMPLE,
        "H5P.SingleChoiceSet",
        single_choice_set(
            [
                ("scs-q1", "Ibu kota Indonesia?", ["Jakarta", "Bandung", "Surabaya"]),
                ("scs-q2", "Ibu kota Banten?", ["Serang", "Tangerang", "Cilegon"]),
                ("scs-q3", "Ibu kota Jawa Barat?", ["Bandung", "Bogor"]),
            ]
        ),
        pick_each("Jakarta", "Cilegon", "Bandung"),
        3,
    ),
    "column_nested_items": (
        COLUMN_SAMPLE,
        "H5P.Column",
        column(
            (MC, "col-mc", multichoice(FOUR)),
            (TF, "col-tf", true_false("true")),
            (BL, "col-bl", blanks(["<p>Ibu kota Indonesia adalah *Jakarta*.</p>\n"])),
            (
                SCS,
                "col-scs",
                single_choice_set([("col-scs-q1", "Ibu kota Banten?", ["Serang", "Tangerang"])]),
            ),
        ),
        None,  # see _play_column
        4,
    ),
}


def _play_column(frame, page):
    mc = frame.locator(".h5p-multichoice").first
    mc.locator(".h5p-answer", has_text="Tangerang").click()
    mc.locator(".h5p-answer", has_text="Bogor").click()
    mc.locator(".h5p-question-check-answer").click()
    tf = frame.locator(".h5p-true-false").first
    tf.locator(".h5p-true-false-answer", has_text="Salah").click()
    tf.locator(".h5p-question-check-answer").click()
    bl = frame.locator(".h5p-blanks").first
    bl.locator("input.h5p-text-input").first.fill("jakarta")
    bl.locator(".h5p-question-check-answer").click()
    frame.locator(".h5p-sc-alternative", has_text="Serang").first.click()
    page.wait_for_timeout(1500)


@pytest.mark.django_db(transaction=True)
def test_capture(live_server):
    from content.h5p.services import PLATFORM, h5p_content_import
    from lms.models import Enrollment
    from shell.people.tests.factories import UserFactory
    from tests.browser import login, phone_page

    only = set(filter(None, os.environ.get("CAPTURE_ONLY", "").split(",")))
    names = [name for name in SCENARIOS if not only or name in only]
    contents = []
    for name in names:
        sample, main, content, _action, _count = SCENARIOS[name]
        upload = package_with_content(sample, main_library=main, content=content, title=name)
        contents.append(h5p_content_import(upload=upload, user=PLATFORM))
    course = make_h5p_course(contents)
    learner = UserFactory(username="penjawab")
    Enrollment.objects.create(user=learner, course=course)
    lessons = list(course.lessons())
    FIXTURES.mkdir(parents=True, exist_ok=True)
    with phone_page() as page:
        page.add_init_script(CAPTURE_SCRIPT)
        login(page, live_server.url, "penjawab", "secret-pass-123")
        failed = {}
        for name, lesson in zip(names, lessons, strict=True):
            try:
                _capture(page, live_server.url + lesson.url, name)
            except Exception as error:  # go on with the others; say which failed at the end
                page.screenshot(path=f"/tmp/capture-{name}.png", full_page=True)
                failed[name] = str(error)[:500]
        assert not failed, failed


def _capture(page, url, name):
    sample, main, content, action, count = SCENARIOS[name]
    page.goto(url)
    page.wait_for_selector("iframe[data-h5p-frame][data-h5p-ready='1']", timeout=30000)
    frame = page.frame_locator("iframe[data-h5p-frame]")
    (action or _play_column)(frame, page)
    page.wait_for_function(
        "n => window.__statements.filter(s => s.verb.id.endsWith('/answered')).length >= n",
        arg=count,
        timeout=20000,
    )
    page.wait_for_timeout(800)  # a "completed" that follows the last answer
    fixture = {
        "scenario": name,
        "played_by": sample.name,
        "main_library": main,
        "content": content,
        "statements": page.evaluate("window.__statements"),
    }
    (FIXTURES / f"{name}.json").write_text(json.dumps(fixture, indent=1, ensure_ascii=False) + "\n")
