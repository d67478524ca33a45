"""Builds the packages we write ourselves, in Indonesian, played by Joubel's MIT-licensed H5P libraries:
kuis-pelayanan-publik.h5p (an H5P.Column quiz), benar-salah.h5p (H5P.TrueFalse) and seret-kata.h5p
(H5P.DragText): the demo's H5P course plays the three. The questions, h5p.json and content.json are written here; the library folders are copied
unchanged from a package that has them (by default the committed package itself, so a rebuild changes only
what this file changes). See NOTICE.md beside this file for where the libraries come from.

    .venv/bin/python -m content.h5p.samples.build

(benar-salah.h5p takes its libraries from kuis-pelayanan-publik.h5p, which has H5P.TrueFalse 1.6;
seret-kata.h5p from the published drag-the-words package, unchanged.)

Only the libraries the content needs are kept (H5P.Column and the types below, with their dependencies);
editor-only libraries are left out. Dialog cards are not here: H5P.Dialogcards 1.8 needs H5P.Audio 1.4,
which needs flowplayer 1.0, a GPL-3.0 Flash player the platform does not ship.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from content.h5p.packaging import package_with_content

HERE = Path(__file__).resolve().parent
COLUMN = HERE / "kuis-pelayanan-publik.h5p"
TITLE = "Kuis pelayanan publik"
TRUE_FALSE_ID = HERE / "benar-salah.h5p"
TRUE_FALSE_TITLE = "Benar atau salah?"
DRAG_TEXT_ID = HERE / "seret-kata.h5p"
DRAG_TEXT_FROM = HERE / "h5pxblock__drag-the-words-1399.h5p"  # H5P.DragText 1.10, MIT, as published
DRAG_TEXT_TITLE = "Seret kata"
AUTHORS = {"authors": [{"name": "Universitas Pemerintahan Kota Tangerang", "role": "Author"}]}

MC = "H5P.MultiChoice 1.14"
TF = "H5P.TrueFalse 1.6"
BLANKS = "H5P.Blanks 1.12"
SCS = "H5P.SingleChoiceSet 1.11"
ESSAY = "H5P.Essay 1.2"
GUESS = "H5P.GuessTheAnswer 1.4"

CONFIRM = {
    "confirmCheck": {
        "header": "Selesai?",
        "body": "Yakin ingin menyelesaikan?",
        "cancelLabel": "Batal",
        "confirmLabel": "Selesai",
    },
    "confirmRetry": {
        "header": "Ulangi?",
        "body": "Yakin ingin mengulang?",
        "cancelLabel": "Batal",
        "confirmLabel": "Ya",
    },
}
A11Y = {
    "a11yCheck": "Periksa jawaban. Jawaban akan ditandai benar, salah, atau belum dijawab.",
    "a11yShowSolution": "Tampilkan solusi. Soal akan ditandai dengan jawaban yang benar.",
    "a11yRetry": "Ulangi soal. Semua jawaban dihapus dan soal dimulai lagi.",
}
SCORE_BAR = "Anda mendapat :num dari :total poin"
FEEDBACK = [{"from": 0, "to": 100, "feedback": "Skor Anda: @score dari @total."}]
# H5P.SingleChoiceSet fills in its overall feedback's :numcorrect and :maxscore, not @score and @total (which it
# would show as they are): each library has its own placeholders (content/h5p/tests/test_samples.py checks).
SCS_FEEDBACK = [{"from": 0, "to": 100, "feedback": "Skor Anda: :numcorrect dari :maxscore."}]


def multiple_choice() -> dict[str, Any]:
    answers = [
        ("20 JP", True, "Benar: 20 JP setahun (PP 11/2017 sebagaimana diubah PP 17/2020)."),
        ("10 JP", False, "Belum tepat: kewajibannya lebih dari itu."),
        ("40 JP", False, "Belum tepat: kewajibannya kurang dari itu."),
    ]
    return {
        "question": "<p>Berapa jam pelajaran (JP) pengembangan kompetensi yang wajib diikuti seorang ASN "
        "dalam satu tahun?</p>\n",
        "answers": [
            {
                "text": f"<div>{text}</div>\n",
                "correct": correct,
                "tipsAndFeedback": {"tip": "", "chosenFeedback": f"<div>{feedback}</div>\n", "notChosenFeedback": ""},
            }
            for text, correct, feedback in answers
        ],
        "overallFeedback": FEEDBACK,
        "behaviour": {
            "enableRetry": True,
            "enableSolutionsButton": True,
            "enableCheckButton": True,
            "type": "single",
            "singlePoint": False,
            "randomAnswers": True,
            "showSolutionsRequiresInput": True,
            "confirmCheckDialog": False,
            "confirmRetryDialog": False,
            "autoCheck": False,
            "passPercentage": 100,
            "showScorePoints": True,
        },
        "UI": {
            "checkAnswerButton": "Periksa",
            "showSolutionButton": "Lihat jawaban",
            "tryAgainButton": "Ulangi",
            "tipsLabel": "Lihat petunjuk",
            "scoreBarLabel": SCORE_BAR,
            "tipAvailable": "Ada petunjuk",
            "feedbackAvailable": "Ada umpan balik",
            "readFeedback": "Baca umpan balik",
            "wrongAnswer": "Jawaban salah",
            "correctAnswer": "Jawaban benar",
            "shouldCheck": "Seharusnya dipilih",
            "shouldNotCheck": "Seharusnya tidak dipilih",
            "noInput": "Jawab dahulu sebelum melihat jawaban",
            **A11Y,
        },
        **CONFIRM,
    }


def true_false(
    question: str = "Standar pelayanan wajib diumumkan kepada masyarakat.",
    correct: bool = True,
    on_correct: str = "Benar: masyarakat berhak tahu standar layanan yang dijanjikan.",
    on_wrong: str = "Belum tepat: masyarakat berhak mengetahui standar pelayanan, jadi standar itu diumumkan.",
) -> dict[str, Any]:
    return {
        "question": f"<p>{question}</p>\n",
        "correct": "true" if correct else "false",
        "behaviour": {
            "enableRetry": True,
            "enableSolutionsButton": True,
            "enableCheckButton": True,
            "confirmCheckDialog": False,
            "confirmRetryDialog": False,
            "autoCheck": False,
            "feedbackOnCorrect": on_correct,
            "feedbackOnWrong": on_wrong,
        },
        "l10n": {
            "trueText": "Benar",
            "falseText": "Salah",
            "score": "Anda mendapat @score dari @total poin",
            "checkAnswer": "Periksa",
            "showSolutionButton": "Lihat jawaban",
            "tryAgain": "Ulangi",
            "wrongAnswerMessage": "Jawaban salah",
            "correctAnswerMessage": "Jawaban benar",
            "scoreBarLabel": SCORE_BAR,
            **A11Y,
        },
        **CONFIRM,
    }


def blanks() -> dict[str, Any]:
    return {
        "text": "<p>Lengkapi kalimat berikut.</p>\n",
        "questions": [
            "<p>Pelayanan publik diatur dalam Undang-Undang Nomor *25* Tahun 2009.</p>\n",
            "<p>Satu jam pelajaran (JP) sama dengan *45* menit.</p>\n",
        ],
        "overallFeedback": FEEDBACK,
        "showSolutions": "Lihat jawaban",
        "tryAgain": "Ulangi",
        "checkAnswer": "Periksa",
        "notFilledOut": "Isi semua titik-titik untuk melihat jawaban",
        "answerIsCorrect": "':ans' benar",
        "answerIsWrong": "':ans' salah",
        "answeredCorrectly": "Dijawab benar",
        "answeredIncorrectly": "Dijawab salah",
        "solutionLabel": "Jawaban benar:",
        "inputLabel": "Isian @num dari @total",
        "inputHasTipLabel": "Ada petunjuk",
        "tipLabel": "Petunjuk",
        "behaviour": {
            "enableRetry": True,
            "enableSolutionsButton": True,
            "enableCheckButton": True,
            "autoCheck": False,
            "caseSensitive": False,
            "showSolutionsRequiresInput": True,
            "separateLines": False,
            "confirmCheckDialog": False,
            "confirmRetryDialog": False,
            "acceptSpellingErrors": False,
        },
        "scoreBarLabel": SCORE_BAR,
        "a11yCheckingModeHeader": "Mode pemeriksaan",
        **A11Y,
        **CONFIRM,
    }


def single_choice_set() -> dict[str, Any]:
    # The first answer of each question is the right one (the player shuffles them on screen).
    questions = [
        (
            "a1f3c2d4-5b6e-4f70-8a91-b2c3d4e5f601",
            "Apa kepanjangan ASN?",
            ["Aparatur Sipil Negara", "Aparatur Sipil Nasional", "Anggota Sipil Negara"],
        ),
        (
            "a1f3c2d4-5b6e-4f70-8a91-b2c3d4e5f602",
            "Ke mana masyarakat menyampaikan pengaduan pelayanan publik secara daring?",
            ["SP4N-LAPOR!", "Kotak saran di rumah", "Media sosial pribadi petugas"],
        ),
    ]
    return {
        "choices": [
            {"subContentId": sub_id, "question": f"<p>{question}</p>\n", "answers": [f"<p>{a}</p>\n" for a in answers]}
            for sub_id, question, answers in questions
        ],
        "overallFeedback": SCS_FEEDBACK,
        "behaviour": {
            "autoContinue": True,
            "timeoutCorrect": 2000,
            "timeoutWrong": 3000,
            "soundEffectsEnabled": False,
            "enableRetry": True,
            "enableSolutionsButton": True,
            "passPercentage": 100,
        },
        "l10n": {
            "nextButtonLabel": "Soal berikutnya",
            "showSolutionButtonLabel": "Lihat jawaban",
            "retryButtonLabel": "Ulangi",
            "solutionViewTitle": "Daftar jawaban",
            "correctText": "Benar!",
            "incorrectText": "Salah! Jawaban yang benar: :text",
            "muteButtonLabel": "Matikan suara umpan balik",
            "closeButtonLabel": "Tutup",
            "slideOfTotal": "Soal :num dari :total",
            "scoreBarLabel": SCORE_BAR,
            "solutionListQuestionNumber": "Soal :num",
            "a11yShowSolution": A11Y["a11yShowSolution"],
            "a11yRetry": A11Y["a11yRetry"],
        },
    }


def essay() -> dict[str, Any]:
    return {
        "taskDescription": "<p>Tuliskan satu cara membuat warga yang datang ke loket Anda merasa dilayani dengan "
        "baik.</p>\n",
        "placeholderText": "Tulis jawaban Anda di sini ...",
        "solution": {
            "introduction": "<p>Contoh jawaban:</p>\n",
            "sample": "Menyapa warga dengan ramah, menjelaskan syarat dan waktu layanan dengan jelas, dan "
            "memberi kabar bila berkasnya belum lengkap.",
        },
        "keywords": [
            {
                "keyword": "ramah",
                "alternatives": ["sopan", "senyum", "menyapa"],
                "options": {
                    "points": 1,
                    "occurrences": 1,
                    "caseSensitive": False,
                    "forgiveMistakes": True,
                    "feedbackIncluded": "Sikap ramah membuat warga merasa dihargai.",
                    "feedbackMissed": "Ingat sikap kepada warga: ramah dan sopan.",
                    "feedbackIncludedWord": "keyword",
                    "feedbackMissedWord": "none",
                },
            },
            {
                "keyword": "jelas",
                "alternatives": ["informasi", "menjelaskan", "syarat"],
                "options": {
                    "points": 1,
                    "occurrences": 1,
                    "caseSensitive": False,
                    "forgiveMistakes": True,
                    "feedbackIncluded": "Informasi yang jelas menghemat waktu warga.",
                    "feedbackMissed": "Ingat informasi: syarat dan waktu layanan yang jelas.",
                    "feedbackIncludedWord": "keyword",
                    "feedbackMissedWord": "none",
                },
            },
        ],
        "overallFeedback": FEEDBACK,
        "behaviour": {
            "minimumLength": 0,
            "inputFieldSize": "10",
            "enableRetry": True,
            "ignoreScoring": False,
            "pointsHost": 1,
        },
        "checkAnswer": "Periksa",
        "tryAgain": "Ulangi",
        "showSolution": "Lihat contoh jawaban",
        "feedbackHeader": "Umpan balik",
        "solutionTitle": "Contoh jawaban",
        "remainingChars": "Sisa karakter: @chars",
        "notEnoughChars": "Tulis paling sedikit @chars karakter!",
        "messageSave": "tersimpan",
        "ariaYourResult": "Anda mendapat @score dari @total poin",
        "ariaNavigatedToSolution": "Contoh jawaban ditampilkan setelah kotak isian.",
    }


def guess_the_answer() -> dict[str, Any]:
    return {
        "taskDescription": "<p>Tebak dahulu, lalu ketuk untuk melihat jawabannya: berapa kecamatan di Kota "
        "Tangerang?</p>\n",
        "solutionLabel": "Ketuk untuk melihat jawaban.",
        "solutionText": "13 kecamatan.",
    }


# (library, subContentId, title, params): the subContentIds are fixed, so that a rebuild keeps the items
# (and the results recorded against them) the same.
ITEMS = [
    (MC, "5d1c9a0e-2f43-4b8e-9c61-0a7e3b2d4c01", "Kewajiban JP", multiple_choice),
    (TF, "5d1c9a0e-2f43-4b8e-9c61-0a7e3b2d4c02", "Standar pelayanan", true_false),
    (BLANKS, "5d1c9a0e-2f43-4b8e-9c61-0a7e3b2d4c03", "Lengkapi kalimat", blanks),
    (SCS, "5d1c9a0e-2f43-4b8e-9c61-0a7e3b2d4c04", "Dua soal cepat", single_choice_set),
    (ESSAY, "5d1c9a0e-2f43-4b8e-9c61-0a7e3b2d4c05", "Melayani warga", essay),
    (GUESS, "5d1c9a0e-2f43-4b8e-9c61-0a7e3b2d4c06", "Tebak jawabannya", guess_the_answer),
]


def column_content() -> dict[str, Any]:
    return {
        "content": [
            {
                "content": {
                    "library": library,
                    "params": make(),
                    "subContentId": sub_id,
                    "metadata": {"contentType": library.split(" ")[0], "license": "U", "title": title},
                },
                "useSeparator": "auto",
            }
            for library, sub_id, title, make in ITEMS
        ]
    }


def true_false_content() -> dict[str, Any]:
    """The demo's true/false lesson: a question of its own (the quiz above asks about the service standard)."""
    return true_false(
        question="Pengaduan pelayanan publik hanya boleh disampaikan langsung di loket, tidak secara daring.",
        correct=False,
        on_correct="Benar, pernyataan itu salah: warga dapat mengadu secara daring lewat SP4N-LAPOR!.",
        on_wrong="Belum tepat: pengaduan juga dapat disampaikan secara daring lewat SP4N-LAPOR!.",
    )


