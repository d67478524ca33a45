"""Where a lesson's video comes from: an embedded player from a host the admin allows (VIDEO_EMBED_HOSTS), or
a file uploaded in the CMS (wagtailmedia), whose duration the server reads from the file itself.

No network call: a YouTube or Vimeo link becomes its player's address by its shape alone."""

from __future__ import annotations

import re
import struct
from dataclasses import dataclass
from typing import BinaryIO
from urllib.parse import urlsplit

from django.conf import settings

_YOUTUBE = re.compile(
    r"^https?://(?:www\.|m\.)?(?:youtube\.com/(?:watch\?(?:.*&)?v=|embed/|shorts/|live/)|youtu\.be/"
    r"|youtube-nocookie\.com/embed/)([A-Za-z0-9_-]{6,20})"
)
_VIMEO = re.compile(r"^https?://(?:www\.|player\.)?vimeo\.com/(?:video/)?(\d{3,12})(?:[/?#]|$)")
_CLOCK = re.compile(r"^(?:(\d{1,2}):)?(\d{1,3}):([0-5]\d)$")

YOUTUBE_HOSTS = ("www.youtube-nocookie.com", "www.youtube.com")
VIMEO_HOST = "player.vimeo.com"


@dataclass(frozen=True)
class Embed:
    """An embedded player: ``provider`` is "youtube", "vimeo" (players whose scripts report progress) or
    "other" (a page of an allowed host, shown as it is and not tracked)."""

    provider: str
    src: str
    host: str

    @property
    def trackable(self) -> bool:
        return self.provider in ("youtube", "vimeo")


def embed_hosts() -> list[str]:
    return list(settings.VIDEO_EMBED_HOSTS)


def embed_for(url: str) -> Embed | None:
    """The player for a link, from an allowed host; None when the link is not a player the admin allows."""
    url = (url or "").strip()
    hosts = embed_hosts()
    if m := _YOUTUBE.match(url):
        host = next((h for h in YOUTUBE_HOSTS if h in hosts), None)
        if host is None:
            return None
        return Embed("youtube", f"https://{host}/embed/{m.group(1)}?enablejsapi=1&rel=0&playsinline=1", host)
    if m := _VIMEO.match(url):
        if VIMEO_HOST not in hosts:
            return None
        return Embed("vimeo", f"https://{VIMEO_HOST}/video/{m.group(1)}?dnt=1&playsinline=1", VIMEO_HOST)
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    if parts.scheme == "https" and host and host in hosts and host not in YOUTUBE_HOSTS + (VIMEO_HOST,):
        return Embed("other", url, host)
    return None


# Where a provider's player script comes from (their players report playback through it).
PLAYER_SCRIPTS = {"youtube": "https://www.youtube.com", "vimeo": "https://player.vimeo.com"}


def player_scripts(embeds) -> list[str]:
    """The script origins a page needs for these embedded players (none for untracked ones)."""
    return sorted({PLAYER_SCRIPTS[e.provider] for e in embeds if e is not None and e.provider in PLAYER_SCRIPTS})


def provider_of(url: str) -> str | None:
    """'youtube' or 'vimeo' for such a link whatever the admin allows, else None (to say why a link is refused)."""
    if _YOUTUBE.match((url or "").strip()):
        return "youtube"
    if _VIMEO.match((url or "").strip()):
        return "vimeo"
    return None


def clock_seconds(text: str) -> int | None:
    """'5:30' -> 330, '1:02:03' -> 3723, '90' -> 90; None when it is not a duration."""
    text = (text or "").strip()
    if text.isdigit():
        return int(text)
    m = _CLOCK.match(text)
    if not m or (m.group(1) and int(m.group(2)) > 59):
        return None
    hours, minutes, seconds = (int(g) if g else 0 for g in m.groups())
    return hours * 3600 + minutes * 60 + seconds


