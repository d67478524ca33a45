"""Database triggers that keep the JP totals in step with the ledger, and a first fill from it."""

from django.db import migrations

from reports.summary import install_statements, rebuild_statements, uninstall_statements


def install(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for sql in install_statements(vendor):
        schema_editor.execute(sql, params=None)
    for sql in rebuild_statements(vendor):
        schema_editor.execute(sql, params=None)
    if vendor == "postgresql":
        schema_editor.execute("ANALYZE reports_jpyeartotal, reports_jpmonthtotal, reports_jpformtotal", params=None)


def uninstall(apps, schema_editor):
    for sql in uninstall_statements(schema_editor.connection.vendor):
        schema_editor.execute(sql, params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0001_initial"),
        ("hours", "0002_initial"),
    ]

    operations = [migrations.RunPython(install, uninstall)]
