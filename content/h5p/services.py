"""Writes of the h5p app: importing, replacing and deleting packages.

Order of work: validate the whole package (nothing written), check the uploader may install the libraries
it brings, then write files through Django's default storage under fresh prefixes and commit the rows.
A failure after files were written removes them again; prefixes a replacement made unused are removed
after commit.
"""

from __future__ import annotations

import uuid
import zipfile
from typing import IO

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import scoring
from .models import H5PContent, H5PLibrary
from .samples import PACKAGES
from .selectors import h5p_content_in_use, h5p_content_usage, installed_libraries, library_prefixes_warm
from .validation import BundledLibrary, LibraryRef, PackageError, ValidatedPackage, validate_package

STORAGE_ROOT = "h5p"
INSTALL_PERMISSION = "h5p.install_h5plibrary"


def _account(user):
    """The user row to record as uploader, or None for the command line."""
    from django.contrib.auth import get_user_model

    return user if isinstance(user, get_user_model()) else None


def user_can_install_libraries(user) -> bool:
    return bool(user and user.has_perm(INSTALL_PERMISSION))


def _library_plan(package: ValidatedPackage, *, user, existing: dict[LibraryRef, H5PLibrary]):
    """Which bundled libraries to install (new) or replace (a newer patch), and the error for a user
    without the permission. An installed library at the same or a newer patch is used as it is."""
    install: list[BundledLibrary] = []
    replace: list[tuple[BundledLibrary, H5PLibrary]] = []
    for ref, bundled in package.libraries.items():
        current = existing.get(ref)
        if current is None:
            install.append(bundled)
        elif bundled.patch > current.patch_version:
            replace.append((bundled, current))
    errors: list[str] = []
    if not user_can_install_libraries(user):
        needed = _needed(package, existing)
        missing = sorted((b.ref for b in install if b.ref in needed), key=str)
        if missing:
            errors.append(library_missing_message(missing=missing, installed=existing))
        # Without the permission, bundled copies of installed or unneeded libraries are simply not used.
        install, replace = [], []
    return install, replace, errors


def library_missing_message(*, missing: list[LibraryRef], installed: dict[LibraryRef, H5PLibrary]) -> str:
    """One message for everything a trainer's package needs and the platform lacks: which libraries, who
    installs them, and which content types already play."""
    message = _(
        "Paket ini memakai %(count)s pustaka H5P yang belum terpasang di platform: %(libs)s. Hanya admin "
        "platform (peran Admin) yang boleh memasang pustaka baru: kirim berkas .h5p ini kepada admin untuk "
        "diunggah sekali (pustakanya ikut terpasang), lalu Anda dapat mengunggahnya."
    ) % {"count": len(missing), "libs": ", ".join(str(ref) for ref in missing)}
    types = installed_content_types(installed=installed)
    if types:
        message += " " + _("Jenis konten yang sudah dapat Anda unggah: %(types)s.") % {"types": types}
    return message


def installed_content_types(*, installed: dict[LibraryRef, H5PLibrary]) -> str:
    """The runnable libraries installed, as a trainer reads them: "Drag the Words (H5P.DragText 1.10), ..."."""
    return ", ".join(
        f"{lib.title} ({ref})" for ref, lib in sorted(installed.items(), key=lambda item: str(item[0])) if lib.runnable
    )


def _needed(package: ValidatedPackage, existing: dict[LibraryRef, H5PLibrary]) -> set[LibraryRef]:
    """Every library the content needs to play, following dependencies through bundled and installed ones."""
    from .validation import library_dependencies

    needed: set[LibraryRef] = set()
    todo = [package.main, *package.dependencies]
    while todo:
        ref = todo.pop()
        if ref in needed:
            continue
        needed.add(ref)
        if ref in package.libraries:
            todo += library_dependencies(package.libraries[ref].metadata)
        elif ref in existing:
            todo += library_dependencies(existing[ref].metadata)
    return needed


def _write(archive: zipfile.ZipFile, names: list[str], *, strip: str, prefix: str, written: list[str]) -> None:
    for name in names:
        relative = name[len(strip) :]
        with archive.open(name) as stream:
            data = stream.read()
        target = f"{prefix}/{relative}"
        saved = default_storage.save(target, ContentFile(data))
        written.append(saved)
        if saved != target:  # the storage renamed it: the prefix is fresh, so this means a race or a bug
            raise PackageError([_("Penyimpanan menolak berkas %(name)s.") % {"name": name}])


