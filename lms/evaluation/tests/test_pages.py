"""The trainer's pages: questions typed in GIFT, a question edited (a new version once used), a quiz set up
with its category slots; refused for anyone but the course's trainers."""

import pytest
from django.urls import reverse

from lms.evaluation import services
from lms.evaluation.models import Category, Question, Quiz
from shell.people.tests.factories import UserFactory

from .factories import enrol, make_bank, make_quiz

pytestmark = pytest.mark.django_db


@pytest.fixture
def trained():
    course, questions = make_bank(kinds=("single", "ordering"))
    trainer = UserFactory()
    course.trainers.add(trainer)
    course.save()
    return course, questions, trainer


def test_questions_typed_in_gift_and_a_bad_one_named(trained, client):
    course, _questions, trainer = trained
    client.force_login(trainer)
    url = reverse("evaluation:bank", args=[course.pk])
    response = client.post(url, {"category": "Baru", "gift": "::G1::Satu? {=a ~b}\n\n::G2::Dua? {F}"})
    assert response.status_code == 302
    assert set(Category.objects.get(course=course, name="Baru").questions.values_list("name", flat=True)) == {
        "G1",
        "G2",
    }
    response = client.post(url, {"category": "Baru", "gift": "::G3::Tiga? {=a ~b}\n\n::G4::<script>x</script> {~a ~b}"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "G4" in page and "<script>x</script>" not in page
    assert not Question.objects.filter(name="G3").exists()


def test_editing_a_used_question_on_its_page_makes_a_version(trained, client):
    course, questions, trainer = trained
    single, ordering = questions
    quiz = make_quiz(course=course, slots=[(single.category, 2)])
    learner = UserFactory()
    enrollment = enrol(learner, course)
    attempt = services.attempt_start(quiz=quiz, user=learner, registration=enrollment.registration)
    client.force_login(trainer)
    url = reverse("evaluation:question_edit", args=[single.pk])
    form = client.get(url).context["form"]
    gift = form.initial["gift"].replace("Ibu kota Provinsi Banten?", "Ibu kota Banten sejak 2000?")
    assert client.post(url, {"category": "Wawasan", "gift": gift}).status_code == 302
    assert single.versions.count() == 2 and single.latest.text == "Ibu kota Banten sejak 2000?"
    assert attempt.questions.get(version__question=single).version.number == 1
    # An ordering question: its items, one per line.
    url = reverse("evaluation:question_edit", args=[ordering.pk])
    assert client.post(url, {"category": "Wawasan", "gift": "Rencana\nLaksana\nNilai"}).status_code == 302
    assert ordering.latest.data == {"items": ["Rencana", "Laksana", "Nilai"]}


def test_a_quiz_set_up_on_its_page(trained, client):
    course, questions, trainer = trained
    client.force_login(trainer)
    category = questions[0].category
    data = {
        "title": "Kuis Bab 1",
        "kind": "quiz",
        "attempts_allowed": "2",
        "grading": "highest",
        "pass_mark": "60",
        "shuffle_options": "on",
        "review_answers": "after_submit",
        "review_correct": "after_close",
        "time_limit_minutes": "10",
        "slot-TOTAL_FORMS": "3",
        "slot-INITIAL_FORMS": "0",
        "slot-0-category": str(category.pk),
        "slot-0-count": "2",
    }
    assert client.post(reverse("evaluation:quiz_new", args=[course.pk]), data).status_code == 302
    quiz = Quiz.objects.get(title="Kuis Bab 1")
    assert [(s.category_id, s.count) for s in quiz.slots.all()] == [(category.pk, 2)]
    # A category of another course is not offered.
    other, _ = make_bank(kinds=("single",))
    data["slot-0-category"] = str(Category.objects.get(course=other).pk)
    response = client.post(reverse("evaluation:quiz_edit", args=[course.pk, quiz.pk]), data)
    assert response.status_code == 200
    assert [(s.category_id, s.count) for s in quiz.slots.all()] == [(category.pk, 2)]


def test_another_trainer_cannot_touch_the_bank(trained, client):
    course, questions, _trainer = trained
    stranger = UserFactory()
    other, _ = make_bank(kinds=())
    other.trainers.add(stranger)
    other.save()
    client.force_login(stranger)
    for url in (
        reverse("evaluation:bank", args=[course.pk]),
        reverse("evaluation:export_xml", args=[course.pk]),
        reverse("evaluation:question_edit", args=[questions[0].pk]),
        reverse("evaluation:quiz_new", args=[course.pk]),
    ):
        assert client.get(url).status_code == 404
    response = client.post(
        reverse("evaluation:question_edit", args=[questions[0].pk]), {"category": "X", "gift": "::A::B {T}"}
    )
    assert response.status_code == 404
    assert questions[0].versions.count() == 1
