"""Demo data: a short interactive course built from the H5P packages the platform ships (content/h5p/samples/)."""

from __future__ import annotations

from decimal import Decimal

from content.models import CoursePage, LessonPage
from content.services import catalog_setup

from .samples import COLUMN, DRAG_TEXT_ID, TRUE_FALSE_ID
from .services import PLATFORM, h5p_content_import, h5p_shipped_libraries_install

DEMO_COURSE = "Latihan Interaktif H5P"
# Our own packages, in Indonesian (content/h5p/samples/build.py); each titled in its h5p.json.
DEMO_PACKAGES = (COLUMN, TRUE_FALSE_ID, DRAG_TEXT_ID)
# A lesson completes when the learner scores at least this share: a wrong true/false answer (0 of 1) does not.
DEMO_PASS_MARK = 60


def h5p_demo_load() -> str | None:
    """Idempotent: the shipped libraries are installed (as on any new installation) and the course is created
    once, from files in the repository."""
    h5p_shipped_libraries_install()
    if CoursePage.objects.filter(title=DEMO_COURSE).exists():
        return None
    catalog = catalog_setup()
    course = catalog.add_child(
        instance=CoursePage(
            title=DEMO_COURSE,
            slug="latihan-interaktif-h5p",
            summary="Tiga latihan interaktif H5P: kuis pelayanan publik, benar/salah, dan seret kata. Nilai Anda "
            "tercatat otomatis.",
            category="teknis",
            jp=Decimal("1"),
        )
    )
    for index, path in enumerate(DEMO_PACKAGES, start=1):
        with path.open("rb") as upload:
            content = h5p_content_import(upload=upload, user=PLATFORM)
        course.add_child(
            instance=LessonPage(
                title=f"Latihan {index}: {content.title}",
                slug=f"latihan-{index}",
                body=[("h5p", {"content": content, "required": True, "pass_mark": DEMO_PASS_MARK})],
            )
        )
    return f"H5P demo: course '{DEMO_COURSE}' with {len(DEMO_PACKAGES)} interactive lessons."
