"""Seeing one's team and one's HR scope are the shell's permissions now (people.view_team,
people.view_scope: who sees whom is identity, and every module reuses them). Whoever held the LMS's
old ones, by a role (group) or by hand, holds the shell's; the LMS's are removed so nobody is granted
a permission that no longer means anything."""

from django.db import migrations

# (the LMS's old codename and name, the shell's codename and name)
MOVED = [
    ("view_team_learning", "Dapat melihat pembelajaran tim langsung", "view_team", "Dapat melihat data tim langsung"),
    (
        "view_scope_learning",
        "Dapat melihat pembelajaran pegawai dalam cakupan SDM",
        "view_scope",
        "Dapat melihat data pegawai dalam cakupan SDM",
    ),
]


def _hand_over(apps, source: tuple[str, str], target: tuple[str, str], pairs):
    """Give every group and user holding a ``source`` permission the matching ``target`` one, then
    remove the ``source`` permissions (with their grants)."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    target_type, _ = ContentType.objects.get_or_create(app_label=target[0], model=target[1])
    for old_codename, new_codename, name in pairs:
        old = Permission.objects.filter(
            content_type__app_label=source[0], content_type__model=source[1], codename=old_codename
        ).first()
        new, _ = Permission.objects.get_or_create(
            content_type=target_type, codename=new_codename, defaults={"name": name}
        )
        if old is None:
            continue
        for group in old.group_set.all():
            group.permissions.add(new)
        for user in old.user_set.all():
            user.user_permissions.add(new)
        old.delete()


def forward(apps, schema_editor):
    _hand_over(apps, ("lms", "enrollment"), ("people", "user"), [(old, new, name) for old, _, new, name in MOVED])


def backward(apps, schema_editor):
    _hand_over(apps, ("people", "user"), ("lms", "enrollment"), [(new, old, name) for old, name, new, _ in MOVED])


class Migration(migrations.Migration):

    dependencies = [
        ('lms', '0002_initial'),
        ('people', '0003_see_team_and_scope'),
        ('contenttypes', '0002_remove_content_type_name'),
        ('auth', '0012_alter_user_first_name_max_length'),
    ]

    operations = [
        migrations.AlterModelOptions(
            name='enrollment',
            options={'permissions': [('enroll_self', 'Dapat mendaftar kursus sendiri'), ('assign_course', 'Dapat menugaskan kursus kepada pegawai')], 'verbose_name': 'pendaftaran kursus', 'verbose_name_plural': 'pendaftaran kursus'},
        ),
        migrations.RunPython(forward, backward),
    ]
