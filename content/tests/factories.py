"""Courses are built as published Wagtail pages under the real catalogue."""

from decimal import Decimal
from pathlib import Path

from django.core.files.base import ContentFile
from wagtail.rich_text import RichText
from wagtailmedia import get_media_model

from content.models import CoursePage, LessonPage
from content.services import catalog_setup, collection_root
from content.video import file_duration

# The demo's self-hosted video (12 s WebM; its licence: fixtures/media/README.md).
DEMO_VIDEO = Path(__file__).resolve().parents[2] / "fixtures" / "media" / "video-contoh.webm"


def make_video_media(title: str = "Video uji"):
    """An uploaded video in the media library, its duration read from the file (as the CMS's upload form does)."""
    with DEMO_VIDEO.open("rb") as handle:
        media = get_media_model()(
            title=title, type="video", duration=file_duration(handle), collection=collection_root()
        )
        media.file.save("video-uji.webm", ContentFile(handle.read()), save=False)
    media.save()
    return media


QUIZ = {
    "title": "Kuis",
    "pass_mark": 70,
    "questions": [
        {"prompt": "1 + 1?", "choices": [{"text": "2", "correct": True}, {"text": "3", "correct": False}]},
        {
            "prompt": "Ibu kota?",
            "choices": [{"text": "Jakarta", "correct": True}, {"text": "Bandung", "correct": False}],
        },
        {
            "prompt": "Pilih dua",
            "choices": [
                {"text": "A", "correct": True},
                {"text": "B", "correct": True},
                {"text": "C", "correct": False},
            ],
        },
    ],
}


def make_course(
    *,
    title="Kursus Uji",
    jp="4",
    lessons=("text", "quiz"),
    category="teknis",
    delivery_mode="online",
    optional=(),
    publish=True,
) -> CoursePage:
    """A course with one lesson per entry of ``lessons``: 'text', 'video' (an optional YouTube embed: "mark done"
    completes it), 'watch' (an uploaded video the learner must watch), 'quiz', 'watch+quiz'."""
    catalog = catalog_setup()
    from django.utils.text import slugify

    course = catalog.add_child(
        instance=CoursePage(
            title=title,
            slug=slugify(title) + f"-{CoursePage.objects.count()}",
            summary=f"Ringkasan {title}",
            category=category,
            delivery_mode=delivery_mode,
            jp=Decimal(jp),
            live=publish,
        )
    )
    for i, kind in enumerate(lessons):
        if kind == "video":
            body = [
                ("video", {"url": "https://www.youtube.com/watch?v=abcdefghijk", "caption": "Video", "required": False})
            ]
        elif kind in ("watch", "watch+quiz"):
            body = [("video", {"media": make_video_media(), "caption": "Video wajib", "required": True})]
            body += [("quiz", QUIZ)] if kind == "watch+quiz" else []
        else:
            body = {"text": [("text", RichText(f"<p>Materi {i}</p>"))], "quiz": [("quiz", QUIZ)]}[kind]
        course.add_child(
            instance=LessonPage(
                title=f"Pelajaran {i + 1}",
                slug=f"pelajaran-{i + 1}",
                body=body,
                required=i not in optional,
            )
        )
    return course


RIGHT_ANSWERS = {0: {0}, 1: {0}, 2: {0, 1}}
WRONG_ANSWERS = {0: {1}, 1: {1}, 2: {2}}


def draft_course(*, catalog, trainer, h5p=None):
    """A course and one lesson holding every kind of block (text, video, quiz, and H5P when given), drafted
    by the trainer and never published: what a reviewer gets to approve."""
    from wagtail.rich_text import RichText

    course = catalog.add_child(
        instance=CoursePage(
            title="Naskah Dinas",
            slug="naskah-dinas",
            summary="Ringkas.",
            category="teknis",
            jp=Decimal("2"),
            live=False,
            owner=trainer,
        )
    )
    course.save_revision(user=trainer)
    body = [
        ("text", RichText("<p>Materi surat dinas</p>")),
        ("video", {"url": "https://www.youtube.com/watch?v=abcdefghijk", "caption": "Video surat"}),
        ("quiz", QUIZ),
    ]
    if h5p is not None:
        body.append(("h5p", {"content": h5p, "required": True, "pass_mark": 50}))
    lesson = course.add_child(
        instance=LessonPage(title="Surat Dinas", slug="surat-dinas", live=False, owner=trainer, body=body)
    )
    lesson.save_revision(user=trainer)
    return course, lesson
