"""Every-year reminder points an administrator can change: employees behind a steady pace at the end
of each quarter and mid-November; supervisors get their team's at-risk list on 1 October and 1 December."""

from django.db import migrations

POINTS = [(3, 31, "employee"), (6, 30, "employee"), (9, 30, "employee"), (11, 15, "employee"),
          (10, 1, "supervisor"), (12, 1, "supervisor")]


def seed(apps, schema_editor):
    ReminderPoint = apps.get_model("hours", "ReminderPoint")
    for month, day, audience in POINTS:
        ReminderPoint.objects.get_or_create(year=None, month=month, day=day, audience=audience)


class Migration(migrations.Migration):
    dependencies = [("hours", "0003_year_rules_and_reminders")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
