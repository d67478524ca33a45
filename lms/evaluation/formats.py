"""Moodle XML and GIFT, in and out. Readers return drafts (nothing is saved here); a file that cannot be read
raises FormatError naming the question (its name, or its number in the file) and what is wrong.

Moodle's own kinds map one to one (multichoice single/multiple, truefalse, shortanswer, numerical, matching,
ordering (the qtype_ordering plugin), essay). What Moodle has no field for rides in tags, as Moodle keeps
them: ``tingkat:<difficulty>``. GIFT has no ordering kind: GIFT export skips those (and says so)."""

from __future__ import annotations

import html
import re
from decimal import Decimal
from xml.etree.ElementTree import Element, SubElement, tostring

from defusedxml import ElementTree as SafeET
from defusedxml.common import DefusedXmlException
from django.utils.html import strip_tags
from django.utils.translation import gettext as _

from .drafts import DraftError, QuestionDraft, draft_check
from .models import Difficulty, QuestionKind

MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_QUESTIONS = 2000
_DIFFICULTY_TAG = "tingkat:"


class FormatError(ValueError):
    pass


def _split_tags(tags: list[str]) -> tuple[list[str], str]:
    difficulty = Difficulty.MEDIUM
    rest = []
    for tag in tags:
        if tag.startswith(_DIFFICULTY_TAG) and tag[len(_DIFFICULTY_TAG) :] in Difficulty.values:
            difficulty = tag[len(_DIFFICULTY_TAG) :]
        else:
            rest.append(tag)
    return rest, difficulty


def _number(value: float) -> str:
    text = repr(float(value))
    return text[:-2] if text.endswith(".0") else text


def _percent(fraction: float) -> str:
    return _number(round(float(fraction) * 100, 5))


def _check_all(drafts: list[QuestionDraft]) -> list[QuestionDraft]:
    if len(drafts) > MAX_QUESTIONS:
        raise FormatError(
            _("Berkas berisi lebih dari %(n)s soal; bagi menjadi beberapa berkas.") % {"n": MAX_QUESTIONS}
        )
    if not drafts:
        raise FormatError(_("Berkas tidak berisi soal."))
    for draft in drafts:
        try:
            draft_check(draft)
        except DraftError as error:
            raise FormatError(str(error)) from None
    return drafts


# Moodle XML -------------------------------------------------------------------------------------------


def _text_of(element: Element | None, path: str = "text") -> str:
    if element is None:
        return ""
    found = element.find(path)
    text = (found.text or "") if found is not None else ""
    if element.get("format") == "html":
        text = html.unescape(strip_tags(text))
    return text.strip()


_MOODLE_KIND = {
    "truefalse": QuestionKind.TRUE_FALSE,
    "shortanswer": QuestionKind.SHORT,
    "numerical": QuestionKind.NUMERIC,
    "matching": QuestionKind.MATCHING,
    "ordering": QuestionKind.ORDERING,
    "essay": QuestionKind.ESSAY,
}


def _fraction_attr(answer: Element) -> float:
    raw = answer.get("fraction", "0")
    try:
        return float(raw) / 100
    except ValueError:
        raise DraftError(_("nilai jawaban “%(raw)s” bukan angka") % {"raw": raw}) from None


