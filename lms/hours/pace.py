"""Pace towards the yearly JP target: the one definition of "met / on track / at risk / behind".

Pure arithmetic, no database: the learner's page, reminders, the supervisor's at-risk list and the
pandas reports all call these functions, on scalars or on whole numpy arrays / pandas Series at once.

- ``elapsed``   the share of the calendar year (Asia/Jakarta) that has passed, 0..1.
- ``projected`` what the employee will have at year end: what they have, plus what they are already
  enrolled or registered for (``planned``), plus their pace so far carried to the end of the year.
- status:
  - ``met``:      achieved >= target;
  - ``on_track``: achieved >= target x elapsed (keeping a steady pace);
  - ``at_risk``:  below a steady pace, but the projection still reaches the target;
  - ``behind``:   the projection falls short of the target.
"""

from __future__ import annotations

import datetime as dt

import numpy as np

MET = "met"
ON_TRACK = "on_track"
AT_RISK = "at_risk"
BEHIND = "behind"
STATUSES = (MET, ON_TRACK, AT_RISK, BEHIND)


def year_elapsed(*, on: dt.date, year: int) -> float:
    """Share of ``year`` that has passed at the end of day ``on`` (0 before the year, 1 after it)."""
    start = dt.date(year, 1, 1)
    days = (dt.date(year + 1, 1, 1) - start).days
    passed = (on - start).days + 1
    return min(max(passed / days, 0.0), 1.0)


def projected_year_end(achieved, *, elapsed: float, planned=0):
    """Achieved + planned + the pace so far carried to year end (scalars or arrays)."""
    achieved = np.asarray(achieved, dtype=float)
    planned = np.asarray(planned, dtype=float)
    if elapsed <= 0:
        extrapolated = np.zeros_like(achieved)
    else:
        extrapolated = achieved / elapsed * (1 - elapsed)
    result = achieved + planned + extrapolated
    return result.item() if result.ndim == 0 else result


def compliance_status(achieved, target, *, elapsed: float, planned=0):
    """The status of each employee (a string for scalars, an array of strings for arrays)."""
    achieved_a = np.asarray(achieved, dtype=float)
    target_a = np.asarray(target, dtype=float)
    projected = np.asarray(projected_year_end(achieved_a, elapsed=elapsed, planned=planned), dtype=float)
    status = np.select(
        [achieved_a >= target_a, achieved_a >= target_a * elapsed, projected >= target_a],
        [MET, ON_TRACK, AT_RISK],
        default=BEHIND,
    )
    return status.item() if status.ndim == 0 else status
