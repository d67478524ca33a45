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


def _hand_over(apps, source: tuple[str, str], target: tuple[str, str], pairs, *, remove_source: bool):
    """Give every group and user holding a ``source`` permission the matching ``target`` one; with
    ``remove_source``, remove the ``source`` permissions (with their grants) afterwards."""
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
        # Through the join tables by id: the historical models of both sides need not be the same objects.
        for through, holder in (
            (apps.get_model("auth", "Group").permissions.through, "group_id"),
            (apps.get_model("people", "User").user_permissions.through, "user_id"),
        ):
            holders = through.objects.filter(permission_id=old.pk).values_list(holder, flat=True)
            through.objects.bulk_create(
                [through(**{holder: pk, "permission_id": new.pk}) for pk in holders], ignore_conflicts=True
            )
        if remove_source:
            old.delete()


def forward(apps, schema_editor):
    _hand_over(apps, ("lms", "enrollment"), ("people", "user"), [(old, new, name) for old, _, new, name in MOVED], remove_source=True)


def backward(apps, schema_editor):
    # The shell's permissions stay: the people app (its 0003) still defines them.
    _hand_over(
        apps, ("people", "user"), ("lms", "enrollment"), [(new, old, name) for old, name, new, _ in MOVED], remove_source=False
    )


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