def _moodle_question(q: Element, category: str) -> QuestionDraft:
    mtype = q.get("type")
    name = _text_of(q.find("name"))
    text = _text_of(q.find("questiontext"))
    tags = [t.text.strip() for t in q.findall("tags/tag/text") if t.text and t.text.strip()]
    tags, difficulty = _split_tags(tags)
    mark = (q.findtext("defaultgrade") or "1").strip()
    answers = q.findall("answer")
    if mtype == "multichoice":
        single = (q.findtext("single") or "true").strip().lower() in ("true", "1")
        kind = QuestionKind.SINGLE if single else QuestionKind.MULTIPLE
        data = {
            "choices": [
                {"text": _text_of(a), "fraction": _fraction_attr(a), "feedback": _text_of(a.find("feedback"))}
                for a in answers
            ]
        }
    elif mtype == "truefalse":
        kind = QuestionKind.TRUE_FALSE
        right = [a for a in answers if _fraction_attr(a) > 0]
        if len(right) != 1 or _text_of(right[0]).lower() not in ("true", "false"):
            raise DraftError(_("soal benar/salah perlu tepat satu kunci true atau false"))
        data = {"answer": _text_of(right[0]).lower() == "true"}
    elif mtype == "shortanswer":
        kind = QuestionKind.SHORT
        data = {
            "answers": [{"text": _text_of(a), "fraction": _fraction_attr(a)} for a in answers],
            "case_sensitive": (q.findtext("usecase") or "0").strip() == "1",
        }
    elif mtype == "numerical":
        kind = QuestionKind.NUMERIC
        data = {
            "answers": [
                {
                    "value": _text_of(a),
                    "tolerance": (a.findtext("tolerance") or "0").strip(),
                    "fraction": _fraction_attr(a),
                }
                for a in answers
            ]
        }
    elif mtype == "matching":
        kind = QuestionKind.MATCHING
        data = {"pairs": [{"left": _text_of(s), "right": _text_of(s.find("answer"))} for s in q.findall("subquestion")]}
    elif mtype == "ordering":
        kind = QuestionKind.ORDERING
        # Moodle's ordering plugin lists the items in the right order (fraction = position).
        ranked = sorted(enumerate(answers), key=lambda pair: (_fraction_attr(pair[1]), pair[0]))
        data = {"items": [_text_of(a) for _i, a in ranked]}
    elif mtype == "essay":
        kind, data = QuestionKind.ESSAY, {}
    else:
        raise DraftError(_("jenis soal Moodle “%(type)s” tidak didukung") % {"type": mtype})
    return QuestionDraft(
        kind=kind,
        name=name,
        text=text,
        data=data,
        category=category,
        mark=mark,
        tags=tags,
        difficulty=difficulty,
        feedback=_text_of(q.find("generalfeedback")),
    )


def moodle_xml_read(content: bytes) -> list[QuestionDraft]:
    if len(content) > MAX_FILE_BYTES:
        raise FormatError(_("Berkas lebih dari 5 MB."))
    try:
        root = SafeET.fromstring(content)
    except DefusedXmlException:
        raise FormatError(_("Berkas XML memuat entitas atau DTD yang tidak diizinkan.")) from None
    except SafeET.ParseError as error:
        raise FormatError(_("Berkas bukan XML Moodle yang sah: %(error)s.") % {"error": error}) from None
    if root.tag != "quiz":
        raise FormatError(_("Berkas bukan XML Moodle: elemen teratas harus <quiz>."))
    drafts, category = [], ""
    for number, q in enumerate(root.findall("question"), 1):
        if q.get("type") == "category":
            path = _text_of(q.find("category"))
            category = path.rsplit("/", 1)[-1].strip() if path else ""
            continue
        try:
            draft = _moodle_question(q, category)
        except DraftError as error:
            name = _text_of(q.find("name")) or _("nomor %(n)s") % {"n": number}
            raise FormatError(_("Soal “%(name)s”: %(error)s.") % {"name": name, "error": error}) from None
        if not draft.name:
            draft.name = draft.text[:60] or _("Soal %(n)s") % {"n": number}
        drafts.append(draft)
    return _check_all(drafts)


def _sub_text(parent: Element, tag: str, text: str, fmt: str | None = None) -> Element:
    element = SubElement(parent, tag)
    if fmt:
        element.set("format", fmt)
    SubElement(element, "text").text = text
    return element


