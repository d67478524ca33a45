"""Reads of the bank, quizzes and attempts."""

from __future__ import annotations

from django.db.models import QuerySet

from content.models import CoursePage

from .drafts import QuestionDraft
from .models import Question, QuestionVersion


def bank_questions(*, course: CoursePage) -> QuerySet[Question]:
    return Question.objects.filter(category__course=course, archived=False).select_related("category")


def question_draft(question: Question, version: QuestionVersion | None = None) -> QuestionDraft:
    version = version or question.latest
    return QuestionDraft(
        kind=question.kind,
        name=question.name,
        text=version.text,
        data=version.data,
        category=question.category.name,
        mark=version.mark,
        tags=list(question.tags),
        difficulty=question.difficulty,
        feedback=version.general_feedback,
    )


def bank_drafts(*, course: CoursePage) -> list[QuestionDraft]:
    questions = bank_questions(course=course).prefetch_related("versions")
    return [question_draft(q, max(q.versions.all(), key=lambda v: v.number)) for q in questions]
