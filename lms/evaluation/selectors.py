"""Reads of the bank, quizzes and attempts."""

from __future__ import annotations

import datetime as dt
import uuid
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from content.models import CoursePage, LessonPage
from shell import formatting

from ..classroom.models import Registration, SessionDay
from ..courses.selectors import course_is_trainer
from ..models import Enrollment, LessonProgress
from ..xapi.constants import VERB_PASSED
from ..xapi.models import Statement, key
from .drafts import QuestionDraft
from .models import Attempt, AttemptQuestion, Question, QuestionKind, QuestionVersion, Quiz
from .scoring import correct_response, normalise_text
from .statements import quiz_iri


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


# Who may do what ----------------------------------------------------------------------------------------


def manages_bank(*, user, course: CoursePage) -> bool:
    """The course's named trainers (and superusers) keep its bank, quizzes and essay marks."""
    return course_is_trainer(user=user, course=course)


def sees_item_analysis(*, user, course: CoursePage) -> bool:
    """The course's trainers and BKPSDM (HR with a scope): the answers of every learner, aggregated."""
    return course_is_trainer(user=user, course=course) or (user.is_authenticated and user.has_perm("people.view_scope"))


def courses_with_bank_for(*, user) -> QuerySet[CoursePage]:
    if user.is_superuser:
        return CoursePage.objects.all().order_by("title")
    return CoursePage.objects.filter(trainers=user).order_by("title")


@dataclass(frozen=True)
class Access:
    registration: uuid.UUID | None
    lesson: LessonPage | None = None


def _enrollment(user, course_id: int) -> Enrollment | None:
    return Enrollment.objects.filter(user=user, course_id=course_id).first()


def quiz_access(*, user, quiz: Quiz, lesson: LessonPage | None = None, now: dt.datetime | None = None) -> Access:
    """Whether the learner may start (or go on with) ``quiz`` now; raises AccessRefused saying why."""
    now = now or timezone.now()
    if quiz.session_id is not None:
        registration = Registration.objects.filter(
            session_id=quiz.session_id, user=user, status=Registration.Status.REGISTERED
        ).first()
        if registration is None:
            raise AccessRefused(_("Tes ini untuk peserta terdaftar angkatan kelas tersebut."))
        days = list(
            SessionDay.objects.filter(session_id=quiz.session_id).order_by("date").values_list("date", flat=True)
        )
        today = timezone.localdate(now)
        if days and quiz.kind == Quiz.Kind.PRETEST and today > days[0]:
            raise AccessRefused(_("Pre-test hanya dapat dikerjakan sampai hari pertama kelas."))
        if days and quiz.kind == Quiz.Kind.POSTTEST and today < days[-1]:
            raise AccessRefused(
                _("Post-test dibuka pada hari terakhir kelas (%(date)s).") % {"date": formatting.short_date(days[-1])}
            )
        return Access(registration=registration.registration)
    enrollment = _enrollment(user, quiz.course_id)
    if enrollment is None:
        raise AccessRefused(_("Daftar kursus ini terlebih dahulu untuk mengerjakan kuisnya."))
    if lesson is not None:
        block_quiz = lesson.quiz
        if (
            not lesson.live
            or lesson.get_parent().pk != quiz.course_id
            or not block_quiz
            or block_quiz.get("bank_quiz") != quiz.pk
        ):
            raise AccessRefused(_("Kuis ini bukan bagian dari pelajaran tersebut."))
    done = LessonProgress.objects.filter(enrollment=enrollment, completed_at__isnull=False)
    if quiz.kind == Quiz.Kind.PRETEST and done.exists() and not Attempt.objects.filter(quiz=quiz, user=user).exists():
        raise AccessRefused(_("Pre-test dikerjakan sebelum pelajaran pertama; Anda sudah mulai belajar."))
    if quiz.kind == Quiz.Kind.POSTTEST:
        required = {page.pk for page in enrollment.course.lessons() if page.required}
        if not required.issubset(done.values_list("lesson_id", flat=True)):
            raise AccessRefused(_("Post-test dibuka setelah semua pelajaran wajib selesai."))
    return Access(registration=enrollment.registration, lesson=lesson)


class AccessRefused(Exception):
    pass


def attempts_of(*, user, quiz: Quiz) -> QuerySet[Attempt]:
    return Attempt.objects.filter(user=user, quiz=quiz).order_by("number")


def quiz_grade_of(*, user, quiz: Quiz) -> Decimal | None:
    """The learner's grade on the quiz (0..1) by its grading rule, from finished attempts."""
    scores = [a.scaled for a in attempts_of(user=user, quiz=quiz).filter(state=Attempt.State.FINISHED)]
    if not scores:
        return None
    if quiz.grading == Quiz.Grading.LAST:
        return scores[-1]
    if quiz.grading == Quiz.Grading.AVERAGE:
        return (sum(scores) / len(scores)).quantize(Decimal("0.0001"))
    return max(scores)


