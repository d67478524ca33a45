"""The SQL that keeps the ledger's running totals (``JpYearTotal``, ``JpMonthTotal``, ``JpFormTotal``;
in hundredths of a JP, as integer sums are several times faster than decimal ones) in step with the
ledger: row triggers on ``hours_ledgerentry`` add each inserted row and subtract each deleted one (an
update is both), on PostgreSQL and SQLite. Installed by migration 0005; ``totals_rebuild`` recomputes
them and ``totals_paused`` lets a bulk load skip the per-row work.

The ledger owns these triggers because they are on its table (they were once the reports app's:
reports/migrations/0002, dropped by reports/migrations/0003)."""

from __future__ import annotations

from contextlib import contextmanager

from django.db import connection, transaction

PG_INSTALL = """
CREATE OR REPLACE FUNCTION hours_jp_totals_apply(
    p_user bigint, p_date date, p_status text, p_category text, p_form text, p_jp numeric, p_n integer
) RETURNS void AS $$
DECLARE
    y smallint := extract(year FROM p_date);
    m smallint := extract(month FROM p_date);
    h integer := round(p_jp * 100);
BEGIN
    INSERT INTO hours_jpyeartotal (user_id, year, status, hundredths, entries) VALUES (p_user, y, p_status, h, p_n)
    ON CONFLICT (user_id, year, status) DO UPDATE
        SET hundredths = hours_jpyeartotal.hundredths + EXCLUDED.hundredths, entries = hours_jpyeartotal.entries + EXCLUDED.entries;
    IF p_status = 'verified' THEN
        INSERT INTO hours_jpmonthtotal (user_id, year, month, hundredths, entries) VALUES (p_user, y, m, h, p_n)
        ON CONFLICT (user_id, year, month) DO UPDATE
            SET hundredths = hours_jpmonthtotal.hundredths + EXCLUDED.hundredths, entries = hours_jpmonthtotal.entries + EXCLUDED.entries;
        INSERT INTO hours_jpformtotal (user_id, year, category, form, hundredths, entries)
        VALUES (p_user, y, p_category, p_form, h, p_n)
        ON CONFLICT (user_id, year, category, form) DO UPDATE
            SET hundredths = hours_jpformtotal.hundredths + EXCLUDED.hundredths, entries = hours_jpformtotal.entries + EXCLUDED.entries;
    END IF;
END
$$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION hours_jp_totals_trigger() RETURNS trigger AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        PERFORM hours_jp_totals_apply(OLD.user_id, OLD.date, OLD.status, OLD.category, OLD.form, -OLD.jp, -1);
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        PERFORM hours_jp_totals_apply(NEW.user_id, NEW.date, NEW.status, NEW.category, NEW.form, NEW.jp, 1);
    END IF;
    RETURN NULL;
END
$$ LANGUAGE plpgsql;

DROP TRIGGER IF EXISTS hours_jp_totals ON hours_ledgerentry;
CREATE TRIGGER hours_jp_totals AFTER INSERT OR UPDATE OR DELETE ON hours_ledgerentry
    FOR EACH ROW EXECUTE FUNCTION hours_jp_totals_trigger();
"""

PG_UNINSTALL = """
DROP TRIGGER IF EXISTS hours_jp_totals ON hours_ledgerentry;
DROP FUNCTION IF EXISTS hours_jp_totals_trigger();
DROP FUNCTION IF EXISTS hours_jp_totals_apply(bigint, date, text, text, text, numeric, integer);
"""

_SQLITE_APPLY = """
    INSERT OR IGNORE INTO hours_jpyeartotal (user_id, year, status, hundredths, entries)
        VALUES ({r}.user_id, CAST(strftime('%Y', {r}.date) AS INTEGER), {r}.status, 0, 0);
    UPDATE hours_jpyeartotal SET hundredths = hundredths {s} CAST(ROUND({r}.jp * 100) AS INTEGER), entries = entries {s} 1
        WHERE user_id = {r}.user_id AND year = CAST(strftime('%Y', {r}.date) AS INTEGER) AND status = {r}.status;
    INSERT OR IGNORE INTO hours_jpmonthtotal (user_id, year, month, hundredths, entries)
        SELECT {r}.user_id, CAST(strftime('%Y', {r}.date) AS INTEGER), CAST(strftime('%m', {r}.date) AS INTEGER), 0, 0
        WHERE {r}.status = 'verified';
    UPDATE hours_jpmonthtotal SET hundredths = hundredths {s} CAST(ROUND({r}.jp * 100) AS INTEGER), entries = entries {s} 1
        WHERE {r}.status = 'verified' AND user_id = {r}.user_id
          AND year = CAST(strftime('%Y', {r}.date) AS INTEGER) AND month = CAST(strftime('%m', {r}.date) AS INTEGER);
    INSERT OR IGNORE INTO hours_jpformtotal (user_id, year, category, form, hundredths, entries)
        SELECT {r}.user_id, CAST(strftime('%Y', {r}.date) AS INTEGER), {r}.category, {r}.form, 0, 0
        WHERE {r}.status = 'verified';
    UPDATE hours_jpformtotal SET hundredths = hundredths {s} CAST(ROUND({r}.jp * 100) AS INTEGER), entries = entries {s} 1
        WHERE {r}.status = 'verified' AND user_id = {r}.user_id
          AND year = CAST(strftime('%Y', {r}.date) AS INTEGER) AND category = {r}.category AND form = {r}.form;
"""

