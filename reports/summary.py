"""The SQL that keeps the JP totals (``JpYearTotal``, ``JpMonthTotal``, ``JpFormTotal``; in hundredths
of a JP, as integer sums are several times faster than decimal ones) in step with the ledger: row triggers on ``hours_ledgerentry`` add each inserted row and subtract each deleted one (an
update is both), on PostgreSQL and SQLite. Used by migration 0002 and by ``jp_summary_rebuild``."""

from __future__ import annotations

PG_INSTALL = """
CREATE OR REPLACE FUNCTION reports_jp_summary_apply(
    p_user bigint, p_date date, p_status text, p_category text, p_form text, p_jp numeric, p_n integer
) RETURNS void AS $$
DECLARE
    y smallint := extract(year FROM p_date);
    m smallint := extract(month FROM p_date);
    h integer := round(p_jp * 100);
BEGIN
    INSERT INTO reports_jpyeartotal (user_id, year, status, hundredths, entries) VALUES (p_user, y, p_status, h, p_n)
    ON CONFLICT (user_id, year, status) DO UPDATE
        SET hundredths = reports_jpyeartotal.hundredths + EXCLUDED.hundredths, entries = reports_jpyeartotal.entries + EXCLUDED.entries;
    IF p_status = 'verified' THEN
        INSERT INTO reports_jpmonthtotal (user_id, year, month, hundredths, entries) VALUES (p_user, y, m, h, p_n)
        ON CONFLICT (user_id, year, month) DO UPDATE
            SET hundredths = reports_jpmonthtotal.hundredths + EXCLUDED.hundredths, entries = reports_jpmonthtotal.entries + EXCLUDED.entries;
        INSERT INTO reports_jpformtotal (user_id, year, category, form, hundredths, entries)
        VALUES (p_user, y, p_category, p_form, h, p_n)
        ON CONFLICT (user_id, year, category, form) DO UPDATE
            SET hundredths = reports_jpformtotal.hundredths + EXCLUDED.hundredths, entries = reports_jpformtotal.entries + EXCLUDED.entries;
    END IF;
END
$$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION reports_jp_summary_trigger() RETURNS trigger AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        PERFORM reports_jp_summary_apply(OLD.user_id, OLD.date, OLD.status, OLD.category, OLD.form, -OLD.jp, -1);
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        PERFORM reports_jp_summary_apply(NEW.user_id, NEW.date, NEW.status, NEW.category, NEW.form, NEW.jp, 1);
    END IF;
    RETURN NULL;
END
$$ LANGUAGE plpgsql;

DROP TRIGGER IF EXISTS reports_jp_summary ON hours_ledgerentry;
CREATE TRIGGER reports_jp_summary AFTER INSERT OR UPDATE OR DELETE ON hours_ledgerentry
    FOR EACH ROW EXECUTE FUNCTION reports_jp_summary_trigger();
"""

PG_UNINSTALL = """
DROP TRIGGER IF EXISTS reports_jp_summary ON hours_ledgerentry;
DROP FUNCTION IF EXISTS reports_jp_summary_trigger();
DROP FUNCTION IF EXISTS reports_jp_summary_apply(bigint, date, text, text, text, numeric, integer);
"""

