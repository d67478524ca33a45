"""Rotate the key that signs ID tokens; the old key stays published until its tokens have expired."""

from django.core.management.base import BaseCommand

from shell.apps.keys import signing_key_rotate


class Command(BaseCommand):
    help = "Make a new ID-token signing key current; retired keys stay in the JWKS for OIDC_KEY_RETIRED_SECONDS."

    def handle(self, *args, **options):
        key, deleted = signing_key_rotate()
        self.stdout.write(f"kid={key.kid}")
        if deleted:
            self.stdout.write(f"deleted {deleted} key(s) retired longer than OIDC_KEY_RETIRED_SECONDS")