def _delete_prefix(prefix: str) -> None:
    try:
        directories, files = default_storage.listdir(prefix)
    except (FileNotFoundError, NotADirectoryError, OSError):
        return
    for name in files:
        default_storage.delete(f"{prefix}/{name}")
    for directory in directories:
        _delete_prefix(f"{prefix}/{directory}")
    try:
        default_storage.delete(prefix)  # an empty folder on file storage; a no-op on object stores
    except OSError:
        pass


def _check(upload: IO[bytes], *, user) -> tuple[ValidatedPackage, list, list, dict[LibraryRef, H5PLibrary]]:
    existing = installed_libraries()
    package = validate_package(upload, installed={ref: lib.metadata for ref, lib in existing.items()})
    install, replace, errors = _library_plan(package, user=user, existing=existing)
    if errors:
        raise PackageError(errors)
    return package, install, replace, existing


def h5p_package_check(*, upload: IO[bytes], user) -> ValidatedPackage:
    """Everything the import checks, without writing: for forms that report errors before saving."""
    return _check(upload, user=user)[0]


def _libraries_write(
    archive: zipfile.ZipFile,
    *,
    install: list[BundledLibrary],
    replace: list[tuple[BundledLibrary, H5PLibrary]],
    libraries: dict[LibraryRef, H5PLibrary],
    user,
    written: list[str],
    old_prefixes: list[str],
) -> list[H5PLibrary]:
    """Store new libraries and newer patches under fresh prefixes (inside the caller's transaction);
    ``libraries`` gains the new rows. Returns the rows written; the caches are warmed after commit."""
    changed: list[H5PLibrary] = []
    for bundled in install:
        prefix = f"{STORAGE_ROOT}/libraries/{bundled.ref.folder}-{bundled.patch}-{uuid.uuid4().hex[:8]}"
        _write(archive, bundled.files, strip=f"{bundled.ref.folder}/", prefix=prefix, written=written)
        libraries[bundled.ref] = H5PLibrary.objects.create(
            machine_name=bundled.ref.machine_name,
            major_version=bundled.ref.major,
            minor_version=bundled.ref.minor,
            patch_version=bundled.patch,
            title=str(bundled.metadata.get("title", ""))[:255],
            runnable=bool(bundled.metadata.get("runnable")),
            metadata=bundled.metadata,
            storage_prefix=prefix,
            installed_by=_account(user),
        )
        changed.append(libraries[bundled.ref])
    for bundled, current in replace:
        prefix = f"{STORAGE_ROOT}/libraries/{bundled.ref.folder}-{bundled.patch}-{uuid.uuid4().hex[:8]}"
        _write(archive, bundled.files, strip=f"{bundled.ref.folder}/", prefix=prefix, written=written)
        old_prefixes.append(current.storage_prefix)
        current.patch_version = bundled.patch
        current.title = str(bundled.metadata.get("title", ""))[:255]
        current.runnable = bool(bundled.metadata.get("runnable"))
        current.metadata = bundled.metadata
        current.storage_prefix = prefix
        current.installed_by = _account(user)
        current.save()
        changed.append(current)
    transaction.on_commit(lambda: library_prefixes_warm(libraries=changed))
    transaction.on_commit(lambda: [_delete_prefix(p) for p in old_prefixes])
    return changed


IN_USE_REPLACE_MESSAGE = gettext_lazy(
    "Konten ini dipakai di pelajaran, jadi paketnya tidak diganti di tempat. Unggah paket baru sebagai "
    "konten baru, lalu pilih konten itu di pelajaran: perubahan pelajaran melewati moderasi."
)


