"""Writes of the question bank, quizzes and attempts. Scoring is always the server's (lms.evaluation.scoring);
every attempt and answer becomes the platform's own xAPI statement (lms.evaluation.statements)."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from content.models import CoursePage

from . import scoring
from .drafts import DraftError, QuestionDraft, draft_check
from .models import Attempt, AttemptQuestion, Category, Question, QuestionKind, QuestionVersion, Quiz
from .statements import attempt_statements_record


class EvaluationError(Exception):
    """A request the person can correct; the message says how."""


# The bank -----------------------------------------------------------------------------------------------


def category_get_or_create(*, course: CoursePage, name: str, competency: str = "") -> Category:
    name = (name or "").strip()[:200] or _("Umum")
    try:
        with transaction.atomic():
            category, _created = Category.objects.get_or_create(
                course=course, name=name, defaults={"competency": competency}
            )
    except IntegrityError:
        category = Category.objects.get(course=course, name=name)
    return category


def question_create(*, course: CoursePage, draft: QuestionDraft, user=None) -> Question:
    draft_check(draft)
    with transaction.atomic():
        category = category_get_or_create(course=course, name=draft.category)
        question = Question.objects.create(
            category=category,
            kind=draft.kind,
            name=draft.name,
            tags=draft.tags,
            difficulty=draft.difficulty,
            created_by=user,
        )
        _version_create(question, draft, number=1)
    return question


def _version_create(question: Question, draft: QuestionDraft, *, number: int) -> QuestionVersion:
    return QuestionVersion.objects.create(
        question=question,
        number=number,
        text=draft.text,
        data=draft.data,
        mark=draft.mark,
        general_feedback=draft.feedback,
    )


def question_update(*, question: Question, draft: QuestionDraft) -> QuestionVersion:
    """Edit a question. Its latest version is changed in place while no attempt has used it; once one has,
    a new version is made, and past attempts keep (and are reviewed and re-scored against) theirs."""
    if draft.kind != question.kind:
        raise EvaluationError(_("Jenis soal tidak dapat diubah; buat soal baru."))
    draft_check(draft)
    with transaction.atomic():
        question = Question.objects.select_for_update().get(pk=question.pk)
        category = category_get_or_create(
            course=question.category.course, name=draft.category or question.category.name
        )
        question.category, question.name, question.tags, question.difficulty = (
            category,
            draft.name,
            draft.tags,
            draft.difficulty,
        )
        question.save(update_fields=["category", "name", "tags", "difficulty"])
        latest = question.versions.order_by("-number").first()
        if latest is not None and not latest.attempt_questions.exists():
            latest.text, latest.data, latest.mark, latest.general_feedback = (
                draft.text,
                draft.data,
                draft.mark,
                draft.feedback,
            )
            latest.save(update_fields=["text", "data", "mark", "general_feedback"])
            return latest
        return _version_create(question, draft, number=(latest.number + 1) if latest else 1)


def bank_import(*, course: CoursePage, drafts: list[QuestionDraft], user=None) -> list[Question]:
    """All the questions of a file, or none: any question that fails stops the import with its name."""
    try:
        with transaction.atomic():
            return [question_create(course=course, draft=draft, user=user) for draft in drafts]
    except DraftError as error:
        raise EvaluationError(str(error)) from None


# Quizzes and attempts -----------------------------------------------------------------------------------

_MAX_RESPONSE_TEXT = 20_000


def _now(now: dt.datetime | None) -> dt.datetime:
    return now or timezone.now()


def quiz_is_closed(quiz: Quiz, *, now: dt.datetime | None = None) -> bool:
    return quiz.closes_at is not None and _now(now) >= quiz.closes_at


def _draw(quiz: Quiz, rng: random.Random) -> list[QuestionVersion]:
    """Questions at random from each slot's category, none twice; each at its latest version."""
    slots = list((quiz.blueprint_from or quiz).slots.select_related("category"))
    if not slots:
        raise EvaluationError(_("Kuis ini belum berisi soal. Hubungi pelatih kursus."))
    chosen: list[int] = []
    for slot in slots:
        candidates = Question.objects.filter(category=slot.category, archived=False).exclude(pk__in=chosen)
        if slot.difficulty:
            candidates = candidates.filter(difficulty=slot.difficulty)
        pool = [pk for pk, tags in candidates.values_list("pk", "tags") if not slot.tag or slot.tag in tags]
        if len(pool) < slot.count:
            raise EvaluationError(
                _("Bank soal kategori “%(category)s” hanya berisi %(n)s soal untuk %(need)s yang diminta kuis.")
                % {"category": slot.category.name, "n": len(pool), "need": slot.count}
            )
        chosen += rng.sample(sorted(pool), slot.count)
    latest = {}
    for version in QuestionVersion.objects.filter(question_id__in=chosen).order_by("question_id", "number"):
        latest[version.question_id] = version
    return [latest[pk] for pk in chosen]


