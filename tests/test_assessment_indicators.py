"""Partner indicators in the assessment, against independently computed values.

How the expected values are computed here, apart from the code under test:

- a count's change: the exact conditional test is the two-sided binomial test of the
  current count out of the two, with p = r / (1 + r) for the ratio r of the days the two
  periods' figures cover (``scipy.stats.binomtest``);
- a share's change with known bases: the two-proportion z-test's p-value equals that of the
  chi-square test of the 2 × 2 table without continuity correction (z² = χ²;
  ``scipy.stats.chi2_contingency(..., correction=False)``), and the pooled share is worked
  out by hand from the successes and bases.
"""

from __future__ import annotations

from datetime import date

import pytest
from scipy import stats

from sia.assessment import PriorityResult
from sia.config.schema import Indicator
from sia.indicator_assessment import assess_indicator, indicator_results


def _indicator(unit: str, **kw) -> Indicator:
    return Indicator(
        id=kw.pop("id", "x"),
        name="X",
        priority="p",
        owner="A partner",
        unit=unit,
        **kw,
    )


def _row(start, end, value, area="E08000034", area_type="district", denominator=None):
    return {
        "indicator_id": "x",
        "period_start": date(*start),
        "period_end": date(*end),
        "area_type": area_type,
        "area_code": area,
        "value": value,
        "denominator": denominator,
    }


def _quarters(year: int, values: list[int], **kw) -> list[dict]:
    ends = [(year, 3, 31), (year, 6, 30), (year, 9, 30), (year, 12, 31)]
    starts = [(year, 1, 1), (year, 4, 1), (year, 7, 1), (year, 10, 1)]
    return [_row(s, e, v, **kw) for s, e, v in zip(starts, ends, values, strict=True)]


def test_a_count_is_summed_and_its_change_tested_as_scipy_does():
    now = _quarters(2025, [10, 12, 9, 13])  # 44 in 365 days
    before = _quarters(2024, [5, 6, 4, 2])  # 17 in 366 days (a leap year)
    result = assess_indicator(_indicator("count"), now, before, alpha=0.05)
    assert (result.value, result.previous_value, result.change) == (44, 17, 27)
    r = 365 / 366
    expected = stats.binomtest(44, 61, r / (1 + r)).pvalue
    assert result.p_value == pytest.approx(expected, rel=1e-9)
    assert result.test == "exact-poisson" and result.direction == "up"
    assert result.change_ratio == pytest.approx(44 / 17 / r)


def test_an_unchanged_count_is_stable():
    result = assess_indicator(
        _indicator("count"), _quarters(2025, [14] * 4), _quarters(2024, [15] * 4), alpha=0.05
    )
    assert result.direction == "stable"
    assert result.p_value == pytest.approx(
        stats.binomtest(56, 116, (365 / 366) / (1 + 365 / 366)).pvalue
    )


def test_a_survey_share_with_bases_is_pooled_and_tested_as_two_proportions():
    # two places a year: (52.0% of 500, 60.0% of 400) now, (61.0% of 450, 63.5% of 520) before
    now = [
        _row((2025, 1, 1), (2025, 12, 31), 52.0, "a", "place", 500),
        _row((2025, 1, 1), (2025, 12, 31), 60.0, "b", "place", 400),
    ]
    before = [
        _row((2024, 1, 1), (2024, 12, 31), 61.0, "a", "place", 450),
        _row((2024, 1, 1), (2024, 12, 31), 63.5, "b", "place", 520),
    ]
    result = assess_indicator(_indicator("percentage"), now, before, alpha=0.05)
    s1, n1 = 260 + 240, 900  # 52% of 500 and 60% of 400
    s0, n0 = 274.5 + 330.2, 970
    assert result.value == pytest.approx(s1 / n1 * 100)
    assert result.previous_value == pytest.approx(s0 / n0 * 100)
    assert (result.base, result.previous_base) == (900, 970)
    table = [[s1, n1 - s1], [round(s0), n0 - round(s0)]]
    _, expected, _, _ = stats.chi2_contingency(table, correction=False)
    assert result.p_value == pytest.approx(expected, rel=1e-9)
    assert result.test == "two-proportion-z"
    assert result.direction == ("down" if expected <= 0.05 else "stable")
    assert result.direction == "down"  # 55.6% against 62.4%


def test_a_share_without_its_base_claims_no_significance():
    now = [_row((2025, 1, 1), (2025, 12, 31), 52.0)]
    before = [_row((2024, 1, 1), (2024, 12, 31), 58.0)]
    result = assess_indicator(_indicator("percentage"), now, before, alpha=0.05)
    assert (result.value, result.previous_value, result.change) == (52.0, 58.0, -6.0)
    assert result.test is None and result.p_value is None and result.direction is None
    assert any("no significance" in n for n in result.notes)


def test_a_rate_is_the_latest_figure_and_several_areas_their_mean():
    now = [
        _row((2025, 1, 1), (2025, 3, 31), 3.0, "a", "place"),
        _row((2025, 4, 1), (2025, 6, 30), 5.0, "a", "place"),
        _row((2025, 4, 1), (2025, 6, 30), 9.0, "b", "place"),
    ]
    before = [_row((2024, 4, 1), (2024, 6, 30), 4.0, "a", "place")]
    result = assess_indicator(_indicator("rate"), now, before, alpha=0.05)
    assert result.value == 7.0  # the mean of 5 (a's latest) and 9 (b's)
    assert result.previous_value == 4.0
    assert result.direction is None


def test_the_coarsest_level_is_taken_so_nothing_counts_twice():
    district = _quarters(2025, [10, 10, 10, 10])
    places = _quarters(2025, [4, 4, 4, 4], area="a", area_type="place")
    result = assess_indicator(_indicator("count"), district + places, [], alpha=0.05)
    assert result.area_level == "district" and result.value == 40
    assert result.previous_value is None and result.direction is None


def test_figures_count_in_the_period_their_own_period_ends_in():
    class FakeWarehouse:
        def rows(self, query, params):
            start, end = params
            figures = _quarters(2024, [1, 2, 3, 4]) + _quarters(2025, [5, 6, 7, 8])
            return [r for r in figures if start <= r["period_end"] <= end]

    from sia.config import load_partnership

    partnership = load_partnership("kirklees")
    x = partnership.indicators[0].model_copy(update={"id": "x", "unit": "count"})
    partnership = partnership.model_copy(update={"indicators": [x]})
    # the period Apr 2025 - Mar 2026 holds the quarters ending Jun, Sep and Dec 2025 (the
    # last quarter of 2025 is not loaded yet); the previous period those ending Jun 2024 to
    # Mar 2025; the quarter ending Mar 2024 is in neither
    found = indicator_results(
        FakeWarehouse(),
        partnership,
        (date(2025, 4, 1), date(2026, 3, 1)),
        (date(2024, 4, 1), date(2025, 3, 1)),
        0.05,
    )
    [result] = found[x.priority]
    assert (result.value, result.previous_value) == (6 + 7 + 8, 2 + 3 + 4 + 5)
    assert (result.figures, result.previous_figures) == (3, 4)
    # the exposure is the days each period's figures cover: 92 + 92 + 91 against 365
    r = (91 + 92 + 92) / 365
    assert result.p_value == pytest.approx(stats.binomtest(21, 35, r / (1 + r)).pvalue)


def test_an_assessment_stored_before_indicators_still_reads():
    document = {
        "id": "p",
        "name": "P",
        "theme": "t",
        "statutory_duties": [],
        "owning_partnership": None,
        "measures": [],
    }
    assert PriorityResult.model_validate(document).indicators == []
