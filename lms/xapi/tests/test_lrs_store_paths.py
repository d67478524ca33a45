"""The ways a statement gets stored: one statement in one INSERT (PostgreSQL, outside a transaction),
a batch inserted without reading first, and the statements no projection reads stored as projected."""

import uuid

import pytest
from django.db import connection, transaction

from conftest import require
from lms.xapi.actors import actor_for_user
from lms.xapi.models import Statement, StatementRelation
from lms.xapi.services import StatementConflict, statements_record
from lms.xapi.tests.lrs import statement
from shell.people.tests.factories import UserFactory

# A verb no projection reads ("answered" is read by the H5P lesson projection).
INTERACTED = {"id": "http://adlnet.gov/expapi/verbs/interacted", "display": {"en-US": "interacted"}}
COMPLETED = {"id": "http://adlnet.gov/expapi/verbs/completed", "display": {"en-US": "completed"}}

pytestmark = pytest.mark.django_db(transaction=True)  # outside a transaction, as a request is


def test_a_statement_no_projection_reads_is_stored_projected_and_queues_no_projection(monkeypatch):
    from lms import activities
    from lms.xapi import services

    runs = []
    monkeypatch.setattr(services, "schedule_projection", lambda: runs.append(1))
    [quiet] = statements_record(statements=[statement(verb=INTERACTED)])
    stored = Statement.objects.get(pk=quiet.id)
    assert stored.projected_at == stored.stored
    assert runs == []
    ours = {"objectType": "Activity", "id": activities.course_iri(1)}
    # What a client says about our course is believed by nobody (docs/trust.md): born projected too.
    [client_said] = statements_record(statements=[statement(verb=COMPLETED, object=ours)])
    assert Statement.objects.get(pk=client_said.id).projected_at is not None
    assert runs == []
    platform = Statement.Source.PLATFORM
    [read] = statements_record(statements=[statement(verb=COMPLETED, object=ours)], source=platform)
    assert Statement.objects.get(pk=read.id).projected_at is None
    assert runs == [1]
    statements_record(statements=[statement(verb=INTERACTED), statement(verb=COMPLETED, object=ours)], source=platform)
    assert runs == [1, 1]


@pytest.mark.parametrize("how", ["account", "mbox"])
def test_a_single_statement_finds_its_user_by_account_or_unique_email(how):
    user = UserFactory(email="Ani.Learner@example.org")
    actor = actor_for_user(user) if how == "account" else {"mbox": "mailto:ani.learner@EXAMPLE.org"}
    [recorded] = statements_record(statements=[statement(actor=actor)])
    assert recorded.created
    assert Statement.objects.get(pk=recorded.id).user_id == user.pk


def test_an_email_two_accounts_share_identifies_no_user():
    UserFactory(email="shared@example.org")
    UserFactory(email="SHARED@example.org")
    [recorded] = statements_record(statements=[statement(actor={"mbox": "mailto:shared@example.org"})])
    assert Statement.objects.get(pk=recorded.id).user_id is None


def test_a_single_statement_stores_its_relations_with_it():
    context = {
        "instructor": {"mbox": "mailto:guru@example.org"},
        "contextActivities": {"parent": {"id": "http://example.org/course/1"}},
    }
    [recorded] = statements_record(statements=[statement(context=context)])
    kinds = sorted(StatementRelation.objects.filter(statement_id=recorded.id).values_list("kind", flat=True))
    assert kinds == ["activity", "agent"]


def test_a_single_statement_sent_again_is_accepted_unchanged_and_a_different_one_refused():
    sid = str(uuid.uuid4())
    first = statements_record(statements=[statement(id=sid, timestamp="2026-03-01T08:00:00+07:00")])[0]
    again = statements_record(statements=[statement(id=sid, timestamp="2026-03-01T08:00:00+07:00")])[0]
    assert first.created and not again.created
    assert str(again.statement.pk) == sid
    with pytest.raises(StatementConflict):
        statements_record(statements=[statement(id=sid, verb=INTERACTED)])
    assert Statement.objects.count() == 1
    assert StatementRelation.objects.count() == 0


def test_a_batch_holding_a_stored_statement_is_stored_around_it():
    sid = str(uuid.uuid4())
    statements_record(statements=[statement(id=sid)])
    batch = [statement() for _ in range(12)] + [statement(id=sid)]  # 13: the COPY path on PostgreSQL
    out = statements_record(statements=batch)
    assert [r.created for r in out] == [True] * 12 + [False]
    assert Statement.objects.count() == 13


def test_a_batch_with_a_different_statement_under_a_stored_id_stores_nothing():
    sid = str(uuid.uuid4())
    statements_record(statements=[statement(id=sid)])
    with pytest.raises(StatementConflict):
        statements_record(statements=[*(statement() for _ in range(12)), statement(id=sid, verb=INTERACTED)])
    assert Statement.objects.count() == 1


def test_inside_a_callers_transaction_a_single_statement_rolls_back_with_it():
    with pytest.raises(RuntimeError), transaction.atomic():
        statements_record(statements=[statement()])
        raise RuntimeError("the caller fails after storing")
    assert Statement.objects.count() == 0


@pytest.mark.postgres
def test_the_single_insert_is_one_round_trip_on_postgresql():
    from django.test.utils import CaptureQueriesContext

    require(connection.vendor == "postgresql", "the one-statement INSERT is PostgreSQL's")
    statements_record(statements=[statement()])  # warm the LRS's caches
    with CaptureQueriesContext(connection) as queries:
        statements_record(statements=[statement(verb=INTERACTED)])
    assert len(queries) == 1
    assert queries[0]["sql"].startswith("WITH ins AS (INSERT INTO")


def test_what_other_content_reports_about_its_own_activities_is_born_projected(monkeypatch, settings):
    """The LMS's projections read only statements about the platform's own activities: an 'answered'
    from outside content needs no projection run, one about an H5P item of our lessons does."""
    from lms import activities
    from lms.xapi import services

    runs = []
    monkeypatch.setattr(services, "schedule_projection", lambda: runs.append(1))
    answered = {"id": "http://adlnet.gov/expapi/verbs/answered", "display": {"en-US": "answered"}}
    [outside] = statements_record(statements=[statement(verb=answered)])
    assert Statement.objects.get(pk=outside.id).projected_at is not None
    ours = {"objectType": "Activity", "id": activities.h5p_iri(1, 2)}
    [sent] = statements_record(statements=[statement(verb=answered, object=ours)])  # a client: not believed
    assert Statement.objects.get(pk=sent.id).projected_at is not None
    [own] = statements_record(statements=[statement(verb=answered, object=ours)], source=Statement.Source.PLAYER)
    assert Statement.objects.get(pk=own.id).projected_at is None
    assert runs == [1]
