"""ExpectedRecording against hand arithmetic and exact Poisson limits.

The constants below are illustrative, not survey figures. Exact (Garwood) limits are
literals from ``scipy.stats.chi2.ppf(0.025, 2x) / 2`` and ``chi2.ppf(0.975, 2x + 2) / 2``
(scipy 1.17.1) and agree with published tables (e.g. x = 10: 4.7954 to 18.3904); the
x = 0 upper limit is also −ln(0.025) = 3.68888 by hand.
"""

from __future__ import annotations

import doctest
import math

import pytest

from sia.analysis import underreporting
from sia.analysis.underreporting import ExpectedRecording

#: One relative tolerance for every comparison in this module.
RTOL = 1e-9

LABELS = {"source": "illustration", "assumption": "local prevalence equals national"}

# (x, lower, upper)
GARWOOD = [
    (0, 0.0, 3.6888794541139354),
    (3, 0.6186721228956014, 8.767273069742323),
    (10, 4.7953886961324335, 18.39035604201778),
    (40, 28.576586441788965, 54.468646963984064),
]


@pytest.mark.parametrize(("x", "low", "high"), GARWOOD)
def test_exact_poisson_interval(x, low, high):
    er = ExpectedRecording(x, 10_000, 0.05, 0.5, **LABELS)  # expected 250
    assert er.ci == pytest.approx((low, high), rel=RTOL)
    assert er.ratio_ci == pytest.approx((low / 250, high / 250), rel=RTOL)


def test_zero_upper_limit_by_hand():
    er = ExpectedRecording(0, 1_000, 0.1, 0.1, **LABELS)
    assert er.ci[1] == pytest.approx(-math.log(0.025), rel=RTOL)


def test_expected_and_ratio_by_hand():
    # 250,000 adults × 6% × 2.5 incidents per victim × 20% reported = 7,500 expected
    er = ExpectedRecording(3_000, 250_000, 0.06, 0.2, incidents_per_victim=2.5, **LABELS)
    assert er.expected == pytest.approx(7_500, rel=RTOL)
    assert er.recorded_to_expected == pytest.approx(0.4, rel=RTOL)
    assert er.far_below_expected  # upper limit ≈ 0.414 < 0.5
    assert er.source == "illustration"
    assert er.assumption == "local prevalence equals national"


def test_threshold_uses_the_upper_limit():
    # expected 250; 110 recorded: ratio 0.44 but the upper limit 132.58/250 ≈ 0.530 ≥ 0.5
    er = ExpectedRecording(110, 10_000, 0.05, 0.5, **LABELS)
    assert er.recorded_to_expected == pytest.approx(0.44, rel=RTOL)
    assert er.ratio_ci[1] > 0.5
    assert not er.far_below_expected
    assert ExpectedRecording(110, 10_000, 0.05, 0.5, threshold=0.6, **LABELS).far_below_expected


def test_zero_expected_gives_nan_not_a_flag():
    er = ExpectedRecording(5, 10_000, 0.0, 0.5, **LABELS)
    assert er.expected == 0
    assert math.isnan(er.recorded_to_expected)
    assert not er.far_below_expected


def test_source_and_assumption_are_required():
    with pytest.raises(TypeError):
        ExpectedRecording(5, 1_000, 0.1, 0.1)  # type: ignore[call-arg]
    with pytest.raises(ValueError, match="source"):
        ExpectedRecording(5, 1_000, 0.1, 0.1, source=" ", assumption="x")


def test_percentages_are_refused():
    with pytest.raises(ValueError, match="not a percentage"):
        ExpectedRecording(5, 1_000, 0.1, 27, **LABELS)
    with pytest.raises(ValueError, match="whole number"):
        ExpectedRecording(2.5, 1_000, 0.1, 0.1, **LABELS)


def test_doctests():
    failures, tried = doctest.testmod(underreporting)
    assert tried > 0
    assert failures == 0


def test_years_scale_the_expected_number():
    # half a year: 10,000 adults × 5% × 50% reported × 0.5 = 125 expected; 110 recorded
    er = ExpectedRecording(110, 10_000, 0.05, 0.5, years=0.5, **LABELS)
    assert er.expected == pytest.approx(125, rel=RTOL)
    assert er.recorded_to_expected == pytest.approx(0.88, rel=RTOL)
    with pytest.raises(ValueError, match="years"):
        ExpectedRecording(110, 10_000, 0.05, 0.5, years=0, **LABELS)


