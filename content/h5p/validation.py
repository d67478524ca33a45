"""Checks an uploaded .h5p package entirely before anything is stored.

The zip is read from the upload; names and sizes come from its central directory and are checked before
anything is inflated (a zip bomb is refused from its declared sizes and compression ratios); then every
file is inflated in chunks with a hard cap, so a directory that lies about sizes is caught too.
Every refusal is a ``PackageError`` whose messages a trainer can act on (Bahasa Indonesia first).
"""

from __future__ import annotations

import json
import re
import stat
import zipfile
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import IO, Any

from django.conf import settings
from django.utils.translation import gettext as _

# H5P core's lists (h5p-php-library, h5p.classes.php: $defaultContentWhitelist and
# $defaultLibraryWhitelistExtras). Ours are stricter where a file can carry script: svg and xml only in
# library folders (checked for script even there), swf nowhere.
CONTENT_EXTENSIONS = frozenset(
    "json png jpg jpeg gif bmp tif tiff eot ttf woff woff2 otf webm mp4 ogg mp3 m4a wav txt pdf rtf doc docx "
    "xls xlsx ppt pptx odt ods odp csv diff patch md textile vtt webvtt gltf glb".split()
)
LIBRARY_EXTENSIONS = CONTENT_EXTENSIONS | {"js", "css", "svg", "xml"}
# Files at the top level besides h5p.json and the folders (e.g. a readme): ignored, never stored.
IGNORED_TOP_LEVEL_EXTENSIONS = frozenset({"txt", "md"})

# The H5P core API the player implements. The player is the npm package h5p-standalone (pinned in
# package-lock.json, copied into static/h5p/player/ by `make player`). It states no coreApi of its own: it
# bundles H5P core's JavaScript and styles from h5p-php-library (js/h5p.js, the confirmation dialog with the
# `theme` option, h5p-tooltip.js, request-queue.js, styles/h5p.css with the h5p-core-30 icon font and the
# Inter theme font), the release whose H5PCore::$coreApi (h5p.classes.php) is 1.27. A library whose
# library.json asks for a newer coreApi would call functions this player does not have, so H5P core's own
# rule (H5PValidator::isValidH5pData) refuses it. When h5p-standalone is upgraded, look again and change
# both values (content/h5p/tests/test_validation.py compares PLAYER_PACKAGE_VERSION with package-lock.json).
PLAYER_PACKAGE_VERSION = "3.8.2"
PLAYER_CORE_API = (1, 27)

MACHINE_NAME = re.compile(r"^[A-Za-z][\w.-]{0,126}$")
LIBRARY_FOLDER = re.compile(r"^(?P<name>[A-Za-z][\w.-]*)-(?P<major>\d+)\.(?P<minor>\d+)$")
LANGUAGE = re.compile(r"^[A-Za-z]{2,3}([-_][A-Za-z0-9]{2,8})*$")
# A library's translation file, <library>/language/<code>.json (H5P core's pattern, H5PValidator::getLibraryData).
LANGUAGE_FILE = re.compile(r"^(-?[a-z]+){1,7}\.json$", re.IGNORECASE)
EMBED_TYPES = {"div", "iframe"}
# Above this declared ratio (uncompressed / compressed) an entry of more than 1 MiB is treated as a bomb.
MAX_COMPRESSION_RATIO = 200
_RATIO_FLOOR = 1024 * 1024
_CHUNK = 64 * 1024
_JSON_MAX = 16 * 1024 * 1024
_SVG_SCRIPT = re.compile(
    rb"<\s*script|\son[a-z]+\s*=|javascript\s*:|<\s*foreignObject|<\s*iframe|<\s*embed|<\s*object"
    rb"|<!ENTITY|xlink:href\s*=\s*[\"']\s*data:",
    re.IGNORECASE,
)


class PackageError(Exception):
    def __init__(self, messages: list[str]):
        super().__init__("; ".join(messages))
        self.messages = messages


@dataclass(frozen=True)
class LibraryRef:
    machine_name: str
    major: int
    minor: int

    @property
    def folder(self) -> str:
        return f"{self.machine_name}-{self.major}.{self.minor}"

    def __str__(self) -> str:
        return f"{self.machine_name} {self.major}.{self.minor}"


@dataclass
class BundledLibrary:
    ref: LibraryRef
    patch: int
    metadata: dict[str, Any]
    files: list[str] = field(default_factory=list)  # zip names, inside the library folder


