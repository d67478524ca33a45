from django.core.management.base import BaseCommand, CommandError

from lms.hours.verify import ledger_differences


class Command(BaseCommand):
    help = "Derive every JP ledger entry again from its evidence and print each difference; exit status 1 if any."

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, help="only entries dated in this year (Asia/Jakarta)")

    def handle(self, *args, year=None, **options):
        if year is not None and not 1900 <= year <= 9999:
            raise CommandError("--year must be a year such as 2026.")
        count = 0
        for difference in ledger_differences(year=year):
            self.stdout.write(difference)
            count += 1
        if count:
            self.stderr.write(f"{count} difference(s).")
            raise SystemExit(1)
        self.stdout.write(self.style.SUCCESS("0 differences: every entry follows from its evidence."))
