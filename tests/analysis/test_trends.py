"""SeasonalMannKendall and PoissonTrend against reference values computed independently.

How each reference was produced:

* Seasonal Mann–Kendall, tiny series: worked by hand in the comments below (S, Var(S), z,
  Sen slope); the p-value is 2·Φ(−|z|) written with :func:`math.erfc`, not scipy.
* Seasonal Mann–Kendall, longer series: ``pymannkendall.seasonal_test`` (pymannkendall 1.4.3,
  Hussain & Mahmud 2019; a test-only dependency, skipped if absent), live, and the values it
  gave for ``SIM_POISSON`` pinned as literals.
* PoissonTrend: the same model fitted directly in the test with the statsmodels formula API
  (``smf.glm("y ~ t + C(month)", family=Poisson())``, with ``fit(scale="X2")`` for
  quasi-Poisson and ``offset=log(exposure)``; statsmodels 0.15.0), live, and the values
  for the simulated series pinned as literals. The simulated series were drawn once and are
  committed below, so the tests do not depend on numpy's random stream; the simulation was::

      months = pd.period_range("2019-01", periods=60, freq="M")
      season = 1 + 0.3 * np.cos(2 * np.pi * (months.month - 7) / 12)
      mu = 50 * season * annual ** (np.arange(60) / 12)
      rng = np.random.default_rng(seed)
      y = rng.poisson(mu)                        # SIM_POISSON: seed 20261128, annual 0.92
      y = rng.poisson(rng.gamma(4.0, mu / 4.0))  # SIM_OVERDISPERSED: seed 20261129, annual 1.10

  (numpy 2.4.6).
"""

from __future__ import annotations

import doctest
import math
import warnings

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
import statsmodels.formula.api as smf

from sia.analysis import trends
from sia.analysis.trends import PoissonTrend, SeasonalMannKendall

#: One relative tolerance for every comparison in this module.
RTOL = 1e-6

MONTHS_60 = pd.period_range("2019-01", periods=60, freq="M")

# Poisson counts, known annual rate ratio 0.92 (a fall of 8 % a year), summer peak.
SIM_POISSON = [
    44, 40, 40, 51, 53, 67, 61, 77, 69, 54, 46, 26,
    34, 33, 38, 33, 63, 47, 59, 60, 45, 43, 32, 26,
    32, 37, 38, 31, 50, 39, 57, 43, 50, 45, 25, 21,
    27, 27, 28, 31, 37, 61, 58, 60, 43, 33, 30, 20,
    32, 37, 31, 36, 40, 49, 47, 44, 32, 32, 37, 17,
]  # fmt: skip

# Gamma-Poisson (negative binomial, shape 4) counts, known annual rate ratio 1.10.
SIM_OVERDISPERSED = [
    31, 46, 24, 34, 66, 33, 72, 40, 111, 74, 34, 25,
    49, 15, 37, 26, 119, 81, 98, 72, 90, 61, 31, 75,
    15, 30, 69, 49, 46, 70, 48, 84, 55, 42, 36, 32,
    38, 51, 67, 79, 39, 189, 148, 56, 48, 114, 29, 57,
    9, 32, 43, 44, 152, 85, 67, 117, 80, 197, 114, 73,
]  # fmt: skip


def _normal_two_sided(z: float) -> float:
    """2·(1 − Φ(|z|)) without scipy."""
    return math.erfc(abs(z) / math.sqrt(2))


# --------------------------------------------------------------------------------------
# Seasonal Mann–Kendall
# --------------------------------------------------------------------------------------

# Two seasons (A, B) over four years, interleaved A, B, A, B, ...
#   A: 3, 5, 4, 8      B: 10, 12, 12, 15
TINY = [3, 10, 5, 12, 4, 12, 8, 15]
# S_A: pairs (3,5)+ (3,4)+ (3,8)+ (5,4)- (5,8)+ (4,8)+            = 5 - 1 = 4
# S_B: pairs (10,12)+ (10,12)+ (10,15)+ (12,12)0 (12,15)+ (12,15)+  = 5
# S = 9
# Var(S_A) = 4·3·13 / 18 = 156/18 (no ties)
# Var(S_B) = (4·3·13 − 2·1·9) / 18 = 138/18 (one pair of tied 12s)
# Var(S) = 294/18;  z = (9 − 1) / sqrt(294/18)
# Slopes per year, A: 2, 1/2, 5/3, −1, 3/2, 4;  B: 2, 1, 5/3, 0, 3/2, 3
# Sorted: −1, 0, 1/2, 1, 3/2, 3/2, 5/3, 5/3, 2, 2, 3, 4 -> median (3/2 + 5/3)/2 = 19/12
# tau = 9 / (6 + 6) = 3/4
TINY_S = 9.0
TINY_VAR_S = 294 / 18
TINY_Z = 8 / math.sqrt(294 / 18)
TINY_SLOPE = 19 / 12


