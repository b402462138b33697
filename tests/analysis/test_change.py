"""PoissonChange against reference values computed independently of sia.

How each reference was produced (all committed as literals below):

* p-values: ``scipy.stats.binomtest(x1, x1 + x0, r / (1 + r)).pvalue`` (scipy 1.17.1) and,
  for every case, the same value from ``statsmodels.stats.rates.test_poisson_2indep(x1, r,
  x0, 1, method='exact-cond')`` (statsmodels 0.15.0); the two agree to 1e-15. For equal
  exposures the small cases are also worked by hand from Binomial(n, 1/2), e.g. 9 v 1:
  2 · (C(10,0) + C(10,1)) / 2^10 = 22/1024.
* confidence intervals: Clopper–Pearson limits from the beta quantiles
  ``scipy.stats.beta.ppf(0.025, x1, n - x1 + 1)`` and ``beta.ppf(0.975, x1 + 1, n - x1)``,
  mapped by π / ((1 − π) r). The case 2 v 9 with exposures 17877 and 16660 is the worked
  example of Fay's R package ``rateratio.test`` (vignette "Testing the Ratio of Two Poisson
  Rates", 2022), whose interval "comes directly from binom.test": 0.02177406 to 1.00054910,
  rate ratio 0.2070941557.
"""

from __future__ import annotations

import doctest
import math
import warnings

import numpy as np
import pytest
from scipy import stats
from statsmodels.stats import rates

from sia.analysis import change
from sia.analysis.change import PoissonChange

#: One relative tolerance for every comparison in this module: R prints seven significant
#: digits, so Fay's published limits are good to about 2e-7 relative.
RTOL = 1e-6

# (current, previous, exposure_ratio, p_value, ci_lower, ci_upper, direction)
REFERENCE = [
    (150, 100, 1.0, 0.0018833009350761602, 1.1569481969774633, 1.9517449279884027, "up"),
    (130, 100, 1.0, 0.05561357778139238, 0.9939622683564093, 1.7044993024473383, "stable"),
    (60, 20, 2.0, 0.12379919562583483, 0.891348964271495, 2.62735246279935, "stable"),
    (45, 30, 365 / 366, 0.08424290581374598, 0.9269807126637978, 2.472729603919311, "stable"),
    (2, 9, 17877 / 16660, 0.033094203205914774, 0.02177406, 1.00054910, "down"),
    (0, 20, 1.0, 2 / 2**20, 0.0, 0.20254960379683493, "down"),
    (20, 0, 1.0, 2 / 2**20, 4.937062236878223, math.inf, "up"),
    (12, 12, 1.0, 1.0, 0.4109183802748819, 2.433573303124222, "stable"),
    (9, 1, 1.0, 22 / 1024, 1.2471096253276643, 394.4791130337871, "up"),
    (8, 2, 1.0, 112 / 1024, 0.7982524004966308, 38.66565607971537, "stable"),
    (6, 3, 1.0, 260 / 512, 0.4271342151363714, 12.359226824499896, "too-few"),
    (5, 0, 1.0, 2 / 32, 0.9163558573154597, math.inf, "too-few"),
]


@pytest.mark.parametrize(("x1", "x0", "r", "p", "low", "high", "direction"), REFERENCE)
def test_against_reference_values(x1, x0, r, p, low, high, direction):
    result = PoissonChange(x1, x0, exposure_ratio=r)
    assert result.count == x1
    assert result.previous_count == x0
    assert result.n == x1 + x0
    assert result.p_value == pytest.approx(p, rel=RTOL)
    assert result.ci == pytest.approx((low, high), rel=RTOL)
    assert result.direction == direction


@pytest.mark.parametrize(("x1", "x0", "r"), [case[:3] for case in REFERENCE])
def test_p_value_equals_scipy_and_statsmodels(x1, x0, r):
    result = PoissonChange(x1, x0, exposure_ratio=r)
    scipy_p = stats.binomtest(x1, x1 + x0, r / (1 + r)).pvalue
    with warnings.catch_warnings():
        # statsmodels also computes x1 / x0 for its report, which divides by zero when x0 = 0
        warnings.simplefilter("ignore", RuntimeWarning)
        statsmodels_p = rates.test_poisson_2indep(x1, r, x0, 1.0, method="exact-cond").pvalue
    assert result.p_value == pytest.approx(scipy_p, rel=RTOL)
    assert result.p_value == pytest.approx(statsmodels_p, rel=RTOL)


def test_rate_ratio_of_fay_example():
    # rateratio.test(c(2, 9), c(17877, 16660)): rate ratio 0.2070941557
    assert PoissonChange(2, 9, exposure_ratio=17877 / 16660).ratio == pytest.approx(
        0.2070941557, rel=RTOL
    )


@pytest.mark.parametrize(("x1", "x0", "r"), [(150, 100, 1.0), (2, 9, 17877 / 16660), (7, 30, 0.5)])
def test_interval_limits_are_where_one_sided_exact_tests_reach_alpha_over_two(x1, x0, r):
    # The defining property of the Clopper–Pearson limits, checked with the binomial tail
    # directly: at the lower limit P(X >= x1) = alpha/2, at the upper P(X <= x1) = alpha/2.
    result = PoissonChange(x1, x0, exposure_ratio=r, alpha=0.10)
    n = x1 + x0
    low, high = result.ci
    pi_low, pi_high = low * r / (1 + low * r), high * r / (1 + high * r)
    assert stats.binom.sf(x1 - 1, n, pi_low) == pytest.approx(0.05, rel=RTOL)
    assert stats.binom.cdf(x1, n, pi_high) == pytest.approx(0.05, rel=RTOL)


