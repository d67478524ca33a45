"""The xAPI video profile's played segments ("0[.]5.2[,]7[.]9"): parsed, merged and measured."""

from __future__ import annotations

import math
import re
from typing import Any

from lms.xapi.constants import EXT_VIDEO_PLAYED_SEGMENTS

_SEGMENT = re.compile(r"^\s*(\d+(?:\.\d+)?)\[\.\](\d+(?:\.\d+)?)\s*$")
_MAX_SEGMENTS = 2000


class VideoReportRefused(Exception):
    """status 403: the learner may not report on this video (or the watch session is unknown); 400: the
    report itself is refused."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status
        self.message = message


def segments_parse(text: Any, *, duration: float) -> list[tuple[float, float]]:
    """The profile's ``played-segments`` ("0[.]5.2[,]7[.]9"), each within the video; else 400."""
    if not isinstance(text, str):
        raise VideoReportRefused(400, f"{EXT_VIDEO_PLAYED_SEGMENTS}: not a string.")
    parts = [p for p in text.split("[,]") if p.strip()]
    if len(parts) > _MAX_SEGMENTS:
        raise VideoReportRefused(400, f"{EXT_VIDEO_PLAYED_SEGMENTS}: more than {_MAX_SEGMENTS} segments.")
    limit = duration + max(1.0, duration * 0.01)
    segments = []
    for part in parts:
        m = _SEGMENT.match(part)
        if not m:
            raise VideoReportRefused(400, f"{EXT_VIDEO_PLAYED_SEGMENTS}: {part[:40]!r} is not start[.]end.")
        start, end = float(m.group(1)), float(m.group(2))
        if not (math.isfinite(start) and math.isfinite(end)) or end < start or end > limit:
            raise VideoReportRefused(
                400, f"{EXT_VIDEO_PLAYED_SEGMENTS}: {part[:40]!r} is outside the video's 0..{duration:g} s."
            )
        # Within the video as the platform knows it: a segment past its end (the player's rounding) is empty.
        start, end = min(start, duration), min(end, duration)
        if end > start:
            segments.append((start, end))
    return segments


def segments_merge(*groups: list) -> list[list[float]]:
    """The union of segments, sorted and disjoint."""
    merged: list[list[float]] = []
    for start, end in sorted((float(s), float(e)) for group in groups for s, e in group):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return merged


def segments_length(segments: list) -> float:
    return sum(end - start for start, end in segments)


def segments_text(segments: list) -> str:
    return "[,]".join(f"{start:.3f}[.]{end:.3f}" for start, end in segments)