def test_seasonal_mann_kendall_by_hand():
    smk = SeasonalMannKendall(TINY, period=2)
    assert smk.n == 8
    assert smk.S_g.tolist() == [4.0, 5.0]
    assert smk.S == TINY_S
    assert smk.var_S == pytest.approx(TINY_VAR_S, rel=RTOL)
    assert smk.z == pytest.approx(TINY_Z, rel=RTOL)
    assert smk.z == pytest.approx(1.979486637221574, rel=RTOL)
    assert smk.p_value == pytest.approx(_normal_two_sided(TINY_Z), rel=RTOL)
    assert smk.p_value == pytest.approx(0.04776124267510367, rel=RTOL)  # erfc(z / √2)
    assert smk.slope == pytest.approx(TINY_SLOPE, rel=RTOL)
    assert smk.tau == pytest.approx(0.75, rel=RTOL)
    assert smk.trend == "increasing"  # p = 0.0478 <= 0.05, and 8 points >= 3 × 2


def test_seasonal_mann_kendall_by_hand_decreasing():
    smk = SeasonalMannKendall([-v for v in TINY], period=2)
    assert smk.S == -TINY_S
    assert smk.z == pytest.approx(-TINY_Z, rel=RTOL)
    assert smk.slope == pytest.approx(-TINY_SLOPE, rel=RTOL)
    assert smk.trend == "decreasing"


def test_seasonal_mann_kendall_by_hand_with_a_missing_value():
    # A: 3, nan, 4, 8 (years 0, 2, 3)   B: 10, 12, 12, 15
    # S_A = 3 (all three pairs increase); Var(S_A) = 3·2·11/18 = 66/18
    # S = 3 + 5 = 8; Var(S) = (66 + 138)/18 = 204/18; z = 7 / sqrt(204/18)
    # Slopes A: (4−3)/2 = 1/2, (8−3)/3 = 5/3, (8−4)/1 = 4; with B's six the nine sorted are
    # 0, 1/2, 1, 3/2, 5/3, 5/3, 2, 3, 4 -> median 5/3. tau = 8 / (3 + 6).
    smk = SeasonalMannKendall([3, 10, np.nan, 12, 4, 12, 8, 15], period=2)
    assert smk.n == 7
    assert smk.S == 8.0
    assert smk.var_S == pytest.approx(204 / 18, rel=RTOL)
    assert smk.z == pytest.approx(7 / math.sqrt(204 / 18), rel=RTOL)
    assert smk.p_value == pytest.approx(_normal_two_sided(7 / math.sqrt(204 / 18)), rel=RTOL)
    assert smk.slope == pytest.approx(5 / 3, rel=RTOL)
    assert smk.tau == pytest.approx(8 / 9, rel=RTOL)


@pytest.mark.parametrize("value", [0.0, 7.0])
def test_seasonal_mann_kendall_constant_series(value):
    # Every pair is tied: S = 0 and Var(S) = 0 in each season; z is defined as 0.
    smk = SeasonalMannKendall(np.full(48, value))
    assert smk.S == 0.0
    assert smk.var_S == 0.0
    assert smk.z == 0.0
    assert smk.p_value == 1.0
    assert smk.slope == 0.0
    assert smk.trend == "no trend"