def _option_order(kind: str, data: dict, shuffle: bool, rng: random.Random) -> list[int]:
    if kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
        order = list(range(len(data["choices"])))
    elif kind == QuestionKind.MATCHING:
        order = list(range(len(data["pairs"])))
    elif kind == QuestionKind.ORDERING:
        # Always shuffled (shown in order it would give the answer away), and never shown solved.
        order = list(range(len(data["items"])))
        while len(set(data["items"])) > 1 and [data["items"][i] for i in order] == data["items"]:
            rng.shuffle(order)
        return order
    else:
        return []
    if shuffle or kind == QuestionKind.MATCHING:
        rng.shuffle(order)
    return order


def attempt_start(
    *, quiz: Quiz, user, registration=None, lesson=None, now: dt.datetime | None = None, seed: int | None = None
) -> Attempt:
    """The learner's open attempt of ``quiz`` (resumed), or a new one with its questions drawn. The caller has
    checked that the learner may take the quiz (selectors.quiz_access)."""
    now = _now(now)
    open_attempt = attempt_open_for(quiz=quiz, user=user, now=now)
    if open_attempt is not None:
        return open_attempt
    if quiz_is_closed(quiz, now=now):
        raise EvaluationError(_("Kuis ini sudah ditutup."))
    rng = random.Random(seed)
    with transaction.atomic():
        used = Attempt.objects.filter(quiz=quiz, user=user).aggregate(n=Max("number"))["n"] or 0
        if used >= quiz.attempts_allowed:
            raise EvaluationError(
                _("Anda sudah memakai %(n)s dari %(n)s percobaan kuis ini.") % {"n": quiz.attempts_allowed}
            )
        deadline = now + dt.timedelta(minutes=quiz.time_limit_minutes) if quiz.time_limit_minutes else None
        if quiz.closes_at and (deadline is None or quiz.closes_at < deadline):
            deadline = quiz.closes_at
        versions = _draw(quiz, rng)
        try:
            with transaction.atomic():
                attempt = Attempt.objects.create(
                    quiz=quiz,
                    user=user,
                    number=used + 1,
                    lesson=lesson,
                    registration=registration,
                    started_at=now,
                    deadline=deadline,
                    max=sum((v.mark for v in versions), Decimal(0)),
                )
        except IntegrityError:
            # Started at the same moment in another tab: that attempt is the one.
            attempt = Attempt.objects.filter(quiz=quiz, user=user, state=Attempt.State.IN_PROGRESS).first()
            if attempt is None:
                raise EvaluationError(_("Percobaan tidak dapat dimulai. Muat ulang halaman.")) from None
            return attempt
        AttemptQuestion.objects.bulk_create(
            AttemptQuestion(
                attempt=attempt,
                position=position,
                version=version,
                option_order=_option_order(version.question.kind, version.data, quiz.shuffle_options, rng),
            )
            for position, version in enumerate(versions, 1)
        )
    return attempt