@dataclass
class ValidatedPackage:
    h5p_json: dict[str, Any]
    content_json: dict[str, Any]
    main: LibraryRef
    dependencies: list[LibraryRef]  # h5p.json's preloadedDependencies
    libraries: dict[LibraryRef, BundledLibrary]
    content_files: list[str]  # zip names under content/
    total_size: int
    package_size: int


def limits() -> dict[str, int]:
    return {
        "package": settings.H5P_MAX_PACKAGE_BYTES,
        "uncompressed": settings.H5P_MAX_UNCOMPRESSED_BYTES,
        "files": settings.H5P_MAX_FILES,
    }


def _mb(n: int) -> str:
    return f"{n / (1024 * 1024):.0f} MB"


def _extension(name: str) -> str:
    suffix = PurePosixPath(name).suffix
    return suffix[1:].lower() if suffix else ""


def _unsafe_name(info: zipfile.ZipInfo) -> str | None:
    name = info.filename
    if "\x00" in name or "\\" in name:
        return _("nama berkas tidak sah")
    if name.startswith("/") or re.match(r"^[A-Za-z]:", name):
        return _("jalur absolut")
    if any(part == ".." for part in name.split("/")):
        return _("jalur keluar dari paket ('..')")
    if stat.S_ISLNK(info.external_attr >> 16):
        return _("tautan simbolik")
    if info.flag_bits & 0x1:
        return _("berkas terenkripsi")
    return None


def _read_capped(archive: zipfile.ZipFile, info: zipfile.ZipInfo, budget: list[int], keep: bool) -> bytes:
    """Inflate one entry in chunks; the running total may never pass the package's budget, and an entry
    may never give more than its declared size (zipfile also checks the CRC at the end)."""
    out = bytearray()
    seen = 0
    with archive.open(info) as stream:
        while chunk := stream.read(_CHUNK):
            seen += len(chunk)
            budget[0] -= len(chunk)
            if seen > info.file_size or budget[0] < 0:
                raise PackageError(
                    [_("%(name)s: isi lebih besar dari ukuran yang dinyatakan (zip bomb?).") % {"name": info.filename}]
                )
            if keep:
                out.extend(chunk)
    return bytes(out)


def _json(raw: bytes, name: str) -> Any:
    try:
        return json.loads(raw.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError) as error:
        raise PackageError([_("%(name)s bukan JSON yang sah: %(error)s") % {"name": name, "error": error}]) from None


def _dependency_list(value: Any, where: str, errors: list[str]) -> list[LibraryRef]:
    refs: list[LibraryRef] = []
    if value is None:
        return refs
    if not isinstance(value, list):
        errors.append(_("%(where)s harus berupa daftar.") % {"where": where})
        return refs
    for item in value:
        try:
            ref = LibraryRef(str(item["machineName"]), int(item["majorVersion"]), int(item["minorVersion"]))
        except (KeyError, TypeError, ValueError):
            errors.append(
                _("%(where)s: setiap pustaka perlu machineName, majorVersion dan minorVersion.") % {"where": where}
            )
            continue
        if not MACHINE_NAME.match(ref.machine_name):
            errors.append(_("%(where)s: nama pustaka tidak sah: %(name)s") % {"where": where, "name": ref.machine_name})
            continue
        refs.append(ref)
    return refs


def _check_h5p_json(data: Any, errors: list[str]) -> tuple[LibraryRef | None, list[LibraryRef]]:
    if not isinstance(data, dict):
        errors.append(_("h5p.json harus berupa objek JSON."))
        return None, []
    if not isinstance(data.get("title"), str) or not data["title"].strip():
        errors.append(_("h5p.json: judul (title) wajib diisi."))
    if not isinstance(data.get("language"), str) or not LANGUAGE.match(data["language"]):
        errors.append(_("h5p.json: bahasa (language) wajib diisi, misalnya 'id', 'en' atau 'und'."))
    embed = data.get("embedTypes")
    if not isinstance(embed, list) or not embed or not set(embed) <= EMBED_TYPES:
        errors.append(_("h5p.json: embedTypes harus berisi 'div' dan/atau 'iframe'."))
    deps = _dependency_list(data.get("preloadedDependencies"), "h5p.json preloadedDependencies", errors)
    if not data.get("preloadedDependencies"):
        errors.append(_("h5p.json: preloadedDependencies wajib berisi pustaka yang dipakai."))
    main_name = data.get("mainLibrary")
    if not isinstance(main_name, str) or not MACHINE_NAME.match(main_name):
        errors.append(_("h5p.json: mainLibrary wajib berisi nama pustaka utama."))
        return None, deps
    main = next((ref for ref in deps if ref.machine_name == main_name), None)
    if main is None and deps:
        errors.append(
            _("h5p.json: pustaka utama %(name)s tidak tercantum di preloadedDependencies.") % {"name": main_name}
        )
    return main, deps