def test_seasonal_mann_kendall_pinned_on_simulated_series():
    # Values given by pymannkendall.seasonal_test(SIM_POISSON) and by sia, which agree.
    smk = SeasonalMannKendall(SIM_POISSON)
    assert smk.S == -68.0
    assert smk.var_S == pytest.approx(194.0, rel=RTOL)
    assert smk.z == pytest.approx(-4.810319662738846, rel=RTOL)
    assert smk.p_value == pytest.approx(1.5068910657715492e-06, rel=RTOL)
    assert smk.slope == pytest.approx(-3.125, rel=RTOL)
    assert smk.tau == pytest.approx(-0.5666666666666667, rel=RTOL)
    assert smk.trend == "decreasing"


def _series_for_pymannkendall():
    rng = np.random.default_rng(42)
    with_gaps = rng.poisson(20, size=65).astype(float)  # ties, and a part-year at the end
    with_gaps[[3, 17, 40]] = np.nan
    return {
        "SIM_POISSON": (np.asarray(SIM_POISSON, dtype=float), 12),
        "SIM_OVERDISPERSED": (np.asarray(SIM_OVERDISPERSED, dtype=float), 12),
        "ties, gaps and a part-year": (with_gaps, 12),
        "quarterly": (rng.poisson(5, size=22).astype(float), 4),
        "no seasons": (rng.normal(size=30).round(1), 1),
    }


@pytest.mark.parametrize("name", list(_series_for_pymannkendall()))
def test_seasonal_mann_kendall_equals_pymannkendall(name):
    mk = pytest.importorskip("pymannkendall")
    series, period = _series_for_pymannkendall()[name]
    ours = SeasonalMannKendall(series, period=period)
    ref = mk.seasonal_test(series, period=period)
    assert ref.s == ours.S
    assert ours.var_S == pytest.approx(ref.var_s, rel=RTOL)
    assert ours.z == pytest.approx(ref.z, rel=RTOL)
    assert ours.p_value == pytest.approx(ref.p, rel=RTOL)
    assert ours.tau == pytest.approx(ref.Tau, rel=RTOL)
    assert ours.slope == pytest.approx(ref.slope, rel=RTOL)
    if ours.trend != "too-short":
        assert ours.trend == ref.trend


def test_seasonal_mann_kendall_too_short_still_reports_the_statistics():
    smk = SeasonalMannKendall(SIM_POISSON[:35])
    assert smk.n == 35
    assert smk.trend == "too-short"
    assert smk.S != 0
    assert SeasonalMannKendall(SIM_POISSON[:36]).trend != "too-short"
    # Missing values do not count towards the 36.
    assert SeasonalMannKendall([*SIM_POISSON[:35], np.nan]).trend == "too-short"
    assert SeasonalMannKendall(TINY, period=2, min_points=9).trend == "too-short"


def test_seasonal_mann_kendall_empty_series():
    smk = SeasonalMannKendall([])
    assert smk.n == 0
    assert smk.S == 0.0
    assert math.isnan(smk.slope)
    assert math.isnan(smk.tau)
    assert smk.trend == "too-short"


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"series": [[1, 2], [3, 4]]}, ValueError, "one-dimensional"),
        ({"series": [1, np.inf, 3]}, ValueError, "infinite"),
        ({"series": ["a", "b"]}, TypeError, "series"),
        ({"series": [1, 2, 3], "period": 0}, ValueError, "period"),
        ({"series": [1, 2, 3], "alpha": 0}, ValueError, "alpha"),
        ({"series": [1, 2, 3], "min_points": 2.5}, ValueError, "min_points"),
    ],
)
def test_seasonal_mann_kendall_bad_input(kwargs, error, message):
    with pytest.raises(error, match=message):
        SeasonalMannKendall(**kwargs)


# --------------------------------------------------------------------------------------
# PoissonTrend
# --------------------------------------------------------------------------------------


def _statsmodels_reference(counts, months, exposure=None):
    """Fit ``y ~ t + C(month)`` directly with the statsmodels formula API."""
    periods = pd.PeriodIndex(months, freq="M")
    ordinal = periods.year * 12 + periods.month - 1
    frame = pd.DataFrame(
        {
            "y": np.asarray(counts, dtype=float),
            "t": (ordinal - ordinal.min()) / 12,
            "month": periods.month,
        }
    )
    offset = None if exposure is None else np.log(np.asarray(exposure, dtype=float))
    model = smf.glm("y ~ t + C(month)", frame, family=sm.families.Poisson(), offset=offset)
    poisson = model.fit()
    dispersion = poisson.pearson_chi2 / poisson.df_resid
    fit = model.fit(scale="X2") if dispersion > 1 else poisson
    low, high = fit.conf_int().loc["t"]
    return {
        "annual_change": math.exp(fit.params["t"]),
        "p_value": fit.pvalues["t"],
        "ci": (math.exp(low), math.exp(high)),
        "dispersion": dispersion,
    }