def attempt_open_for(*, quiz: Quiz, user, now: dt.datetime | None = None) -> Attempt | None:
    """The learner's attempt in progress; one whose time ran out is submitted first (and is not returned)."""
    attempt = Attempt.objects.filter(quiz=quiz, user=user, state=Attempt.State.IN_PROGRESS).first()
    if attempt is not None and attempt.deadline is not None and _now(now) >= attempt.deadline:
        attempt_submit(attempt=attempt, now=now)
        return None
    return attempt


def _clean_response(kind: str, aq: AttemptQuestion, raw):
    """The response in the shape its kind stores, or EvaluationError. Indices must be among those shown."""
    data = aq.version.data
    shown = set(aq.option_order)
    bad = EvaluationError(_("Jawaban soal nomor %(n)s tidak sesuai. Muat ulang halaman.") % {"n": aq.position})
    if raw is None or raw == "" or raw == []:
        return None
    if kind == QuestionKind.SINGLE:
        if isinstance(raw, list) and len(raw) == 1:
            raw = raw[0]
        try:
            value = int(raw)
        except (TypeError, ValueError):
            raise bad from None
        if value not in shown:
            raise bad
        return value
    if kind == QuestionKind.MULTIPLE:
        values = raw if isinstance(raw, list) else [raw]
        try:
            chosen = sorted({int(v) for v in values})
        except (TypeError, ValueError):
            raise bad from None
        if not shown.issuperset(chosen):
            raise bad
        return chosen
    if kind == QuestionKind.TRUE_FALSE:
        if isinstance(raw, list) and len(raw) == 1:
            raw = raw[0]
        if raw in (True, "true", "1", "benar"):
            return True
        if raw in (False, "false", "0", "salah"):
            return False
        raise bad
    if kind in (QuestionKind.SHORT, QuestionKind.NUMERIC, QuestionKind.ESSAY):
        if isinstance(raw, list) and len(raw) == 1:
            raw = raw[0]
        if kind == QuestionKind.NUMERIC and isinstance(raw, (int, float)) and not isinstance(raw, bool):
            raw = str(raw)
        if not isinstance(raw, str):
            raise bad
        limit = _MAX_RESPONSE_TEXT if kind == QuestionKind.ESSAY else 500
        if len(raw) > limit:
            raise EvaluationError(_("Jawaban soal nomor %(n)s terlalu panjang.") % {"n": aq.position})
        return raw.strip() or None
    if kind == QuestionKind.MATCHING:
        if not isinstance(raw, dict):
            raise bad
        lefts = {str(i) for i, pair in enumerate(data["pairs"]) if pair["left"]}
        cleaned = {}
        for left, right in raw.items():
            if right in (None, ""):
                continue
            try:
                right = int(right)
            except (TypeError, ValueError):
                raise bad from None
            if str(left) not in lefts or right not in shown:
                raise bad
            cleaned[str(left)] = right
        return cleaned or None
    if kind == QuestionKind.ORDERING:
        try:
            arranged = [int(v) for v in raw]
        except (TypeError, ValueError):
            raise bad from None
        if sorted(arranged) != sorted(shown):
            raise bad
        return arranged
    raise bad


def answer_save(*, attempt: Attempt, position: int, response, now: dt.datetime | None = None) -> AttemptQuestion:
    """Keep one answer as it is given (a lost connection loses nothing). After the server's deadline nothing
    is kept: the attempt is submitted as it stood, whatever the browser's clock says."""
    now = _now(now)
    with transaction.atomic():
        attempt = Attempt.objects.select_for_update().get(pk=attempt.pk)
        if attempt.state != Attempt.State.IN_PROGRESS:
            raise EvaluationError(_("Percobaan ini sudah dikirim; jawaban tidak dapat diubah lagi."))
        if attempt.deadline is not None and now >= attempt.deadline:
            late = True
        else:
            late = False
            aq = attempt.questions.select_related("version__question").filter(position=position).first()
            if aq is None:
                raise EvaluationError(_("Soal nomor %(n)s tidak ada dalam percobaan ini.") % {"n": position})
            aq.response = _clean_response(aq.version.question.kind, aq, response)
            aq.answered_at = now if aq.response is not None else None
            aq.save(update_fields=["response", "answered_at"])
    if late:
        attempt_submit(attempt=attempt, now=now)
        raise EvaluationError(
            _("Waktu mengerjakan sudah habis. Jawaban yang tersimpan sebelum batas waktu sudah dinilai.")
        )
    return aq