def _check_library_json(folder: str, data: Any, errors: list[str]) -> BundledLibrary | None:
    where = f"{folder}/library.json"
    if not isinstance(data, dict):
        errors.append(_("%(where)s harus berupa objek JSON.") % {"where": where})
        return None
    missing = [k for k in ("title", "machineName", "majorVersion", "minorVersion", "patchVersion") if k not in data]
    if missing:
        errors.append(
            _("%(where)s: kolom wajib tidak ada: %(fields)s") % {"where": where, "fields": ", ".join(missing)}
        )
        return None
    try:
        ref = LibraryRef(str(data["machineName"]), int(data["majorVersion"]), int(data["minorVersion"]))
        patch = int(data["patchVersion"])
    except (TypeError, ValueError):
        errors.append(_("%(where)s: nomor versi harus bilangan bulat.") % {"where": where})
        return None
    if not MACHINE_NAME.match(ref.machine_name):
        errors.append(_("%(where)s: machineName tidak sah.") % {"where": where})
        return None
    if ref.folder != folder:
        errors.append(
            _("%(where)s menyatakan pustaka %(claimed)s, tetapi foldernya %(folder)s: nama pustaka tidak cocok.")
            % {"where": where, "claimed": ref.folder, "folder": folder}
        )
        return None
    for key in ("preloadedJs", "preloadedCss"):
        value = data.get(key, [])
        if not isinstance(value, list) or not all(
            isinstance(v, dict) and isinstance(v.get("path"), str) for v in value
        ):
            errors.append(_("%(where)s: %(key)s tidak sah.") % {"where": where, "key": key})
            return None
    return BundledLibrary(ref=ref, patch=patch, metadata=data)


def library_dependencies(metadata: dict[str, Any]) -> list[LibraryRef]:
    errors: list[str] = []
    refs = _dependency_list(metadata.get("preloadedDependencies"), "", errors)
    refs += _dependency_list(metadata.get("dynamicDependencies"), "", errors)
    return refs


def _core_api_problem(metadata: dict[str, Any], ref: LibraryRef, where: str) -> str | None:
    """Why the player cannot run this library (its coreApi is newer than PLAYER_CORE_API, or unreadable),
    else None. No coreApi means 1.0, which every player runs (H5P core's rule)."""
    wanted = metadata.get("coreApi")
    if not wanted:
        return None
    try:
        if not isinstance(wanted, dict):
            raise TypeError
        required = (int(wanted.get("majorVersion", 1)), int(wanted.get("minorVersion", 0)))
    except (TypeError, ValueError):
        return _("%(where)s: coreApi harus berisi majorVersion dan minorVersion berupa bilangan bulat.") % {
            "where": where
        }
    if required <= PLAYER_CORE_API:
        return None
    return _(
        "%(where)s: pustaka %(lib)s membutuhkan H5P core API %(required)s, tetapi pemutar H5P platform ini "
        "hanya mendukung sampai %(supported)s. Pakai versi pustaka yang lebih lama, atau minta admin "
        "memperbarui pemutar."
    ) % {
        "where": where,
        "lib": ref,
        "required": "{}.{}".format(*required),
        "supported": "{}.{}".format(*PLAYER_CORE_API),
    }


def _language_file(name: str) -> bool:
    """<library>/language/<file>: H5P core reads every file directly in a library's language folder."""
    parts = name.split("/")
    return len(parts) == 3 and parts[1] == "language"


