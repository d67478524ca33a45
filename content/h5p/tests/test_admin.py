"""The Wagtail admin and the command line: upload, replace, preview, delete when unused; only users with
the library permission install or replace libraries."""

import io
import json

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError

from content.h5p.models import H5PContent, H5PLibrary
from content.h5p.services import h5p_content_import
from content.h5p.tests.factories import (
    COLUMN,
    LIBRARY,
    SAMPLE_FILES,
    TINY_JS,
    TRUE_FALSE,
    build_package,
    make_h5p_course,
    sample,
)
from content.h5p.validation import PackageError
from shell.people import roles
from shell.people.tests.factories import UserFactory

ADD_URL = "/cms/snippets/h5p/h5pcontent/add/"


@pytest.fixture
def trainer(db):
    return UserFactory(roles=[roles.TRAINER])


@pytest.fixture
def admin(db):
    return UserFactory(roles=[roles.ADMIN])


def _upload(data: bytes, name="paket.h5p"):
    return SimpleUploadedFile(name, data, content_type="application/zip")


def test_roles_get_the_h5p_permissions(trainer, admin):
    assert trainer.has_perm("h5p.add_h5pcontent") and not trainer.has_perm("h5p.install_h5plibrary")
    assert admin.has_perm("h5p.install_h5plibrary")


def test_a_trainer_without_the_permission_cannot_install_a_library(trainer):
    with pytest.raises(PackageError) as info:
        h5p_content_import(upload=build_package(), user=trainer)
    [message] = info.value.messages
    assert "memakai 1 pustaka H5P yang belum terpasang di platform: H5P.Tiny 1.0" in message
    assert "Hanya admin platform (peran Admin) yang boleh memasang pustaka" in message
    assert not H5PLibrary.objects.exists() and not H5PContent.objects.exists()
    assert not default_storage.exists("h5p") or not any(default_storage.listdir("h5p"))


def test_a_trainer_is_told_once_which_libraries_are_missing_who_installs_them_and_what_plays(client, trainer):
    """One message for the whole package, not one per library: which libraries, who installs them, and the
    content types the trainer can already upload."""
    call_command("h5p_install_libraries", stdout=io.StringIO())
    H5PLibrary.objects.filter(machine_name__in=["H5P.TrueFalse", "H5P.Question"]).delete()
    client.force_login(trainer)
    response = client.post(ADD_URL, {"title": "", "package": _upload(TRUE_FALSE.read_bytes())})
    assert response.status_code == 200
    page = response.content.decode()
    assert page.count("belum terpasang") == 1
    assert "memakai 2 pustaka H5P yang belum terpasang di platform: H5P.Question 1.4, H5P.TrueFalse 1.6." in page
    assert "kirim berkas .h5p ini kepada admin" in page
    assert "Multiple Choice (H5P.MultiChoice 1.14)" in page  # what plays already
    assert not H5PContent.objects.exists()


def test_a_trainer_may_upload_content_that_uses_installed_libraries(trainer, admin):
    h5p_content_import(upload=build_package(), user=admin)
    content = h5p_content_import(upload=build_package({"content/content.json": {"text": "Dua"}}), user=trainer)
    assert content.main_library.folder_name == "H5P.Tiny-1.0"
    assert H5PLibrary.objects.count() == 1  # stored once, shared


def test_a_trainer_without_the_permission_cannot_replace_a_library(trainer, admin):
    h5p_content_import(upload=build_package(), user=admin)
    library = H5PLibrary.objects.get()
    before = (library.patch_version, library.storage_prefix)
    newer = build_package({"H5P.Tiny-1.0/tiny.js": b"window.pwned = true;"}, library={**LIBRARY, "patchVersion": 9})
    h5p_content_import(upload=newer, user=trainer)  # the content is accepted, on the installed library
    library.refresh_from_db()
    assert (library.patch_version, library.storage_prefix) == before
    with default_storage.open(f"{library.storage_prefix}/tiny.js") as f:
        assert f.read() == TINY_JS


