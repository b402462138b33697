"""RepeatVictimisation and RepeatChange on tiny tables worked by hand.

The expected repeats are written next to each row. Fisher p-values are literals from
``scipy.stats.fisher_exact`` (scipy 1.17.1); the 3 of 10 v 1 of 10 case is also worked by
hand from the hypergeometric distribution (4 repeats among 20 incidents, 10 current):
P(X = k) = C(4, k) C(16, 10 − k) / C(20, 10), p = 1 − P(2) = 1 − 6 · 12870 / 184756 = 0.58204.
"""

from __future__ import annotations

import doctest
import math

import pandas as pd
import pytest

from sia.analysis import repeats
from sia.analysis.repeats import RepeatChange, RepeatVictimisation

#: One relative tolerance for every comparison in this module.
RTOL = 1e-9


def frame(rows):
    return pd.DataFrame(rows, columns=["victim_id", "date"])


def test_boundary_365_and_366_days():
    incidents = frame(
        [
            ("a", "2023-01-01"),  # first: not a repeat
            ("a", "2024-01-01"),  # 365 days after: repeat (window includes day 365)
            ("b", "2023-01-01"),  # first
            ("b", "2024-01-02"),  # 366 days after: not a repeat
        ]
    )
    rv = RepeatVictimisation(incidents)
    assert rv.is_repeat.tolist() == [False, True, False, False]
    assert (rv.repeats, rv.with_victim_id, rv.victims, rv.repeat_victims) == (1, 4, 2, 1)
    assert rv.repeat_share == 0.25


def test_chain_uses_the_latest_earlier_incident_and_same_day():
    incidents = frame(
        [
            ("a", "2024-12-01"),  # 2024-06-01 is 183 days before: repeat
            ("a", "2024-01-01"),  # first (input order does not matter)
            ("a", "2024-06-01"),  # 152 days after 2024-01-01: repeat
            ("a", "2026-01-01"),  # 396 days after 2024-12-01: not a repeat
            ("c", "2024-03-05 09:00"),  # first
            ("c", "2024-03-05 23:00"),  # same day: repeat (times of day ignored)
        ]
    )
    rv = RepeatVictimisation(incidents)
    assert rv.is_repeat.tolist() == [True, False, True, False, False, True]
    assert (rv.repeats, rv.with_victim_id, rv.repeat_victims) == (3, 6, 2)


def test_missing_ids_and_dates_are_excluded_and_counted():
    incidents = frame(
        [
            ("a", "2024-01-01"),  # first
            (None, "2024-01-02"),  # no id: excluded
            ("a", "2024-02-01"),  # repeat
            (float("nan"), "2024-02-02"),  # no id: excluded
            ("b", None),  # no date: excluded
        ]
    )
    rv = RepeatVictimisation(incidents)
    assert rv.incidents == 5
    assert rv.without_victim_id == 2
    assert rv.without_date == 1
    assert rv.with_victim_id == 2
    assert rv.incidents == rv.with_victim_id + rv.without_victim_id + rv.without_date
    assert rv.repeats == 1
    assert rv.repeat_share == 0.5
    assert rv.is_repeat.isna().tolist() == [False, True, False, True, True]


def test_start_uses_earlier_incidents_as_history_only():
    incidents = frame(
        [
            ("a", "2023-11-01"),  # before start: history only
            ("a", "2024-02-01"),  # 92 days after history: repeat
            ("b", "2023-01-01"),  # before start: history only
            ("b", "2024-03-01"),  # 425 days after: not a repeat
            (None, "2023-12-01"),  # before start and no id: not counted at all
        ]
    )
    rv = RepeatVictimisation(incidents, start="2024-01-01")
    assert (rv.incidents, rv.without_victim_id, rv.with_victim_id, rv.repeats) == (2, 0, 2, 1)
    assert rv.is_repeat.tolist()[:4] == [pd.NA, True, pd.NA, False]
    # without the look-back the first incident of a would not be a repeat
    assert RepeatVictimisation(incidents.iloc[[1, 3]]).repeats == 0


def test_custom_window_and_empty_table():
    incidents = frame([("a", "2024-01-01"), ("a", "2024-01-31"), ("a", "2024-03-02")])
    # gaps 30 and 31 days: with a 30-day window only the second is a repeat
    assert RepeatVictimisation(incidents, window_days=30).repeats == 1
    empty = RepeatVictimisation(frame([]))
    assert empty.with_victim_id == 0
    assert math.isnan(empty.repeat_share)


def test_input_errors_name_the_fix():
    with pytest.raises(ValueError, match="victim_id"):
        RepeatVictimisation(pd.DataFrame({"date": ["2024-01-01"]}))
    with pytest.raises(ValueError, match="window_days"):
        RepeatVictimisation(frame([]), window_days=-1)


# (current, previous, p_value, odds_ratio, direction)
FISHER = [
    ((30, 100), (15, 100), 0.01714902276840841, 30 * 85 / (15 * 70), "up"),
    ((3, 10), (1, 10), 1 - 6 * 12870 / 184756, 3 * 9 / (1 * 7), "stable"),
    ((1, 4), (0, 4), 1.0, math.inf, "too-few"),
]


@pytest.mark.parametrize(("current", "previous", "p", "odds", "direction"), FISHER)
def test_change_against_fisher(current, previous, p, odds, direction):
    change = RepeatChange(current, previous)
    assert change.p_value == pytest.approx(p, rel=1e-6)
    assert change.odds_ratio == pytest.approx(odds, rel=RTOL)
    assert change.direction == direction
    assert change.difference == pytest.approx(
        current[0] / current[1] - previous[0] / previous[1], rel=RTOL
    )


def test_change_from_objects_and_down():
    # previous: 12 incidents, victims p0..p5 twice each within a month -> 6 repeats
    previous = frame(
        [(f"p{i}", "2023-01-01") for i in range(6)] + [(f"p{i}", "2023-02-01") for i in range(6)]
    )
    # current: 12 different victims, one incident each -> 0 repeats
    current = frame([(f"c{i}", "2024-01-01") for i in range(12)])
    change = RepeatChange(RepeatVictimisation(current), RepeatVictimisation(previous))
    assert (change.repeats, change.n, change.previous_repeats, change.previous_n) == (0, 12, 6, 12)
    # hypergeometric by hand: 6 repeats among 24, 12 current; P(0) = P(6) = C(18,12)/C(24,12)
    assert change.p_value == pytest.approx(2 * 18564 / 2704156, rel=1e-6)
    assert change.direction == "down"


def test_change_rejects_bad_counts():
    with pytest.raises(ValueError, match="repeats <= with_victim_id"):
        RepeatChange((5, 3), (1, 10))


def test_doctests():
    failures, tried = doctest.testmod(repeats)
    assert tried > 0
    assert failures == 0
