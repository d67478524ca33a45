"""Moodle XML and GIFT: a bank exported and imported again gives the same questions; bad files are refused
naming the question, and nothing of them is saved."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lms.evaluation import services
from lms.evaluation.drafts import draft_check
from lms.evaluation.formats import FormatError, gift_read, gift_write, moodle_xml_read, moodle_xml_write
from lms.evaluation.models import Question
from lms.evaluation.selectors import bank_drafts

from .factories import SAMPLES, make_bank, sample

GIFT_KINDS = [kind for kind in SAMPLES if kind != "ordering"]


def comparable(drafts):
    return sorted(d.comparable() for d in drafts)


@pytest.mark.django_db
def test_moodle_xml_round_trip_of_a_bank():
    course, _questions = make_bank()
    exported = bank_drafts(course=course)
    assert len(exported) == len(SAMPLES)
    again = moodle_xml_read(moodle_xml_write(exported))
    assert comparable(again) == comparable(exported)
    other, _ = make_bank(kinds=())
    services.bank_import(course=other, drafts=again)
    assert comparable(bank_drafts(course=other)) == comparable(exported)


@pytest.mark.django_db
def test_gift_round_trip_of_a_bank():
    course, _questions = make_bank(kinds=GIFT_KINDS)
    exported = bank_drafts(course=course)
    text, skipped = gift_write(exported)
    assert skipped == []
    again = gift_read(text.encode())
    assert comparable(again) == comparable(exported)


def test_gift_leaves_out_ordering_and_says_so():
    text, skipped = gift_write([sample("ordering"), sample("single")])
    assert [d.name for d in skipped] == ["Urutan"]
    assert [d.name for d in gift_read(text.encode())] == ["Ibu kota"]


def test_gift_as_trainers_write_it():
    text = """// Soal dari Moodle
$CATEGORY: $course$/top/Dasar

