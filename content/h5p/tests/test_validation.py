"""Hostile and broken packages are refused with a reason a trainer can act on, and nothing is stored."""

import io
import os
import zipfile

import pytest
from django.core.files.storage import default_storage

from content.h5p.models import H5PContent, H5PLibrary
from content.h5p.services import h5p_content_import
from content.h5p.tests.factories import LIBRARY, SAMPLE_FILES, build_package, sample
from content.h5p.validation import PackageError
from shell.people.tests.factories import UserFactory


def _storage_files(prefix="h5p"):
    found = []
    root = os.path.join(default_storage.location, prefix)
    for dirpath, _dirs, files in os.walk(root):
        found += [os.path.join(dirpath, f) for f in files]
    return found


@pytest.fixture
def admin_user(db):
    return UserFactory(is_superuser=True)


def _refused(upload, user, *fragments):
    with pytest.raises(PackageError) as info:
        h5p_content_import(upload=upload, user=user)
    text = " ".join(info.value.messages)
    for fragment in fragments:
        assert fragment in text, text
    assert _storage_files() == []
    assert not H5PContent.objects.exists() and not H5PLibrary.objects.exists()
    return info.value.messages


@pytest.mark.django_db
@pytest.mark.parametrize("path", SAMPLE_FILES, ids=lambda p: p.name)
def test_every_sample_validates_and_imports(path, admin_user):
    content = h5p_content_import(upload=sample(path), user=admin_user)
    assert default_storage.exists(f"{content.storage_prefix}/h5p.json")
    assert default_storage.exists(f"{content.storage_prefix}/content/content.json")
    main = content.main_library
    assert default_storage.exists(f"{main.storage_prefix}/library.json")
    assert content.libraries.filter(pk=main.pk).exists()


@pytest.mark.django_db
def test_a_tiny_valid_package_imports(admin_user):
    content = h5p_content_import(upload=build_package(), user=admin_user, title="Judul sendiri")
    assert content.title == "Judul sendiri"
    assert H5PLibrary.objects.get().folder_name == "H5P.Tiny-1.0"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name,reason",
    [
        ("../evil.js", "'..'"),
        ("content/../../evil.json", "'..'"),
        ("/etc/passwd.txt", "jalur absolut"),
        ("C:/windows/evil.json", "jalur absolut"),
    ],
)
def test_zip_slip_paths_are_refused(name, reason, admin_user):
    _refused(build_package({name: b"{}"}), admin_user, reason)


@pytest.mark.django_db
def test_a_symlink_is_refused(admin_user):
    upload = build_package()
    buffer = io.BytesIO(upload.getvalue())
    with zipfile.ZipFile(buffer, "a") as archive:
        info = zipfile.ZipInfo("content/link.json")
        info.external_attr = 0o120777 << 16
        archive.writestr(info, "/etc/passwd")
    buffer.seek(0)
    _refused(buffer, admin_user, "tautan simbolik")


@pytest.mark.django_db
def test_duplicate_names_are_refused(admin_user):
    buffer = io.BytesIO(build_package().getvalue())
    with pytest.warns(UserWarning), zipfile.ZipFile(buffer, "a") as archive:
        archive.writestr("content/content.json", "{}")
    buffer.seek(0)
    _refused(buffer, admin_user, "nama berkas ganda")


