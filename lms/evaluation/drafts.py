"""A question as it comes in (a form, a Moodle XML or GIFT file) before it is saved: checked here, in one
place, so that every way in refuses the same things with the same words."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from .models import Difficulty, QuestionKind

MAX_TEXT = 20_000
MAX_OPTIONS = 50
MAX_WILDCARDS = 3


class DraftError(ValueError):
    """The draft cannot be saved; the message names the question and says what to fix."""


@dataclass
class QuestionDraft:
    kind: str
    name: str
    text: str
    data: dict
    category: str = ""
    mark: Decimal = Decimal(1)
    tags: list[str] = field(default_factory=list)
    difficulty: str = Difficulty.MEDIUM
    feedback: str = ""

    def comparable(self) -> tuple:
        """What a round trip must keep."""
        return (
            self.category,
            self.kind,
            self.name,
            self.text,
            _canonical(self.data),
            Decimal(self.mark).normalize(),
            tuple(sorted(self.tags)),
            self.difficulty,
            self.feedback,
        )


def _canonical(value):
    if isinstance(value, dict):
        return tuple(sorted((k, _canonical(v)) for k, v in value.items()))
    if isinstance(value, list):
        return tuple(_canonical(v) for v in value)
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _fraction(value, label: str) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise DraftError(_("nilai %(label)s bukan angka") % {"label": label}) from None
    if not math.isfinite(number) or not -1 <= number <= 1:
        raise DraftError(_("nilai %(label)s harus antara -100%% dan 100%%") % {"label": label})
    return number


def _check(draft: QuestionDraft) -> None:
    if draft.kind not in QuestionKind.values:
        raise DraftError(_("jenis soal tidak dikenal: %(kind)s") % {"kind": draft.kind})
    if not draft.name.strip() or len(draft.name) > 200:
        raise DraftError(_("nama soal wajib diisi (paling panjang 200 huruf)"))
    if not draft.text.strip():
        raise DraftError(_("teks soal kosong"))
    if len(draft.text) > MAX_TEXT:
        raise DraftError(_("teks soal terlalu panjang"))
    if draft.difficulty not in Difficulty.values:
        raise DraftError(_("tingkat kesulitan tidak dikenal: %(d)s") % {"d": draft.difficulty})
    try:
        mark = Decimal(str(draft.mark))
    except InvalidOperation:
        raise DraftError(_("bobot soal bukan angka")) from None
    if not mark.is_finite() or mark <= 0 or mark >= 10_000:
        raise DraftError(_("bobot soal harus lebih dari 0"))
    draft.mark = mark.quantize(Decimal("0.01"))
    draft.tags = sorted({t.strip()[:64] for t in draft.tags if t and t.strip()})
    data, kind = draft.data, draft.kind
    if kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
        choices = data.get("choices") or []
        if not 2 <= len(choices) <= MAX_OPTIONS:
            raise DraftError(_("pilihan ganda perlu 2 sampai %(n)s pilihan") % {"n": MAX_OPTIONS})
        for i, choice in enumerate(choices, 1):
            if not str(choice.get("text", "")).strip():
                raise DraftError(_("pilihan %(i)s kosong") % {"i": i})
            choice["fraction"] = _fraction(choice.get("fraction"), _("pilihan %(i)s") % {"i": i})
            choice["feedback"] = str(choice.get("feedback", ""))
        fractions = [c["fraction"] for c in choices]
        if kind == QuestionKind.SINGLE and max(fractions) < 1 - 1e-6:
            raise DraftError(_("satu pilihan harus bernilai 100%"))
        if kind == QuestionKind.MULTIPLE and abs(sum(f for f in fractions if f > 0) - 1) > 0.01:
            raise DraftError(_("nilai pilihan yang benar harus berjumlah 100%"))
        data["choices"] = choices
    elif kind == QuestionKind.TRUE_FALSE:
        if not isinstance(data.get("answer"), bool):
            raise DraftError(_("soal benar/salah perlu kunci benar atau salah"))
    elif kind == QuestionKind.SHORT:
        answers = data.get("answers") or []
        if not answers or any(not str(a.get("text", "")).strip() for a in answers):
            raise DraftError(_("isian singkat perlu setidaknya satu jawaban yang diterima"))
        for i, answer in enumerate(answers, 1):
            answer["fraction"] = _fraction(answer.get("fraction"), _("jawaban %(i)s") % {"i": i})
            # Each * is a wildcard matched against what learners type: a few are plenty, and many would make
            # matching one answer slow.
            if str(answer["text"]).count("*") > MAX_WILDCARDS:
                raise DraftError(_("jawaban %(i)s memuat lebih dari %(n)s tanda *") % {"i": i, "n": MAX_WILDCARDS})
        if max(a["fraction"] for a in answers) < 1 - 1e-6:
            raise DraftError(_("satu jawaban yang diterima harus bernilai 100%"))
        data["case_sensitive"] = bool(data.get("case_sensitive"))
    elif kind == QuestionKind.NUMERIC:
        answers = data.get("answers") or []
        if not answers:
            raise DraftError(_("soal numerik perlu setidaknya satu jawaban"))
        for i, answer in enumerate(answers, 1):
            for key in ("value", "tolerance"):
                try:
                    answer[key] = float(answer.get(key) or 0)
                except (TypeError, ValueError):
                    raise DraftError(_("jawaban %(i)s bukan angka") % {"i": i}) from None
                if not math.isfinite(answer[key]):
                    raise DraftError(_("jawaban %(i)s bukan angka") % {"i": i})
            answer["tolerance"] = abs(answer["tolerance"])
            answer["fraction"] = _fraction(answer.get("fraction"), _("jawaban %(i)s") % {"i": i})
        if max(a["fraction"] for a in answers) < 1 - 1e-6:
            raise DraftError(_("satu jawaban harus bernilai 100%"))
    elif kind == QuestionKind.MATCHING:
        pairs = data.get("pairs") or []
        if sum(1 for p in pairs if str(p.get("left", "")).strip()) < 2 or len(pairs) > MAX_OPTIONS:
            raise DraftError(_("soal menjodohkan perlu setidaknya 2 pasangan"))
        if any(not str(p.get("right", "")).strip() for p in pairs):
            raise DraftError(_("setiap pasangan perlu sisi kanan"))
        data["pairs"] = [{"left": str(p.get("left", "")).strip(), "right": str(p["right"]).strip()} for p in pairs]
    elif kind == QuestionKind.ORDERING:
        items = [str(i).strip() for i in data.get("items") or []]
        if not 2 <= len(items) <= MAX_OPTIONS or not all(items):
            raise DraftError(_("soal mengurutkan perlu 2 sampai %(n)s butir berisi") % {"n": MAX_OPTIONS})
        data["items"] = items
    elif kind == QuestionKind.ESSAY:
        draft.data = {}


def draft_check(draft: QuestionDraft) -> QuestionDraft:
    """Normalise the draft in place and return it, or raise DraftError naming the question."""
    try:
        _check(draft)
    except DraftError as error:
        raise DraftError(_("Soal “%(name)s”: %(error)s.") % {"name": draft.name or "?", "error": error}) from None
    except (AttributeError, KeyError, TypeError):
        raise DraftError(_("Soal “%(name)s”: isinya tidak lengkap.") % {"name": draft.name or "?"}) from None
    return draft
