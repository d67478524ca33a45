"""``manage.py compliance_report --year 2026 [--unit CODE] [--type pns] --format csv|xlsx|pdf --out PATH``:
the whole city's (or a unit subtree's) compliance report as a file, e.g. from cron."""

from __future__ import annotations

import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from shell.people.models import Unit, User

from ...bundles import compliance_bundle
from ...exports import export_bundle
from ...selectors import ReportFilters


class Command(BaseCommand):
    help = "Write the JP compliance report of the city or of a unit subtree to a CSV, XLSX or PDF file."

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--unit", help="unit code: only that unit and the units below it")
        parser.add_argument("--type", dest="employment_type", default="", choices=["", *User.EmploymentType.values])
        parser.add_argument("--format", required=True, choices=["csv", "xlsx", "pdf"])
        parser.add_argument("--view", default="pegawai", help="for CSV: pegawai, unit, jenis, kategori or tren")
        parser.add_argument("--out", required=True, help="path of the file to write")

    def handle(self, *args, **options):
        if not 2000 <= options["year"] <= 2100:
            raise CommandError("--year must be a four-digit year, e.g. 2026.")
        unit = None
        if options["unit"]:
            unit = Unit.objects.filter(code=options["unit"]).first()
            if unit is None:
                raise CommandError(f"No unit with code {options['unit']!r}.")
        # The command speaks for the whole city, as an administrator would (an unsaved superuser:
        # it has every permission and is not itself an employee row).
        viewer = User(username="compliance_report", full_name="compliance_report", is_superuser=True, is_active=True)
        filters = ReportFilters(year=options["year"], unit=unit, employment_type=options["employment_type"])
        start = time.perf_counter()
        bundle = compliance_bundle(viewer=viewer, filters=filters)
        if options["format"] == "csv" and bundle.view(options["view"]) is None:
            raise CommandError(f"Unknown view {options['view']!r}: pegawai, unit, jenis, kategori or tren.")
        data = export_bundle(bundle, options["format"], view=options["view"])
        out = Path(options["out"])
        if out.parent and not out.parent.exists():
            raise CommandError(f"Directory {out.parent} does not exist.")
        out.write_bytes(data)
        self.stdout.write(
            f"Wrote {out} ({len(data):,} bytes, {bundle.summary['employees']:,} employees) "
            f"in {time.perf_counter() - start:.2f} s."
        )
