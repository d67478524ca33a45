"""Demo data: a short interactive course built from the shared H5P samples, when they are present."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from django.conf import settings

DEMO_COURSE = "Latihan Interaktif H5P"
DEMO_SAMPLES = ("h5p-standalone__h5p-test.h5p", "h5pxblock__drag-the-words-1399.h5p")


def h5p_demo_load() -> str | None:
    """Idempotent: the course is created once; nothing happens when the samples are not on this machine."""
    from content.models import CoursePage, LessonPage
    from content.services import catalog_setup

    from .services import h5p_content_import

    folder = Path(settings.BASE_DIR).parent / "shared" / "samples" / "h5p"
    paths = [folder / name for name in DEMO_SAMPLES if (folder / name).exists()]
    if not paths or CoursePage.objects.filter(title=DEMO_COURSE).exists():
        return None

    class _Loader:  # demo data is loaded by whoever runs manage.py: may install libraries
        pk = None

        def has_perm(self, perm: str) -> bool:
            return True

    catalog = catalog_setup()
    course = catalog.add_child(
        instance=CoursePage(
            title=DEMO_COURSE,
            slug="latihan-interaktif-h5p",
            summary="Dua latihan interaktif H5P: benar/salah dan seret kata. Nilai Anda tercatat otomatis.",
            category="teknis",
            jp=Decimal("1"),
        )
    )
    for index, path in enumerate(paths, start=1):
        with path.open("rb") as upload:
            content = h5p_content_import(upload=upload, user=_Loader())
        course.add_child(
            instance=LessonPage(
                title=f"Latihan {index}: {content.title}",
                slug=f"latihan-{index}",
                body=[("h5p", {"content": content, "required": True, "pass_mark": 0})],
            )
        )
    return f"H5P demo: course '{DEMO_COURSE}' with {len(paths)} interactive lessons."
