"""Every event e-Kinerja publishes to the other modules (through ``shell.events.publish``)."""

from __future__ import annotations

from shell.types import EventType

EVENT_SKP_RATED = "kinerja.skp.rated"

RATINGS = ("sangat_baik", "baik", "butuh_perbaikan", "kurang", "sangat_kurang")

EVENTS = (
    EventType(
        EVENT_SKP_RATED,
        {"user_id": int, "year": int, "rating": str, "targets_met": bool},
        "The supervisor rated an employee's year (predikat kinerja: one of RATINGS) and said whether its "
        "targets were met: a rating below 'baik' or targets not met is a performance gap (competency "
        "planning reads it). Published again when the rating changes; the last one stands.",
    ),
)
