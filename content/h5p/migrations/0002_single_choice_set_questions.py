"""A SingleChoiceSet's questions become its scorable items (the set itself is none): recompute each stored
package's items and maximum from its own content.json, as an upload does now."""

from django.db import migrations


def recompute(apps, schema_editor):
    from content.h5p import scoring

    H5PContent = apps.get_model("h5p", "H5PContent")
    for content in H5PContent.objects.iterator():
        main = scoring.library_name((content.h5p_json or {}).get("mainLibrary", ""))
        items = scoring.sub_items(content.content_json or {}, main)
        maximum = scoring.package_max_score(main, content.content_json or {}, items)
        if items != content.sub_items or maximum != content.max_score:
            content.sub_items, content.max_score = items, maximum
            content.save(update_fields=["sub_items", "max_score"])


class Migration(migrations.Migration):
    dependencies = [("h5p", "0001_initial")]

    operations = [migrations.RunPython(recompute, migrations.RunPython.noop)]