@dataclass(frozen=True)
class Review:
    answers: bool
    correct: bool


def _open(rule: str, *, attempt: Attempt, now: dt.datetime) -> bool:
    quiz = attempt.quiz
    if rule == Quiz.Review.NEVER or attempt.state == Attempt.State.IN_PROGRESS:
        return False
    if rule == Quiz.Review.AFTER_SUBMIT:
        return True
    if quiz.closes_at is not None:
        return now >= quiz.closes_at
    # No closing date: closed for this learner once their attempts are used up.
    return Attempt.objects.filter(quiz=quiz, user_id=attempt.user_id).count() >= quiz.attempts_allowed


def review_of(*, attempt: Attempt, now: dt.datetime | None = None) -> Review:
    """What the learner may see of a submitted attempt. The correct answers never while the learner has an
    attempt of the quiz open (they would carry over into it)."""
    now = now or timezone.now()
    answers = _open(attempt.quiz.review_answers, attempt=attempt, now=now)
    correct = answers and _open(attempt.quiz.review_correct, attempt=attempt, now=now)
    if (
        correct
        and Attempt.objects.filter(quiz=attempt.quiz, user_id=attempt.user_id, state=Attempt.State.IN_PROGRESS).exists()
    ):
        correct = False
    return Review(answers=answers, correct=correct)


@dataclass
class ShownQuestion:
    """One question of an attempt as the page shows it: options in the attempt's order; the key only when
    review of correct answers is open."""

    aq: AttemptQuestion
    kind: str
    text: str
    options: list[tuple[int, str]]
    lefts: list[tuple[int, str]]
    response: object
    correct: object = None
    fraction: Decimal | None = None
    mark: Decimal = Decimal(1)
    feedback: str = ""
    correct_text: str = ""

    @property
    def percent(self):
        return None if self.fraction is None else self.fraction * 100


def attempt_questions_shown(*, attempt: Attempt, review: Review | None = None) -> list[ShownQuestion]:
    shown = []
    for aq in attempt.questions.select_related("version__question"):
        version, kind = aq.version, aq.version.question.kind
        data = version.data
        options: list[tuple[int, str]] = []
        lefts: list[tuple[int, str]] = []
        if kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
            options = [(i, data["choices"][i]["text"]) for i in aq.option_order]
        elif kind == QuestionKind.MATCHING:
            lefts = [(i, pair["left"]) for i, pair in enumerate(data["pairs"]) if pair["left"]]
            seen, options = set(), []
            for i in aq.option_order:
                if data["pairs"][i]["right"] not in seen:
                    seen.add(data["pairs"][i]["right"])
                    options.append((i, data["pairs"][i]["right"]))
        elif kind == QuestionKind.ORDERING:
            order = aq.response if isinstance(aq.response, list) else aq.option_order
            options = [(i, data["items"][i]) for i in order]
        row = ShownQuestion(
            aq=aq,
            kind=kind,
            text=version.text,
            options=options,
            lefts=lefts,
            response=aq.response,
            mark=version.mark,
        )
        if review is not None and review.answers:
            row.fraction = aq.fraction
            row.feedback = aq.feedback
        if review is not None and review.correct:
            row.correct = correct_response(kind, data)
            row.correct_text = _correct_text(kind, data)
            row.feedback = "\n".join(x for x in (aq.feedback, version.general_feedback) if x)
        shown.append(row)
    return shown


def _correct_text(kind: str, data: dict) -> str:
    if kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
        return "; ".join(c["text"] for c in data["choices"] if float(c["fraction"]) > 0)
    if kind == QuestionKind.TRUE_FALSE:
        return _("Benar") if data["answer"] else _("Salah")
    if kind == QuestionKind.SHORT:
        return "; ".join(a["text"] for a in data["answers"] if float(a["fraction"]) >= 1)
    if kind == QuestionKind.NUMERIC:
        return "; ".join(
            formatting.number(a["value"]) + (f" ± {formatting.number(a['tolerance'])}" if a["tolerance"] else "")
            for a in data["answers"]
            if float(a["fraction"]) >= 1
        )
    if kind == QuestionKind.MATCHING:
        return "; ".join(f"{p['left']} → {p['right']}" for p in data["pairs"] if p["left"])
    if kind == QuestionKind.ORDERING:
        return " → ".join(data["items"])
    return ""


def seconds_left(*, attempt: Attempt, now: dt.datetime | None = None) -> int | None:
    if attempt.deadline is None:
        return None
    return max(0, int((attempt.deadline - (now or timezone.now())).total_seconds()))


# Pre-test, post-test and gain ------------------------------------------------------------------------------