def validate_package(upload: IO[bytes], *, installed: dict[LibraryRef, dict[str, Any]]) -> ValidatedPackage:
    """Check the package read from ``upload``. ``installed`` maps the libraries already installed to their
    library.json, so a package may rely on them. Raises PackageError with every problem found."""
    limit = limits()
    upload.seek(0, 2)
    package_size = upload.tell()
    upload.seek(0)
    if package_size > limit["package"]:
        raise PackageError(
            [
                _("Paket terlalu besar (%(size)s); batasnya %(max)s.")
                % {"size": _mb(package_size), "max": _mb(limit["package"])}
            ]
        )
    try:
        archive = zipfile.ZipFile(upload)
        infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        raise PackageError(
            [_("Berkas bukan arsip zip .h5p yang dapat dibaca. Ekspor ulang paket dari editor H5P.")]
        ) from None

    errors: list[str] = []
    files = [info for info in infos if not info.is_dir()]
    if len(files) > limit["files"]:
        raise PackageError(
            [_("Paket berisi %(n)s berkas; batasnya %(max)s.") % {"n": len(files), "max": limit["files"]}]
        )
    total = sum(info.file_size for info in files)
    if total > limit["uncompressed"]:
        raise PackageError(
            [
                _("Isi paket setelah diekstrak %(size)s; batasnya %(max)s (zip bomb?).")
                % {"size": _mb(total), "max": _mb(limit["uncompressed"])}
            ]
        )
    seen: set[str] = set()
    for info in infos:
        problem = _unsafe_name(info)
        if problem:
            errors.append(_("%(name)s: %(problem)s tidak diizinkan.") % {"name": info.filename, "problem": problem})
        folded = info.filename.rstrip("/").casefold()
        if folded in seen:
            errors.append(_("%(name)s: nama berkas ganda di dalam paket.") % {"name": info.filename})
        seen.add(folded)
        if (
            not info.is_dir()
            and info.file_size > _RATIO_FLOOR
            and info.file_size > MAX_COMPRESSION_RATIO * max(info.compress_size, 1)
        ):
            errors.append(
                _("%(name)s: rasio kompresi %(ratio)s:1 terlalu tinggi (zip bomb?).")
                % {"name": info.filename, "ratio": info.file_size // max(info.compress_size, 1)}
            )
    if errors:
        raise PackageError(errors)

    # Sort the files: h5p.json, content/, library folders, ignorable top-level files.
    content_files: list[str] = []
    library_files: dict[str, list[zipfile.ZipInfo]] = {}
    wanted: dict[str, zipfile.ZipInfo] = {}
    for info in files:
        parts = info.filename.split("/")
        name = parts[-1]
        ext = _extension(name)
        if any(part.startswith(".") for part in parts) or parts[0] == "__MACOSX":
            continue  # editor and OS leftovers (.DS_Store, .git...): skipped, never stored
        if len(parts) == 1:
            if name == "h5p.json":
                wanted["h5p.json"] = info
            elif ext not in IGNORED_TOP_LEVEL_EXTENSIONS:
                errors.append(_("%(name)s: berkas di luar folder konten dan pustaka tidak diizinkan.") % {"name": name})
            continue
        if parts[0] == "content":
            if ext not in CONTENT_EXTENSIONS:
                errors.append(
                    _("%(name)s: jenis berkas .%(ext)s tidak diizinkan di folder content.")
                    % {"name": info.filename, "ext": ext or "?"}
                )
            content_files.append(info.filename)
            if info.filename == "content/content.json":
                wanted["content.json"] = info
            continue
        if not LIBRARY_FOLDER.match(parts[0]):
            errors.append(
                _("%(name)s: folder %(folder)s bukan folder pustaka H5P (Nama-mayor.minor).")
                % {"name": info.filename, "folder": parts[0]}
            )
            continue
        if ext not in LIBRARY_EXTENSIONS:
            errors.append(
                _("%(name)s: jenis berkas .%(ext)s tidak diizinkan dalam pustaka H5P.")
                % {"name": info.filename, "ext": ext or "?"}
            )
        library_files.setdefault(parts[0], []).append(info)
    if "h5p.json" not in wanted:
        errors.append(_("h5p.json tidak ada di akar paket. Ini bukan paket H5P; ekspor ulang dari editor H5P."))
    if "content.json" not in wanted:
        errors.append(_("content/content.json tidak ada di dalam paket."))
    if errors:
        raise PackageError(errors)

    # Inflate everything once, under the hard cap: checks every CRC and looks inside the files that matter.
    budget = [limit["uncompressed"]]
    texts: dict[str, bytes] = {}
    try:
        for info in files:
            keep = (
                info.filename.endswith(("/library.json", ".svg"))
                or info.filename in ("h5p.json", "content/content.json")
                or _language_file(info.filename)
            )
            if keep and info.file_size > _JSON_MAX:
                errors.append(_("%(name)s terlalu besar.") % {"name": info.filename})
                continue
            data = _read_capped(archive, info, budget, keep)
            if keep:
                texts[info.filename] = data
    except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError, RuntimeError) as error:
        raise PackageError(
            [_("Arsip rusak, tidak dapat diekstrak (%(error)s). Ekspor ulang paket.") % {"error": error}]
        ) from None
    for name, data in texts.items():
        if name.endswith(".svg") and _SVG_SCRIPT.search(data):
            errors.append(_("%(name)s: SVG berisi skrip atau konten aktif, tidak diizinkan.") % {"name": name})

    h5p_json = _json(texts["h5p.json"], "h5p.json")
    main, dependencies = _check_h5p_json(h5p_json, errors)
    content_json = _json(texts["content/content.json"], "content/content.json")
    if not isinstance(content_json, dict):
        errors.append(_("content/content.json harus berupa objek JSON."))

    bundled: dict[LibraryRef, BundledLibrary] = {}
    for folder, infos_in in sorted(library_files.items()):
        raw = texts.get(f"{folder}/library.json")
        if raw is None:
            errors.append(_("%(folder)s: library.json tidak ada.") % {"folder": folder})
            continue
        library = _check_library_json(folder, _json(raw, f"{folder}/library.json"), errors)
        if library is None:
            continue
        library.files = [info.filename for info in infos_in]
        names = {f.split("/", 1)[1] for f in library.files}
        for key in ("preloadedJs", "preloadedCss"):
            for item in library.metadata.get(key, []):
                if item["path"] not in names:
                    errors.append(
                        _("%(folder)s/library.json menyebut %(path)s, tetapi berkas itu tidak ada.")
                        % {"folder": folder, "path": item["path"]}
                    )
        for name in library.files:
            if not _language_file(name):
                continue
            if not LANGUAGE_FILE.match(name.rsplit("/", 1)[1]):
                errors.append(
                    _("%(name)s: nama berkas bahasa tidak sah; pakai kode bahasa, misalnya en.json atau pt-br.json.")
                    % {"name": name}
                )
            elif name in texts:
                try:
                    json.loads(texts[name].decode("utf-8-sig"))
                except (UnicodeDecodeError, ValueError) as error:
                    errors.append(
                        _(
                            "%(name)s: berkas bahasa pustaka %(lib)s bukan JSON yang sah (%(error)s). Perbaiki "
                            "berkas itu di pustaka, lalu ekspor ulang paket."
                        )
                        % {"name": name, "lib": library.ref, "error": error}
                    )
        problem = _core_api_problem(library.metadata, library.ref, f"{folder}/library.json")
        if problem:
            errors.append(problem)
        bundled[library.ref] = library

    if main is not None:
        available = set(bundled) | set(installed)
        missing: list[LibraryRef] = []
        todo = [*dependencies]
        for library in bundled.values():
            todo += library_dependencies(library.metadata)
        checked: set[LibraryRef] = set()
        while todo:
            ref = todo.pop()
            if ref in checked:
                continue
            checked.add(ref)
            if ref not in available:
                missing.append(ref)
                continue
            if ref not in bundled:
                todo += library_dependencies(installed[ref])
                where = _("%(folder)s/library.json (pustaka yang sudah terpasang)") % {"folder": ref.folder}
                problem = _core_api_problem(installed[ref], ref, where)
                if problem:
                    errors.append(problem)
        if main not in available:
            errors.append(_("Pustaka utama %(lib)s tidak ada di paket dan belum terpasang.") % {"lib": main})
        others = sorted({m for m in missing if m != main}, key=str)
        if others:
            errors.append(
                _(
                    "Paket ini tidak membawa pustaka yang dibutuhkannya, dan pustaka itu belum terpasang: %(libs)s. "
                    "Ekspor ulang paket dari editor H5P bersama pustakanya (unduhan .h5p yang lengkap)."
                )
                % {"libs": ", ".join(str(ref) for ref in others)}
            )
    if errors:
        raise PackageError(errors)
    return ValidatedPackage(
        h5p_json=h5p_json,
        content_json=content_json,
        main=main,
        dependencies=dependencies,
        libraries=bundled,
        content_files=content_files,
        total_size=total,
        package_size=package_size,
    )
