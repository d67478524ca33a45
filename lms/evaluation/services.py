"""Writes of the question bank, quizzes and attempts. Scoring is always the server's (lms.evaluation.scoring);
every attempt and answer becomes the platform's own xAPI statement (lms.evaluation.statements)."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from content.models import CoursePage

from .drafts import DraftError, QuestionDraft, draft_check
from .models import Category, Question, QuestionVersion


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