::Warna:: Warna langit cerah? {=biru ~merah#Bukan ~hijau}

Berapa 2+2? {#4}

::Tol::Berapa 10/3? {#3.33:0.01}

::Rentang::Tahun UU ASN? {#2022..2024}

::Dua::Pilih bilangan genap {~%50%2 ~%50%4 ~%-100%3}

Matahari terbit dari timur. {T}

::Jodoh:: Jodohkan {=Kucing -> mengeong =Anjing -> menggonggong =Sapi -> melenguh}

::Isi::Ibukota Indonesia? {=Jakarta =%50%DKI}

::Esai:: Tulis pendapat Anda. {}
"""
    drafts = gift_read(text.encode())
    kinds = [(d.name, d.kind, d.category) for d in drafts]
    assert kinds == [
        ("Warna", "single", "Dasar"),
        ("Berapa 2+2?", "numeric", "Dasar"),
        ("Tol", "numeric", "Dasar"),
        ("Rentang", "numeric", "Dasar"),
        ("Dua", "multiple", "Dasar"),
        ("Matahari terbit dari timur.", "truefalse", "Dasar"),
        ("Jodoh", "matching", "Dasar"),
        ("Isi", "short", "Dasar"),
        ("Esai", "essay", "Dasar"),
    ]
    assert drafts[0].data["choices"][1] == {"text": "merah", "fraction": 0.0, "feedback": "Bukan"}
    assert drafts[3].data["answers"] == [{"value": 2023.0, "tolerance": 1.0, "fraction": 1.0}]
    assert drafts[6].data["pairs"][2] == {"left": "Sapi", "right": "melenguh"}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "::Satu::Baik {=a ~b}\n\n::Rusak::Tanpa kurung =a ~b\n",
            "Soal \u201cRusak\u201d: jawaban soal harus di antara",
        ),
        ("::Satu::Baik {=a ~b}\n\n::Nol::Semua salah {~a ~b}\n", "Soal \u201cNol\u201d"),
        ("::Satu::Baik {=a ~b}\n\nTanpa judul {#abc}\n", "Soal \u201cTanpa judul\u201d: jawaban 1 bukan angka"),
        ("::Jodoh::J {=a -> 1 =b}\n", "Soal \u201cJodoh\u201d"),
        ("", "tidak berisi soal"),
    ],
)
def test_bad_gift_names_the_question(text, message):
    with pytest.raises(FormatError) as error:
        gift_read(text.encode())
    assert message in str(error.value)


def test_gift_must_be_utf8():
    with pytest.raises(FormatError, match="UTF-8"):
        gift_read("Soal {=\xe9}".encode("latin-1"))


MOODLE_BAD = """<?xml version="1.0"?>
<quiz>
  <question type="truefalse"><name><text>Baik</text></name><questiontext><text>Ya?</text></questiontext>
    <answer fraction="100"><text>true</text></answer><answer fraction="0"><text>false</text></answer></question>
  <question type="multichoice"><name><text>Pecah</text></name><questiontext><text>?</text></questiontext>
    <answer fraction="abc"><text>x</text></answer></question>
</quiz>"""


@pytest.mark.django_db
def test_bad_moodle_xml_names_the_question_and_imports_nothing():
    course, _ = make_bank(kinds=())
    with pytest.raises(FormatError) as error:
        services.bank_import(course=course, drafts=moodle_xml_read(MOODLE_BAD.encode()))
    assert "\u201cPecah\u201d" in str(error.value)
    assert not Question.objects.exists()


@pytest.mark.django_db
def test_a_question_refused_at_saving_leaves_nothing_half_imported():
    course, _ = make_bank(kinds=())
    good = sample("single")
    bad = sample("truefalse", name="Kunci hilang", data={"answer": None})
    with pytest.raises(services.EvaluationError, match="Kunci hilang"):
        services.bank_import(course=course, drafts=[good, bad])
    assert not Question.objects.exists()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"<quiz><question", "bukan XML Moodle yang sah"),
        (b"<kuis/>", "elemen teratas"),
        (
            b'<?xml version="1.0"?><!DOCTYPE q [<!ENTITY x "y">]><quiz><question type="essay"><name><text>&x;</text>'
            b"</name></question></quiz>",
            "entitas",
        ),
        (b'<quiz><question type="cloze"><name><text>Cloze</text></name></question></quiz>', "\u201cCloze\u201d"),
        (b"<quiz/>", "tidak berisi soal"),
    ],
)
def test_crafted_moodle_files_are_refused(content, message):
    with pytest.raises(FormatError) as error:
        moodle_xml_read(content)
    assert message in str(error.value)


def test_moodle_html_question_text_is_read_as_text():
    content = b"""<quiz><question type="essay"><name><text>E</text></name>
      <questiontext format="html"><text><![CDATA[<p>Jelaskan <b>A &amp; B</b><script>x()</script></p>]]></text></questiontext>
    </question></quiz>"""
    [draft] = moodle_xml_read(content)
    assert "<" not in draft.text and draft.text.startswith("Jelaskan A & B")


_TEXT = (
    st.text(alphabet="abcXYZ 19~=#{}:\\[]%/\n", min_size=1, max_size=40)
    .map(str.strip)
    .filter(lambda t: t and any(c.isalnum() for c in t))
)


@settings(max_examples=150, deadline=None)
@given(name=_TEXT, text=_TEXT, right=_TEXT, wrong=_TEXT, feedback=_TEXT)
def test_gift_escapes_whatever_trainers_type(name, text, right, wrong, feedback):
    draft = sample(
        "single",
        name=name.replace("\n", " "),
        text=text,
        data={
            "choices": [
                {"text": right, "fraction": 1.0, "feedback": feedback},
                {"text": wrong, "fraction": 0.0, "feedback": ""},
            ]
        },
        tags=[],
    )
    draft.feedback = feedback
    written, _skipped = gift_write([draft])
    [again] = gift_read(written.encode())
    assert again.comparable() == draft.comparable()


@settings(max_examples=100, deadline=None)
@given(name=_TEXT, text=_TEXT, answer=_TEXT)
def test_moodle_xml_keeps_whatever_trainers_type(name, text, answer):
    draft = sample(
        "short",
        name=name.replace("\n", " "),
        text=text,
        data={
            "answers": [{"text": answer.replace("*", ""), "fraction": 1.0}]
            if answer.replace("*", "").strip()
            else [{"text": "x", "fraction": 1.0}],
            "case_sensitive": True,
        },
    )
    [again] = moodle_xml_read(moodle_xml_write([draft_check(draft)]))
    assert again.comparable() == draft.comparable()