def h5p_content_import(
    *, upload: IO[bytes], user, title: str | None = None, content: H5PContent | None = None
) -> H5PContent:
    """Validate and store a package as new content, or as a replacement of ``content``'s package while no
    lesson chooses it. Raises PackageError with every reason, having written nothing.

    Content a lesson chooses (live or in a draft) is never replaced in place: the lesson and its course were
    reviewed with that package, and learners' results were scored against it. A new package is new content,
    which the trainer puts in the lesson; that change goes through the lesson's moderation."""
    if content is not None and h5p_content_in_use(content=content):
        raise PackageError([str(IN_USE_REPLACE_MESSAGE)])
    package, install, replace, existing = _check(upload, user=user)
    upload.seek(0)
    archive = zipfile.ZipFile(upload)
    written: list[str] = []
    old_prefixes: list[str] = []
    try:
        with transaction.atomic():
            libraries = dict(existing)
            _libraries_write(
                archive,
                install=install,
                replace=replace,
                libraries=libraries,
                user=user,
                written=written,
                old_prefixes=old_prefixes,
            )
            content_prefix = f"{STORAGE_ROOT}/content/{uuid.uuid4().hex}"
            _write(archive, ["h5p.json"], strip="", prefix=content_prefix, written=written)
            _write(archive, package.content_files, strip="", prefix=content_prefix, written=written)
            items = scoring.sub_items(package.content_json, package.main.machine_name)
            fields = {
                "title": (title or package.h5p_json["title"]).strip()[:255],
                "main_library": libraries[package.main],
                "h5p_json": package.h5p_json,
                "content_json": package.content_json,
                "max_score": scoring.package_max_score(package.main.machine_name, package.content_json, items),
                "sub_items": items,
                "storage_prefix": content_prefix,
                "package_size": package.package_size,
                "uploaded_by": _account(user),
            }
            if content is None:
                content = H5PContent.objects.create(**fields)
            else:
                content = H5PContent.objects.select_for_update().get(pk=content.pk)
                old_prefixes.append(content.storage_prefix)
                if title is None:
                    fields["title"] = content.title
                for name, value in fields.items():
                    setattr(content, name, value)
                content.save()
            content.libraries.set([libraries[ref] for ref in _needed(package, libraries) if ref in libraries])
    except BaseException:
        for name in written:
            default_storage.delete(name)
        raise
    return content


def h5p_libraries_install(*, upload: IO[bytes], user) -> list[H5PLibrary]:
    """Install (or update to a newer patch) the libraries a package brings, without storing its content:
    the same checks as an upload, by a user with the library permission. Returns what it wrote (nothing
    when every library is already there at the same or a newer patch)."""
    if not user_can_install_libraries(user):
        raise PackageError([_("Anda tidak berhak memasang pustaka H5P.")])
    _package, install, replace, existing = _check(upload, user=user)
    upload.seek(0)
    archive = zipfile.ZipFile(upload)
    written: list[str] = []
    try:
        with transaction.atomic():
            return _libraries_write(
                archive,
                install=install,
                replace=replace,
                libraries=dict(existing),
                user=user,
                written=written,
                old_prefixes=[],
            )
    except BaseException:
        for name in written:
            default_storage.delete(name)
        raise


class _Platform:
    """The platform itself (a management command, the demo): whoever runs manage.py controls the server."""

    is_authenticated = True
    pk = None

    def has_perm(self, perm: str) -> bool:
        return True


PLATFORM = _Platform()


def h5p_shipped_libraries_install() -> list[H5PLibrary]:
    """Install the libraries of the packages the platform ships (content/h5p/samples/NOTICE.md), so that a
    trainer can upload content of those types on a new installation. Safe to run again: a library already
    installed at the same or a newer patch is left alone."""
    changed: list[H5PLibrary] = []
    for path in PACKAGES:
        with path.open("rb") as upload:
            changed += h5p_libraries_install(upload=upload, user=PLATFORM)
    return changed


def h5p_content_editable_by(*, content: H5PContent, user) -> bool:
    """Whether ``user`` may change ``content``'s details: only who may edit every lesson page that chooses
    it (the H5P permission is no way around a course's page permissions)."""
    return all(page.permissions_for_user(user).can_edit() for page in h5p_content_usage(content=content))


def h5p_content_delete(*, content: H5PContent) -> None:
    """Delete content no lesson uses; its files go after commit. Libraries stay installed (shared)."""
    if h5p_content_in_use(content=content):
        raise PackageError([_("Konten ini masih dipakai di pelajaran; lepaskan dari pelajaran itu dahulu.")])
    prefix = content.storage_prefix
    with transaction.atomic():
        content.delete()
        transaction.on_commit(lambda: _delete_prefix(prefix))
