from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from lms.xapi import forwarding


class Command(BaseCommand):
    help = (
        "Send the outbox to the upstream LRS now, ignoring the backoff of failed rows: every unsent statement, "
        "or with --failed-only those that failed before. Works while USE_LRS_FORWARDING is off as long as "
        "LRS_FORWARD_ENDPOINT is set (to drain what was queued)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--failed-only", action="store_true", help="only statements that failed before")

    def handle(self, *args, failed_only=False, **options):
        if not forwarding.configured():
            raise CommandError("LRS_FORWARD_ENDPOINT is not set.")
        if not settings.LRS_FORWARD_ENABLED:
            self.stdout.write("Forwarding is off (USE_LRS_FORWARDING): sending what is already queued.")
        report = forwarding.send_pending(due_only=False, failed_only=failed_only)
        counts = forwarding.outbox_counts()
        self.stdout.write(
            f"Sent {report.sent}, failed {report.failed}; "
            f"{counts['unsent']} unsent in the outbox ({counts['failed']} of them failed before)."
        )
        if report.failed:
            raise CommandError(f"{report.failed} statement(s) not sent; last error: {report.error}")
