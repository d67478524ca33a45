"""The Wagtail admin speaks Indonesian and calls no outside service: no Gravatar (a hash of every
employee's e-mail address), no update check, no links out to wagtail.org's guide."""

import re

import pytest
from django.conf import settings

from content.h5p.services import h5p_content_import
from content.h5p.tests.factories import build_package
from content.services import catalog_setup, course_moderation_setup
from content.tests.admin_i18n import untranslated_wagtail_strings
from content.tests.factories import draft_course
from shell.people import roles
from shell.people.services import roles_setup
from shell.people.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

LOCAL = re.compile(r"^(/|#|data:|blob:|mailto:|javascript:|http://testserver/|\{|$)")


@pytest.fixture
def site(db):
    roles_setup()
    catalog = catalog_setup()
    course_moderation_setup(catalog=catalog)
    trainer = UserFactory(roles=[roles.LEARNER, roles.TRAINER], email="tia@tangerangkota.go.id")
    reviewer = UserFactory(roles=[roles.LEARNER, roles.REVIEWER], email="rudi@tangerangkota.go.id")
    admin = UserFactory(roles=[roles.ADMIN], is_superuser=True, email="admin@tangerangkota.go.id")
    h5p = h5p_content_import(upload=build_package(), user=admin)
    course, lesson = draft_course(catalog=catalog, trainer=trainer, h5p=h5p)
    state = lesson.get_workflow().start(lesson, trainer)
    return {
        "catalog": catalog,
        "course": course,
        "lesson": lesson,
        "task_state": state.current_task_state,
        "trainer": trainer,
        "reviewer": reviewer,
        "admin": admin,
        "h5p": h5p,
    }


def pages_for(site) -> dict[str, list[str]]:
    """The admin pages each role opens in an ordinary week."""
    catalog, course, lesson, task = site["catalog"], site["course"], site["lesson"], site["task_state"]
    everyone = [
        "/cms/",
        f"/cms/pages/{catalog.pk}/",
        f"/cms/pages/{course.pk}/",
        f"/cms/pages/{course.pk}/edit/",
        f"/cms/pages/{lesson.pk}/edit/",
        f"/cms/pages/{lesson.pk}/history/",
        f"/cms/pages/{lesson.pk}/workflow_history/",
        f"/cms/pages/add/content/lessonpage/{course.pk}/",
        "/cms/pages/search/?q=surat",
        "/cms/images/chooser/",
        "/cms/documents/chooser/",
        "/cms/choose-page/",
        "/cms/account/",
    ]
    h5p = ["/cms/snippets/h5p/h5pcontent/", "/cms/snippets/h5p/h5pcontent/add/", "/cms/snippets/choose/h5p/h5pcontent/"]
    return {
        "trainer": [*everyone, *h5p, f"/cms/pages/add/content/coursepage/{catalog.pk}/"],
        "reviewer": [
            *everyone,
            f"/cms/pages/workflow/collect_action_data/{lesson.pk}/approve/{task.pk}/",
            f"/cms/pages/workflow/collect_action_data/{lesson.pk}/reject/{task.pk}/",
        ],
        "admin": [
            *everyone,
            *h5p,
            "/cms/pages/",
            "/cms/images/",
            "/cms/images/multiple/add/",
            "/cms/documents/",
            "/cms/documents/multiple/add/",
            "/cms/users/",
            "/cms/groups/",
            "/cms/workflows/list/",
            "/cms/reports/workflow/",
        ],
    }


def test_the_everyday_admin_pages_speak_indonesian_and_load_nothing_from_outside(client, site):
    """Every Wagtail string these pages show has an Indonesian translation; nothing they load (scripts,
    styles, images, fonts, frames) comes from elsewhere; no Gravatar, no wagtail.org."""
    assert settings.WAGTAIL_GRAVATAR_PROVIDER_URL is None
    assert settings.WAGTAIL_ENABLE_UPDATE_CHECK is False
    untranslated = []
    for role, urls in pages_for(site).items():
        client.force_login(site[role])
        for url in urls:
            with untranslated_wagtail_strings() as missing:
                response = client.get(url)
            assert response.status_code == 200, (role, url, response.status_code)
            untranslated += [
                f"{url}: {context + '|' if context else ''}{msgid!r}" for msgid, context in sorted(missing)
            ]
            html = response.content.decode()
            assert "gravatar" not in html.lower(), url
            assert "releases.wagtail.org" not in html and "guide.wagtail.org" not in html, url
            for _attr, value in re.findall(r'<(?:script|img|link|iframe|source)\b[^>]*?\b(src|href)="([^"]*)"', html):
                assert LOCAL.match(value), (url, value)
    assert not untranslated, "\n".join(untranslated)


def test_the_admin_shows_indonesian_labels(client, site):
    client.force_login(site["reviewer"])
    html = client.get("/cms/").content.decode()
    assert "Kembali ke Tangerang Ayo" in html
    assert '"Halaman"' in html or ">Halaman<" in html  # the sidebar's "Pages"
    assert "Pages" not in re.sub(r"<[^>]+>", " ", html).split()
    html = client.get(f"/cms/pages/{site['lesson'].pk}/edit/").content.decode()
    for indonesian in ("Minta perubahan", "Setujui", "Tindakan lainnya", "Pratinjau"):
        assert indonesian in html, indonesian
    for english in ("Request changes", "More actions", ">Preview<"):
        assert english not in html, english
    # What the admin's scripts say (StreamField, comments, sidebar) comes from its JavaScript catalogue.
    catalog = client.get("/cms/jsi18n/").content.decode()
    assert "Tindakan lainnya" in catalog and "Sisipkan blok" in catalog
