"""Per course or class with evaluations in a year: participants, reaction mean, pre- and post-test means,
gain, pass rate, level 3 response rate and score.

The reaction and level-3 columns come from the participants' surveys (lms.surveys.selectors, which show a
group's answers only from SURVEY_MIN_GROUP_SIZE responses); the learning columns (pre_test_mean and
post_test_mean in percent, gain as Hake's normalised gain of the class means, pass_rate of the post-test in
percent) from the pre- and post-tests (lms.evaluation.selectors). A course or class with only one of the two
kinds of evaluation has the other's columns null.
"""

from __future__ import annotations

import csv
import json
from decimal import Decimal

from django.core.management.base import BaseCommand, CommandError

from lms.evaluation.selectors import learning_summary, tested_in_year
from lms.surveys.selectors import evaluation_rows

COLUMNS = (
    "kind",
    "course_id",
    "session_id",
    "title",
    "participants",
    "responses",
    "reaction_mean",
    "pre_test_mean",
    "post_test_mean",
    "gain",
    "pass_rate",
    "level3_sent",
    "level3_answered",
    "level3_response_rate",
    "level3_score",
)


def _plain(value):
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


class Command(BaseCommand):
    help = "Evaluation per course and class of a year (reaction, learning, level 3), as JSON or CSV."

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--format", choices=("json", "csv"), default="json")

    def handle(self, *args, year: int, format: str, **options):
        if not 2000 <= year <= 2100:
            raise CommandError(f"--year {year}: give a calendar year such as 2026.")
        rows = evaluation_rows(year=year, also=tested_in_year(year=year))
        for row in rows:
            row.update(learning_summary(course_id=row["course_id"], session_id=row["session_id"]))
        rows = [_plain(row) for row in rows]
        if format == "json":
            self.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2))
            return
        writer = csv.DictWriter(self.stdout, fieldnames=COLUMNS, extrasaction="ignore", lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
