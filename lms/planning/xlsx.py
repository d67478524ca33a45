"""The dictionary and the position standards as one XLSX workbook (what BKPSDM keeps in spreadsheets today),
and the assessment centre's results. An import reads every row first and writes nothing unless every row is
right: the errors name the sheet, the row and the column, so HR can fix the file and send it again."""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass

from django.utils.translation import gettext as _

from shell.spreadsheets import FORMULA_PREFIXES, formula_safe

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 20_000
# A workbook of 20,000 rows inflates to a few MB; a zip bomb inflates to gigabytes.
MAX_UNCOMPRESSED = 100 * 1024 * 1024

SHEET_COMPETENCIES = "Kompetensi"
SHEET_INDICATORS = "Indikator"
SHEET_POSITIONS = "Jabatan"
SHEET_STANDARDS = "Standar"
SHEET_RESULTS = "Hasil"

HEADERS = {
    SHEET_COMPETENCIES: ("Kode", "Nama", "Jenis", "Definisi"),
    SHEET_INDICATORS: ("Kode kompetensi", "Level", "Indikator perilaku"),
    SHEET_POSITIONS: ("Kode", "Nama jabatan", "Jenis jabatan"),
    SHEET_STANDARDS: ("Kode jabatan", "Kode kompetensi", "Level"),
    SHEET_RESULTS: ("NIP", "Tahun", "Kode kompetensi", "Level"),
}


class XlsxError(Exception):
    """The file cannot be imported; ``errors`` lists every problem found, each naming where it is."""

    def __init__(self, errors: list[str]):
        self.errors = errors
        super().__init__("; ".join(errors[:5]))


@dataclass(frozen=True)
class Row:
    sheet: str
    number: int  # the row number Excel shows
    values: tuple

    def where(self, column: str) -> str:
        return _("Lembar %(sheet)s baris %(row)d kolom %(column)s") % {
            "sheet": self.sheet,
            "row": self.number,
            "column": column,
        }


def read_workbook(upload, sheets: tuple[str, ...], required: tuple[str, ...] = ()) -> dict[str, list[Row]]:
    """The data rows of the named sheets (header row checked, blank rows skipped). Refuses what is not an
    XLSX, is too big, or holds too many rows; formulas count as their cached values, never evaluated."""
    import openpyxl

    if upload.size > MAX_BYTES:
        raise XlsxError([_("Berkas terlalu besar (maksimal 5 MB).")])
    data = upload.read()
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise XlsxError([_("Berkas bukan XLSX. Simpan dari Excel sebagai “Buku Kerja Excel (.xlsx)”.")])
    try:
        # The uncompressed size, before openpyxl inflates anything (a zip bomb is refused here).
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            if sum(info.file_size for info in archive.infolist()) > MAX_UNCOMPRESSED:
                raise XlsxError([_("Isi berkas terlalu besar untuk diimpor.")])
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except XlsxError:
        raise
    except Exception:  # openpyxl raises many kinds for a damaged or crafted file
        raise XlsxError([_("Berkas XLSX tidak bisa dibaca. Buka dan simpan ulang di Excel, lalu coba lagi.")]) from None
    out: dict[str, list[Row]] = {}
    errors: list[str] = []
    try:
        for name in sheets:
            if name not in book.sheetnames:
                if name in required:
                    errors.append(_("Lembar “%(sheet)s” tidak ada.") % {"sheet": name})
                continue
            rows = book[name].iter_rows(values_only=True)
            header = tuple(str(v).strip() if v is not None else "" for v in next(rows, ()))
            expected = HEADERS[name]
            if header[: len(expected)] != expected:
                errors.append(
                    _("Lembar %(sheet)s baris 1: judul kolom harus %(expected)s.")
                    % {"sheet": name, "expected": ", ".join(expected)}
                )
                continue
            found = []
            for number, values in enumerate(rows, start=2):
                values = tuple(values[: len(expected)]) + (None,) * (len(expected) - len(values or ()))
                if all(v is None or str(v).strip() == "" for v in values):
                    continue
                if len(found) >= MAX_ROWS:
                    errors.append(_("Lembar %(sheet)s: lebih dari %(n)d baris.") % {"sheet": name, "n": MAX_ROWS})
                    break
                found.append(Row(name, number, values))
            out[name] = found
    finally:
        book.close()
    if errors:
        raise XlsxError(errors)
    return out


def text(value) -> str:
    """A cell as text. The quote our export puts before a formula-looking text (shell.spreadsheets) is
    taken off again, so an exported workbook imports unchanged."""
    out = "" if value is None else str(value).strip()
    if out.startswith("'") and out[1:].startswith(FORMULA_PREFIXES):
        out = out[1:]
    return out


def level(value) -> int | None:
    """A level 1-5 written as a number (5, 5.0, "5"); None otherwise."""
    try:
        number = float(text(value))
    except ValueError:
        return None
    return int(number) if number.is_integer() and 1 <= number <= 5 else None


def write_workbook(sheets: dict[str, list[tuple]]) -> bytes:
    """Every text cell written as text, through the platform's one formula guard: a value starting with
    "=" is quoted (shell.spreadsheets.formula_safe) and stored as a string, never a formula."""
    import openpyxl
    from openpyxl.styles import Font

    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        sheet.append(HEADERS[name])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in rows:
            sheet.append([None] * len(row))
            for column, value in enumerate(row, start=1):
                cell = sheet.cell(row=sheet.max_row, column=column)
                cell.value = formula_safe(value)
                if isinstance(value, str):
                    cell.data_type = "s"
        for column, width in zip("ABCD", (16, 40, 18, 60), strict=False):
            sheet.column_dimensions[column].width = width
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
