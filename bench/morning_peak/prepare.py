"""Accounts and content for the morning peak, on a database that already holds the generated city
(`generate_scale_data`): an H5P course, learners enrolled in it who can log in, and city-wide HR staff.
Run by bench/peak.py in a child process with the bench's environment; prints the accounts file (JSON)."""

from __future__ import annotations

import json
import os
import sys

import django

LEARNERS = int(os.environ.get("BENCH_PEAK_ACCOUNTS", "400"))
HR_STAFF = 10
PASSWORD = "pagi-hari-2026"


def main() -> None:
    django.setup()
    from django.contrib.auth.hashers import make_password
    from django.contrib.auth.models import Group
    from django.db import transaction
    from django.urls import reverse

    from content.h5p.tests.factories import TRUE_FALSE, import_sample, make_h5p_course
    from content.services import catalog_setup
    from fixtures.scale import USER_PREFIX
    from lms import activities
    from lms.models import Enrollment
    from shell.people import roles
    from shell.people.models import User
    from shell.people.services import hr_scope_grant, roles_setup

    with transaction.atomic():
        roles_setup()
        content = import_sample(TRUE_FALSE)
        course = make_h5p_course([content], title="Kursus Pagi Hari", jp="2")
        lesson = course.lessons().first()
        people = list(
            User.objects.filter(username__startswith=USER_PREFIX, is_active=True).order_by("pk")[: LEARNERS + HR_STAFF]
        )
        learners, hr = people[:LEARNERS], people[LEARNERS:]
        # One hash for all: the server still verifies each log-in with the full PBKDF2 cost.
        User.objects.filter(pk__in=[u.pk for u in people]).update(password=make_password(PASSWORD))
        Group.objects.get(name=roles.LEARNER).user_set.add(*people)
        Enrollment.objects.bulk_create([Enrollment(user=u, course=course) for u in learners])
        for person in hr:
            hr_scope_grant(user=person, unit=None)  # city-wide
    meta = {
        "password": PASSWORD,
        "learners": [u.username for u in learners],
        "hr": [u.username for u in hr],
        "catalogue": catalog_setup().url,
        "lesson": lesson.url,
        "h5p_activity": activities.h5p_iri(lesson.pk, content.pk),
        "h5p_statements": reverse("lms:h5p_statement", kwargs={"lesson_id": lesson.pk, "content_id": content.pk}),
    }
    json.dump(meta, sys.stdout)


if __name__ == "__main__":
    main()
