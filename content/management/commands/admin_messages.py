"""Build the Indonesian catalogues of the Wagtail admin: ``locale/id/LC_MESSAGES/{django,djangojs}.po`` and
their ``.mo``.

Django looks for the language "id" in folders named ``id``; Wagtail ships its Indonesian as ``id_ID``, so
without this the admin speaks English although LANGUAGE_CODE is Indonesian. And Wagtail's Indonesian covers
only part of the admin. So: the project's own translations of Wagtail's strings (``locale/id/wagtail.po``,
``locale/id/wagtailjs.po``: they win) are merged with every Indonesian catalogue Wagtail ships. The admin's
add-ons that ship no Indonesian get theirs from the project, merged last so that a string Wagtail also has
keeps Wagtail's wording (``locale/id/wagtailmedia.po``: the video library under /cms/media/). Run it again
after upgrading Wagtail or wagtailmedia, then ``content/tests/test_admin_i18n.py`` and
``content/tests/test_admin_media_i18n.py`` name any string still missing.
Needs GNU gettext (msgcat, msgfmt), as ``compilemessages`` does.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import wagtail
from django.conf import settings
from django.core.management.base import BaseCommand

OURS = {"django": "wagtail.po", "djangojs": "wagtailjs.po"}
# Add-ons without Indonesian of their own: the project's translations, after Wagtail's.
ADD_ONS = {"django": ["wagtailmedia.po"], "djangojs": []}


class Command(BaseCommand):
    help = "Build locale/id (the Wagtail admin in Indonesian) from the project's translations and Wagtail's own."

    def handle(self, *args, **options):
        locale = Path(settings.BASE_DIR) / "locale" / "id"
        out_dir = locale / "LC_MESSAGES"
        out_dir.mkdir(parents=True, exist_ok=True)
        root = Path(wagtail.__file__).resolve().parent
        for domain, ours in OURS.items():
            theirs = sorted(root.glob(f"**/locale/id_ID/LC_MESSAGES/{domain}.po"))
            target = out_dir / f"{domain}.po"
            subprocess.run(
                ["msgcat", "--use-first", "--no-location", "--sort-output", "-o", str(target), str(locale / ours)]
                + [str(path) for path in theirs]
                + [str(locale / name) for name in ADD_ONS[domain]],
                check=True,
            )
            subprocess.run(["msgfmt", "--check-format", "-o", str(target.with_suffix(".mo")), str(target)], check=True)
            add_ons = "".join(f", {name}" for name in ADD_ONS[domain])
            self.stdout.write(f"{target.relative_to(settings.BASE_DIR)}: ours, {len(theirs)} of Wagtail's{add_ons}")
