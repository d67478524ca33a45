"""Lesson quizzes from the bank, pre- and post-tests (online and for a class), the gain, and item analysis."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from content.models import LessonPage
from lms import services as lms_services
from lms.classroom.models import Registration
from lms.classroom.tests.factories import make_session
from lms.evaluation import selectors
from lms.evaluation.models import Attempt, AttemptQuestion, Category, Quiz
from lms.hours.models import LedgerEntry
from lms.models import Enrollment, LessonProgress
from shell.people import roles
from shell.people.tests.factories import UserFactory

from .factories import enrol, make_bank, make_quiz, right_response

pytestmark = pytest.mark.django_db


def add_lesson(course, title, body):
    return course.add_child(instance=LessonPage(title=title, slug=title.lower().replace(" ", "-"), body=body))


def take(client, quiz, *, lesson=None, right=True):
    """Take the quiz through its pages, as a learner does."""
    data = {"pelajaran": lesson.pk} if lesson else {}
    response = client.post(reverse("evaluation:start", args=[quiz.pk]), data)
    assert response.status_code == 302, response
    attempt = Attempt.objects.filter(quiz=quiz).latest("pk")
    assert response["Location"] == reverse("evaluation:attempt", args=[attempt.pk])
    form = {}
    for aq in attempt.questions.select_related("version__question"):
        response_value = right_response(aq) if right else None
        if response_value is None:
            continue
        if isinstance(response_value, bool):
            response_value = "true" if response_value else "false"
        form[f"q{aq.position}"] = response_value
    client.post(reverse("evaluation:finish", args=[attempt.pk]), form)
    attempt.refresh_from_db()
    return attempt


@pytest.fixture
def online():
    """A course with a bank (single and true/false questions), one text lesson and one lesson whose quiz
    is a bank quiz; a pre-test and a post-test that gates completion."""
    course, _ = make_bank(kinds=("single", "truefalse"))
    categories = list(Category.objects.filter(course=course))
    lesson_quiz = make_quiz(
        course=course, slots=[(c, 1) for c in categories], title="Kuis pelajaran", attempts_allowed=3
    )
    pre = make_quiz(course=course, slots=[(c, 1) for c in categories], title="Pre-test", kind=Quiz.Kind.PRETEST)
    post = make_quiz(
        course=course,
        slots=[],
        title="Post-test",
        kind=Quiz.Kind.POSTTEST,
        blueprint_from=pre,
        gates_completion=True,
        attempts_allowed=2,
    )
    first = LessonPage.objects.child_of(course).get()
    second = add_lesson(
        course,
        "Pelajaran Kuis",
        [("quiz", {"title": "Kuis", "pass_mark": 70, "bank_quiz": lesson_quiz.pk, "questions": []})],
    )
    return course, first, second, lesson_quiz, pre, post


def test_a_lesson_quiz_from_the_bank_completes_the_lesson(online, client, django_capture_on_commit_callbacks):
    course, first, second, lesson_quiz, pre, post = online
    post.gates_completion = False
    post.save()
    learner = UserFactory()
    enrollment = enrol(learner, course)
    client.force_login(learner)
    lesson_page = client.get(second.url).content.decode()
    assert reverse("evaluation:quiz", args=[lesson_quiz.pk]) in lesson_page
    # The lesson's own "submit" of the old quiz refuses: the bank quiz is the quiz.
    with pytest.raises(lms_services.LearningError):
        lms_services.quiz_submit(enrollment=enrollment, lesson=second, answers={})
    failed = take(client, lesson_quiz, lesson=second, right=False)
    assert failed.passed is False
    progress = LessonProgress.objects.get(enrollment=enrollment, lesson=second)
    assert progress.passed is False and progress.completed_at is None
    lms_services.lesson_complete(enrollment=enrollment, lesson=first)
    with django_capture_on_commit_callbacks(execute=True):
        passed = take(client, lesson_quiz, lesson=second)
    assert passed.passed is True
    progress.refresh_from_db()
    assert progress.passed is True and progress.completed_at is not None and progress.attempts == 2
    enrollment.refresh_from_db()
    assert enrollment.completed_at is not None
    assert LedgerEntry.objects.filter(user=learner).exists()


def test_a_lesson_quiz_cannot_be_taken_for_another_lesson(online, client):
    course, first, _second, lesson_quiz, *_ = online
    learner = UserFactory()
    enrol(learner, course)
    client.force_login(learner)
    response = client.post(reverse("evaluation:start", args=[lesson_quiz.pk]), {"pelajaran": first.pk}, follow=True)
    assert "bukan bagian dari pelajaran" in response.content.decode()
    assert not Attempt.objects.exists()


def test_pre_test_before_the_first_lesson_post_test_gates_completion_and_gain(online, client):
    course, first, second, lesson_quiz, pre, post = online
    learner = UserFactory()
    enrollment = enrol(learner, course)
    client.force_login(learner)
    # The post-test waits for the lessons.
    response = client.get(reverse("evaluation:quiz", args=[post.pk]))
    assert "setelah semua pelajaran wajib selesai" in response.content.decode()
    pre_attempt = take(client, pre, right=False)
    assert pre_attempt.scaled == 0
    lms_services.lesson_complete(enrollment=enrollment, lesson=first)
    take(client, lesson_quiz, lesson=second)
    enrollment.refresh_from_db()
    assert enrollment.completed_at is None  # the post-test gates completion
    # A learner who starts learning without the pre-test cannot take it afterwards.
    late = UserFactory()
    late_enrollment = enrol(late, course)
    lms_services.lesson_complete(enrollment=late_enrollment, lesson=first)
    with pytest.raises(selectors.AccessRefused, match="sebelum pelajaran pertama"):
        selectors.quiz_access(user=late, quiz=pre)
    post_attempt = take(client, post)
    assert post_attempt.passed is True
    # Drawn from the pre-test's blueprint: the same categories.
    categories = lambda a: sorted(a.questions.values_list("version__question__category__name", flat=True))  # noqa: E731
    assert categories(post_attempt) == categories(pre_attempt)
    enrollment.refresh_from_db()
    assert enrollment.completed_at is not None
    gain = selectors.gain_of(pretest=pre, posttest=post)
    assert gain.learners == [(learner.pk, 0.0, 1.0, 1.0)]
    assert gain.class_gain == 1.0


def test_normalised_gain():
    assert selectors.normalised_gain(0.25, 0.75) == pytest.approx(2 / 3)
    assert selectors.normalised_gain(0.5, 0.25) == pytest.approx(-0.5)
    assert selectors.normalised_gain(1.0, 1.0) is None


def test_class_gain_from_the_class_means(online):
    course, *_rest, pre, post = online
    rows = [("0.25", "0.75"), ("0.5", "0.5"), ("0", "1")]
    for pre_score, post_score in rows:
        user = UserFactory()
        for quiz, scaled in ((pre, pre_score), (post, post_score)):
            Attempt.objects.create(
                quiz=quiz,
                user=user,
                number=1,
                started_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
                state=Attempt.State.FINISHED,
                scaled=Decimal(scaled),
                raw=0,
                max=1,
            )
    gain = selectors.gain_of(pretest=pre, posttest=post)
    assert gain.pre_mean == pytest.approx(0.25) and gain.post_mean == pytest.approx(0.75)
    assert gain.class_gain == pytest.approx(2 / 3)
    assert gain.mean_gain == pytest.approx((2 / 3 + 0 + 1) / 3)


def test_a_class_pre_test_for_its_registered_participants_on_or_before_the_first_day():
    session = make_session(
        days=((dt.date(2026, 3, 10), dt.time(8), dt.time(16)), (dt.date(2026, 3, 11), dt.time(8), dt.time(16)))
    )
    course, _ = make_bank(course=session.course, kinds=("single",))
    category = Category.objects.get(course=course)
    pre = make_quiz(course=course, slots=[(category, 1)], kind=Quiz.Kind.PRETEST, session=session)
    post = make_quiz(course=course, slots=[(category, 1)], kind=Quiz.Kind.POSTTEST, session=session)
    participant, stranger = UserFactory(), UserFactory()
    registration = Registration.objects.create(
        session=session,
        user=participant,
        status=Registration.Status.REGISTERED,
        queued_at=dt.datetime(2026, 3, 1, tzinfo=dt.UTC),
    )
    first_day = dt.datetime(2026, 3, 10, 9, tzinfo=dt.UTC)
    assert selectors.quiz_access(user=participant, quiz=pre, now=first_day).registration == registration.registration
    with pytest.raises(selectors.AccessRefused, match="hari pertama"):
        selectors.quiz_access(user=participant, quiz=pre, now=first_day + dt.timedelta(days=1))
    with pytest.raises(selectors.AccessRefused, match="hari terakhir"):
        selectors.quiz_access(user=participant, quiz=post, now=first_day)
    assert selectors.quiz_access(user=participant, quiz=post, now=first_day + dt.timedelta(days=1))
    with pytest.raises(selectors.AccessRefused, match="peserta terdaftar"):
        selectors.quiz_access(user=stranger, quiz=pre, now=first_day)


def _finished(quiz, user, number, right: dict):
    """An attempt with given right/wrong per question (question -> version, response, fraction)."""
    attempt = Attempt.objects.create(
        quiz=quiz,
        user=user,
        number=number,
        started_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
        state=Attempt.State.FINISHED,
        max=len(right),
        raw=sum(1 for ok, _r in right.values() if ok),
    )
    attempt.scaled = Decimal(attempt.raw) / attempt.max
    attempt.save()
    for position, (version, (ok, response)) in enumerate(right.items(), 1):
        AttemptQuestion.objects.create(
            attempt=attempt, position=position, version=version, response=response, fraction=Decimal(1 if ok else 0)
        )
    return attempt


def test_item_analysis_difficulty_discrimination_and_options(client):
    course, questions = make_bank(kinds=("single", "truefalse"))
    quiz = make_quiz(course=course, slots=[(q.category, 1) for q in questions])
    single, truefalse = (q.latest for q in questions)
    # Ten learners: the best four answer both right; the worst four both wrong; two get only true/false.
    for i in range(10):
        user = UserFactory()
        if i < 4:
            answers = {single: (True, 0), truefalse: (True, True)}
        elif i < 6:
            answers = {single: (False, 1), truefalse: (True, True)}
        else:
            answers = {single: (False, 2), truefalse: (False, False)}
        _finished(quiz, user, 1, answers)
    count, rows = selectors.item_analysis(quiz=quiz)
    assert count == 10
    by_name = {row.question.name: row for row in rows}
    assert by_name["Ibu kota"].difficulty == pytest.approx(0.4)
    assert by_name["Ibu kota"].discrimination == pytest.approx(1.0)  # upper 3 all right, lower 3 all wrong
    assert by_name["Ibu kota"].options == [("Serang", 4, True), ("Tangerang", 2, False), ("Cilegon", 4, False)]
    assert by_name["JP"].difficulty == pytest.approx(0.6)
    assert by_name["JP"].options == [("Benar", 6, True), ("Salah", 4, False)]
    # The page: the course's trainers and BKPSDM; not a learner, not another trainer.
    url = reverse("evaluation:analysis", args=[quiz.pk])
    trainer, hr, learner = UserFactory(), UserFactory(roles=[roles.HR]), UserFactory()
    course.trainers.add(trainer)
    course.save()
    other_trainer = UserFactory(roles=[roles.TRAINER])
    for user, status in ((trainer, 200), (hr, 200), (learner, 403), (other_trainer, 403)):
        client.force_login(user)
        assert client.get(url).status_code == status
    client.force_login(trainer)
    page = client.get(url).content.decode()
    assert page.count('data-testid="item-row"') == 2


def test_no_enrolment_no_pre_test(online):
    *_rest, pre, _post = online
    with pytest.raises(selectors.AccessRefused, match="Daftar kursus"):
        selectors.quiz_access(user=UserFactory(), quiz=pre)
    assert not Enrollment.objects.exists()


def test_the_bank_page_imports_and_refuses_a_bad_file(client):
    course, _ = make_bank(kinds=())
    trainer = UserFactory()
    course.trainers.add(trainer)
    course.save()
    client.force_login(trainer)
    url = reverse("evaluation:bank", args=[course.pk])
    from django.core.files.uploadedfile import SimpleUploadedFile

    good = SimpleUploadedFile("bank.gift", b"::A::Satu? {=ya ~tidak}\n\n::B::Dua? {T}\n")
    response = client.post(url, {"action": "import", "format": "gift", "file": good})
    assert response.status_code == 302
    bad = SimpleUploadedFile("bank.gift", b"::C::Tiga? {=ya ~tidak}\n\n::D::Empat =ya\n")
    response = client.post(url, {"action": "import", "format": "gift", "file": bad})
    assert response.status_code == 400 and "\u201cD\u201d" in response.content.decode()
    assert sorted(course.question_categories.values_list("questions__name", flat=True)) == ["A", "B"]
    export = client.get(reverse("evaluation:export_gift", args=[course.pk]))
    assert export.status_code == 200 and "::A::" in export.content.decode()


def test_the_class_page_shows_its_tests_to_registered_participants(client):
    session = make_session()
    course, _ = make_bank(course=session.course, kinds=("single",))
    category = Category.objects.get(course=course)
    pre = make_quiz(
        course=course, slots=[(category, 1)], title="Pre-test Angkatan", kind=Quiz.Kind.PRETEST, session=session
    )
    participant, stranger = UserFactory(), UserFactory()
    Registration.objects.create(
        session=session,
        user=participant,
        status=Registration.Status.REGISTERED,
        queued_at=dt.datetime(2026, 3, 1, tzinfo=dt.UTC),
    )
    url = reverse("classroom:detail", args=[session.pk])
    client.force_login(participant)
    page = client.get(url).content.decode()
    assert reverse("evaluation:quiz", args=[pre.pk]) in page
    client.force_login(stranger)
    assert reverse("evaluation:quiz", args=[pre.pk]) not in client.get(url).content.decode()
