"""The JP running totals are the ledger's now (lms/hours/migrations/0006_jp_running_totals, which
fills its own from the ledger): drop the triggers 0002 once put on the ledger's table, then this app's
tables. Going back recreates the tables empty and without triggers (rebuild by re-applying forward)."""

from django.db import migrations

# What 0002 installed, by the names it used then.
PG_DROP = """
DROP TRIGGER IF EXISTS reports_jp_summary ON hours_ledgerentry;
DROP FUNCTION IF EXISTS reports_jp_summary_trigger();
DROP FUNCTION IF EXISTS reports_jp_summary_apply(bigint, date, text, text, text, numeric, integer);
"""
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS reports_jp_summary_insert;",
    "DROP TRIGGER IF EXISTS reports_jp_summary_delete;",
    "DROP TRIGGER IF EXISTS reports_jp_summary_update;",
]


def drop_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for sql in [PG_DROP] if vendor == "postgresql" else SQLITE_DROP if vendor == "sqlite" else []:
        schema_editor.execute(sql, params=None)


class Migration(migrations.Migration):

    dependencies = [
        ('reports', '0002_jp_summary_triggers'),
        # The ledger's own totals exist before this app's copies go.
        ('hours', '0006_jp_running_totals'),
    ]

    operations = [
        migrations.RunPython(drop_triggers, migrations.RunPython.noop),
        migrations.DeleteModel(
            name='JpFormTotal',
        ),
        migrations.DeleteModel(
            name='JpMonthTotal',
        ),
        migrations.DeleteModel(
            name='JpYearTotal',
        ),
    ]
