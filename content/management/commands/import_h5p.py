"""python manage.py import_h5p PATH [--title T] [--user USERNAME]: validate and store an H5P package."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from content.h5p.services import PLATFORM, h5p_content_import
from content.h5p.validation import PackageError


class Command(BaseCommand):
    help = "Import an .h5p package (validated first; nothing is stored when it is refused). Prints the content id."

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--title", default=None, help="Title to show instead of the one in h5p.json.")
        parser.add_argument(
            "--user",
            default=None,
            help="Import as this user (their library permission applies). Default: the command line may "
            "install libraries.",
        )

    def handle(self, *args, path, title, user, **options):
        uploader = None
        if user:
            uploader = get_user_model().objects.filter(username=user).first()
            if uploader is None:
                raise CommandError(f"No user {user!r}.")
        try:
            with open(path, "rb") as upload:
                content = h5p_content_import(upload=upload, user=uploader or PLATFORM, title=title)
        except FileNotFoundError:
            raise CommandError(f"{path}: file not found.") from None
        except PackageError as error:
            raise CommandError("\n".join([f"{path} ditolak:", *(f"- {m}" for m in error.messages)])) from None
        self.stdout.write(str(content.pk))
