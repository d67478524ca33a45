"""How dates read in Indonesian, on every page, PDF and notification (shell/formatting.py applies them):
"8 Des 2026" short, "8 Desember 2026" long, "8 Des 2026 14:05" with a time. Numbers keep Django's
Indonesian separators: a decimal comma and a thousands point ("1.234,5"). What is not set here (the
input formats a form accepts) is Django's own for the language."""

DATE_FORMAT = "j F Y"
SHORT_DATE_FORMAT = "j M Y"
DATETIME_FORMAT = "j F Y H:i"
SHORT_DATETIME_FORMAT = "j M Y H:i"
TIME_FORMAT = "H:i"
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "j F"
