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