# -- the national-count form of the config (hate crime, ASB) ----------------------------------


def _expectation(**overrides):
    from sia.config.schema import SurveyExpectation

    fields = {
        "measure": "hate-crimes",
        "topic": "Hate crime",
        "reporting_rate": 0.4,
        "reporting_source": "survey",
        "assumption": "as national",
        **overrides,
    }
    return SurveyExpectation(**fields)


NATIONAL = {
    "national_count": 278_000,
    "national_count_source": "incidents a year",
    "national_population": 56_567_800,
    "national_population_source": "mid-year estimate",
}


def test_national_count_gives_a_rate_per_resident():
    # 278,000 ÷ 56,567,800 = 0.00491445663... per resident (by hand: 278 / 56,567.8)
    survey = _expectation(**NATIONAL)
    assert survey.prevalence is None
    assert survey.rate == pytest.approx(0.0049144566343397, rel=1e-12)
    assert _expectation(prevalence=0.048, prevalence_source="CSEW").rate == 0.048


def test_prevalence_or_national_count_but_not_both_nor_neither():
    with pytest.raises(ValueError, match="not both"):
        _expectation(prevalence=0.048, prevalence_source="CSEW", **NATIONAL)
    with pytest.raises(ValueError, match="missing national_count, national_count_source"):
        _expectation()
    partial = {k: v for k, v in NATIONAL.items() if k != "national_population_source"}
    with pytest.raises(ValueError, match="missing national_population_source"):
        _expectation(**partial)
    with pytest.raises(ValueError, match="needs a prevalence_source"):
        _expectation(prevalence=0.048)


def test_national_count_needs_the_all_ages_population():
    from sia.config.schema import Underreporting

    common = {"population_16_plus": 351_905, "population_year": 2020, "population_source": "x"}
    with pytest.raises(ValueError, match="population_all_ages"):
        Underreporting(**common, measures=[_expectation(**NATIONAL)])
    ok = Underreporting(**common, population_all_ages=441_290, measures=[_expectation(**NATIONAL)])
    assert ok.population_all_ages == 441_290


def _kirklees():
    from sia.config import load_partnership

    return load_partnership("kirklees").underreporting


@pytest.mark.parametrize(
    ("measure", "recorded", "expected"),
    [
        # 441,290 residents × 278,000 ÷ 56,567,800 × 40% reported
        #   = 245,357,240 / 282,839 = 867.48022726710 (exact fraction, Python's fractions)
        ("hate-crimes", 550, 867.4802272671025),
        # 441,290 residents × 1,000,000 ÷ 61,806,682 × 100% (calibrated) = 7,139.8429056586
        ("asb-police", 5_055, 7139.842905658647),
    ],
)
def test_kirklees_hate_crime_and_asb_against_hand_arithmetic(measure, recorded, expected):
    config = _kirklees()
    survey = next(m for m in config.measures if m.measure == measure)
    er = ExpectedRecording(
        recorded,
        config.population_all_ages,
        survey.rate,
        survey.reporting_rate,
        survey.incidents_per_victim,
        source="config",
        assumption=survey.assumption,
    )
    assert er.expected == pytest.approx(expected, rel=RTOL)
    assert er.recorded_to_expected == pytest.approx(recorded / expected, rel=RTOL)


def test_kirklees_national_figures_are_the_ones_quoted():
    """Each national number appears, written out, in the source quoted next to it."""
    config = _kirklees()
    national = [m for m in config.measures if m.national_count is not None]
    assert {m.measure for m in national} == {"hate-crimes", "asb-police"}
    for m in national:
        assert f"{m.national_population:,.0f}" in m.national_population_source
        count = f"{m.national_count:,.0f}"
        assert count in m.national_count_source or "about 1 million" in m.national_count_source
        assert f"{m.reporting_rate:.0%}" in m.reporting_source or m.reporting_rate == 1.0
    assert f"{config.population_all_ages:,.0f}" in config.population_source