def test_an_admin_replaces_a_library_with_a_newer_patch(admin):
    h5p_content_import(upload=build_package(), user=admin)
    old_prefix = H5PLibrary.objects.get().storage_prefix
    newer = build_package({"H5P.Tiny-1.0/tiny.js": b"/* 1.0.9 */"}, library={**LIBRARY, "patchVersion": 9})
    h5p_content_import(upload=newer, user=admin)
    library = H5PLibrary.objects.get()
    assert library.patch_version == 9 and library.storage_prefix != old_prefix
    with default_storage.open(f"{library.storage_prefix}/tiny.js") as f:
        assert f.read() == b"/* 1.0.9 */"


def test_trainer_uploads_through_the_admin_and_sees_the_preview(client, trainer, admin):
    h5p_content_import(upload=build_package(), user=admin)
    client.force_login(trainer)
    response = client.post(ADD_URL, {"title": "", "package": _upload(build_package().getvalue())})
    assert response.status_code == 302, response.content.decode()[:3000]
    content = H5PContent.objects.get(uploaded_by=trainer)
    assert content.title == "Paket mini"
    preview = client.get(f"/cms/h5p/{content.pk}/pratinjau/")
    assert preview.status_code == 200
    assert b'sandbox="allow-scripts"' in preview.content and b"/h5p/main/" in preview.content


def test_the_admin_form_shows_why_a_package_is_refused(client, trainer):
    client.force_login(trainer)
    response = client.post(ADD_URL, {"title": "x", "package": _upload(build_package(drop=("h5p.json",)).getvalue())})
    assert response.status_code == 200
    assert "h5p.json tidak ada di akar paket" in response.content.decode()
    assert not H5PContent.objects.exists()


def test_replacing_the_package_keeps_the_content_and_removes_the_old_files(
    client, admin, django_capture_on_commit_callbacks
):
    content = h5p_content_import(upload=build_package(), user=admin)
    old_prefix = content.storage_prefix
    client.force_login(admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/cms/snippets/h5p/h5pcontent/edit/{content.pk}/",
            {
                "title": "Judul baru",
                "package": _upload(build_package({"content/content.json": {"text": "Baru"}}).getvalue()),
            },
        )
    assert response.status_code == 302, response.content.decode()[:2000]
    content.refresh_from_db()
    assert content.title == "Judul baru" and content.content_json == {"text": "Baru"}
    assert content.storage_prefix != old_prefix
    assert not default_storage.exists(f"{old_prefix}/h5p.json")
    assert H5PContent.objects.count() == 1


