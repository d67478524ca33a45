"""Data 2.2 immutability under concurrency: another request may store the same statement id between
our read and our insert; the insert then fails as a whole and the batch is read and stored again."""

import uuid

import pytest

from lms.xapi import services
from lms.xapi.models import Statement
from lms.xapi.services import StatementConflict, statements_record
from lms.xapi.tests.lrs import statement


def _miss_first_read(monkeypatch):
    """The batch is inserted without reading first; the single-statement path reads only when its insert
    found the id taken. Either way, pretend another request stored the twin just after any read."""
    real = services._stored
    calls = {"n": 0}

    def stored(ids):
        calls["n"] += 1
        return {} if calls["n"] == 1 else real(ids)

    monkeypatch.setattr(services, "_stored", stored)


@pytest.mark.django_db(transaction=True)
def test_a_concurrent_twin_is_accepted_unchanged(monkeypatch):
    sid = str(uuid.uuid4())
    statements_record(statements=[statement(id=sid)])
    _miss_first_read(monkeypatch)
    out = statements_record(statements=[statement(id=sid), statement()])
    assert [r.created for r in out] == [False, True]
    assert Statement.objects.count() == 2


@pytest.mark.django_db(transaction=True)
def test_a_concurrent_different_statement_with_the_same_id_is_a_conflict(monkeypatch):
    sid = str(uuid.uuid4())
    statements_record(statements=[statement(id=sid)])
    _miss_first_read(monkeypatch)
    with pytest.raises(StatementConflict):
        statements_record(statements=[statement(id=sid, verb={"id": "http://example.org/other"}), statement()])
    assert Statement.objects.count() == 1


def test_the_postgresql_insert_writes_every_column_of_a_statement():
    """The fast insert path names its columns; a new Statement field must be added there too."""
    from lms.xapi.services import _STATEMENT_COLUMNS

    columns = {field.column for field in Statement._meta.concrete_fields}
    assert columns == set(_STATEMENT_COLUMNS)
