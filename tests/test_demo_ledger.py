"""The demo's ledger follows from its evidence, and a rebuild from that evidence gives the same balances."""

import io

import pytest
from django.core.management import call_command

from fixtures.demo import load_demo
from lms.hours.models import LedgerEntry

pytestmark = pytest.mark.django_db


def test_ledger_verify_finds_no_difference_on_the_demo_and_a_rebuild_changes_no_balance(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        load_demo()
    assert LedgerEntry.objects.exists()
    out = io.StringIO()
    call_command("ledger_verify", stdout=out)
    assert "0 differences" in out.getvalue()

    def balances():
        return sorted(LedgerEntry.objects.values_list("user_id", "source_key", "jp", "date", "status"))

    before = balances()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("rebuild_projections")
    assert balances() == before
    out = io.StringIO()
    call_command("ledger_verify", stdout=out)
    assert "0 differences" in out.getvalue()
