"""The JP ledger credits each learning event once, whatever is repeated, replayed or raced; a correction
is a compensating entry, never an edit (docs/domain/jp-ledger.md, "The ledger")."""

import copy
import datetime as dt
import uuid
from decimal import Decimal

import pytest
from django.core.management import call_command

from conftest import run_at_once
from content.tests.factories import RIGHT_ANSWERS, WRONG_ANSWERS, make_course
from lms import services
from lms.hours.evidence import Credit
from lms.hours.models import LedgerEntry
from lms.hours.selectors import jp_total
from lms.hours.services import LedgerError, ledger_credit, ledger_reverse
from lms.models import Enrollment, LessonProgress
from lms.xapi import services as xapi_services
from lms.xapi.constants import EXT_JP, VERB_COMPLETED, VERB_FAILED
from lms.xapi.models import Statement
from lms.xapi.projections import project_statement, project_statements
from lms.xapi.services import StatementConflict, statement_record
from lms.xapi.transformers import learning_event_record
from lms.xapi.transformers.course import CourseCompleted
from shell.inbox.models import Notification
from shell.people.tests.factories import UserFactory

UTC = dt.UTC
WHEN = dt.datetime(2025, 6, 10, 3, 0, tzinfo=UTC)  # 10 June 2025, 10:00 WIB


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """``with committed(): ...`` runs the on-commit projection tasks (eager Celery) as after a commit."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def enrolled(db, committed):
    learner = UserFactory()
    course = make_course(title="Manajemen Arsip", jp="6", lessons=("text",))
    with committed():
        enrollment = services.check_enrollment_self(user=learner, course_id=course.pk)
    return enrollment


def credit(user, ref=1, jp="3", **overrides):
    data = dict(
        user_id=user.pk,
        kind=LedgerEntry.SourceKind.CLAIM,
        ref=ref,
        jp=Decimal(jp),
        date=dt.date(2025, 3, 1),
        category="teknis",
        form="seminar",
        title="Seminar Kearsipan",
        evidence=f"claim:{ref}",
    )
    data.update(overrides)
    return ledger_credit(credit=Credit(**data))


def completed_statement(enrollment, timestamp=WHEN) -> dict:
    return CourseCompleted(user=enrollment.user, enrollment=enrollment, timestamp=timestamp).statement()


# Repeated statements -------------------------------------------------------------------------


@pytest.mark.django_db
def test_same_completion_statement_twice_is_stored_once_and_credited_once(enrolled, committed):
    learner = enrolled.user
    statement = completed_statement(enrolled)
    with committed():
        first = statement_record(statement=copy.deepcopy(statement))
    with committed():
        again = statement_record(statement=copy.deepcopy(statement))
    assert (first.created, again.created) == (True, False)
    assert again.statement.pk == first.statement.pk
    assert Statement.objects.filter(verb=VERB_COMPLETED).count() == 1
    entry = LedgerEntry.objects.get(user=learner)
    assert entry.jp == Decimal("6")
    assert entry.date == dt.date(2025, 6, 10)
    assert entry.statement_id == first.statement.pk
    assert jp_total(user=learner, year=2025) == Decimal("6")
    assert Notification.objects.filter(user=learner, kind="lms.course_completed").count() == 1


@pytest.mark.django_db
def test_same_completion_event_recorded_twice_through_the_transformer_credits_once(enrolled, committed):
    with committed():
        first = learning_event_record("lms.course.completed", user=enrolled.user, enrollment=enrolled, timestamp=WHEN)
        again = learning_event_record("lms.course.completed", user=enrolled.user, enrollment=enrolled, timestamp=WHEN)
    assert (first.created, again.created) == (True, False)
    assert LedgerEntry.objects.filter(user=enrolled.user).count() == 1


@pytest.mark.django_db
def test_same_id_with_other_content_is_a_conflict_and_changes_nothing(enrolled, committed):
    statement = completed_statement(enrolled)
    with committed():
        statement_record(statement=copy.deepcopy(statement))
    stored = Statement.objects.get(pk=statement["id"])

    changed = copy.deepcopy(statement)
    changed["context"]["extensions"][EXT_JP] = 60.0
    with pytest.raises(StatementConflict), committed():
        statement_record(statement=changed)

    later = copy.deepcopy(statement)
    later["timestamp"] = "2025-06-11T03:00:00.000Z"
    with pytest.raises(StatementConflict), committed():
        statement_record(statement=later)

    assert Statement.objects.get(pk=statement["id"]).data == stored.data
    assert [e.jp for e in LedgerEntry.objects.filter(user=enrolled.user)] == [Decimal("6")]


@pytest.mark.django_db
def test_a_batch_with_a_conflicting_statement_stores_none_of_it(enrolled, committed):
    statement = completed_statement(enrolled)
    with committed():
        statement_record(statement=copy.deepcopy(statement))
    launched = {
        **copy.deepcopy(statement),
        "id": str(uuid.uuid4()),
        "verb": {"id": "http://adlnet.gov/expapi/verbs/launched"},
    }
    changed = copy.deepcopy(statement)
    changed["result"] = {"completion": True, "success": False}
    from lms.xapi.services import statements_record

    with pytest.raises(StatementConflict), committed():
        statements_record(statements=[launched, changed])
    assert not Statement.objects.filter(pk=launched["id"]).exists()


# Replayed projections ------------------------------------------------------------------------


@pytest.mark.django_db
def test_replaying_projections_credits_once(enrolled, committed):
    learner = enrolled.user
    with committed():
        recorded = learning_event_record("lms.course.completed", user=learner, enrollment=enrolled, timestamp=WHEN)
    statement = Statement.objects.get(pk=recorded.statement.pk)
    assert statement.projected_at is not None
    completed_at = Enrollment.objects.get(pk=enrolled.pk).completed_at
    assert completed_at == WHEN

    # The handlers themselves, run again (as a redelivered task would).
    with committed():
        project_statement(statement)
        project_statement(statement)
    # The task again: an already projected statement is skipped.
    with committed():
        assert project_statements([str(statement.pk)]) == 0
    # And once more after the projection mark was lost.
    Statement.objects.filter(pk=statement.pk).update(projected_at=None)
    with committed():
        assert project_statements([str(statement.pk), str(statement.pk)]) == 1

    assert LedgerEntry.objects.filter(user=learner).count() == 1
    assert jp_total(user=learner, year=2025) == Decimal("6")
    assert Enrollment.objects.get(pk=enrolled.pk).completed_at == completed_at
    assert Notification.objects.filter(user=learner, kind="lms.course_completed").count() == 1


@pytest.mark.django_db
def test_replaying_a_quiz_result_counts_the_attempt_once(committed):
    learner = UserFactory()
    course = make_course(lessons=("quiz",))
    (quiz,) = course.lessons()
    with committed():
        enrollment = services.check_enrollment_self(user=learner, course_id=course.pk)
        services.quiz_submit(enrollment=enrollment, lesson=quiz, answers=WRONG_ANSWERS)
    assert LessonProgress.objects.get(enrollment=enrollment).attempts == 1
    with committed():
        project_statement(Statement.objects.get(user=learner, verb=VERB_FAILED))
    assert LessonProgress.objects.get(enrollment=enrollment).attempts == 1


@pytest.mark.django_db
def test_voided_statement_is_not_projected(enrolled, committed):
    statement = completed_statement(enrolled)
    with committed():
        statement_record(statement=statement)
    LedgerEntry.objects.all().delete()
    Statement.objects.filter(pk=statement["id"]).update(projected_at=None, voided=True)
    assert project_statements([statement["id"]]) == 0
    assert not LedgerEntry.objects.exists()


# ledger_credit and ledger_reverse ------------------------------------------------------------


@pytest.mark.django_db
def test_ledger_credit_twice_with_the_same_source_key_returns_the_first_entry():
    user = UserFactory()
    first, created = credit(user, jp="3")
    again, created_again = credit(user, jp="9", title="Lain")
    assert (created, created_again) == (True, False)
    assert again.pk == first.pk
    assert (again.jp, again.title) == (Decimal("3"), "Seminar Kearsipan")
    assert LedgerEntry.objects.count() == 1
    assert jp_total(user=user, year=2025) == Decimal("3")


@pytest.mark.django_db
def test_ledger_credit_refuses_a_negative_amount():
    user = UserFactory()
    with pytest.raises(LedgerError, match="reverse"):
        credit(user, jp="-1")
    assert not LedgerEntry.objects.exists()


@pytest.mark.django_db
def test_only_verified_entries_count():
    user = UserFactory()
    credit(user, ref=1, jp="2")
    credit(user, ref=2, jp="5", status=LedgerEntry.Status.PENDING)
    credit(user, ref=3, jp="7", status=LedgerEntry.Status.REJECTED)
    assert jp_total(user=user, year=2025) == Decimal("2")


@pytest.mark.django_db
def test_reversal_is_a_negative_compensating_entry_made_once():
    user = UserFactory()
    entry, _ = credit(user, jp="4")
    credit(user, ref=2, jp="2")
    assert jp_total(user=user, year=2025) == Decimal("6")

    reversal = ledger_reverse(
        entry=entry, date=dt.date(2025, 4, 2), note="Sertifikat tidak sah", evidence="revocation:1"
    )
    assert reversal.jp == Decimal("-4")
    assert reversal.reverses_id == entry.pk
    assert reversal.source_kind == LedgerEntry.SourceKind.REVERSAL
    assert reversal.note == "Sertifikat tidak sah"
    assert jp_total(user=user, year=2025) == Decimal("2")
    entry.refresh_from_db()
    assert entry.jp == Decimal("4")  # the original entry is never edited

    again = ledger_reverse(entry=entry, date=dt.date(2025, 5, 1), note="lagi", evidence="revocation:1")
    assert again.pk == reversal.pk
    assert LedgerEntry.objects.filter(reverses=entry).count() == 1
    assert jp_total(user=user, year=2025) == Decimal("2")

    with pytest.raises(LedgerError):
        ledger_reverse(entry=reversal, date=dt.date(2025, 5, 1), note="membatalkan pembatalan", evidence="revocation:2")
    assert LedgerEntry.objects.count() == 3


@pytest.mark.django_db
def test_a_reversed_course_credit_is_not_credited_again_by_a_replay(enrolled, committed):
    learner = enrolled.user
    with committed():
        recorded = learning_event_record("lms.course.completed", user=learner, enrollment=enrolled, timestamp=WHEN)
    ledger_reverse(
        entry=LedgerEntry.objects.get(user=learner),
        date=dt.date(2025, 7, 1),
        note="salah kredit",
        evidence="revocation:1",
    )
    Statement.objects.filter(pk=recorded.statement.pk).update(projected_at=None)
    with committed():
        project_statements([str(recorded.statement.pk)])
    assert LedgerEntry.objects.filter(user=learner).count() == 2
    assert jp_total(user=learner, year=2025) == Decimal("0")


# Retaking a course ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_retake_with_another_registration_credits_once(enrolled, committed):
    """One enrolment per user and course, but a statement of another registration (e.g. an external
    system's, or an enrolment recreated later) for the same user and course credits nothing more."""
    learner = enrolled.user
    first = completed_statement(enrolled)
    with committed():
        statement_record(statement=first)
    retake = copy.deepcopy(first)
    retake["id"] = str(uuid.uuid4())
    retake["context"]["registration"] = str(uuid.uuid4())
    retake["timestamp"] = "2025-09-01T03:00:00.000Z"
    with committed():
        assert statement_record(statement=retake).created

    assert Statement.objects.filter(verb=VERB_COMPLETED, user=learner).count() == 2
    assert LedgerEntry.objects.filter(user=learner).count() == 1
    assert LedgerEntry.objects.get(user=learner).statement_id == uuid.UUID(first["id"])
    assert jp_total(user=learner, year=2025) == Decimal("6")
    assert Enrollment.objects.get(pk=enrolled.pk).completed_at == WHEN


@pytest.mark.django_db
def test_retake_after_the_enrolment_was_removed_credits_once(committed):
    learner = UserFactory()
    course = make_course(jp="4", lessons=("text", "quiz"))
    text, quiz = course.lessons()

    def take():
        with committed():
            enrollment = services.check_enrollment_self(user=learner, course_id=course.pk)
            services.lesson_complete(enrollment=enrollment, lesson=text)
            services.quiz_submit(enrollment=enrollment, lesson=quiz, answers=RIGHT_ANSWERS)
        enrollment.refresh_from_db()
        assert enrollment.completed_at is not None
        return enrollment

    first = take()
    first.delete()
    second = take()
    assert second.registration != first.registration
    assert Statement.objects.filter(verb=VERB_COMPLETED, user=learner).count() == 2
    assert LedgerEntry.objects.filter(user=learner).count() == 1
    assert LedgerEntry.objects.get(user=learner).jp == Decimal("4")


@pytest.mark.django_db
def test_rebuilding_after_a_retake_keeps_the_new_enrolment_as_it_was(committed):
    learner = UserFactory()
    course = make_course(jp="4", lessons=("text", "quiz"))
    text, quiz = course.lessons()
    with committed():
        first = services.check_enrollment_self(user=learner, course_id=course.pk)
        services.lesson_complete(enrollment=first, lesson=text)
        services.quiz_submit(enrollment=first, lesson=quiz, answers=RIGHT_ANSWERS)
    first.delete()
    with committed():
        retake = services.check_enrollment_self(user=learner, course_id=course.pk)
        services.lesson_complete(enrollment=retake, lesson=text)

    def state():
        return (
            Enrollment.objects.get(pk=retake.pk).completed_at,
            sorted(LessonProgress.objects.filter(enrollment=retake).values_list("lesson_id", "passed")),
            list(LedgerEntry.objects.filter(user=learner).values_list("jp", flat=True)),
        )

    before = state()
    assert before == (None, [(text.pk, None)], [Decimal("4")])
    with committed():
        call_command("rebuild_projections")
    assert state() == before


# Concurrency (PostgreSQL) --------------------------------------------------------------------


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_workers_projecting_the_same_statement_at_once_credit_once(postgres_only, monkeypatch):
    learner = UserFactory()
    course = make_course(jp="6", lessons=("text",))
    enrollment = services.check_enrollment_self(user=learner, course_id=course.pk)
    # Store the statement without projecting it: the task is "queued" for the two workers below.
    monkeypatch.setattr(xapi_services, "schedule_projection", lambda: None)
    recorded = statement_record(statement=completed_statement(enrollment))
    monkeypatch.undo()
    sid = str(recorded.statement.pk)
    assert Statement.objects.get(pk=sid).projected_at is None

    results, errors = run_at_once(lambda: project_statements([sid]))

    assert errors == []
    assert sorted(results) == [0, 1]
    assert LedgerEntry.objects.filter(user=learner).count() == 1
    assert jp_total(user=learner, year=2025) == Decimal("6")
    assert Notification.objects.filter(user=learner, kind="lms.course_completed").count() == 1
    assert Statement.objects.get(pk=sid).projected_at is not None


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_concurrent_credits_with_the_same_source_key_make_one_entry(postgres_only):
    user = UserFactory()

    results, errors = run_at_once(lambda: credit(user, ref=7, jp="5"))

    assert errors == []
    assert sorted(created for _, created in results) == [False, True]
    assert len({entry.pk for entry, _ in results}) == 1
    assert LedgerEntry.objects.count() == 1
    assert jp_total(user=user, year=2025) == Decimal("5")
