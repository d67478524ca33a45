"""The H5P packages the platform ships (NOTICE.md says where each comes from and under which licence).

Their libraries are installed on every new installation (``manage.py h5p_install_libraries``), so that a
trainer can upload content of these types without an admin; the demo's H5P course plays them; the tests
use them. ``build.py`` makes the ones written here, in Indonesian (kuis-pelayanan-publik.h5p, benar-salah.h5p,
seret-kata.h5p): the demo plays those; the two published ones stay as their origin made them.
"""

from pathlib import Path

FOLDER = Path(__file__).resolve().parent
TRUE_FALSE = FOLDER / "h5p-standalone__h5p-test.h5p"  # H5P.TrueFalse 1.6 (MIT, as published)
DRAG_TEXT = FOLDER / "h5pxblock__drag-the-words-1399.h5p"  # H5P.DragText 1.10 (MIT, as published)
COLUMN = FOLDER / "kuis-pelayanan-publik.h5p"  # H5P.Column 1.13 with six types: our content, MIT libraries
TRUE_FALSE_ID = FOLDER / "benar-salah.h5p"  # H5P.TrueFalse 1.6: our question, MIT libraries
DRAG_TEXT_ID = FOLDER / "seret-kata.h5p"  # H5P.DragText 1.10: our text, MIT libraries
PACKAGES = (TRUE_FALSE, DRAG_TEXT, COLUMN, TRUE_FALSE_ID, DRAG_TEXT_ID)
