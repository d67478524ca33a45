"""Register one of the city's apps with its OpenID Connect client; prints client_id= and client_secret=."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from shell.apps import scopes
from shell.apps.services import app_register


class Command(BaseCommand):
    help = "Register an external app (its OpenID Connect client) and print its client id and secret."

    def add_arguments(self, parser):
        parser.add_argument("name")
        parser.add_argument("--redirect-uri", action="append", required=True, dest="redirect_uris")
        parser.add_argument("--first-party", action="store_true", help="The city's own app: no consent screen.")
        parser.add_argument(
            "--scope",
            action="append",
            dest="scopes",
            help=f"Repeat for each; default: {' '.join(scopes.DEFAULT_APP_SCOPES)}. "
            f"API scopes: {' '.join(sorted(scopes.API_SCOPES))}.",
        )
        parser.add_argument("--public", action="store_true", help="A mobile or browser app: no secret, PKCE only.")
        parser.add_argument("--launch-url", default="")
        parser.add_argument("--slug", default="")
        parser.add_argument("--post-logout-redirect-uri", action="append", default=[], dest="post_logout")
        parser.add_argument("--description", default="")

    def handle(self, *args, **options):
        try:
            registered = app_register(
                name=options["name"],
                redirect_uris=options["redirect_uris"],
                scopes=options["scopes"] or scopes.DEFAULT_APP_SCOPES,
                first_party=options["first_party"],
                public=options["public"],
                launch_url=options["launch_url"],
                slug=options["slug"],
                post_logout_redirect_uris=options["post_logout"],
                description=options["description"],
            )
        except ValidationError as error:
            raise CommandError("; ".join(f"{k}: {' '.join(v)}" for k, v in error.message_dict.items())) from error
        self.stdout.write(f"client_id={registered.client_id}")
        self.stdout.write(f"client_secret={registered.client_secret}")