# --- The duration of an uploaded file -------------------------------------------------------------------
# Read from the container's own header: MP4's movie header (mvhd), WebM/Matroska's segment info.

_READ_LIMIT = 4 * 1024 * 1024  # bytes of a WebM read while looking for its segment info


def file_duration(file: BinaryIO) -> float | None:
    """The duration in seconds of an MP4 or WebM/Matroska file (a binary file object that can seek), or None.
    The file is left at its start."""
    file.seek(0)
    try:
        head = file.read(12)
        file.seek(0)
        if head[:4] == b"\x1a\x45\xdf\xa3":
            return _webm_duration(file)
        if head[4:8] in (b"ftyp", b"moov", b"mdat", b"free", b"wide", b"skip"):
            return _mp4_duration(file)
        return None
    finally:
        file.seek(0)


def _mp4_boxes(file: BinaryIO, start: int, end: int | None):
    offset = start
    while end is None or offset + 8 <= end:
        file.seek(offset)
        header = file.read(8)
        if len(header) < 8:
            return
        size, kind = struct.unpack(">I4s", header)
        body = offset + 8
        if size == 1:
            large = file.read(8)
            if len(large) < 8:
                return
            size = struct.unpack(">Q", large)[0]
            body = offset + 16
        elif size == 0:
            yield kind, body, end
            return
        if size < body - offset:
            return
        yield kind, body, offset + size
        offset += size


def _mp4_duration(file: BinaryIO) -> float | None:
    for kind, body, end in _mp4_boxes(file, 0, None):
        if kind != b"moov":
            continue
        for child, child_body, _child_end in _mp4_boxes(file, body, end):
            if child != b"mvhd":
                continue
            file.seek(child_body)
            version = file.read(4)[:1]
            if version == b"\x01":
                data = file.read(28)
                if len(data) < 28:
                    return None
                timescale, duration = struct.unpack(">IQ", data[16:28])
            else:
                data = file.read(16)
                if len(data) < 16:
                    return None
                timescale, duration = struct.unpack(">II", data[8:16])
            return duration / timescale if timescale and duration else None
        return None
    return None


def _vint(data: bytes, pos: int, *, keep_marker: bool) -> tuple[int, int] | None:
    """An EBML variable-length integer at ``pos``: (value, length); None past the end."""
    if pos >= len(data):
        return None
    first = data[pos]
    length = 1
    while length <= 8 and not first & (0x80 >> (length - 1)):
        length += 1
    if length > 8 or pos + length > len(data):
        return None
    value = first if keep_marker else first & (0xFF >> length)
    for byte in data[pos + 1 : pos + length]:
        value = (value << 8) | byte
    return value, length


_SEGMENT, _INFO, _CLUSTER = 0x18538067, 0x1549A966, 0x1F43B675
_TIMECODE_SCALE, _DURATION = 0x2AD7B1, 0x4489


def _webm_duration(file: BinaryIO) -> float | None:
    data = file.read(_READ_LIMIT)
    pos, end = 0, len(data)
    scale, duration = 1_000_000, None
    while pos < end:
        element = _vint(data, pos, keep_marker=True)
        size = _vint(data, pos + element[1], keep_marker=False) if element else None
        if element is None or size is None:
            return None
        (element_id, id_length), (length, size_length) = element, size
        body = pos + id_length + size_length
        unknown = length == (1 << (7 * size_length)) - 1
        if element_id in (_SEGMENT, _INFO):
            if element_id == _INFO:
                end = min(end, body + length)
            pos = body  # look inside
            continue
        if element_id == _CLUSTER or unknown:
            break
        value = data[body : body + length]
        if element_id == _TIMECODE_SCALE:
            scale = int.from_bytes(value, "big") or scale
        elif element_id == _DURATION and length in (4, 8):
            duration = struct.unpack(">f" if length == 4 else ">d", value)[0]
        pos = body + length
    if duration is None or duration <= 0:
        return None
    return duration * scale / 1e9
