from django.core.management.base import BaseCommand

from content.h5p.services import h5p_shipped_libraries_install
from content.services import catalog_setup, course_moderation_setup
from shell.people.services import roles_setup


class Command(BaseCommand):
    help = (
        "Create the roles, the course catalogue and its moderation workflow, and install the H5P libraries the "
        "platform ships (safe to run again)."
    )

    def handle(self, *args, **options):
        roles_setup()
        catalog = catalog_setup()
        course_moderation_setup(catalog=catalog)
        libraries = h5p_shipped_libraries_install()
        self.stdout.write(
            self.style.SUCCESS(
                f"Roles, catalogue (page {catalog.pk}) and moderation ready; {len(libraries)} H5P libraries "
                "installed or updated."
            )
        )
