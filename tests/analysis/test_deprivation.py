"""DeprivationProfile against hand arithmetic and scipy.

How each reference was produced (committed as literals below):

* totals, shares, decile rates and the decile 1 : 10 ratio: by hand from the fixture, e.g.
  district rate 1000 · 107 / 11300; decile 1 rate 1000 · (40 + 25) / (2000 + 1500).
* Spearman with the IMD score: by hand, d² = 1 + 1 = 2 over n = 7 LSOAs with residents (the
  two most deprived LSOAs swap ranks), ρ = 1 − 6 · 2 / (7 · 48) = 27/28; the p-value from
  ``scipy.stats.spearmanr`` (scipy 1.17.1) on the same seven pairs.
* Spearman with the decile (ties): ``scipy.stats.spearmanr(rate, 11 - decile)``.
* Concentration index: the Fuller–Lury sum and, independently, the grouped covariance
  form C = (2/μ) Σ f_t μ_t R_t − 1 (Kakwani et al. 1997), which agree to 1e-15.
"""

from __future__ import annotations

import doctest
import math

import pandas as pd
import pytest

from sia.analysis import deprivation
from sia.analysis.deprivation import DeprivationProfile

#: One relative tolerance for every comparison in this module.
RTOL = 1e-9

CODES = [f"L{i}" for i in range(1, 9)]
COUNTS = pd.Series([40, 25, 12, 10, 8, 5, 4, 3], index=CODES)
# L7 has events but no residents (a town-centre LSOA, say): reported, not dropped.
POPULATION = pd.Series([2000, 1500, 1600, 1500, 1800, 1400, 0, 1500], index=CODES)
DECILE = pd.Series([1, 1, 2, 4, 6, 9, 3, 10], index=CODES)
SCORE = pd.Series([48.2, 55.1, 37.0, 25.5, 18.3, 8.1, 30.0, 4.2], index=CODES)


@pytest.fixture
def profile():
    return DeprivationProfile(COUNTS, POPULATION, DECILE, SCORE)


def test_totals_and_shares(profile):
    assert profile.events == 107
    assert profile.population == 11300
    assert profile.rate == pytest.approx(1000 * 107 / 11300, rel=RTOL)
    assert profile.share_most_deprived == pytest.approx(77 / 107, rel=RTOL)
    assert profile.population_share_most_deprived == pytest.approx(5100 / 11300, rel=RTOL)
    assert profile.over_representation == pytest.approx((77 / 107) / (5100 / 11300), rel=RTOL)
    assert profile.rate_ratio_1_10 == pytest.approx(65 / 7, rel=RTOL)


def test_by_decile(profile):
    table = profile.by_decile
    assert list(table.columns) == ["decile", "lsoas", "events", "population", "rate", "rate_ratio"]
    assert table["decile"].tolist() == list(range(1, 11))
    assert table["lsoas"].tolist() == [2, 1, 1, 1, 0, 1, 0, 0, 1, 1]
    assert table["events"].tolist() == [65, 12, 4, 10, 0, 8, 0, 0, 5, 3]
    assert table["population"].tolist() == [3500, 1600, 0, 1500, 0, 1800, 0, 0, 1400, 1500]
    expected_rate = [1000 * 65 / 3500, 7.5, math.nan, 1000 * 10 / 1500, math.nan,
                     1000 * 8 / 1800, math.nan, math.nan, 1000 * 5 / 1400, 2.0]  # fmt: skip
    assert table["rate"].tolist() == pytest.approx(expected_rate, rel=RTOL, nan_ok=True)
    district = 1000 * 107 / 11300
    assert table["rate_ratio"].tolist() == pytest.approx(
        [r / district for r in expected_rate], rel=RTOL, nan_ok=True
    )


def test_zero_population_reported_not_dropped(profile):
    assert profile.zero_population.to_dict() == {"L7": 4}
    assert profile.spearman_n == 7
    assert profile.events == COUNTS.sum()


def test_spearman_with_score(profile):
    assert profile.spearman_against == "imd_score"
    assert profile.spearman_rho == pytest.approx(27 / 28, rel=RTOL)
    assert profile.spearman_p == pytest.approx(0.00045414916919416935, rel=1e-6)


def test_spearman_with_decile():
    result = DeprivationProfile(COUNTS, POPULATION, DECILE)
    assert result.spearman_against == "imd_decile"
    assert result.spearman_rho == pytest.approx(0.9910312089651149, rel=RTOL)
    assert result.spearman_p == pytest.approx(1.4561252916129405e-05, rel=1e-6)


def test_concentration_index_against_covariance_form():
    keep = POPULATION > 0
    result = DeprivationProfile(COUNTS[keep], POPULATION[keep], DECILE[keep])
    assert result.concentration_index == pytest.approx(-0.3796717931093737, rel=RTOL)
    table = result.by_decile[result.by_decile["population"] > 0]
    f = table["population"] / table["population"].sum()
    mu_t = table["events"] / table["population"]
    mu = table["events"].sum() / table["population"].sum()
    rank = f.cumsum() - f / 2
    assert result.concentration_index == pytest.approx(
        2 / mu * (f * mu_t * rank).sum() - 1, rel=RTOL
    )


def test_equal_rates_give_zero_concentration_and_ratio_one():
    codes = ["a", "b", "c"]
    result = DeprivationProfile(
        pd.Series([10, 20, 30], index=codes),
        pd.Series([1000, 2000, 3000], index=codes),
        pd.Series([1, 5, 10], index=codes),
    )
    assert result.concentration_index == pytest.approx(0.0, abs=1e-12)
    assert result.rate_ratio_1_10 == pytest.approx(1.0, rel=RTOL)
    assert math.isnan(result.spearman_rho)  # constant rate: no correlation to report


def test_unmatched_missing_decile_and_absent_lsoas():
    counts = pd.Series({"a": 5, "b": 3, "zz": 9})
    population = pd.Series({"a": 1000, "b": 1000, "c": 500})
    decile = pd.Series({"a": 1, "c": 2})
    result = DeprivationProfile(counts, population, decile)
    assert result.unmatched.to_dict() == {"zz": 9}
    assert result.no_decile.to_dict() == {"b": 3}
    assert result.events == 5  # a: 5, c: 0 (no row in counts)
    assert result.population == 1500
    assert math.isnan(result.rate_ratio_1_10)  # no decile 10 in this district


def test_errors_name_the_argument():
    good = pd.Series({"a": 1})
    with pytest.raises(TypeError, match="counts"):
        DeprivationProfile([1], good, good)
    with pytest.raises(ValueError, match="decile must be 1"):
        DeprivationProfile(good, good, pd.Series({"a": 11}))
    with pytest.raises(ValueError, match="duplicate"):
        DeprivationProfile(pd.Series([1, 2], index=["a", "a"]), good, good)


def test_doctests():
    failures, tried = doctest.testmod(deprivation)
    assert tried > 0
    assert failures == 0
