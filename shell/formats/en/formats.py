"""English, when the user chose it: the same patterns as Indonesian ("8 Dec 2026", "8 December 2026",
"8 Dec 2026 14:05"), so that a page reads alike in both languages; numbers with English separators
("1,234.5")."""

DATE_FORMAT = "j F Y"
SHORT_DATE_FORMAT = "j M Y"
DATETIME_FORMAT = "j F Y H:i"
SHORT_DATETIME_FORMAT = "j M Y H:i"
TIME_FORMAT = "H:i"
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "j F"
