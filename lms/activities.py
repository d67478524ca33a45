"""Activity IRIs of our own content, and the way back from an IRI to a page id."""

from __future__ import annotations

import re

from django.conf import settings

from .xapi.constants import ACTIVITY_TYPE_ASSESSMENT, ACTIVITY_TYPE_COURSE, ACTIVITY_TYPE_LESSON, ACTIVITY_TYPE_VIDEO


def course_iri(course_id: int) -> str:
    return f"{settings.XAPI_ACTIVITY_ROOT}/course/{course_id}"


def lesson_iri(lesson_id: int) -> str:
    return f"{settings.XAPI_ACTIVITY_ROOT}/lesson/{lesson_id}"


def quiz_iri(lesson_id: int) -> str:
    return f"{settings.XAPI_ACTIVITY_ROOT}/lesson/{lesson_id}/quiz"


def h5p_iri(lesson_id: int, content_id: int) -> str:
    """An H5P item as placed in a lesson; its nested items add ``?subContentId=<id>`` (as H5P does)."""
    return f"{settings.XAPI_ACTIVITY_ROOT}/lesson/{lesson_id}/h5p/{content_id}"


def parse_h5p(iri: str) -> tuple[int, int, str | None] | None:
    """(lesson id, content id, subContentId or None) for one of our H5P item IRIs, else None."""
    root = re.escape(settings.XAPI_ACTIVITY_ROOT)
    m = re.fullmatch(rf"{root}/lesson/(\d+)/h5p/(\d+)(?:\?subContentId=([0-9A-Za-z-]{{1,64}}))?", iri or "")
    if not m:
        return None
    return int(m.group(1)), int(m.group(2)), m.group(3)


def video_iri(lesson_id: int, block_id: str) -> str:
    """A video as placed in a lesson: the StreamField block's id names it (it stays when the lesson is edited)."""
    return f"{settings.XAPI_ACTIVITY_ROOT}/lesson/{lesson_id}/video/{block_id}"


def parse_video(iri: str) -> tuple[int, str] | None:
    """(lesson id, block id) for one of our video IRIs, else None."""
    root = re.escape(settings.XAPI_ACTIVITY_ROOT)
    m = re.fullmatch(rf"{root}/lesson/(\d+)/video/([0-9A-Za-z-]{{1,64}})", iri or "")
    return (int(m.group(1)), m.group(2)) if m else None


def parse(iri: str) -> tuple[str, int] | None:
    """('course'|'lesson'|'quiz', page id) for one of our IRIs, else None."""
    root = re.escape(settings.XAPI_ACTIVITY_ROOT)
    m = re.fullmatch(rf"{root}/(course|lesson)/(\d+)(/quiz)?", iri or "")
    if not m:
        return None
    kind = "quiz" if m.group(3) else m.group(1)
    if kind == "course" and m.group(3):
        return None
    return kind, int(m.group(2))


def parse_credited(iri: str) -> tuple[str, int] | None:
    """('course'|'classroom'|'claim', id) for an activity whose completion the ledger credits, else None."""
    root = re.escape(settings.XAPI_ACTIVITY_ROOT)
    m = re.fullmatch(rf"{root}/(course|classroom|claim)/(\d+)", iri or "")
    return (m.group(1), int(m.group(2))) if m else None


def activity(iri: str, *, name: str, kind: str) -> dict:
    types = {
        "course": ACTIVITY_TYPE_COURSE,
        "lesson": ACTIVITY_TYPE_LESSON,
        "quiz": ACTIVITY_TYPE_ASSESSMENT,
        "video": ACTIVITY_TYPE_VIDEO,
    }
    return {
        "objectType": "Activity",
        "id": iri,
        "definition": {"type": types[kind], "name": {"id-ID": name}},
    }
