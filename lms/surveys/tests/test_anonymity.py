"""No report, page or export shows the answers of a group smaller than SURVEY_MIN_GROUP_SIZE, and nothing
joins an answer to the person who gave it."""

import datetime as dt
import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from lms.surveys import selectors
from lms.surveys.models import Answer, Respondent, Response
from shell.people import roles
from shell.people.tests.factories import UserFactory, hr_user

from .factories import responses, survey_course, survey_session

pytestmark = pytest.mark.django_db

SECRET = "Komentar-rahasia-XYZ"


def evaluation_json(year=2026):
    out = StringIO()
    call_command("evaluation_report", "--year", str(year), "--format", "json", stdout=out)
    return json.loads(out.getvalue())


def test_answers_are_kept_without_the_person_time_or_order():
    fields = {f.name for f in Response._meta.get_fields()} | {f.name for f in Answer._meta.get_fields()}
    # Nothing that names or dates the participant, and random ids (no sequence to line up with Respondent).
    assert not fields & {"user", "respondent", "created_at", "answered_at", "submitted_at", "updated_at"}
    assert Response._meta.pk.get_internal_type() == Answer._meta.pk.get_internal_type() == "UUIDField"
    respondent_fields = {f.name for f in Respondent._meta.get_fields()}
    assert not respondent_fields & {"response", "answers", "template"}


@pytest.mark.parametrize("n", [1, 4])
def test_below_the_group_size_no_page_or_report_reveals_an_answer(client, settings, n):
    settings.SURVEY_MIN_GROUP_SIZE = 5
    course, trainer = survey_course()
    responses(n, course=course, score=2, comment=SECRET, scores={"Materi mudah dipahami": 1})
    hr = hr_user()
    for viewer in (trainer, hr):
        client.force_login(viewer)
        page = client.get(reverse("surveys:result_course", args=[course.pk]), {"tahun": "2026"}).content.decode()
        assert SECRET not in page and 'data-testid="too-few"' in page
        assert 'data-testid="items"' not in page and "2,00" not in page and "1,00" not in page
        for url in (reverse("surveys:trainer_mine"), reverse("surveys:trainer_detail", args=[trainer.pk])):
            page = client.get(url, {"tahun": "semua"}).content.decode()
            assert SECRET not in page and 'data-testid="items"' not in page
    result = selectors.reaction_result(course_id=course.pk, session_id=None)
    assert (result.shown, result.items, result.trainers, result.comments, result.mean) == (False, [], [], [], None)
    assert selectors.trainer_result(trainer=trainer).items == []
    [row] = evaluation_json()
    assert row["reaction_mean"] is None and row["reaction_items"] == [] and row["responses"] == n
    assert SECRET not in json.dumps(row)


def test_at_the_group_size_the_means_and_comments_are_shown_escaped(client, settings):
    settings.SURVEY_MIN_GROUP_SIZE = 5
    course, trainer = survey_course()
    responses(4, course=course, score=4)
    responses(1, course=course, score=5, comment="<script>alert('x')</script>")
    client.force_login(trainer)
    page = client.get(reverse("surveys:result_course", args=[course.pk]), {"tahun": "2026"}).content.decode()
    assert "<script>alert" not in page and "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in page
    assert "4,20" in page  # (4*4 + 5) / 5 on every statement
    [row] = evaluation_json()
    assert row["reaction_mean"] == "4.20" and row["responses"] == 5
    assert {item["mean"] for item in row["reaction_items"]} == {"4.20"}


def test_a_small_group_is_left_out_of_every_total_so_no_difference_reveals_it(client, settings):
    """2025 holds five answers (shown), 2026 one: the all-years figure is the 2025 group alone, so that
    comparing it with the 2025 figure shows nothing of the one 2026 answer."""
    settings.SURVEY_MIN_GROUP_SIZE = 5
    course, trainer = survey_course()
    responses(5, course=course, score=4, completed_on=dt.date(2025, 6, 1))
    responses(1, course=course, score=1, comment=SECRET, completed_on=dt.date(2026, 6, 1))
    all_years = selectors.reaction_result(course_id=course.pk, session_id=None)
    year_2025 = selectors.reaction_result(course_id=course.pk, session_id=None, year=2025)
    assert all_years.mean == year_2025.mean == 4 and all_years.responses == 5 and SECRET not in all_years.comments
    assert selectors.trainer_result(trainer=trainer).mean == 4
    client.force_login(trainer)
    page = client.get(reverse("surveys:result_course", args=[course.pk]), {"tahun": "semua"}).content.decode()
    assert SECRET not in page and "1,00" not in page


def test_a_trainer_across_classes_counts_only_the_classes_large_enough(settings):
    settings.SURVEY_MIN_GROUP_SIZE = 3
    big, small = survey_session(), survey_session()
    trainer = big.trainers.get()
    small.trainers.set([trainer])
    responses(3, session=big, score=5)
    responses(2, session=small, score=1)
    result = selectors.trainer_result(trainer=trainer)
    assert result.mean == 5 and result.responses == 3 and result.groups_hidden == 1
    assert [g["responses"] for g in result.groups_shown] == [3]


def test_the_group_size_cannot_be_set_below_two(settings):
    settings.SURVEY_MIN_GROUP_SIZE = 1
    assert selectors.min_group_size() == 2


def test_results_are_the_trainers_own_and_bkpsdms_only(client, settings):
    settings.SURVEY_MIN_GROUP_SIZE = 2
    course, trainer = survey_course()
    other_trainer = UserFactory(roles=[roles.LEARNER, roles.TRAINER])
    learner, supervisor = UserFactory(), UserFactory(roles=[roles.LEARNER, roles.SUPERVISOR])
    responses(2, course=course)
    urls = {
        "result": reverse("surveys:result_course", args=[course.pk]),
        "trainer": reverse("surveys:trainer_detail", args=[trainer.pk]),
    }
    client.force_login(trainer)
    assert client.get(urls["result"]).status_code == 200 and client.get(urls["trainer"]).status_code == 200
    assert client.get(reverse("surveys:trainer_mine")).status_code == 200
    client.force_login(hr_user())
    assert client.get(urls["result"]).status_code == 200 and client.get(urls["trainer"]).status_code == 200
    assert trainer.display_name in client.get(reverse("surveys:results")).content.decode()
    for outsider in (other_trainer, learner, supervisor):
        client.force_login(outsider)
        assert client.get(urls["result"]).status_code == 404
        assert client.get(urls["trainer"]).status_code == 404
    client.force_login(other_trainer)
    assert course.title not in client.get(reverse("surveys:results")).content.decode()
    client.force_login(learner)
    assert client.get(reverse("surveys:results")).status_code == 403
    # A trainer's own page is theirs alone: the learner's shows nothing of anyone else.
    page = client.get(reverse("surveys:trainer_mine")).content.decode()
    assert 'data-testid="items"' not in page
