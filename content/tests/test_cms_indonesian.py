"""Where trainers work in /cms/ (issue 16, item 10): the dashboard carries the platform's name (not
"localhost", Wagtail's default site has no name), and saving H5P content answers in Indonesian."""

import io

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from wagtail.models import Site

from content.h5p.tests.factories import TRUE_FALSE
from content.services import catalog_setup
from shell.people import roles
from shell.people.tests.factories import UserFactory

pytestmark = pytest.mark.django_db
ADD_URL = "/cms/snippets/h5p/h5pcontent/add/"


def test_the_default_site_gets_the_platforms_name_and_the_dashboard_shows_it(client):
    site = Site.objects.get(is_default_site=True)
    site.site_name = ""
    site.save()
    catalog_setup()
    site.refresh_from_db()
    assert site.site_name == settings.WAGTAIL_SITE_NAME
    client.force_login(UserFactory(roles=[roles.TRAINER]))
    page = client.get("/cms/").content.decode()
    assert settings.WAGTAIL_SITE_NAME in page
    assert "<h1>localhost" not in page.replace("\n", "").replace("  ", "")


def test_a_name_someone_gave_the_site_is_kept():
    site = Site.objects.get(is_default_site=True)
    site.site_name = "Nama Lain"
    site.save()
    catalog_setup()
    site.refresh_from_db()
    assert site.site_name == "Nama Lain"


def test_saving_h5p_content_answers_in_indonesian(client):
    call_command("h5p_install_libraries", stdout=io.StringIO())
    client.force_login(UserFactory(roles=[roles.TRAINER]))
    upload = SimpleUploadedFile("bs.h5p", TRUE_FALSE.read_bytes(), content_type="application/zip")
    response = client.post(ADD_URL, {"title": "Uji telepon", "package": upload})
    assert response.status_code == 302, [str(m) for m in response.wsgi_request._messages]
    said = [str(m) for m in response.wsgi_request._messages]
    assert len(said) == 1 and said[0].startswith("Konten H5P &#x27;Uji telepon&#x27; ditambahkan."), said

    broken = SimpleUploadedFile("rusak.h5p", b"bukan zip", content_type="application/zip")
    failed = client.post(ADD_URL, {"title": "Rusak", "package": broken})
    said = " ".join(str(m) for m in failed.wsgi_request._messages)
    assert "Konten H5P belum dapat ditambahkan" in said and "could not be created" not in said