SQLITE_INSTALL = [
    "CREATE TRIGGER IF NOT EXISTS hours_jp_totals_insert AFTER INSERT ON hours_ledgerentry BEGIN"
    + _SQLITE_APPLY.format(r="NEW", s="+")
    + "END;",
    "CREATE TRIGGER IF NOT EXISTS hours_jp_totals_delete AFTER DELETE ON hours_ledgerentry BEGIN"
    + _SQLITE_APPLY.format(r="OLD", s="-")
    + "END;",
    "CREATE TRIGGER IF NOT EXISTS hours_jp_totals_update AFTER UPDATE ON hours_ledgerentry BEGIN"
    + _SQLITE_APPLY.format(r="OLD", s="-")
    + _SQLITE_APPLY.format(r="NEW", s="+")
    + "END;",
]

SQLITE_UNINSTALL = [
    "DROP TRIGGER IF EXISTS hours_jp_totals_insert;",
    "DROP TRIGGER IF EXISTS hours_jp_totals_delete;",
    "DROP TRIGGER IF EXISTS hours_jp_totals_update;",
]


def _year(vendor: str, column: str) -> str:
    if vendor == "postgresql":
        return f"CAST(EXTRACT(YEAR FROM {column}) AS integer)"
    return f"CAST(strftime('%Y', {column}) AS INTEGER)"


def _month(vendor: str, column: str) -> str:
    if vendor == "postgresql":
        return f"CAST(EXTRACT(MONTH FROM {column}) AS integer)"
    return f"CAST(strftime('%m', {column}) AS INTEGER)"


def rebuild_statements(vendor: str) -> list[str]:
    """Recompute every total from the ledger (after a bulk load, or to check the triggers)."""
    y, m = _year(vendor, "date"), _month(vendor, "date")
    return [
        "DELETE FROM hours_jpyeartotal",
        "DELETE FROM hours_jpmonthtotal",
        "DELETE FROM hours_jpformtotal",
        "INSERT INTO hours_jpyeartotal (user_id, year, status, hundredths, entries)"
        f" SELECT user_id, {y}, status, CAST(SUM(ROUND(jp * 100)) AS INTEGER), COUNT(*) FROM hours_ledgerentry GROUP BY user_id, {y}, status",
        "INSERT INTO hours_jpmonthtotal (user_id, year, month, hundredths, entries)"
        f" SELECT user_id, {y}, {m}, CAST(SUM(ROUND(jp * 100)) AS INTEGER), COUNT(*) FROM hours_ledgerentry WHERE status = 'verified'"
        f" GROUP BY user_id, {y}, {m}",
        "INSERT INTO hours_jpformtotal (user_id, year, category, form, hundredths, entries)"
        f" SELECT user_id, {y}, category, form, CAST(SUM(ROUND(jp * 100)) AS INTEGER), COUNT(*) FROM hours_ledgerentry WHERE status = 'verified'"
        f" GROUP BY user_id, {y}, category, form",
    ]


def install_statements(vendor: str) -> list[str]:
    return [PG_INSTALL] if vendor == "postgresql" else SQLITE_INSTALL if vendor == "sqlite" else []


def uninstall_statements(vendor: str) -> list[str]:
    return [PG_UNINSTALL] if vendor == "postgresql" else SQLITE_UNINSTALL if vendor == "sqlite" else []


TABLES = ("hours_jpyeartotal", "hours_jpmonthtotal", "hours_jpformtotal")


def totals_rebuild() -> None:
    """Recompute the running totals from the whole ledger (after a bulk load; the triggers keep them in
    step otherwise)."""
    vendor = connection.vendor
    with transaction.atomic(), connection.cursor() as cursor:
        for sql in rebuild_statements(vendor):
            cursor.execute(sql)
    if vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {', '.join(TABLES)}")


@contextmanager
def totals_paused():
    """Bulk loads of millions of ledger rows: no per-row triggers; rebuild once at the end."""
    vendor = connection.vendor
    with connection.cursor() as cursor:
        for sql in uninstall_statements(vendor):
            cursor.execute(sql)
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            for sql in install_statements(vendor):
                cursor.execute(sql)
        totals_rebuild()
