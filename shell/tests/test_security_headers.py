"""Security headers on the platform's pages: a Content-Security-Policy without inline scripts, no
framing by other sites, no content sniffing; and no inline event handler left in a template."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from shell.people.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _policy(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in header.split(";") if part.strip()}


@pytest.mark.parametrize("path", ["/", "/masuk/", "/belajar/", "/kotak-masuk/", "/kursus/"])
def test_pages_carry_a_policy_without_inline_scripts(path):
    client = Client()
    client.force_login(UserFactory())
    response = client.get(path, follow=True)
    policy = _policy(response)
    assert policy["script-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'self'"]
    assert response["X-Content-Type-Options"] == "nosniff"


def test_the_admins_are_left_to_their_vendors_inline_scripts():
    admin = UserFactory(is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(admin)
    assert "Content-Security-Policy" not in client.get("/cms/")
    assert "Content-Security-Policy" not in client.get("/django-admin/")


def test_no_template_has_inline_script_or_event_handlers():
    offenders = []
    for path in Path(settings.BASE_DIR, "templates").rglob("*.html"):
        text = path.read_text()
        if re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text) or re.search(r"\son[a-z]+=\"", text):
            offenders.append(str(path))
    assert offenders == []