def moodle_xml_write(drafts: list[QuestionDraft]) -> bytes:
    root = Element("quiz")
    category = None
    for d in drafts:
        if d.category != category:
            category = d.category
            cat = SubElement(root, "question", type="category")
            _sub_text(cat, "category", f"$course$/top/{category}")
        mtype = {QuestionKind.SINGLE: "multichoice", QuestionKind.MULTIPLE: "multichoice"}.get(d.kind) or next(
            k for k, v in _MOODLE_KIND.items() if v == d.kind
        )
        q = SubElement(root, "question", type=mtype)
        _sub_text(q, "name", d.name)
        _sub_text(q, "questiontext", d.text, "plain_text")
        _sub_text(q, "generalfeedback", d.feedback, "plain_text")
        SubElement(q, "defaultgrade").text = str(Decimal(d.mark).normalize())
        if d.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
            SubElement(q, "single").text = "true" if d.kind == QuestionKind.SINGLE else "false"
            SubElement(q, "shuffleanswers").text = "1"
            for c in d.data["choices"]:
                a = _sub_text(q, "answer", c["text"], "plain_text")
                a.set("fraction", _percent(c["fraction"]))
                _sub_text(a, "feedback", c.get("feedback", ""), "plain_text")
        elif d.kind == QuestionKind.TRUE_FALSE:
            for value in (True, False):
                a = _sub_text(q, "answer", "true" if value else "false", "moodle_auto_format")
                a.set("fraction", "100" if d.data["answer"] == value else "0")
        elif d.kind == QuestionKind.SHORT:
            SubElement(q, "usecase").text = "1" if d.data.get("case_sensitive") else "0"
            for ans in d.data["answers"]:
                _sub_text(q, "answer", ans["text"], "moodle_auto_format").set("fraction", _percent(ans["fraction"]))
        elif d.kind == QuestionKind.NUMERIC:
            for ans in d.data["answers"]:
                a = _sub_text(q, "answer", _number(ans["value"]), "moodle_auto_format")
                a.set("fraction", _percent(ans["fraction"]))
                SubElement(a, "tolerance").text = _number(ans["tolerance"])
        elif d.kind == QuestionKind.MATCHING:
            SubElement(q, "shuffleanswers").text = "true"
            for pair in d.data["pairs"]:
                s = _sub_text(q, "subquestion", pair["left"], "plain_text")
                _sub_text(s, "answer", pair["right"])
        elif d.kind == QuestionKind.ORDERING:
            for position, item in enumerate(d.data["items"], 1):
                _sub_text(q, "answer", item, "plain_text").set("fraction", str(position))
        elif d.kind == QuestionKind.ESSAY:
            SubElement(q, "responseformat").text = "plain"
        tags = [*d.tags, f"{_DIFFICULTY_TAG}{d.difficulty}"]
        tag_list = SubElement(q, "tags")
        for tag in tags:
            _sub_text(tag_list, "tag", tag)
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + tostring(root, encoding="unicode").encode()


# GIFT ---------------------------------------------------------------------------------------------------

_GIFT_SPECIAL = "~=#{}:\\"


def gift_escape(text: str) -> str:
    out = "".join("\\" + ch if ch in _GIFT_SPECIAL else ch for ch in text)
    return out.replace("\n", "\\n")


def _gift_unescape(text: str) -> str:
    out, i = [], 0
    while i < len(text):
        ch = text[i]
        if ch == "\\" and i + 1 < len(text):
            nxt = text[i + 1]
            out.append("\n" if nxt == "n" else nxt)
            i += 2
            continue
        out.append(ch)
        i += 1
    return "".join(out).strip()


def _split_unescaped(text: str, markers: str) -> list[tuple[str, str]]:
    """Split ``text`` at unescaped marker characters: [(marker, chunk)]; the first marker is ''."""
    parts, current, marker, i = [], [], "", 0
    while i < len(text):
        ch = text[i]
        if ch == "\\" and i + 1 < len(text):
            current.append(text[i : i + 2])
            i += 2
            continue
        if ch in markers:
            parts.append((marker, "".join(current)))
            marker, current = ch, []
        else:
            current.append(ch)
        i += 1
    parts.append((marker, "".join(current)))
    return parts


def _find_unescaped(text: str, target: str, start: int = 0) -> int:
    i = start
    while i < len(text):
        if text[i] == "\\":
            i += 2
            continue
        if text.startswith(target, i):
            return i
        i += 1
    return -1


_WEIGHT = re.compile(r"^%(-?\d+(?:\.\d+)?)%")


def _weighted(chunk: str, default: float) -> tuple[float, str, str]:
    """(fraction, text, feedback) of one GIFT answer chunk."""
    fraction = default
    chunk = chunk.strip()
    m = _WEIGHT.match(chunk)
    if m:
        fraction = float(m.group(1)) / 100
        chunk = chunk[m.end() :]
    feedback = ""
    hash_at = _find_unescaped(chunk, "#")
    if hash_at >= 0:
        chunk, feedback = chunk[:hash_at], chunk[hash_at + 1 :]
    return fraction, _gift_unescape(chunk), _gift_unescape(feedback)


