"""Attempts of a quiz drawn from the bank: the draw, the server's clock, the number of attempts, grading,
review, other learners' attempts, xAPI statements, versions, essays."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from lms.evaluation import selectors, services
from lms.evaluation.models import Attempt, Category, Quiz
from lms.evaluation.statements import question_iri, quiz_iri
from lms.xapi.constants import VERB_ANSWERED, VERB_FAILED, VERB_PASSED
from lms.xapi.models import Statement, key
from shell.people.tests.factories import UserFactory

from .factories import enrol, make_bank, make_quiz, right_response, sample

pytestmark = pytest.mark.django_db

AUTO_KINDS = ("single", "multiple", "truefalse", "short", "numeric", "matching", "ordering")


@pytest.fixture
def bank():
    course, questions = make_bank(kinds=AUTO_KINDS)
    return course, questions


@pytest.fixture
def learner(bank):
    user = UserFactory()
    enrol(user, bank[0])
    return user


def whole_bank_quiz(course, **fields):
    slots = [(c, c.questions.count()) for c in Category.objects.filter(course=course)]
    return make_quiz(course=course, slots=slots, **fields)


def start(quiz, user, **kwargs):
    access = selectors.quiz_access(user=user, quiz=quiz)
    return services.attempt_start(quiz=quiz, user=user, registration=access.registration, **kwargs)


def answer_all(attempt, right=True, now=None):
    for aq in attempt.questions.select_related("version__question"):
        response = right_response(aq)
        if not right:
            response = {"single": 1, "multiple": [2], "truefalse": False, "short": "x", "numeric": "0"}.get(
                aq.version.question.kind, None
            )
        services.answer_save(attempt=attempt, position=aq.position, response=response, now=now)


def test_questions_are_drawn_at_random_from_the_categories(bank, learner):
    course, _ = bank
    wawasan = Category.objects.get(course=course, name="Wawasan")  # single, multiple, matching, ordering
    quiz = make_quiz(course=course, slots=[(wawasan, 2)], attempts_allowed=30)
    drawn = set()
    for seed in range(12):
        attempt = services.attempt_start(quiz=quiz, user=learner, seed=seed)
        names = [aq.version.question.name for aq in attempt.questions.select_related("version__question")]
        assert len(names) == 2 and len(set(names)) == 2
        assert all(aq.version.question.category_id == wawasan.pk for aq in attempt.questions.all())
        drawn.add(tuple(sorted(names)))
        services.attempt_submit(attempt=attempt)
    assert len(drawn) > 1


def test_options_are_shuffled_per_attempt_and_the_ordering_never_starts_solved(bank, learner):
    course, _ = bank
    quiz = whole_bank_quiz(course, attempts_allowed=40)
    orders = set()
    for seed in range(20):
        attempt = services.attempt_start(quiz=quiz, user=learner, seed=seed)
        for aq in attempt.questions.select_related("version__question"):
            if aq.version.question.kind == "ordering":
                assert aq.option_order != [0, 1, 2]
            if aq.version.question.kind == "multiple":
                orders.add(tuple(aq.option_order))
                assert sorted(aq.option_order) == [0, 1, 2, 3]
        services.attempt_submit(attempt=attempt)
    assert len(orders) > 1


def test_a_category_with_too_few_questions_is_refused_clearly(bank, learner):
    course, _ = bank
    category = Category.objects.get(course=course, name="Hitung")
    quiz = make_quiz(course=course, slots=[(category, 5)])
    with pytest.raises(services.EvaluationError, match="Hitung"):
        start(quiz, learner)
    assert not Attempt.objects.exists()


def test_every_kind_right_scores_full_and_passes(bank, learner):
    quiz = whole_bank_quiz(bank[0])
    attempt = start(quiz, learner)
    answer_all(attempt)
    attempt = services.attempt_submit(attempt=attempt)
    assert attempt.state == Attempt.State.FINISHED
    assert attempt.scaled == 1 and attempt.passed is True
    assert attempt.raw == attempt.max == Decimal(8)  # the multiple choice weighs 2


def test_the_time_limit_holds_whatever_the_browser_clock_says(bank, learner, client):
    quiz = whole_bank_quiz(bank[0], time_limit_minutes=10)
    started = timezone.now() - dt.timedelta(minutes=9)
    attempt = start(quiz, learner, now=started)
    first = attempt.questions.select_related("version__question").get(position=1)
    services.answer_save(
        attempt=attempt, position=1, response=right_response(first), now=started + dt.timedelta(minutes=1)
    )
    client.force_login(learner)
    url = reverse("evaluation:answer", args=[attempt.pk])
    # Within the time: saved.
    assert client.post(url, {"position": 2, "q2": "0", "now": "2000-01-01T00:00:00"}).status_code == 200
    # The server's clock passes the deadline; the browser says it is still early. Nothing more is kept.
    Attempt.objects.filter(pk=attempt.pk).update(
        started_at=started - dt.timedelta(minutes=5), deadline=timezone.now() - dt.timedelta(seconds=1)
    )
    response = client.post(
        url,
        {"position": 3, "q3": "true", "timestamp": "2000-01-01T00:00:00Z"},
        HTTP_DATE="Sat, 01 Jan 2000 00:00:00 GMT",
    )
    assert response.status_code == 409
    attempt.refresh_from_db()
    assert attempt.state == Attempt.State.FINISHED
    assert attempt.questions.get(position=3).response is None
    assert attempt.submitted_at == attempt.deadline
    # Neither the final submit brings late answers in.
    client.post(reverse("evaluation:finish", args=[attempt.pk]), {"q3": "true"})
    assert attempt.questions.get(position=3).response is None


def test_an_attempt_left_open_past_its_deadline_is_submitted_when_next_seen(bank, learner):
    quiz = whole_bank_quiz(bank[0], time_limit_minutes=5, attempts_allowed=2)
    attempt = start(quiz, learner, now=timezone.now() - dt.timedelta(hours=1))
    assert services.attempt_open_for(quiz=quiz, user=learner) is None
    attempt.refresh_from_db()
    assert attempt.state == Attempt.State.FINISHED and attempt.scaled == 0


def test_no_attempt_beyond_the_number_allowed(bank, learner, client):
    quiz = whole_bank_quiz(bank[0], attempts_allowed=2)
    for _ in range(2):
        attempt = start(quiz, learner)
        assert start(quiz, learner) == attempt  # the open attempt is resumed, not a new one
        services.attempt_submit(attempt=attempt)
    with pytest.raises(services.EvaluationError, match="2 dari 2"):
        start(quiz, learner)
    client.force_login(learner)
    response = client.post(reverse("evaluation:start", args=[quiz.pk]), follow=True)
    assert "2 dari 2" in response.content.decode()
    assert Attempt.objects.filter(quiz=quiz, user=learner).count() == 2


def test_submitting_twice_scores_once(bank, learner):
    quiz = whole_bank_quiz(bank[0])
    attempt = start(quiz, learner)
    answer_all(attempt)
    first = services.attempt_submit(attempt=attempt)
    second = services.attempt_submit(attempt=attempt)
    assert (first.submitted_at, first.raw) == (second.submitted_at, second.raw)
    passed = Statement.objects.filter(activity_key=key(quiz_iri(quiz.pk)), verb_key=key(VERB_PASSED))
    assert passed.count() == 1
    with pytest.raises(services.EvaluationError, match="sudah dikirim"):
        services.answer_save(attempt=attempt, position=1, response=0)


@pytest.mark.parametrize(
    ("grading", "expected"),
    [(Quiz.Grading.HIGHEST, Decimal(1)), (Quiz.Grading.LAST, Decimal(0)), (Quiz.Grading.AVERAGE, Decimal("0.5"))],
)
def test_grading_rules(bank, learner, grading, expected):
    quiz = whole_bank_quiz(bank[0], attempts_allowed=3, grading=grading)
    for right in (True, False):
        attempt = start(quiz, learner)
        answer_all(attempt, right=right)
        services.attempt_submit(attempt=attempt)
    assert selectors.quiz_grade_of(user=learner, quiz=quiz) == expected


def test_each_answer_and_the_attempt_are_platform_statements(bank, learner):
    quiz = whole_bank_quiz(bank[0], pass_mark=100)
    attempt = start(quiz, learner)
    answer_all(attempt, right=False)
    services.attempt_submit(attempt=attempt)
    answered = Statement.objects.filter(user=learner, verb_key=key(VERB_ANSWERED))
    assert answered.count() == len(AUTO_KINDS)
    assert set(answered.values_list("source", flat=True)) == {Statement.Source.PLATFORM}
    single = attempt.questions.get(version__question__kind="single")
    statement = answered.get(activity_key=key(question_iri(quiz.pk, single.version.question_id))).data
    assert statement["result"]["response"] == "1"
    assert statement["result"]["success"] is False and statement["result"]["score"]["scaled"] == 0
    assert statement["object"]["definition"]["interactionType"] == "choice"
    failed = Statement.objects.get(user=learner, verb_key=key(VERB_FAILED))
    assert failed.data["result"]["success"] is False
    assert failed.data["context"]["registration"] == str(learner.enrollments.get().registration)


def test_a_learner_cannot_open_another_learners_attempt(bank, learner, client):
    quiz = whole_bank_quiz(bank[0])
    attempt = start(quiz, learner)
    other = UserFactory()
    enrol(other, bank[0])
    client.force_login(other)
    for name in ("attempt", "review"):
        assert client.get(reverse(f"evaluation:{name}", args=[attempt.pk])).status_code == 404
    for name in ("answer", "finish"):
        assert (
            client.post(reverse(f"evaluation:{name}", args=[attempt.pk]), {"position": 1, "q1": "0"}).status_code == 404
        )
    attempt.refresh_from_db()
    assert attempt.state == Attempt.State.IN_PROGRESS
    assert attempt.questions.get(position=1).response is None


def test_correct_answers_stay_hidden_until_review_opens(bank, learner, client):
    quiz = whole_bank_quiz(
        bank[0], attempts_allowed=2, review_answers=Quiz.Review.AFTER_SUBMIT, review_correct=Quiz.Review.AFTER_CLOSE
    )
    attempt = start(quiz, learner)
    answer_all(attempt, right=False)
    services.attempt_submit(attempt=attempt)
    client.force_login(learner)
    page = client.get(reverse("evaluation:review", args=[attempt.pk])).content.decode()
    assert "Serang" in page  # the options of the learner's answers are shown
    assert 'data-testid="correct-answer"' not in page and "Perencanaan \u2192 Pelaksanaan" not in page
    # The second attempt open: still hidden (it would carry over).
    second = start(quiz, learner)
    assert selectors.review_of(attempt=attempt).correct is False
    services.attempt_submit(attempt=second)
    # Attempts used up: the quiz is closed for this learner, the key is shown.
    page = client.get(reverse("evaluation:review", args=[attempt.pk])).content.decode()
    assert 'data-testid="correct-answer"' in page and "Perencanaan \u2192 Pelaksanaan \u2192 Evaluasi" in page


def test_review_never_shows_nothing(bank, learner, client):
    quiz = whole_bank_quiz(bank[0], review_answers=Quiz.Review.NEVER, review_correct=Quiz.Review.AFTER_SUBMIT)
    attempt = start(quiz, learner)
    services.attempt_submit(attempt=attempt)
    client.force_login(learner)
    page = client.get(reverse("evaluation:review", args=[attempt.pk])).content.decode()
    assert 'data-testid="review-closed"' in page and "Serang" not in page


def test_a_crafted_answer_is_refused_and_script_is_shown_as_text(bank, learner, client):
    quiz = whole_bank_quiz(bank[0])
    attempt = start(quiz, learner)
    client.force_login(learner)
    single = attempt.questions.get(version__question__kind="single")
    short = attempt.questions.get(version__question__kind="short")
    url = reverse("evaluation:answer", args=[attempt.pk])
    assert client.post(url, {"position": single.position, f"q{single.position}": "99"}).status_code == 400
    assert client.post(url, {"position": "x"}).status_code == 400
    assert client.post(url, {"position": 999}).status_code == 400
    script = "<script>alert(1)</script>"
    assert client.post(url, {"position": short.position, f"q{short.position}": script}).status_code == 200
    page = client.get(reverse("evaluation:attempt", args=[attempt.pk])).content.decode()
    assert script not in page and "&lt;script&gt;" in page


def test_editing_a_used_question_keeps_the_old_version_for_past_attempts(bank, learner, client):
    course, questions = bank
    single = questions[0]
    quiz = make_quiz(course=course, slots=[(single.category, 4)])
    attempt = start(quiz, learner)
    services.attempt_submit(attempt=attempt)
    version = services.question_update(question=single, draft=sample("single", text="Ibu kota Banten sejak 2000?"))
    assert version.number == 2
    aq = attempt.questions.get(version__question=single)
    assert aq.version.number == 1 and aq.version.text == "Ibu kota Provinsi Banten?"
    # An unused latest version is edited in place.
    assert services.question_update(question=single, draft=sample("single", text="Lagi?")).number == 2


def test_an_essay_waits_for_the_trainer_then_the_attempt_is_recorded(learner_and_essay):
    course, learner, quiz, trainer = learner_and_essay
    attempt = start(quiz, learner)
    for aq in attempt.questions.select_related("version__question"):
        response = "Saya menerapkannya di layanan KTP." if aq.version.question.kind == "essay" else right_response(aq)
        services.answer_save(attempt=attempt, position=aq.position, response=response)
    attempt = services.attempt_submit(attempt=attempt)
    assert attempt.state == Attempt.State.NEEDS_GRADING
    assert not Statement.objects.filter(activity_key=key(quiz_iri(quiz.pk))).exists()
    essay = attempt.questions.get(version__question__kind="essay")
    attempt = services.essay_grade(attempt_question=essay, grader=trainer, fraction=Decimal("0.5"))
    assert attempt.state == Attempt.State.FINISHED and attempt.scaled == Decimal("0.75")
    assert Statement.objects.filter(activity_key=key(quiz_iri(quiz.pk)), verb_key=key(VERB_PASSED)).exists()


@pytest.fixture
def learner_and_essay():
    course, _ = make_bank(kinds=("single", "essay"))
    trainer = UserFactory()
    course.trainers.add(trainer)
    course.save()
    learner = UserFactory()
    enrol(learner, course)
    return course, learner, whole_bank_quiz(course, pass_mark=70), trainer


def test_only_the_courses_trainer_grades_essays(learner_and_essay, client):
    course, learner, quiz, trainer = learner_and_essay
    client.force_login(learner)
    assert client.get(reverse("evaluation:grading", args=[course.pk])).status_code == 404
    assert client.get(reverse("evaluation:bank", args=[course.pk])).status_code == 404
    client.force_login(trainer)
    assert client.get(reverse("evaluation:grading", args=[course.pk])).status_code == 200


def test_someone_not_enrolled_cannot_start(bank):
    quiz = whole_bank_quiz(bank[0])
    with pytest.raises(selectors.AccessRefused):
        selectors.quiz_access(user=UserFactory(), quiz=quiz)
