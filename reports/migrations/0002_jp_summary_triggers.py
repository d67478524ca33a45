"""Once: row triggers on the ledger's table (hours_ledgerentry) that kept this app's JP totals.

A module does not own triggers on another module's table: the running totals and their triggers are
the ledger's now (lms/hours/migrations/0006_jp_running_totals). This migration stays in the history of
databases that applied it and does nothing for new ones; 0003 drops what it once installed."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0001_initial"),
        ("hours", "0002_initial"),
    ]

    operations = []