_SQLITE_APPLY = """
    INSERT OR IGNORE INTO reports_jpyeartotal (user_id, year, status, hundredths, entries)
        VALUES ({r}.user_id, CAST(strftime('%Y', {r}.date) AS INTEGER), {r}.status, 0, 0);
    UPDATE reports_jpyeartotal SET hundredths = hundredths {s} CAST(ROUND({r}.jp * 100) AS INTEGER), entries = entries {s} 1
        WHERE user_id = {r}.user_id AND year = CAST(strftime('%Y', {r}.date) AS INTEGER) AND status = {r}.status;
    INSERT OR IGNORE INTO reports_jpmonthtotal (user_id, year, month, hundredths, entries)
        SELECT {r}.user_id, CAST(strftime('%Y', {r}.date) AS INTEGER), CAST(strftime('%m', {r}.date) AS INTEGER), 0, 0
        WHERE {r}.status = 'verified';
    UPDATE reports_jpmonthtotal SET hundredths = hundredths {s} CAST(ROUND({r}.jp * 100) AS INTEGER), entries = entries {s} 1
        WHERE {r}.status = 'verified' AND user_id = {r}.user_id
          AND year = CAST(strftime('%Y', {r}.date) AS INTEGER) AND month = CAST(strftime('%m', {r}.date) AS INTEGER);
    INSERT OR IGNORE INTO reports_jpformtotal (user_id, year, category, form, hundredths, entries)
        SELECT {r}.user_id, CAST(strftime('%Y', {r}.date) AS INTEGER), {r}.category, {r}.form, 0, 0
        WHERE {r}.status = 'verified';
    UPDATE reports_jpformtotal SET hundredths = hundredths {s} CAST(ROUND({r}.jp * 100) AS INTEGER), entries = entries {s} 1
        WHERE {r}.status = 'verified' AND user_id = {r}.user_id
          AND year = CAST(strftime('%Y', {r}.date) AS INTEGER) AND category = {r}.category AND form = {r}.form;
"""

SQLITE_INSTALL = [
    "CREATE TRIGGER IF NOT EXISTS reports_jp_summary_insert AFTER INSERT ON hours_ledgerentry BEGIN"
    + _SQLITE_APPLY.format(r="NEW", s="+")
    + "END;",
    "CREATE TRIGGER IF NOT EXISTS reports_jp_summary_delete AFTER DELETE ON hours_ledgerentry BEGIN"
    + _SQLITE_APPLY.format(r="OLD", s="-")
    + "END;",
    "CREATE TRIGGER IF NOT EXISTS reports_jp_summary_update AFTER UPDATE ON hours_ledgerentry BEGIN"
    + _SQLITE_APPLY.format(r="OLD", s="-")
    + _SQLITE_APPLY.format(r="NEW", s="+")
    + "END;",
]

SQLITE_UNINSTALL = [
    "DROP TRIGGER IF EXISTS reports_jp_summary_insert;",
    "DROP TRIGGER IF EXISTS reports_jp_summary_delete;",
    "DROP TRIGGER IF EXISTS reports_jp_summary_update;",
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
        "DELETE FROM reports_jpyeartotal",
        "DELETE FROM reports_jpmonthtotal",
        "DELETE FROM reports_jpformtotal",
        "INSERT INTO reports_jpyeartotal (user_id, year, status, hundredths, entries)"
        f" SELECT user_id, {y}, status, CAST(SUM(ROUND(jp * 100)) AS INTEGER), COUNT(*) FROM hours_ledgerentry GROUP BY user_id, {y}, status",
        "INSERT INTO reports_jpmonthtotal (user_id, year, month, hundredths, entries)"
        f" SELECT user_id, {y}, {m}, CAST(SUM(ROUND(jp * 100)) AS INTEGER), COUNT(*) FROM hours_ledgerentry WHERE status = 'verified'"
        f" GROUP BY user_id, {y}, {m}",
        "INSERT INTO reports_jpformtotal (user_id, year, category, form, hundredths, entries)"
        f" SELECT user_id, {y}, category, form, CAST(SUM(ROUND(jp * 100)) AS INTEGER), COUNT(*) FROM hours_ledgerentry WHERE status = 'verified'"
        f" GROUP BY user_id, {y}, category, form",
    ]


def install_statements(vendor: str) -> list[str]:
    return [PG_INSTALL] if vendor == "postgresql" else SQLITE_INSTALL if vendor == "sqlite" else []


def uninstall_statements(vendor: str) -> list[str]:
    return [PG_UNINSTALL] if vendor == "postgresql" else SQLITE_UNINSTALL if vendor == "sqlite" else []
