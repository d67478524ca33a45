"""What every CSV or XLSX the platform writes does the same way, whichever module writes it."""

# A text cell starting with one of these is read as a formula by Excel, LibreOffice and Google Sheets
# (OWASP "CSV Injection"): an employee named "=HYPERLINK(...)" would run in HR's spreadsheet.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def formula_safe(value):
    """Text a spreadsheet would take for a formula, prefixed with a single quote (shown as text, as
    OWASP recommends); anything else, numbers included (negative ones too), as it is."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value
