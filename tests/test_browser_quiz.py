"""On a phone: a learner takes the pre-test (an answer survives a reload), a lesson, the lesson's bank quiz and
the post-test, and the course completes; the course's trainer opens the item analysis with the gain."""

import pytest

from content.models import LessonPage
from content.tests.factories import make_course
from lms.evaluation.models import Category, Quiz
from lms.evaluation.tests.factories import make_bank, make_quiz
from shell.people import roles
from shell.people.tests.factories import UserFactory
from tests.browser import ARTIFACTS, login, phone_page


def answer(page, *, right: bool):
    """Each question of the attempt page: the bank's single choice (Serang) and true/false (Benar)."""
    for fieldset in page.get_by_test_id("question").all():
        text = fieldset.locator("legend").inner_text()
        if "Banten" in text:
            choice = "Serang" if right else "Tangerang"
        else:
            choice = "Benar" if right else "Salah"
        fieldset.locator("label.choice", has_text=choice).locator("input").check()
        fieldset.locator("[data-saved]").wait_for(state="visible")


def take(page, *, right: bool):
    page.get_by_test_id("attempt-start").click()
    answer(page, right=right)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.get_by_test_id("attempt-finish").click()
    return page.get_by_test_id("attempt-result").inner_text()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_pre_test_lesson_post_test_and_item_analysis_on_a_phone(live_server):
    base = live_server.url
    UserFactory(username="siti", full_name="Siti Rahmawati")
    trainer = UserFactory(username="widya", full_name="Widya Iswara", roles=[roles.TRAINER])
    course = make_course(title="Etika ASN", jp="2", lessons=("text",))
    course.trainers.add(trainer)
    course.save()
    make_bank(course=course, kinds=("single", "truefalse"))
    slots = [(c, 1) for c in Category.objects.filter(course=course)]
    pre = make_quiz(course=course, slots=slots, title="Pre-test Etika", kind=Quiz.Kind.PRETEST, pass_mark=0)
    post = make_quiz(
        course=course,
        slots=[],
        title="Post-test Etika",
        kind=Quiz.Kind.POSTTEST,
        blueprint_from=pre,
        gates_completion=True,
    )
    lesson_quiz = make_quiz(course=course, slots=slots, title="Kuis pelajaran", attempts_allowed=3)
    course.add_child(
        instance=LessonPage(
            title="Pelajaran Kuis",
            slug="pelajaran-kuis",
            body=[("quiz", {"title": "Kuis", "pass_mark": 70, "bank_quiz": lesson_quiz.pk, "questions": []})],
        )
    )

    with phone_page() as page:
        login(page, base, "siti", "secret-pass-123")
        page.goto(f"{base}{course.url}")
        page.get_by_test_id("enroll").click()

        # The pre-test: an answer is kept by the server as it is given; a reload (a lost connection) keeps it.
        page.get_by_test_id("course-test-pretest").click()
        page.get_by_test_id("attempt-start").click()
        first = page.get_by_test_id("question").first
        first.locator("input").first.check()
        first.locator("[data-saved]").wait_for(state="visible")
        chosen = first.locator("input").first.get_attribute("value")
        page.reload()
        assert page.get_by_test_id("question").first.locator(f"input[value='{chosen}']").is_checked()
        answer(page, right=False)
        page.get_by_test_id("attempt-finish").click()
        assert "Lulus" in page.get_by_test_id("attempt-result").inner_text()  # pass mark 0
        page.screenshot(path=str(ARTIFACTS / "quiz-review-phone.png"), full_page=True)

        # The lessons: the text lesson, then the lesson whose quiz is a bank quiz (a wrong try first).
        page.goto(f"{base}{course.url}")
        page.get_by_test_id("continue").click()
        page.get_by_test_id("lesson-done").click()
        page.get_by_test_id("bank-quiz-open").click()
        assert "Belum lulus" in take(page, right=False)
        page.click("text=Kembali")
        assert "Lulus" in take(page, right=True)

        # Not complete until the post-test is passed.
        page.goto(f"{base}{course.url}")
        assert page.get_by_test_id("course-completed").count() == 0
        page.get_by_test_id("course-test-posttest").click()
        assert "Lulus" in take(page, right=True)
        page.goto(f"{base}{course.url}")
        page.get_by_test_id("course-completed").wait_for()

        # The trainer's item analysis of the post-test, with the gain.
        page.context.clear_cookies()
        login(page, base, "widya", "secret-pass-123")
        page.goto(f"{base}/belajar/evaluasi/bank/{course.pk}/")
        page.get_by_test_id("quiz-row").filter(has_text="Post-test Etika").get_by_test_id("analysis-link").click()
        assert page.get_by_test_id("item-row").count() == 2
        assert page.get_by_test_id("class-gain").inner_text() == "1,00"
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        page.screenshot(path=str(ARTIFACTS / "quiz-item-analysis-phone.png"), full_page=True)
    assert post.attempts.count() == 1
