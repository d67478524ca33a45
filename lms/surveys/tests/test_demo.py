"""The demo's surveys: one online course and one class, each answered by six participants, so that
``evaluation_report`` prints both on a fresh demo."""

import json
from io import StringIO

import pytest
from django.core.management import call_command

from lms.certificates.models import Certificate
from lms.surveys.demo import PARTICIPANTS, surveys_demo_load
from lms.surveys.models import CertificateHold, Respondent, Response

pytestmark = pytest.mark.django_db


def test_the_demo_fills_a_course_and_a_class_that_the_report_prints(django_capture_on_commit_callbacks):
    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_demo", stdout=out)
    assert "Survei peserta:" in out.getvalue()
    assert Respondent.objects.count() == 2 * PARTICIPANTS
    assert surveys_demo_load() is None  # idempotent
    # Every participant answered, so each has their certificate (held until then).
    assert CertificateHold.objects.filter(released_at__isnull=False).exists()
    for respondent in Respondent.objects.all():
        kind, _sep, pk = respondent.target.partition(":")
        key = f"{'classroom' if kind == 'session' else 'course'}:{pk}:user:{respondent.user_id}"
        assert Certificate.objects.filter(source_key=key, revoked_at__isnull=True).count() == 1
    [year] = set(Response.objects.values_list("year", flat=True))
    out = StringIO()
    call_command("evaluation_report", "--year", str(year), "--format", "json", stdout=out)
    rows = json.loads(out.getvalue())
    surveyed = {row["kind"]: row for row in rows if row["responses"]}
    assert set(surveyed) == {"course", "classroom"}
    for row in surveyed.values():
        assert row["responses"] == PARTICIPANTS and row["participants"] >= PARTICIPANTS
        assert row["reaction_mean"] is not None and row["level3_response_rate"] is not None
        assert row["level3_score"] is not None
    # The demo's tested course (lms.evaluation.demo) is printed too, with its learning columns.
    [tested] = [row for row in rows if row["pre_test_mean"] is not None]
    assert tested["post_test_mean"] is not None and tested["gain"] is not None and tested["pass_rate"] is not None
    assert 0 <= tested["pass_rate"] <= 100 and tested["post_test_mean"] > tested["pre_test_mean"]
