"""The ledger's running JP totals (per year and status, per month, per category and form), kept by row
triggers on hours_ledgerentry, and a first fill from the ledger.

They replace the reports app's copies (reports/migrations/0002 installed triggers on this app's table;
reports/migrations/0003 drops them and its tables). On a database with a ledger already, the fill is
one GROUP BY over it, under a lock that holds ledger writes back until this migration commits, so no
entry is counted twice or missed."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from lms.hours.totals import TABLES, install_statements, rebuild_statements, uninstall_statements


def install(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute("LOCK TABLE hours_ledgerentry IN SHARE MODE", params=None)
    for sql in install_statements(vendor):
        schema_editor.execute(sql, params=None)
    for sql in rebuild_statements(vendor):
        schema_editor.execute(sql, params=None)
    if vendor == "postgresql":
        schema_editor.execute(f"ANALYZE {', '.join(TABLES)}", params=None)


def uninstall(apps, schema_editor):
    for sql in uninstall_statements(schema_editor.connection.vendor):
        schema_editor.execute(sql, params=None)


class Migration(migrations.Migration):

    dependencies = [
        ('hours', '0005_ledger_evidence_corrections_imports_revocations'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='JpFormTotal',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('year', models.PositiveSmallIntegerField()),
                ('category', models.CharField(max_length=32)),
                ('form', models.CharField(max_length=32)),
                ('hundredths', models.IntegerField(default=0)),
                ('entries', models.IntegerField(default=0)),
                ('user', models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'indexes': [models.Index(fields=['year'], name='hours_formtotal_year')],
                'constraints': [models.UniqueConstraint(fields=('user', 'year', 'category', 'form'), name='hours_formtotal_key')],
            },
        ),
        migrations.CreateModel(
            name='JpMonthTotal',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('year', models.PositiveSmallIntegerField()),
                ('month', models.PositiveSmallIntegerField()),
                ('hundredths', models.IntegerField(default=0)),
                ('entries', models.IntegerField(default=0)),
                ('user', models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'indexes': [models.Index(fields=['year', 'month'], name='hours_monthtotal_year')],
                'constraints': [models.UniqueConstraint(fields=('user', 'year', 'month'), name='hours_monthtotal_key')],
            },
        ),
        migrations.CreateModel(
            name='JpYearTotal',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('year', models.PositiveSmallIntegerField()),
                ('status', models.CharField(max_length=16)),
                ('hundredths', models.IntegerField(default=0)),
                ('entries', models.IntegerField(default=0)),
                ('user', models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'indexes': [models.Index(fields=['year', 'status'], name='hours_yeartotal_year')],
                'constraints': [models.UniqueConstraint(fields=('user', 'year', 'status'), name='hours_yeartotal_key')],
            },
        ),
        migrations.RunPython(install, uninstall),
    ]