def test_pair(*, course: CoursePage, session_id: int | None = None) -> tuple[Quiz | None, Quiz | None]:
    tests = {q.kind: q for q in Quiz.objects.filter(course=course, session_id=session_id).exclude(kind=Quiz.Kind.QUIZ)}
    return tests.get(Quiz.Kind.PRETEST), tests.get(Quiz.Kind.POSTTEST)


def _first_scores(quiz: Quiz) -> dict[int, Decimal]:
    """Each learner's first finished attempt: a pre-test measures what they knew before."""
    scores: dict[int, Decimal] = {}
    for user_id, scaled in (
        Attempt.objects.filter(quiz=quiz, state=Attempt.State.FINISHED)
        .order_by("number")
        .values_list("user_id", "scaled")
    ):
        scores.setdefault(user_id, scaled)
    return scores


def _graded_scores(quiz: Quiz) -> dict[int, Decimal]:
    by_user: dict[int, list[Decimal]] = {}
    for user_id, scaled in (
        Attempt.objects.filter(quiz=quiz, state=Attempt.State.FINISHED)
        .order_by("number")
        .values_list("user_id", "scaled")
    ):
        by_user.setdefault(user_id, []).append(scaled)
    if quiz.grading == Quiz.Grading.LAST:
        return {u: s[-1] for u, s in by_user.items()}
    if quiz.grading == Quiz.Grading.AVERAGE:
        return {u: sum(s) / len(s) for u, s in by_user.items()}
    return {u: max(s) for u, s in by_user.items()}


def normalised_gain(pre: float, post: float) -> float | None:
    """Hake's g: the share of what there was to gain that was gained; none for a perfect pre-test."""
    if pre >= 1:
        return None
    return (post - pre) / (1 - pre)


@dataclass(frozen=True)
class Gain:
    learners: list[tuple[int, float, float, float | None]]  # (user id, pre, post, g)
    pre_mean: float | None
    post_mean: float | None
    class_gain: float | None  # Hake: from the class means
    mean_gain: float | None  # the mean of the learners' own g

    @property
    def pre_percent(self):
        return None if self.pre_mean is None else self.pre_mean * 100

    @property
    def post_percent(self):
        return None if self.post_mean is None else self.post_mean * 100


def gain_of(*, pretest: Quiz, posttest: Quiz) -> Gain:
    """Learners with both tests: pre (first attempt), post (by the post-test's grading), g per learner and
    for the class."""
    pre, post = _first_scores(pretest), _graded_scores(posttest)
    rows = []
    for user_id in sorted(set(pre) & set(post)):
        p, q = float(pre[user_id]), float(post[user_id])
        rows.append((user_id, p, q, normalised_gain(p, q)))
    if not rows:
        return Gain([], None, None, None, None)
    pre_mean = sum(r[1] for r in rows) / len(rows)
    post_mean = sum(r[2] for r in rows) / len(rows)
    gains = [r[3] for r in rows if r[3] is not None]
    return Gain(
        rows,
        pre_mean,
        post_mean,
        normalised_gain(pre_mean, post_mean),
        sum(gains) / len(gains) if gains else None,
    )


def posttest_gate_met(*, enrollment: Enrollment) -> bool:
    """A course whose post-test gates completion completes only once the platform recorded it passed."""
    gating = Quiz.objects.filter(
        course_id=enrollment.course_id, session__isnull=True, kind=Quiz.Kind.POSTTEST, gates_completion=True
    ).first()
    if gating is None:
        return True
    return Statement.objects.filter(
        user_id=enrollment.user_id,
        registration=enrollment.registration,
        activity_key=key(quiz_iri(gating.pk)),
        verb_key=key(VERB_PASSED),
        source=Statement.Source.PLATFORM,
        voided=False,
    ).exists()


# Item analysis ------------------------------------------------------------------------------------------


@dataclass
class ItemRow:
    question: Question
    kind: str
    text: str
    answered: int
    difficulty: float | None  # share right (p)
    discrimination: float | None  # upper 27% minus lower 27%
    options: list[tuple[str, int, bool]] = field(default_factory=list)  # (option, times chosen, is right)


