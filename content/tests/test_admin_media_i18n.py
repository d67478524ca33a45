"""The CMS's video library (wagtailmedia, /cms/media/) speaks Indonesian like the rest of the admin:
wagtailmedia ships no Indonesian, so locale/id/wagtailmedia.po gives it (merged by `manage.py admin_messages`)."""

import re
from pathlib import Path

import pytest
import wagtailmedia
from django.utils import translation
from django.utils.translation import trans_real

from content.services import video_library_setup
from content.tests.admin_i18n import _msgids, untranslated_wagtail_strings
from content.tests.factories import make_video_media
from shell.people import roles
from shell.people.services import roles_setup
from shell.people.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

WAGTAILMEDIA_EN = Path(wagtailmedia.__file__).resolve().parent / "locale" / "en" / "LC_MESSAGES" / "django.po"


def _text(html: str) -> str:
    """What a person reads: the page without scripts, styles and tags."""
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_every_wagtailmedia_string_has_indonesian():
    catalog = trans_real.translation("id")._catalog
    msgids = _msgids(WAGTAILMEDIA_EN)
    assert len(msgids) > 60  # the catalogue was read
    missing = sorted(m for m in msgids if m not in catalog and (m, 0) not in catalog)
    assert not missing, "\n".join(missing)
    with translation.override("id"):
        assert translation.gettext("Upload Video") == "Unggah Video"
        assert translation.ngettext("%(count)s media file", "%(count)s media files", 3) % {"count": 3} == (
            "3 berkas media"
        )
        assert translation.gettext("Save") == "Simpan"  # shared with Wagtail: the admin's own wording


@pytest.fixture
def library(db):
    roles_setup()
    video_library_setup()
    trainer = UserFactory(roles=[roles.LEARNER, roles.TRAINER])
    admin = UserFactory(roles=[roles.ADMIN], is_superuser=True)
    media = make_video_media(title="Video Pelayanan Prima")
    return {"trainer": trainer, "admin": admin, "media": media}


def test_a_trainer_adds_a_video_in_indonesian(client, library):
    client.force_login(library["trainer"])
    with untranslated_wagtail_strings() as missing:
        response = client.get("/cms/media/video/add/")
    assert response.status_code == 200
    assert not missing, sorted(missing)
    text = _text(response.content.decode())
    # (No duration field to type: the platform reads it from the file, content/forms.py.)
    for indonesian in ("Tambah video", "Judul", "Berkas", "Unggah"):
        assert indonesian in text, indonesian
    for english in ("Add video", "Duration in seconds", "Upload", "Title", "Collection"):
        assert not re.search(rf"\b{english}\b", text), english


def test_the_video_library_pages_speak_indonesian(client, library):
    media = library["media"]
    pages = {
        "trainer": ["/cms/media/", "/cms/media/?q=pelayanan", "/cms/media/chooser/", "/cms/media/chooser/video/"],
        "admin": [
            "/cms/media/",
            f"/cms/media/edit/{media.pk}/",
            f"/cms/media/delete/{media.pk}/",
            f"/cms/media/usage/{media.pk}/",
            "/cms/groups/",
        ],
    }
    untranslated = []
    for role, urls in pages.items():
        client.force_login(library[role])
        for url in urls:
            with untranslated_wagtail_strings() as missing:
                response = client.get(url)
            assert response.status_code == 200, (role, url, response.status_code)
            untranslated += [f"{url}: {msgid!r}" for msgid, _context in sorted(missing)]
    assert not untranslated, "\n".join(untranslated)
    client.force_login(library["admin"])
    text = _text(client.get(f"/cms/media/delete/{media.pk}/").content.decode())
    assert "Yakin ingin menghapus berkas media ini?" in text and "Tidak, jangan hapus" in text