def attempt_submit(*, attempt: Attempt, now: dt.datetime | None = None) -> Attempt:
    """Score the attempt on the server, once: a second submit (another tab, a retry, two at the same moment)
    finds it submitted and returns it as it is."""
    now = _now(now)
    with transaction.atomic():
        attempt = Attempt.objects.select_for_update().select_related("quiz__course").get(pk=attempt.pk)
        if attempt.state != Attempt.State.IN_PROGRESS:
            return attempt
        # Submitted late (the attempt was left open): it is dated at its deadline, with what was saved by then.
        attempt.submitted_at = min(now, attempt.deadline) if attempt.deadline else now
        pending = False
        for aq in attempt.questions.select_related("version__question"):
            aq.fraction = scoring.fraction(aq.version.question.kind, aq.version.data, aq.response)
            if aq.fraction is None and aq.response is None:
                aq.fraction = Decimal(0)  # an essay left empty: nothing to grade
            pending = pending or aq.fraction is None
            aq.save(update_fields=["fraction"])
        if pending:
            attempt.state = Attempt.State.NEEDS_GRADING
            attempt.save(update_fields=["state", "submitted_at"])
            return attempt
        _attempt_finish(attempt)
    return attempt


def _attempt_finish(attempt: Attempt) -> None:
    rows = list(attempt.questions.select_related("version"))
    attempt.raw = sum((aq.fraction * aq.version.mark for aq in rows), Decimal(0)).quantize(Decimal("0.01"))
    attempt.scaled = (attempt.raw / attempt.max).quantize(Decimal("0.0001")) if attempt.max else Decimal(0)
    attempt.passed = attempt.scaled * 100 >= attempt.quiz.pass_mark
    attempt.state = Attempt.State.FINISHED
    attempt.save(update_fields=["raw", "scaled", "passed", "state", "submitted_at"])
    attempt_statements_record(attempt=attempt)


def essay_grade(*, attempt_question: AttemptQuestion, grader, fraction: Decimal, feedback: str = "") -> Attempt:
    """The trainer's mark for an essay; the attempt is finished (and recorded) once every essay has one."""
    if not Decimal(0) <= fraction <= Decimal(1):
        raise EvaluationError(_("Nilai esai harus antara 0 dan 100%."))
    with transaction.atomic():
        attempt = Attempt.objects.select_for_update().select_related("quiz__course").get(pk=attempt_question.attempt_id)
        if attempt.state != Attempt.State.NEEDS_GRADING:
            raise EvaluationError(_("Percobaan ini tidak menunggu penilaian."))
        aq = attempt.questions.get(pk=attempt_question.pk)
        aq.fraction, aq.graded_by, aq.feedback = fraction.quantize(Decimal("0.0001")), grader, feedback[:5000]
        aq.save(update_fields=["fraction", "graded_by", "feedback"])
        if not attempt.questions.filter(fraction__isnull=True).exists():
            _attempt_finish(attempt)
    return attempt


def attempts_close_overdue(*, now: dt.datetime | None = None) -> int:
    """Submit the attempts whose time ran out while nobody was looking (each once; running twice changes
    nothing). Returns how many were submitted."""
    now = _now(now)
    overdue = Attempt.objects.filter(state=Attempt.State.IN_PROGRESS, deadline__lte=now).values_list("pk", flat=True)
    count = 0
    for pk in list(overdue[:500]):
        attempt_submit(attempt=Attempt(pk=pk), now=now)
        count += 1
    return count