def _assert_matches(ours: PoissonTrend, ref: dict) -> None:
    assert ours.annual_change == pytest.approx(ref["annual_change"], rel=RTOL)
    assert ours.p_value == pytest.approx(ref["p_value"], rel=RTOL)
    assert ours.ci == pytest.approx(ref["ci"], rel=RTOL)
    assert ours.dispersion == pytest.approx(ref["dispersion"], rel=RTOL)


def test_poisson_trend_recovers_known_fall():
    fit = PoissonTrend(SIM_POISSON, MONTHS_60)
    _assert_matches(fit, _statsmodels_reference(SIM_POISSON, MONTHS_60))
    # Pinned from the statsmodels fit above.
    assert fit.annual_change == pytest.approx(0.9143137936222452, rel=RTOL)
    assert fit.p_value == pytest.approx(2.996116815962734e-10, rel=RTOL)
    assert fit.ci == pytest.approx((0.889180315740917, 0.9401576917628037), rel=RTOL)
    assert fit.dispersion == pytest.approx(0.9684222972926109, rel=RTOL)
    assert fit.model == "poisson"  # dispersion <= 1: Poisson errors kept
    assert fit.trend == "decreasing"
    assert fit.ci[0] < 0.92 < fit.ci[1]  # the simulated annual change is inside the CI


def test_poisson_trend_uses_quasi_poisson_when_overdispersed():
    fit = PoissonTrend(SIM_OVERDISPERSED, MONTHS_60)
    _assert_matches(fit, _statsmodels_reference(SIM_OVERDISPERSED, MONTHS_60))
    assert fit.annual_change == pytest.approx(1.1409141429118992, rel=RTOL)
    assert fit.p_value == pytest.approx(0.0026314637853726325, rel=RTOL)
    assert fit.ci == pytest.approx((1.0469968603720967, 1.2432559549737159), rel=RTOL)
    assert fit.dispersion == pytest.approx(14.455753918495008, rel=RTOL)
    assert fit.model == "quasi-poisson"
    assert fit.trend == "increasing"
    assert fit.ci[0] < 1.10 < fit.ci[1]
    # Quasi-Poisson widens the Poisson interval by sqrt(dispersion) on the log scale.
    poisson = sm.GLM(
        np.asarray(SIM_OVERDISPERSED, dtype=float),
        fit.results.model.exog,
        family=sm.families.Poisson(),
    ).fit()
    assert fit.results.bse[1] == pytest.approx(poisson.bse[1] * math.sqrt(fit.dispersion), rel=RTOL)


def test_poisson_trend_with_exposure_is_a_rate_trend():
    months = pd.period_range("2020-01", periods=48, freq="M")
    population = np.linspace(80_000, 92_000, 48)
    # Drawn once: default_rng(11).poisson(population * 0.0005 * (1 + 0.2 * sin(2π month / 12))),
    # i.e. a constant rate (true annual rate ratio 1) in a growing population.
    counts = [
        35, 49, 35, 62, 42, 44, 29, 37, 39, 35, 34, 36,
        54, 48, 49, 53, 57, 39, 48, 32, 33, 23, 46, 39,
        36, 50, 57, 37, 58, 50, 29, 32, 35, 31, 53, 43,
        54, 39, 48, 58, 53, 37, 33, 43, 34, 33, 44, 46,
    ]  # fmt: skip
    fit = PoissonTrend(counts, months, exposure=population)
    _assert_matches(fit, _statsmodels_reference(counts, months, exposure=population))
    assert fit.model == "quasi-poisson"
    assert fit.trend == "no trend"
    # Without the offset the growing population shows as a (non-significant) rise.
    assert PoissonTrend(counts, months).annual_change > 1 > fit.annual_change