@pytest.mark.django_db
def test_a_zip_bomb_is_refused_without_inflating_it(admin_user, monkeypatch, settings):
    settings.H5P_MAX_UNCOMPRESSED_BYTES = 50 * 1024 * 1024
    buffer = io.BytesIO(build_package().getvalue())
    with zipfile.ZipFile(buffer, "a", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("content/zeros.txt", b"\0" * (60 * 1024 * 1024))
    buffer.seek(0)
    inflated = []
    original = zipfile.ZipFile.open
    monkeypatch.setattr(zipfile.ZipFile, "open", lambda self, *a, **k: inflated.append(a[0]) or original(self, *a, **k))
    _refused(buffer, admin_user, "zip bomb")
    assert inflated == []


@pytest.mark.django_db
def test_a_high_compression_ratio_is_refused_without_inflating(admin_user, monkeypatch):
    buffer = io.BytesIO(build_package().getvalue())
    with zipfile.ZipFile(buffer, "a", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("content/zeros.txt", b"\0" * (20 * 1024 * 1024))
    buffer.seek(0)
    monkeypatch.setattr(zipfile.ZipFile, "open", lambda *a, **k: pytest.fail("inflated a bomb"))
    _refused(buffer, admin_user, "rasio kompresi")


@pytest.mark.django_db
def test_sizes_that_lie_in_the_directory_are_caught_while_inflating(admin_user):
    buffer = io.BytesIO()
    payload = b"A" * 4000
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in build_package_entries().items():
            archive.writestr(name, data)
        archive.writestr("content/big.txt", payload)
    raw = bytearray(buffer.getvalue())
    # Make the central directory claim 10 bytes for content/big.txt: the inflater gives more.
    central = raw.rfind(b"PK\x01\x02", 0, raw.rfind(b"content/big.txt"))
    raw[central + 24 : central + 28] = (10).to_bytes(4, "little")
    # zipfile stops at the declared size and then finds the CRC wrong: refused, naming the file.
    _refused(io.BytesIO(bytes(raw)), admin_user, "content/big.txt")


def build_package_entries():
    with zipfile.ZipFile(build_package()) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name,data,reason",
    [
        ("content/shell.php", b"<?php system($_GET['c']);", ".php tidak diizinkan"),
        ("content/setup.exe", b"MZ\x90\x00", ".exe tidak diizinkan"),
        ("H5P.Tiny-1.0/backdoor.php", b"<?php", ".php tidak diizinkan"),
        ("content/images/logo.svg", b"<svg></svg>", ".svg tidak diizinkan di folder content"),
        ("content/page.html", b"<script>alert(1)</script>", ".html tidak diizinkan"),
        ("content/flash.swf", b"FWS", ".swf tidak diizinkan"),
        ("readme.php", b"<?php", "di luar folder"),
    ],
)
def test_forbidden_file_types_are_refused(name, data, reason, admin_user):
    _refused(build_package({name: data}), admin_user, reason)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "svg",
    [
        b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(document.cookie)</script></svg>',
        b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"></svg>',
        b'<svg xmlns="http://www.w3.org/2000/svg"><a href="javascript:alert(1)"><text>x</text></a></svg>',
        b'<svg xmlns="http://www.w3.org/2000/svg"><foreignObject><body/></foreignObject></svg>',
    ],
)
def test_an_svg_with_script_is_refused_even_in_a_library(svg, admin_user):
    _refused(build_package({"H5P.Tiny-1.0/icon.svg": svg}), admin_user, "SVG berisi skrip")


@pytest.mark.django_db
def test_a_clean_svg_in_a_library_is_accepted(admin_user):
    svg = b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"><rect width="1" height="1"/></svg>'
    h5p_content_import(upload=build_package({"H5P.Tiny-1.0/icon.svg": svg}), user=admin_user)


@pytest.mark.django_db
def test_a_missing_h5p_json_is_refused(admin_user):
    _refused(build_package(drop=("h5p.json",)), admin_user, "h5p.json tidak ada")


@pytest.mark.django_db
def test_a_missing_content_json_is_refused(admin_user):
    _refused(build_package(drop=("content/content.json",)), admin_user, "content/content.json tidak ada")


@pytest.mark.django_db
def test_invalid_json_is_refused(admin_user):
    _refused(build_package({"content/content.json": b"{not json"}), admin_user, "content/content.json bukan JSON")


@pytest.mark.django_db
def test_h5p_json_fields_are_checked(admin_user):
    messages = _refused(
        build_package(h5p_json={"title": "", "mainLibrary": "H5P.Tiny", "embedTypes": ["popup"]}),
        admin_user,
    )
    text = " ".join(messages)
    assert "judul (title)" in text and "bahasa (language)" in text and "embedTypes" in text
    assert "preloadedDependencies" in text


@pytest.mark.django_db
def test_a_library_json_that_lies_about_its_name_is_refused(admin_user):
    lying = {**LIBRARY, "machineName": "H5P.Other"}
    _refused(build_package(library=lying), admin_user, "nama pustaka tidak cocok")


@pytest.mark.django_db
def test_a_library_json_with_another_version_than_its_folder_is_refused(admin_user):
    _refused(build_package(library={**LIBRARY, "minorVersion": 2}), admin_user, "nama pustaka tidak cocok")


@pytest.mark.django_db
def test_a_missing_main_library_is_named(admin_user):
    _refused(
        build_package(drop=("H5P.Tiny-1.0/library.json", "H5P.Tiny-1.0/tiny.js")),
        admin_user,
        "Pustaka utama H5P.Tiny 1.0 tidak ada di paket dan belum terpasang",
    )


@pytest.mark.django_db
def test_a_library_listing_a_missing_file_is_refused(admin_user):
    _refused(build_package(drop=("H5P.Tiny-1.0/tiny.js",)), admin_user, "menyebut tiny.js")


@pytest.mark.django_db
def test_not_a_zip_is_refused(admin_user):
    _refused(io.BytesIO(b"this is not a zip at all"), admin_user, "bukan arsip zip")


@pytest.mark.django_db
def test_limits_on_size_and_file_count(admin_user, settings):
    settings.H5P_MAX_FILES = 3
    _refused(build_package(), admin_user, "batasnya 3")
    settings.H5P_MAX_FILES = 5000
    settings.H5P_MAX_PACKAGE_BYTES = 100
    _refused(build_package(), admin_user, "Paket terlalu besar")


# H5P core's rules on a library's core API and its translation files --------------------------------


