"""python manage.py h5p_install_libraries: install the H5P libraries the platform ships (safe to run again)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from content.h5p.samples import PACKAGES
from content.h5p.selectors import installed_libraries
from content.h5p.services import h5p_shipped_libraries_install, installed_content_types
from content.h5p.validation import PackageError


class Command(BaseCommand):
    help = (
        "Install the H5P libraries of the packages in content/h5p/samples/ (MultiChoice, TrueFalse, Blanks, "
        "DragText, SingleChoiceSet, Essay, GuessTheAnswer, Column), so that trainers can upload those content "
        "types on a new installation. Libraries already installed at the same or a newer patch are left alone."
    )

    def handle(self, *args, **options):
        try:
            changed = h5p_shipped_libraries_install()
        except PackageError as error:  # a shipped package the validator refuses: a bug in this repository
            raise CommandError(
                "\n".join(["H5P libraries not installed:", *(f"- {m}" for m in error.messages)])
            ) from None
        if changed:
            names = ", ".join(str(library) for library in changed)
            self.stdout.write(
                f"H5P: installed or updated {len(changed)} libraries from {len(PACKAGES)} packages: {names}"
            )
        else:
            self.stdout.write("H5P: the shipped libraries are already installed.")
        self.stdout.write(
            f"H5P content types a trainer can upload: {installed_content_types(installed=installed_libraries())}"
        )