def _gift_answers(body: str) -> tuple[str, dict]:
    stripped = body.strip()
    if not stripped:
        return QuestionKind.ESSAY, {}
    if stripped.upper() in ("T", "TRUE", "F", "FALSE"):
        return QuestionKind.TRUE_FALSE, {"answer": stripped.upper().startswith("T")}
    if stripped.startswith("#"):
        answers = []
        for marker, chunk in _split_unescaped(stripped[1:], "="):
            if not chunk.strip():
                continue
            fraction, value, _feedback = _weighted(chunk, 1.0 if marker in ("", "=") else 0.0)
            if ".." in value:
                low, high = (float(x) for x in value.split("..", 1))
                answers.append({"value": (low + high) / 2, "tolerance": (high - low) / 2, "fraction": fraction})
                continue
            number, _sep, tolerance = value.partition(":")
            answers.append({"value": number, "tolerance": tolerance or 0, "fraction": fraction})
        return QuestionKind.NUMERIC, {"answers": answers}
    chunks = [(m, c) for m, c in _split_unescaped(stripped, "=~") if m or c.strip()]
    if chunks and chunks[0][0] == "":
        raise DraftError(_("jawaban harus diawali = atau ~"))
    if chunks and all(m == "=" for m, _c in chunks) and any(_find_unescaped(c, "->") >= 0 for _m, c in chunks):
        pairs = []
        for _m, chunk in chunks:
            arrow = _find_unescaped(chunk, "->")
            if arrow < 0:
                raise DraftError(_("setiap pasangan menjodohkan perlu tanda ->"))
            pairs.append({"left": _gift_unescape(chunk[:arrow]), "right": _gift_unescape(chunk[arrow + 2 :])})
        return QuestionKind.MATCHING, {"pairs": pairs}
    if chunks and all(m == "=" for m, _c in chunks):
        answers = [{"text": t, "fraction": f} for f, t, _fb in (_weighted(c, 1.0) for _m, c in chunks)]
        return QuestionKind.SHORT, {"answers": answers, "case_sensitive": False}
    choices = []
    for marker, chunk in chunks:
        fraction, text, feedback = _weighted(chunk, 1.0 if marker == "=" else 0.0)
        choices.append({"text": text, "fraction": fraction, "feedback": feedback})
    # GIFT's convention: a choice marked = is the one right answer; several answers are all ~%weight%.
    single = any(marker == "=" for marker, _chunk in chunks)
    return (QuestionKind.SINGLE if single else QuestionKind.MULTIPLE), {"choices": choices}


_META = re.compile(r"\[(tag|case|mark):([^\]]*)\]")


def _gift_question(block: str, comments: list[str], category: str, number: int) -> QuestionDraft:
    name = ""
    if block.startswith("::"):
        end = _find_unescaped(block, "::", 2)
        if end < 0:
            raise DraftError(_("judul soal tidak ditutup dengan ::"))
        name, block = _gift_unescape(block[2:end]), block[end + 2 :]
    open_at = _find_unescaped(block, "{")
    close_at = _find_unescaped(block, "}", open_at + 1) if open_at >= 0 else -1
    if open_at < 0 or close_at < 0:
        raise DraftError(_("jawaban soal harus di antara { dan }"))
    text = block[:open_at].strip()
    format_marker = re.match(r"\[(plain|html|moodle|markdown)\]", text)
    if format_marker:  # the text's format, which GIFT may name first
        text = text[format_marker.end() :]
    after = block[close_at + 1 :].strip()
    if after:
        text = f"{text} _____ {after}"
    body = block[open_at + 1 : close_at]
    feedback = ""
    general = _find_unescaped(body, "####")
    if general >= 0:
        body, feedback = body[:general], _gift_unescape(body[general + 4 :])
    kind, data = _gift_answers(body)
    tags, case_sensitive, mark = [], False, "1"
    for comment in comments:
        for key, value in _META.findall(comment):
            if key == "tag":
                tags.append(value.strip())
            elif key == "case":
                case_sensitive = value.strip() == "1"
            elif key == "mark":
                mark = value.strip()
    if kind == QuestionKind.SHORT:
        data["case_sensitive"] = case_sensitive
    tags, difficulty = _split_tags(tags)
    text = _gift_unescape(text)
    return QuestionDraft(
        kind=kind,
        name=name or text[:60] or _("Soal %(n)s") % {"n": number},
        text=text,
        data=data,
        category=category,
        tags=tags,
        difficulty=difficulty,
        feedback=feedback,
        mark=mark,
    )