def test_poisson_trend_with_gaps_and_in_any_order():
    keep = np.setdiff1d(np.arange(60), [4, 17, 30])
    counts = np.asarray(SIM_POISSON)[keep]
    months = MONTHS_60[keep]
    order = np.random.default_rng(3).permutation(keep.size)
    fit = PoissonTrend(counts[order], [str(m) for m in months[order]])
    _assert_matches(fit, _statsmodels_reference(counts, months))
    assert fit.n == 57


def test_poisson_trend_leaves_out_months_with_no_events():
    # Sparse counts (e.g. homicides): February and November had none in any year. Drawn
    # once: default_rng(5).poisson(0.6 * (month not in {February, November})), 48 months.
    counts = [
        2, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 3,
        0, 0, 1, 1, 1, 2, 2, 1, 0, 0, 0, 0,
        0, 0, 1, 0, 1, 1, 0, 1, 0, 0, 0, 0,
        1, 0, 1, 1, 1, 0, 1, 1, 0, 1, 0, 1,
    ]  # fmt: skip
    months = pd.period_range("2020-01", periods=48, freq="M")
    fit = PoissonTrend(counts, months)
    informative = ~np.isin(months.month, [2, 11])
    _assert_matches(
        fit, _statsmodels_reference(np.asarray(counts)[informative], months[informative])
    )
    # It is the limit of the full fit, whose February and November effects run off
    # towards minus infinity (statsmodels warns of perfect separation there).
    frame = pd.DataFrame({"y": counts, "t": np.arange(48) / 12, "month": months.month})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        full = smf.glm("y ~ t + C(month)", frame, family=sm.families.Poisson()).fit()
    assert full.params["C(month)[T.2]"] < -15
    assert fit.annual_change == pytest.approx(math.exp(full.params["t"]), rel=RTOL)
    assert fit.trend == "no trend"


def test_poisson_trend_constant_series():
    fit = PoissonTrend(np.full(48, 5), pd.period_range("2020-01", periods=48, freq="M"))
    assert fit.annual_change == pytest.approx(1.0, rel=RTOL)
    assert fit.p_value == pytest.approx(1.0, rel=RTOL)
    assert fit.dispersion == pytest.approx(0.0, abs=RTOL)
    assert fit.model == "poisson"
    assert fit.trend == "no trend"


def test_poisson_trend_all_zeros_is_too_few():
    fit = PoissonTrend(np.zeros(48), pd.period_range("2020-01", periods=48, freq="M"))
    assert fit.trend == "too-few"
    assert fit.model is None
    assert math.isnan(fit.annual_change)
    assert math.isnan(fit.p_value)


def test_poisson_trend_too_short():
    fit = PoissonTrend(SIM_POISSON[:35], MONTHS_60[:35])
    assert fit.n == 35
    assert fit.trend == "too-short"
    assert fit.model is None
    assert fit.results is None
    assert math.isnan(fit.annual_change)
    assert all(math.isnan(limit) for limit in fit.ci)
    assert PoissonTrend(SIM_POISSON[:36], MONTHS_60[:36]).trend != "too-short"


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"counts": [1, -1, 2], "months": ["2020-01", "2020-02", "2020-03"]}, "counts"),
        ({"counts": [1, np.nan, 2], "months": ["2020-01", "2020-02", "2020-03"]}, "counts"),
        ({"counts": [1, 1.5, 2], "months": ["2020-01", "2020-02", "2020-03"]}, "counts"),
        ({"counts": [1, 2], "months": ["2020-01", "2020-02", "2020-03"]}, "one month per"),
        ({"counts": [1, 2], "months": ["2020-01", "2020-01"]}, "repeat.*2020-01"),
        ({"counts": [1, 2], "months": ["2020-01", "not a month"]}, "months"),
        ({"counts": [1, 2], "months": ["2020-01", "2020-02"], "exposure": [1, 0]}, "exposure"),
        ({"counts": [1, 2], "months": ["2020-01", "2020-02"], "exposure": [1]}, "exposure"),
        ({"counts": [1, 2], "months": ["2020-01", "2020-02"], "alpha": 2}, "alpha"),
    ],
)
def test_poisson_trend_bad_input(kwargs, message):
    with pytest.raises(ValueError, match=message):
        PoissonTrend(**kwargs)


def test_docstring_examples_run():
    failures, tried = doctest.testmod(trends)
    assert tried > 0
    assert failures == 0
