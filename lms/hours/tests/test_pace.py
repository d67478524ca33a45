import datetime as dt

import numpy as np
import pandas as pd
import pytest

from lms.hours.pace import AT_RISK, BEHIND, MET, ON_TRACK, compliance_status, projected_year_end, year_elapsed


def test_year_elapsed_counts_whole_days_and_clamps():
    assert year_elapsed(on=dt.date(2026, 12, 31), year=2026) == 1.0
    assert year_elapsed(on=dt.date(2026, 1, 1), year=2026) == pytest.approx(1 / 365)
    assert year_elapsed(on=dt.date(2024, 7, 1), year=2024) == pytest.approx(183 / 366)  # leap year
    assert year_elapsed(on=dt.date(2025, 12, 31), year=2026) == 0.0
    assert year_elapsed(on=dt.date(2027, 3, 1), year=2026) == 1.0


def test_projection_carries_the_pace_to_year_end_plus_what_is_planned():
    assert projected_year_end(5, elapsed=0.5) == pytest.approx(10)
    assert projected_year_end(5, elapsed=0.5, planned=4) == pytest.approx(14)
    assert projected_year_end(0, elapsed=0.0, planned=3) == pytest.approx(3)


@pytest.mark.parametrize(
    ("achieved", "target", "elapsed", "planned", "expected"),
    [
        (20, 20, 0.3, 0, MET),
        (25, 20, 0.9, 0, MET),
        (10, 20, 0.5, 0, ON_TRACK),  # exactly a steady pace
        (8, 20, 0.5, 4, AT_RISK),  # below pace; 8 + 8 (pace) + 4 planned = 20
        (8, 20, 0.5, 0, BEHIND),  # 8 + 8 = 16 < 20
        (0, 0, 0.5, 0, MET),  # no target (e.g. not yet employed)
        (0, 20, 1.0, 0, BEHIND),
    ],
)
def test_status(achieved, target, elapsed, planned, expected):
    assert compliance_status(achieved, target, elapsed=elapsed, planned=planned) == expected


def test_status_is_vectorised_over_series():
    achieved = pd.Series([20, 10, 8, 8])
    target = pd.Series([20, 20, 20, 20])
    planned = pd.Series([0, 0, 4, 0])
    result = compliance_status(achieved, target, elapsed=0.5, planned=planned)
    assert list(result) == [MET, ON_TRACK, AT_RISK, BEHIND]
    assert isinstance(result, np.ndarray)