def gift_read(content: bytes) -> list[QuestionDraft]:
    if len(content) > MAX_FILE_BYTES:
        raise FormatError(_("Berkas lebih dari 5 MB."))
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise FormatError(_("Berkas GIFT harus berupa teks UTF-8.")) from None
    drafts, category, comments, lines = [], "", [], []
    blocks: list[tuple[list[str], str]] = []
    for line in [*text.splitlines(), ""]:
        stripped = line.strip()
        if not stripped:
            if lines:
                blocks.append((comments, "\n".join(lines)))
            lines, comments = [], []
            continue
        if stripped.startswith("//") and not lines:
            comments.append(stripped)
            continue
        if stripped.startswith("$CATEGORY:") and not lines:
            blocks.append(([], stripped))
            continue
        lines.append(line)
    number = 0
    for block_comments, block in blocks:
        if block.startswith("$CATEGORY:"):
            category = block[len("$CATEGORY:") :].strip().rsplit("/", 1)[-1].strip()
            continue
        number += 1
        try:
            draft = _gift_question(block.strip(), block_comments, category, number)
        except (DraftError, ValueError) as error:
            name = ""
            if block.startswith("::"):
                end = _find_unescaped(block, "::", 2)
                name = _gift_unescape(block[2:end]) if end > 0 else ""
            label = name or _("nomor %(n)s") % {"n": number}
            raise FormatError(_("Soal “%(name)s”: %(error)s.") % {"name": label, "error": error}) from None
        drafts.append(draft)
    return _check_all(drafts)


def _gift_weight(fraction: float) -> str:
    return f"%{_percent(fraction)}%"


def gift_write(drafts: list[QuestionDraft]) -> tuple[str, list[QuestionDraft]]:
    """The GIFT text, and the drafts GIFT cannot hold (ordering), which were left out."""
    out, skipped, category = [], [], None
    for d in drafts:
        if d.kind == QuestionKind.ORDERING:
            skipped.append(d)
            continue
        if d.category != category:
            category = d.category
            out.append(f"$CATEGORY: $course$/top/{category}\n")
        meta = [f"[tag:{t}]" for t in [*d.tags, f"{_DIFFICULTY_TAG}{d.difficulty}"]]
        if d.kind == QuestionKind.SHORT and d.data.get("case_sensitive"):
            meta.append("[case:1]")
        if Decimal(d.mark) != 1:
            meta.append(f"[mark:{Decimal(d.mark).normalize()}]")
        out.append("// " + " ".join(meta))
        if d.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
            parts = []
            for c in d.data["choices"]:
                feedback = f"#{gift_escape(c['feedback'])}" if c.get("feedback") else ""
                if d.kind == QuestionKind.SINGLE and c["fraction"] >= 1 - 1e-9:
                    parts.append(f"={gift_escape(c['text'])}{feedback}")
                elif d.kind == QuestionKind.SINGLE and c["fraction"] == 0:
                    parts.append(f"~{gift_escape(c['text'])}{feedback}")
                else:
                    parts.append(f"~{_gift_weight(c['fraction'])}{gift_escape(c['text'])}{feedback}")
            body = " ".join(parts)
        elif d.kind == QuestionKind.TRUE_FALSE:
            body = "TRUE" if d.data["answer"] else "FALSE"
        elif d.kind == QuestionKind.SHORT:
            body = " ".join(f"={_gift_weight(a['fraction'])}{gift_escape(a['text'])}" for a in d.data["answers"])
        elif d.kind == QuestionKind.NUMERIC:
            body = "#" + " ".join(
                f"={_gift_weight(a['fraction'])}{_number(a['value'])}:{_number(a['tolerance'])}"
                for a in d.data["answers"]
            )
        elif d.kind == QuestionKind.MATCHING:
            body = " ".join(f"={gift_escape(p['left'])} -> {gift_escape(p['right'])}" for p in d.data["pairs"])
        else:
            body = ""
        if d.feedback:
            body += f" ####{gift_escape(d.feedback)}"
        out.append(f"::{gift_escape(d.name)}::{gift_escape(d.text)} {{{body}}}\n")
    return "\n".join(out), skipped
