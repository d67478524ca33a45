"""Data safety: bin/backup then bin/restore into an empty database finds every statement, every ledger
entry and every media file again; a damaged backup or a non-empty target is refused."""

import datetime as dt
import os
import subprocess
import uuid
from pathlib import Path

import psycopg
import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection

from lms.hours.models import LedgerEntry
from lms.hours.services import ledger_revoke
from lms.hours.tests.factories import credit as ledger_test_credit
from lms.xapi.models import Statement
from lms.xapi.services import statements_record
from lms.xapi.tests.lrs import statement
from shell.people.tests.factories import UserFactory

ROOT = Path(__file__).resolve().parent.parent
ON_POSTGRES = "postgresql" in settings.DATABASES["default"]["ENGINE"]
pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(not ON_POSTGRES, reason="pg_dump and pg_restore need PostgreSQL"),
    pytest.mark.usefixtures("restore_migrated_data"),
    pytest.mark.django_db(transaction=True),
]


def _url(name: str) -> str:
    s = connection.settings_dict
    return f"postgres://{s['USER'] or 'postgres'}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{name}"


def _run(script: str, *args: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(ROOT / "bin" / script), *args], env={**os.environ, **env}, capture_output=True, text=True, timeout=300
    )


@pytest.fixture
def empty_database():
    name = f"restore_{uuid.uuid4().hex[:10]}"
    admin = _url("postgres")
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    yield name
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _data():
    user = UserFactory()
    recorded = statements_record(statements=[statement() for _ in range(25)])
    entries = []
    for n in range(3):
        entry = ledger_test_credit(
            user, "2.5", dt.date(2026, 3, n + 1), title=f"Kursus {n}", external_id=f"backup-test:{n}"
        )
        entries.append(entry)
    ledger_revoke(entry=entries[0], by=UserFactory(), reason="koreksi")
    default_storage.save("bukti/sertifikat.pdf", ContentFile(b"%PDF-1.4 bukti"))
    return {str(r.id) for r in recorded}


def test_a_backup_restored_into_an_empty_database_holds_everything(tmp_path, empty_database):
    statement_ids = _data()
    ledger = set(LedgerEntry.objects.values_list("source_key", "jp", "reverses__source_key"))
    assert len(ledger) == 4

    backup = tmp_path / "backup"
    made = _run(
        "backup", str(backup), DATABASE_URL=_url(connection.settings_dict["NAME"]), MEDIA_ROOT=settings.MEDIA_ROOT
    )
    assert made.returncode == 0, made.stderr
    assert {p.name for p in backup.iterdir()} == {"database.dump", "media.tar.gz", "MANIFEST"}

    media = tmp_path / "restored-media"
    done = _run("restore", str(backup), DATABASE_URL=_url(empty_database), MEDIA_ROOT=str(media))
    assert done.returncode == 0, done.stderr

    with psycopg.connect(_url(empty_database)) as conn:
        restored_ids = {str(row[0]) for row in conn.execute(f"SELECT id FROM {Statement._meta.db_table}")}
        restored_ledger = set(
            conn.execute(
                "SELECT e.source_key, e.jp, r.source_key FROM hours_ledgerentry e"
                " LEFT JOIN hours_ledgerentry r ON r.id = e.reverses_id"
            ).fetchall()
        )
    assert restored_ids == statement_ids == {str(i) for i in Statement.objects.values_list("id", flat=True)}
    assert restored_ledger == ledger
    assert (media / "bukti" / "sertifikat.pdf").read_bytes() == b"%PDF-1.4 bukti"


def test_restore_refuses_a_damaged_backup_and_a_database_that_is_not_empty(tmp_path, empty_database):
    _data()
    backup = tmp_path / "backup"
    assert _run("backup", str(backup), DATABASE_URL=_url(connection.settings_dict["NAME"])).returncode == 0

    not_empty = _run("restore", str(backup), DATABASE_URL=_url(connection.settings_dict["NAME"]))
    assert not_empty.returncode != 0
    assert "not empty" in not_empty.stderr

    with open(backup / "database.dump", "r+b") as dump:
        dump.seek(100)
        dump.write(b"\x00damaged\x00")
    damaged = _run("restore", str(backup), DATABASE_URL=_url(empty_database), MEDIA_ROOT=str(tmp_path / "m"))
    assert damaged.returncode != 0
    assert "damaged" in damaged.stderr
    with psycopg.connect(_url(empty_database)) as conn:
        assert conn.execute("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'").fetchone()[0] == 0
