from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from lms.projections import projections_rebuild


class Command(BaseCommand):
    help = "Rebuild lesson progress, course completion and course JP credits from the stored xAPI statements."

    def add_arguments(self, parser):
        parser.add_argument("--user", help="only this username")

    def handle(self, *args, user=None, **options):
        target = None
        if user:
            target = get_user_model().objects.filter(username=user).first()
            if target is None:
                raise CommandError(f"No user named {user!r}.")
        count = projections_rebuild(user=target)
        self.stdout.write(self.style.SUCCESS(f"Projected {count} statements."))