def item_analysis(*, quiz: Quiz) -> tuple[int, list[ItemRow]]:
    """(attempts analysed, one row per question): the finished attempts of every learner, each attempt once.
    A question counts as right at full mark; the upper and lower groups are the 27% best and worst attempts
    by total score (at least one attempt each)."""
    attempts = list(
        Attempt.objects.filter(quiz=quiz, state=Attempt.State.FINISHED)
        .order_by("-scaled", "pk")
        .values_list("pk", flat=True)
    )
    n = len(attempts)
    if not n:
        return 0, []
    k = max(1, round(n * 0.27))
    upper, lower = set(attempts[:k]), set(attempts[-k:])
    rows: dict[int, ItemRow] = {}
    per_question: dict[int, list[tuple[int, AttemptQuestion]]] = {}
    for aq in AttemptQuestion.objects.filter(attempt_id__in=attempts).select_related("version__question"):
        per_question.setdefault(aq.version.question_id, []).append((aq.attempt_id, aq))
    for question_id, answers in per_question.items():
        question = answers[0][1].version.question
        right = [attempt_id for attempt_id, aq in answers if aq.fraction is not None and aq.fraction >= 1]
        in_upper = [a for a, _aq in answers if a in upper]
        in_lower = [a for a, _aq in answers if a in lower]
        right_set = set(right)
        discrimination = None
        if in_upper and in_lower:
            discrimination = sum(a in right_set for a in in_upper) / len(in_upper) - sum(
                a in right_set for a in in_lower
            ) / len(in_lower)
        latest = max((aq.version for _a, aq in answers), key=lambda v: v.number)
        rows[question_id] = ItemRow(
            question=question,
            kind=question.kind,
            text=latest.text,
            answered=len(answers),
            difficulty=len(right) / len(answers),
            discrimination=discrimination,
            options=_option_counts(question.kind, [aq for _a, aq in answers], latest),
        )
    return n, sorted(rows.values(), key=lambda r: (r.question.category.name, r.question.name))


def _option_counts(kind: str, answers: list[AttemptQuestion], latest: QuestionVersion) -> list[tuple[str, int, bool]]:
    """How often each option was chosen (choice kinds and true/false; by option text, across versions);
    for the typed kinds, the most frequent answers."""
    counts: Counter = Counter()
    right: set[str] = set()
    for aq in answers:
        data, response = aq.version.data, aq.response
        if kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
            chosen = [response] if isinstance(response, int) else (response or [])
            counts.update(data["choices"][i]["text"] for i in chosen if 0 <= i < len(data["choices"]))
        elif kind == QuestionKind.TRUE_FALSE:
            if response is not None:
                counts.update([_("Benar") if response else _("Salah")])
        elif kind in (QuestionKind.SHORT, QuestionKind.NUMERIC) and response:
            counts.update([normalise_text(str(response), case_sensitive=False)])
        elif response is None:
            counts.update([_("(tidak dijawab)")])
    if kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
        right = {c["text"] for c in latest.data["choices"] if float(c["fraction"]) > 0}
        order = [c["text"] for c in latest.data["choices"]]
        return [(text, counts.get(text, 0), text in right) for text in order] + [
            (text, n, False) for text, n in counts.items() if text not in order
        ]
    if kind == QuestionKind.TRUE_FALSE:
        key_text = _("Benar") if latest.data["answer"] else _("Salah")
        return [(t, counts.get(t, 0), t == key_text) for t in (_("Benar"), _("Salah"))]
    return [(text, n, False) for text, n in counts.most_common(10)]


# What the evaluation report prints per course or class ----------------------------------------------------


def tested_in_year(*, year: int) -> set[tuple[int, int | None]]:
    """(course id, class id or None) of every pre- or post-test finished by someone in ``year``."""
    return set(
        Attempt.objects.filter(state=Attempt.State.FINISHED, submitted_at__year=year)
        .exclude(quiz__kind=Quiz.Kind.QUIZ)
        .values_list("quiz__course_id", "quiz__session_id")
        .distinct()
    )


def learning_summary(*, course_id: int, session_id: int | None) -> dict:
    """The learning columns of the evaluation report: pre- and post-test means (percent, learners who took
    both), the class's normalised gain, and the post-test's pass rate (percent of those graded)."""
    tests = {
        q.kind: q for q in Quiz.objects.filter(course_id=course_id, session_id=session_id).exclude(kind=Quiz.Kind.QUIZ)
    }
    pretest, posttest = tests.get(Quiz.Kind.PRETEST), tests.get(Quiz.Kind.POSTTEST)
    summary = {"pre_test_mean": None, "post_test_mean": None, "gain": None, "pass_rate": None}
    if pretest and posttest:
        gain = gain_of(pretest=pretest, posttest=posttest)
        summary["pre_test_mean"] = _rounded(gain.pre_percent)
        summary["post_test_mean"] = _rounded(gain.post_percent)
        summary["gain"] = _rounded(gain.class_gain, 3)
    elif pretest:
        scores = _first_scores(pretest)
        summary["pre_test_mean"] = _rounded(float(sum(scores.values())) / len(scores) * 100) if scores else None
    if posttest:
        graded = _graded_scores(posttest)
        if not pretest:
            summary["post_test_mean"] = _rounded(float(sum(graded.values())) / len(graded) * 100) if graded else None
        if graded:
            passed = sum(1 for s in graded.values() if s * 100 >= posttest.pass_mark)
            summary["pass_rate"] = _rounded(passed / len(graded) * 100)
    return summary


def _rounded(value, digits: int = 1):
    return None if value is None else round(float(value), digits)