def drag_text_content() -> dict[str, Any]:
    """The demo's drag-the-words lesson; the UI texts are DragText 1.10's own fields, in Indonesian."""
    return {
        "taskDescription": "<p>Seret kata yang tepat ke setiap kotak.</p>\n",
        "textField": "Pelayanan publik diatur dalam Undang-Undang Nomor *25* Tahun 2009.\n"
        "Pengaduan warga dapat disampaikan secara daring melalui *SP4N-LAPOR!*.\n"
        "Satu jam pelajaran (JP) sama dengan *45* menit.",
        "checkAnswer": "Periksa",
        "tryAgain": "Ulangi",
        "showSolution": "Lihat jawaban",
        "behaviour": {
            "enableRetry": True,
            "enableSolutionsButton": True,
            "instantFeedback": False,
            "enableCheckButton": True,
        },
        "overallFeedback": FEEDBACK,
        "dropZoneIndex": "Kotak @index.",
        "empty": "Kotak @index kosong.",
        "contains": "Kotak @index berisi kata @draggable.",
        "tipLabel": "Lihat petunjuk",
        "correctText": "Benar!",
        "incorrectText": "Salah!",
        "resetDropTitle": "Kosongkan kotak",
        "resetDropDescription": "Yakin ingin mengosongkan kotak ini?",
        "grabbed": "Kata dipegang.",
        "cancelledDragging": "Batal menyeret.",
        "correctAnswer": "Jawaban benar:",
        "feedbackHeader": "Umpan balik",
        "scoreBarLabel": SCORE_BAR,
    }


def build(libraries_from: Path = COLUMN) -> bytes:
    package = package_with_content(
        libraries_from, main_library="H5P.Column", content=column_content(), title=TITLE, h5p_json=AUTHORS
    )
    return package.getvalue()


def build_true_false(libraries_from: Path = COLUMN) -> bytes:
    package = package_with_content(
        libraries_from,
        main_library="H5P.TrueFalse",
        content=true_false_content(),
        title=TRUE_FALSE_TITLE,
        h5p_json=AUTHORS,
    )
    return package.getvalue()


def build_drag_text(libraries_from: Path = DRAG_TEXT_FROM) -> bytes:
    package = package_with_content(
        libraries_from,
        main_library="H5P.DragText",
        content=drag_text_content(),
        title=DRAG_TEXT_TITLE,
        h5p_json=AUTHORS,
    )
    return package.getvalue()


# (output, how it is built): each from the default source of its libraries.
BUILT = ((COLUMN, build), (TRUE_FALSE_ID, build_true_false), (DRAG_TEXT_ID, build_drag_text))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.parse_args(argv)
    for output, make in BUILT:
        data = make()
        output.write_bytes(data)
        print(f"{output}: {len(data)} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