def test_the_core_api_matches_the_player_in_package_lock():
    """PLAYER_CORE_API was read from the h5p-standalone release in package-lock.json: upgrading the player
    without looking again at the core API it bundles fails here."""
    import json
    from pathlib import Path

    from django.conf import settings

    from content.h5p.validation import PLAYER_PACKAGE_VERSION

    lock = json.loads((Path(settings.BASE_DIR) / "package-lock.json").read_text())
    assert lock["packages"]["node_modules/h5p-standalone"]["version"] == PLAYER_PACKAGE_VERSION


@pytest.mark.django_db
def test_a_library_needing_a_newer_core_api_is_refused(admin_user):
    from content.h5p.validation import PLAYER_CORE_API

    major, minor = PLAYER_CORE_API
    newer = {**LIBRARY, "coreApi": {"majorVersion": major, "minorVersion": minor + 1}}
    _refused(
        build_package(library=newer),
        admin_user,
        "H5P.Tiny-1.0/library.json: pustaka H5P.Tiny 1.0 membutuhkan H5P core API",
        f"{major}.{minor + 1}",
        f"hanya mendukung sampai {major}.{minor}",
    )
    _refused(build_package(library={**LIBRARY, "coreApi": {"majorVersion": major + 1}}), admin_user, f"{major + 1}.0")


@pytest.mark.django_db
def test_a_library_within_the_core_api_is_accepted(admin_user):
    from content.h5p.validation import PLAYER_CORE_API

    major, minor = PLAYER_CORE_API
    same = {**LIBRARY, "coreApi": {"majorVersion": major, "minorVersion": minor}}
    h5p_content_import(upload=build_package(library=same), user=admin_user)
    assert H5PLibrary.objects.get().folder_name == "H5P.Tiny-1.0"


@pytest.mark.django_db
def test_an_unreadable_core_api_is_refused(admin_user):
    _refused(
        build_package(library={**LIBRARY, "coreApi": {"majorVersion": "satu"}}),
        admin_user,
        "H5P.Tiny-1.0/library.json: coreApi harus berisi majorVersion dan minorVersion",
    )


@pytest.mark.django_db
def test_an_installed_dependency_needing_a_newer_core_api_is_refused(admin_user):
    """The package relies on a library already installed whose library.json asks for more than the player has."""
    import json

    from content.h5p.validation import PLAYER_CORE_API, LibraryRef, validate_package

    major, minor = PLAYER_CORE_API
    helper = {
        "title": "Helper",
        "machineName": "H5P.Helper",
        "majorVersion": 2,
        "minorVersion": 1,
        "patchVersion": 0,
        "coreApi": {"majorVersion": major, "minorVersion": minor + 3},
    }
    needs_helper = {
        **LIBRARY,
        "preloadedDependencies": [{"machineName": "H5P.Helper", "majorVersion": 2, "minorVersion": 1}],
    }
    with pytest.raises(PackageError) as info:
        validate_package(build_package(library=needs_helper), installed={LibraryRef("H5P.Helper", 2, 1): helper})
    text = " ".join(info.value.messages)
    assert "H5P.Helper-2.1/library.json (pustaka yang sudah terpasang)" in text, text
    assert f"{major}.{minor + 3}" in text and "H5P.Helper 2.1" in text
    # The same installed library within the player's core API is fine.
    helper_ok = {**helper, "coreApi": {"majorVersion": major, "minorVersion": minor}}
    package = validate_package(
        build_package(library=needs_helper), installed={LibraryRef("H5P.Helper", 2, 1): helper_ok}
    )
    assert package.main == LibraryRef("H5P.Tiny", 1, 0)
    assert json.dumps(package.h5p_json)


@pytest.mark.django_db
def test_a_language_file_that_is_not_json_is_refused(admin_user):
    messages = _refused(
        build_package({"H5P.Tiny-1.0/language/de.json": b'{"semantics": [ {"label": "Text",}'}),
        admin_user,
        "H5P.Tiny-1.0/language/de.json: berkas bahasa pustaka H5P.Tiny 1.0 bukan JSON yang sah",
    )
    assert len(messages) == 1


@pytest.mark.django_db
def test_a_language_file_with_a_bad_name_is_refused(admin_user):
    _refused(
        build_package({"H5P.Tiny-1.0/language/de_DE.json": b"{}"}),
        admin_user,
        "H5P.Tiny-1.0/language/de_DE.json: nama berkas bahasa tidak sah",
    )


@pytest.mark.django_db
def test_valid_language_files_are_accepted(admin_user):
    files = {
        "H5P.Tiny-1.0/language/de.json": {"semantics": [{"label": "Text"}]},
        "H5P.Tiny-1.0/language/pt-br.json": b'\xef\xbb\xbf{"semantics": []}',  # a BOM, as some editors write
        "H5P.Tiny-1.0/language/.en.json": b"not json",  # editor leftovers are skipped, never stored
    }
    h5p_content_import(upload=build_package(files), user=admin_user)
    assert H5PLibrary.objects.get().folder_name == "H5P.Tiny-1.0"
