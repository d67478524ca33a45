from django.core.management.base import BaseCommand, CommandError

from lms.xapi.models import LrsClient
from lms.xapi.services import lrs_client_save


class Command(BaseCommand):
    help = "Create (or update) an LRS client that authenticates with HTTP Basic KEY:SECRET."

    def add_arguments(self, parser):
        parser.add_argument("name")
        parser.add_argument("--key", required=True)
        parser.add_argument("--secret", required=True)
        parser.add_argument(
            "--scope",
            action="append",
            default=None,
            help=f"repeatable; one of {', '.join(LrsClient.SCOPES)} (default: all)",
        )

    def handle(self, *args, name, key, secret, scope, **options):
        scopes = scope or ["all"]
        unknown = sorted(set(scopes) - set(LrsClient.SCOPES))
        if unknown:
            raise CommandError(f"Unknown scope(s): {', '.join(unknown)}. Use {', '.join(LrsClient.SCOPES)}.")
        if len(secret) < 8:
            raise CommandError("The secret must be at least 8 characters.")
        client, created = lrs_client_save(name=name, key=key, secret=secret, scopes=scopes)
        self.stdout.write(
            f"{'Created' if created else 'Updated'} LRS client {client.name!r} key={client.key} scopes={client.scopes}"
        )