def test_ratio_is_adjusted_for_exposure():
    # 60 events in twice the days of 20 events: the rate is 1.5 times higher, not 3.
    result = PoissonChange(60, 20, exposure_ratio=2.0)
    assert result.ratio == pytest.approx(1.5, rel=RTOL)
    assert result.expected_proportion == pytest.approx(2 / 3, rel=RTOL)


def test_equal_counts_are_stable():
    result = PoissonChange(40, 40)
    assert result.ratio == 1.0
    assert result.p_value == 1.0
    assert not result.significant
    assert result.direction == "stable"


def test_zero_against_zero_is_too_few():
    result = PoissonChange(0, 0)
    assert result.n == 0
    assert math.isnan(result.ratio)
    assert result.p_value == 1.0
    assert result.min_p_value == 1.0
    assert all(math.isnan(limit) for limit in result.ci)
    assert result.direction == "too-few"


def test_zeros_on_one_side():
    up = PoissonChange(20, 0)
    assert up.ratio == math.inf
    assert up.ci[1] == math.inf
    down = PoissonChange(0, 20)
    assert down.ratio == 0.0
    assert down.ci[0] == 0.0


def test_too_few_below_min_count_even_when_significant():
    # 9 v 0: p = 2/512, significant, but n = 9 < 10.
    result = PoissonChange(9, 0)
    assert result.p_value == pytest.approx(2 / 512, rel=RTOL)
    assert result.direction == "too-few"
    assert not result.significant
    assert PoissonChange(9, 0, min_count=0).direction == "up"


def test_too_few_when_no_split_can_reach_alpha():
    # With equal exposures the most lopsided split of n has p = 2 / 2^n: 2/1024 for
    # n = 10, more than alpha = 0.001, so nothing can be called at that level however
    # the ten events fall (the power rule), although n reaches min_count.
    result = PoissonChange(10, 0, alpha=0.001)
    assert result.min_p_value == pytest.approx(2 / 1024, rel=RTOL)
    assert result.direction == "too-few"
    # n = 11: 2 / 2048 < 0.001, so 11 v 0 can be called.
    assert PoissonChange(11, 0, alpha=0.001).direction == "up"
    # min_count=0 keeps only the power rule: 5 v 0 has p = 0.0625 at best -> too-few,
    # 6 v 0 has p = 2/64 = 0.03125 -> up.
    assert PoissonChange(5, 0, min_count=0).direction == "too-few"
    assert PoissonChange(6, 0, min_count=0).direction == "up"


def test_alpha_sets_the_level():
    # 130 v 100: p = 0.0556, called at 0.10, not at 0.05.
    assert PoissonChange(130, 100, alpha=0.10).direction == "up"
    assert PoissonChange(130, 100, alpha=0.05).direction == "stable"


def test_borderline_interval_and_p_value_may_disagree_and_direction_follows_p():
    # Fay's example: the minimum-likelihood p-value is 0.033 but the Clopper–Pearson upper
    # limit is just above 1 (documented in the class notes).
    result = PoissonChange(2, 9, exposure_ratio=17877 / 16660, min_count=0)
    assert result.p_value < 0.05 < 1 < result.ci[1]
    assert result.direction == "down"


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"current": -1, "previous": 3}, ValueError, "current"),
        ({"current": 2.5, "previous": 3}, ValueError, "current"),
        ({"current": 3, "previous": "4"}, TypeError, "previous"),
        ({"current": True, "previous": 4}, TypeError, "current"),
        ({"current": 3, "previous": 4, "exposure_ratio": 0}, ValueError, "exposure_ratio"),
        ({"current": 3, "previous": 4, "exposure_ratio": math.inf}, ValueError, "exposure"),
        ({"current": 3, "previous": 4, "alpha": 1.5}, ValueError, "alpha"),
        ({"current": 3, "previous": 4, "min_count": -2}, ValueError, "min_count"),
    ],
)
def test_bad_input_names_the_argument(kwargs, error, message):
    with pytest.raises(error, match=message):
        PoissonChange(**kwargs)


def test_whole_floats_and_numpy_integers_are_accepted():
    result = PoissonChange(np.int64(150), 100.0)
    assert result.count == 150
    assert result.p_value == pytest.approx(0.0018833009350761602, rel=RTOL)


def test_docstring_examples_run():
    failures, tried = doctest.testmod(change)
    assert tried > 0
    assert failures == 0


def test_p_values_equal_scipy_binomtest_on_many_counts():
    """The one-vector p-value (and the smallest p-values possible at n) against
    scipy.stats.binomtest on 200 random (x1, n, exposure) cases; p-values below 1e-250,
    where scipy underflows to 0, are compared by being below the level."""
    rng = np.random.default_rng(20261128)
    for n in rng.integers(1, 3000, 200):
        n = int(n)
        x1 = int(rng.integers(0, n + 1))
        r = float(rng.uniform(0.25, 4.0))
        result = PoissonChange(x1, n - x1, exposure_ratio=r)
        pi0 = r / (1 + r)
        want = stats.binomtest(x1, n, pi0).pvalue
        if want > 1e-250:
            assert result.p_value == pytest.approx(want, rel=1e-9), (x1, n, r)
        else:
            assert result.p_value < 1e-200
        smallest = min(stats.binomtest(0, n, pi0).pvalue, stats.binomtest(n, n, pi0).pvalue)
        assert result.min_p_value == pytest.approx(smallest, rel=1e-9, abs=1e-300)