def test_content_used_by_a_lesson_is_not_deleted(client, admin, django_capture_on_commit_callbacks):
    content = h5p_content_import(upload=sample(TRUE_FALSE), user=admin)
    make_h5p_course([content])
    client.force_login(admin)
    delete_url = f"/cms/snippets/h5p/h5pcontent/delete/{content.pk}/"
    response = client.post(delete_url)
    assert response.status_code == 302 and H5PContent.objects.filter(pk=content.pk).exists()
    unused = h5p_content_import(upload=build_package(), user=admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/cms/snippets/h5p/h5pcontent/delete/{unused.pk}/")
    assert response.status_code == 302 and not H5PContent.objects.filter(pk=unused.pk).exists()
    assert not default_storage.exists(f"{unused.storage_prefix}/h5p.json")


def test_a_learner_cannot_reach_the_h5p_admin(client, db):
    client.force_login(UserFactory())
    assert client.get(ADD_URL).status_code in (302, 403)


def test_import_command_prints_the_id(capsys, db):
    call_command("import_h5p", str(TRUE_FALSE), "--title", "Benar atau salah")
    content = H5PContent.objects.get()
    assert capsys.readouterr().out.strip() == str(content.pk)
    assert content.title == "Benar atau salah"


def test_import_command_fails_with_the_reasons(tmp_path, db):
    bad = tmp_path / "bad.h5p"
    bad.write_bytes(build_package({"content/x.php": b"<?php"}, drop=("h5p.json",)).getvalue())
    with pytest.raises(CommandError) as info:
        call_command("import_h5p", str(bad))
    assert ".php tidak diizinkan" in str(info.value) and not H5PContent.objects.exists()
    with pytest.raises(CommandError, match="not found"):
        call_command("import_h5p", str(tmp_path / "missing.h5p"))


def test_import_command_as_a_user_applies_their_permission(db):
    UserFactory(username="pelatih1", roles=[roles.TRAINER])
    with pytest.raises(CommandError, match="Hanya admin platform .* yang boleh memasang pustaka"):
        call_command("import_h5p", str(TRUE_FALSE), "--user", "pelatih1")


def test_package_files_are_served_with_safe_headers(client, admin):
    from content.h5p.views import player_url

    content = h5p_content_import(
        upload=build_package({"H5P.Tiny-1.0/icon.svg": b"<svg xmlns='http://www.w3.org/2000/svg'/>"}), user=admin
    )
    src = player_url(content=content, user=admin)
    page = client.get(src)
    assert page.status_code == 200
    assert "sandbox allow-scripts" in page["Content-Security-Policy"]
    token = src.split("/")[-2]
    h5p_json = client.get(f"/h5p/f/{token}/h5p.json")
    assert h5p_json.status_code == 200 and h5p_json["Content-Type"] == "application/json"
    assert json.loads(b"".join(h5p_json.streaming_content))["mainLibrary"] == "H5P.Tiny"
    svg = client.get("/h5p/lib/H5P.Tiny-1.0/icon.svg")
    assert svg["X-Content-Type-Options"] == "nosniff" and "sandbox" in svg["Content-Security-Policy"]
    assert client.get(f"/h5p/f/{token}/../../etc/passwd").status_code == 404
    assert client.get(f"/h5p/f/{token}/H5P.Tiny-1.0/tiny.js").status_code == 404  # not content
    assert client.get(f"/h5p/f/{token[:-2]}xx/h5p.json").status_code == 404  # forged token
    assert client.get("/h5p/lib/H5P.Other-1.0/x.js").status_code == 404


def test_a_trainer_can_open_the_chooser_of_the_lesson_block(client, trainer, admin):
    h5p_content_import(upload=build_package(), user=admin)
    client.force_login(trainer)
    response = client.get("/cms/snippets/choose/h5p/h5pcontent/")
    assert response.status_code == 200 and "Paket mini" in response.content.decode()


def test_the_list_links_to_the_preview_with_results(client, trainer, admin):
    content = h5p_content_import(upload=build_package(), user=admin)
    client.force_login(trainer)
    listing = client.get("/cms/snippets/h5p/h5pcontent/")
    assert listing.status_code == 200
    assert f"/cms/h5p/{content.pk}/pratinjau/" in listing.content.decode()
    preview = client.get(f"/cms/h5p/{content.pk}/pratinjau/").content.decode()
    for heading in ("Hasil peserta", "Pertanyaan yang paling sering salah", "Pernyataan karantina"):
        assert heading in preview
    learner = UserFactory()
    client.force_login(learner)
    assert client.get(f"/cms/h5p/{content.pk}/pratinjau/").status_code in (302, 403)


def test_media_in_a_package_can_be_fetched_by_byte_range(client, admin):
    from content.h5p.views import player_url

    audio = bytes(range(256)) * 40
    content = h5p_content_import(upload=build_package({"content/audio/clip.mp3": audio}), user=admin)
    token = player_url(content=content, user=admin).split("/")[-2]
    url = f"/h5p/f/{token}/content/audio/clip.mp3"
    part = client.get(url, HTTP_RANGE="bytes=100-199")
    assert part.status_code == 206 and part.content == audio[100:200]
    assert part["Content-Range"] == f"bytes 100-199/{len(audio)}" and part["Content-Type"] == "audio/mpeg"
    tail = client.get(url, HTTP_RANGE="bytes=-10")
    assert tail.status_code == 206 and tail.content == audio[-10:]
    assert client.get(url, HTTP_RANGE=f"bytes={len(audio)}-").status_code == 416
    whole = client.get(url)
    assert whole.status_code == 200 and b"".join(whole.streaming_content) == audio


def test_the_demo_course_is_built_once_from_the_packages_in_the_repository(db):
    from content.h5p.demo import DEMO_COURSE, h5p_demo_load
    from content.models import CoursePage

    assert "3 interactive lessons" in h5p_demo_load()
    assert h5p_demo_load() is None
    course = CoursePage.objects.get(title=DEMO_COURSE)
    assert [lesson.h5p_gated for lesson in course.lessons()] == [True, True, True]
    mains = [lesson.specific.body[0].value["content"].main_library.machine_name for lesson in course.lessons()]
    assert mains == ["H5P.Column", "H5P.TrueFalse", "H5P.DragText"]


# A new installation: the shipped libraries ------------------------------------------------------------------


def test_the_shipped_libraries_are_installed_once_each_at_their_newest_patch(db):
    out = io.StringIO()
    call_command("h5p_install_libraries", stdout=out)
    assert "installed or updated" in out.getvalue()
    installed = {library.folder_name: library for library in H5PLibrary.objects.all()}
    for folder in ("H5P.MultiChoice-1.14", "H5P.Blanks-1.12", "H5P.SingleChoiceSet-1.11", "H5P.Column-1.13"):
        assert folder in installed
    assert installed["H5P.JoubelUI-1.3"].patch_version == 12  # three packages bring 1.3.9, 1.3.10 and 1.3.12
    assert installed["H5P.TrueFalse-1.6"].patch_version == 7
    assert "flowplayer-1.0" not in installed and "H5P.Audio-1.4" not in installed
    prefixes = sorted(library.storage_prefix for library in installed.values())
    assert all(default_storage.exists(f"{prefix}/library.json") for prefix in prefixes)

    again = io.StringIO()
    call_command("h5p_install_libraries", stdout=again)
    assert "already installed" in again.getvalue()
    assert sorted(H5PLibrary.objects.values_list("storage_prefix", flat=True)) == prefixes
    assert not H5PContent.objects.exists()  # libraries only: no content


def test_the_upload_form_says_which_content_types_a_trainer_can_upload(client, trainer, admin):
    client.force_login(trainer)
    assert "minta admin menjalankan manage.py h5p_install_libraries" in client.get(ADD_URL).content.decode()
    call_command("h5p_install_libraries", stdout=io.StringIO())
    page = client.get(ADD_URL).content.decode()
    assert "Jenis konten yang dapat Anda unggah:" in page and "Fill in the Blanks (H5P.Blanks 1.12)" in page
    client.force_login(admin)
    assert "Pustaka baru yang dibawa paket ikut terpasang." in client.get(ADD_URL).content.decode()


def test_setup_platform_installs_the_shipped_libraries(db):
    call_command("setup_platform", stdout=io.StringIO())
    assert H5PLibrary.objects.filter(machine_name="H5P.MultiChoice", runnable=True).exists()


@pytest.mark.parametrize("path", SAMPLE_FILES, ids=lambda path: path.name)
def test_on_a_new_installation_a_trainer_uploads_each_shipped_package(client, trainer, path):
    call_command("h5p_install_libraries", stdout=io.StringIO())
    before = set(H5PLibrary.objects.values_list("pk", "patch_version", "storage_prefix"))
    client.force_login(trainer)
    response = client.post(ADD_URL, {"title": "", "package": _upload(path.read_bytes())})
    assert response.status_code == 302, response.content.decode()[:3000]
    content = H5PContent.objects.get(uploaded_by=trainer)
    assert content.libraries.exists()
    assert set(H5PLibrary.objects.values_list("pk", "patch_version", "storage_prefix")) == before  # none touched


def test_a_trainer_uploads_a_package_of_a_shipped_type_made_elsewhere(trainer):
    """Not only the shipped files: any package of a shipped type and version, e.g. fill in the blanks."""
    from content.h5p.packaging import package_with_content

    call_command("h5p_install_libraries", stdout=io.StringIO())
    blanks = {"text": "<p>Isilah</p>", "questions": ["<p>Ibu kota Banten adalah *Serang*.</p>"]}
    upload = package_with_content(COLUMN, main_library="H5P.Blanks", content=blanks, title="Isian")
    content = h5p_content_import(upload=upload, user=trainer)
    assert content.main_library.folder_name == "H5P.Blanks-1.12" and content.max_score == 1


@pytest.fixture
def moderated_catalog(db):
    from content.services import catalog_setup, course_moderation_setup
    from shell.people.services import roles_setup

    roles_setup()
    catalog = catalog_setup()
    course_moderation_setup(catalog=catalog)
    return catalog


def test_content_a_live_lesson_uses_is_never_replaced_in_place(client, moderated_catalog, admin):
    """Review 16, F7: the lesson was reviewed with this package; a new package is new content that the trainer
    puts in the lesson (which goes through moderation), even for the lesson's own trainer or an admin."""
    content = h5p_content_import(upload=sample(TRUE_FALSE), user=admin)
    course = make_h5p_course([content])
    owner = UserFactory(roles=[roles.TRAINER])
    for page in [course, *course.get_children()]:
        page.owner = owner
        page.save()
    before = (content.main_library_id, content.storage_prefix, content.content_json)
    for user in (owner, admin):
        client.force_login(user)
        response = client.post(
            f"/cms/snippets/h5p/h5pcontent/edit/{content.pk}/",
            {"title": content.title, "package": _upload(build_package().getvalue())},
        )
        assert response.status_code == 200
        assert "Unggah paket baru sebagai konten baru" in response.content.decode()
        content.refresh_from_db()
        assert (content.main_library_id, content.storage_prefix, content.content_json) == before
    with pytest.raises(PackageError):
        h5p_content_import(upload=build_package(), user=admin, content=content)
    # The lesson's own trainer may still correct the title (nothing a learner is scored on).
    client.force_login(owner)
    response = client.post(f"/cms/snippets/h5p/h5pcontent/edit/{content.pk}/", {"title": "Judul yang benar"})
    assert response.status_code == 302
    content.refresh_from_db()
    assert content.title == "Judul yang benar"


def test_a_trainer_who_may_not_edit_the_lesson_may_not_edit_its_content(client, moderated_catalog, admin):
    """Review 16, F7: the H5P permission is no way around the course's page permissions."""
    content = h5p_content_import(upload=sample(TRUE_FALSE), user=admin)
    make_h5p_course([content])  # owned by nobody: another trainer may not edit its pages
    stranger = UserFactory(roles=[roles.TRAINER])
    client.force_login(stranger)
    response = client.post(f"/cms/snippets/h5p/h5pcontent/edit/{content.pk}/", {"title": "Diubah orang lain"})
    assert response.status_code == 200
    assert "tidak boleh Anda sunting" in response.content.decode()
    content.refresh_from_db()
    assert content.title != "Diubah orang lain"
    # Content no lesson uses is still the trainer's to replace.
    unused = h5p_content_import(upload=build_package(), user=admin)
    response = client.post(
        f"/cms/snippets/h5p/h5pcontent/edit/{unused.pk}/",
        {"title": "", "package": _upload(build_package({"content/content.json": {"text": "Baru"}}).getvalue())},
    )
    assert response.status_code == 302, response.content.decode()[-3000:]
    unused.refresh_from_db()
    assert unused.content_json == {"text": "Baru"}
