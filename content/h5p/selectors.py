"""Reads of the h5p app."""

from __future__ import annotations

from django.db.models import QuerySet

from .models import H5PContent, H5PLibrary
from .validation import LibraryRef


def installed_libraries() -> dict[LibraryRef, H5PLibrary]:
    return {LibraryRef(lib.machine_name, lib.major_version, lib.minor_version): lib for lib in H5PLibrary.objects.all()}


def library_by_folder(*, folder: str) -> H5PLibrary | None:
    name, _, version = folder.rpartition("-")
    major, _, minor = version.partition(".")
    if not (name and major.isdigit() and minor.isdigit()):
        return None
    return H5PLibrary.objects.filter(machine_name=name, major_version=int(major), minor_version=int(minor)).first()


def _library_cache_key(folder: str) -> str:
    return f"h5p:library-prefix:{folder}"


def library_prefix(*, folder: str) -> str | None:
    """Where a library's files are stored. Cached: the player loads dozens of library files at once, and
    the frame that asks for them warms the cache (see library_prefixes_warm)."""
    from django.core.cache import cache

    prefix = cache.get(_library_cache_key(folder))
    if prefix is None:
        library = library_by_folder(folder=folder)
        if library is None:
            return None
        prefix = library.storage_prefix
        cache.set(_library_cache_key(folder), prefix, 3600)
    return prefix


def library_prefixes_warm(*, libraries) -> None:
    from django.core.cache import cache

    cache.set_many({_library_cache_key(lib.folder_name): lib.storage_prefix for lib in libraries}, 3600)


def h5p_content_list() -> QuerySet[H5PContent]:
    return H5PContent.objects.select_related("main_library", "uploaded_by")


def _chooses(body, content_id: int) -> bool:
    for block in body:
        if block.block_type == "h5p" and block.value["content"] is not None and block.value["content"].pk == content_id:
            return True
    return False


def h5p_content_usage(*, content: H5PContent) -> list:
    """The lesson pages whose body, live or in their latest draft, chooses this content. Read from the pages
    themselves: Wagtail's reference index is updated in the background and may lag."""
    from content.models import LessonPage

    used = []
    for page in LessonPage.objects.select_related("latest_revision").order_by("title"):
        bodies = [page.body]
        if page.has_unpublished_changes and page.latest_revision is not None:
            bodies.append(page.latest_revision.as_object().body)
        if any(_chooses(body, content.pk) for body in bodies):
            used.append(page)
    return used


def h5p_content_in_use(*, content: H5PContent) -> bool:
    return bool(h5p_content_usage(content=content))
