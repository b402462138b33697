"""HarmTotal, HarmChange and AgainstParent against reference values computed outside sia.

How each reference was produced (all committed as literals below):

* weights: the shipped CSS weights, read from ``sia/data/offences/offence_codes.csv`` and
  written here as literals: murder (1) 7973.393423, assault with intent to cause serious
  harm (5D) 2034.74186, assault with injury (8N) 189.1538871; category weights from
  ``police_uk_category_weights.csv``: Robbery 799.6288702, Shoplifting 11.85553905.
* totals, variances and z: worked by hand (arithmetic in the comments), checked in a
  Python shell to the digits shown;
* p-values: ``2 * scipy.stats.norm.sf(z)`` for the harm test and
  ``scipy.stats.binomtest(x1, n, p).pvalue`` (scipy 1.17) for the exact tests, with the
  small ones also worked by hand from Binomial(n, 1/2);
* the compound-Poisson variance Σ w² λ is checked by Monte Carlo (fixed seed).
"""

from __future__ import annotations

import doctest
import math

import numpy as np
import pandas as pd
import pytest

from sia import offences
from sia.analysis import harm
from sia.analysis.harm import AgainstParent, HarmChange, HarmTotal, label_weights

#: One relative tolerance for every comparison with a literal reference.
RTOL = 1e-9

W_MURDER = 7973.393423
W_GBH = 2034.74186  # 5D
W_ABH = 189.1538871  # 8N

# The seed's serious violence case: 848 offences → 642, graver ones.
BEFORE = pd.Series({"1": 4, "5D": 150, "8N": 694})
AFTER = pd.Series({"1": 9, "5D": 240, "8N": 393})


def test_doctests():
    result = doctest.testmod(harm)
    assert result.failed == 0 and result.attempted > 0


# -- HarmTotal ------------------------------------------------------------------------------


def test_total_by_code_is_the_weighted_sum():
    total = HarmTotal(pd.Series({"1": 2, "8N": 100}))
    # 2 × 7973.393423 + 100 × 189.1538871 = 15946.786846 + 18915.38871 = 34862.175556
    assert total.total == pytest.approx(34862.175556, rel=RTOL)
    assert total.count == 102
    # 34862.175556 / 102
    assert total.mean_weight == pytest.approx(341.786034862745, rel=RTOL)
    # 2 × 7973.393423² + 100 × 189.1538871²
    assert total.variance == pytest.approx(130727924.65638328, rel=RTOL)
    assert total.method == "exact offence codes"
    assert total.unweighted_codes == ()
    assert total.score is None
    assert list(total.table.index) == ["8N", "1"]
    assert total.table["share"].sum() == pytest.approx(1.0, rel=RTOL)


def test_codes_are_normalised_and_repeats_added():
    total = HarmTotal(pd.Series([1, 1, 100], index=["001", "1", "008n"]))
    assert total.count == 102
    assert total.total == pytest.approx(34862.175556, rel=RTOL)


def test_unweighted_codes_are_reported_not_dropped_silently():
    total = HarmTotal(pd.Series({"1": 2, "8N": 100, "ZZ9": 3, "ZZ8": 0}))
    assert total.unweighted_codes == ("ZZ9", "ZZ8")
    assert total.unweighted_count == 3
    assert total.count == 102


def test_population_gives_the_ons_score_per_head():
    total = HarmTotal(pd.Series({"1": 2, "8N": 100}), population=10_000)
    # 34862.175556 / 10,000 residents
    assert total.score == pytest.approx(3.4862175556, rel=RTOL)


def test_by_category_uses_the_documented_approximation():
    counts = pd.Series({"Robbery": 10, "Shoplifting": 100, "Anti-social behaviour": 50})
    total = HarmTotal(counts, by="category")
    # 10 × 799.6288702 + 100 × 11.85553905 = 7996.288702 + 1185.553905 = 9181.842607
    assert total.total == pytest.approx(9181.842607, rel=RTOL)
    assert total.count == 110
    assert total.method == "police.uk category approximation"
    assert total.unweighted_codes == ("Anti-social behaviour",)
    assert total.unweighted_count == 50


def test_user_weights_such_as_cchi_days():
    counts = pd.Series({"Robbery": 2, "Shoplifting": 10, "Other": 1})
    total = HarmTotal(counts, weights={"Robbery": 365, "Shoplifting": 1}, by="category")
    # 2 × 365 + 10 × 1 = 740
    assert total.total == pytest.approx(740.0, rel=RTOL)
    assert total.unweighted_codes == ("Other",)
    assert total.method == "user weights (by category)"


@pytest.mark.parametrize(
    ("counts", "kwargs", "error"),
    [
        (pd.Series({"1": -1}), {}, ValueError),
        (pd.Series({"1": 1.5}), {}, ValueError),
        ([1, 2], {}, TypeError),
        (pd.Series({"1": 1}), {"by": "force"}, ValueError),
        (pd.Series({"1": 1}), {"population": 0}, ValueError),
        (pd.Series({4.1: 1}), {}, TypeError),
    ],
)
def test_bad_input_is_refused(counts, kwargs, error):
    with pytest.raises(error):
        HarmTotal(counts, **kwargs)


# -- HarmChange -----------------------------------------------------------------------------


def test_harm_rising_in_a_falling_total():
    change = HarmChange(AFTER, BEFORE, top=1)
    # H0 = 4 × 7973.393423 + 150 × 2034.74186 + 694 × 189.1538871
    #    = 31893.573692 + 305211.279 + 131272.7976474 = 468377.6503394
    # H1 = 9 × 7973.393423 + 240 × 2034.74186 + 393 × 189.1538871
    #    = 71760.540807 + 488338.0464 + 74337.4776303 = 634436.0648373
    assert change.previous.total == pytest.approx(468377.6503394, rel=RTOL)
    assert change.current.total == pytest.approx(634436.0648373, rel=RTOL)
    assert change.count_ratio == pytest.approx(642 / 848, rel=RTOL)
    assert change.harm_ratio == pytest.approx(634436.0648373 / 468377.6503394, rel=RTOL)
    # V0 = 4 × 7973.393423² + 150 × 2034.74186² + 694 × 189.1538871² = 900156936.182695
    # V1 = 9 × 7973.393423² + 240 × 2034.74186² + 393 × 189.1538871² = 1579878111.79314
    assert change.previous.variance == pytest.approx(900156936.182695, rel=RTOL)
    assert change.current.variance == pytest.approx(1579878111.79314, rel=RTOL)
    # z = 166058.4144979 / sqrt(2480035047.976) = 3.33450964431449
    assert change.z == pytest.approx(3.33450964431449, rel=RTOL)
    # 2 × scipy.stats.norm.sf(3.33450964431449)
    assert change.p_value == pytest.approx(0.0008544993720444263, rel=RTOL)
    assert change.harm_rising_in_falling_total is True
    assert change.count_change.direction == "down"
    # 5D carries 240 × 2034.74186 / 634436.0648373 of current harm
    assert change.top_codes == ("5D",)
    assert change.top_share == pytest.approx(0.7697198716552052, rel=RTOL)
    assert list(change.contributions.index) == ["5D", "1", "8N"]
    # homicide: (9 − 4) × 7973.393423
    assert change.contributions.loc["1", "harm_change"] == pytest.approx(39866.967115, rel=RTOL)


def test_not_flagged_when_harm_rise_is_not_significant():
    before = pd.Series({"1": 4, "5D": 200, "8N": 644})
    after = pd.Series({"1": 9, "5D": 190, "8N": 443})
    change = HarmChange(after, before)
    assert change.count_ratio < 1
    assert change.p_value > 0.05
    assert change.harm_rising_in_falling_total is False


def test_not_flagged_when_total_rises():
    change = HarmChange(BEFORE * 2, BEFORE)
    assert change.count_ratio == pytest.approx(2.0, rel=RTOL)
    assert change.p_value < 0.05
    assert change.harm_rising_in_falling_total is False


def test_no_offences_gives_no_evidence():
    empty = pd.Series({"1": 0})
    change = HarmChange(empty, empty)
    assert (change.z, change.p_value) == (0.0, 1.0)
    assert math.isnan(change.count_ratio) and math.isnan(change.harm_ratio)
    assert change.harm_rising_in_falling_total is False


def test_compound_poisson_variance_by_monte_carlo():
    weights = np.array([W_MURDER, W_GBH, W_ABH, 11.85553905])
    means = np.array([4.0, 150.0, 694.0, 2000.0])
    rng = np.random.default_rng(20240601)
    draws = rng.poisson(means, size=(200_000, means.size)) @ weights
    expected = float((weights**2 * means).sum())
    assert draws.mean() == pytest.approx(float((weights * means).sum()), rel=0.01)
    assert draws.var(ddof=1) == pytest.approx(expected, rel=0.03)


# -- AgainstParent --------------------------------------------------------------------------


def test_homicide_within_serious_violence_is_not_called_at_five_per_cent():
    against = AgainstParent(9, 4, 642, 848)
    # parent 642 v 848: binomtest(642, 1490, 0.5).pvalue = 1.043702233674415e-07 -> 'down'
    assert against.parent_direction == "down"
    # 9 v 4 alone: 2 × (C(13,9)+C(13,10)+C(13,11)+C(13,12)+C(13,13)) / 2^13
    #            = 2 × 1093 / 8192 = 0.266845703125 -> 'stable'
    assert against.sub.p_value == pytest.approx(0.266845703125, rel=RTOL)
    assert against.sub_direction == "stable"
    # binomtest(9, 13, 642 / (642 + 848)).pvalue
    assert against.p_value == pytest.approx(0.0892533740164192, rel=RTOL)
    # (9 / 4) / (642 / 848)
    assert against.relative_ratio == pytest.approx(2.97196261682243, rel=RTOL)
    assert against.against_parent is False
    assert AgainstParent(9, 4, 642, 848, alpha=0.10).against_parent is True


def test_environmental_asb_within_all_asb():
    # parent = police-recorded ASB + environmental ASB: 7358 + 5736 = 13094 -> 5133 + 7803
    against = AgainstParent(7803, 5736, 5133 + 7803, 7358 + 5736)
    # binomtest(12936, 26030, 0.5).pvalue = 0.33049801207779667 -> 'stable'
    assert against.parent.p_value == pytest.approx(0.33049801207779667, rel=RTOL)
    assert against.parent_direction == "stable"
    assert against.sub_direction == "up"
    # binomtest(7803, 13539, 12936 / 26030).pvalue
    assert against.p_value == pytest.approx(2.0831614118613937e-76, rel=1e-6)
    assert against.share_previous == pytest.approx(5736 / 13094, rel=RTOL)
    assert against.share_current == pytest.approx(7803 / 12936, rel=RTOL)
    assert against.against_parent is True


def test_repeats_falling_with_domestic_abuse():
    against = AgainstParent(780, 900, 2100, 2400)
    assert against.parent_direction == "down"
    # binomtest(780, 1680, 0.5).pvalue = 0.0036798768838483373 -> 'down'
    assert against.sub.p_value == pytest.approx(0.0036798768838483373, rel=RTOL)
    assert against.sub_direction == "down"
    # binomtest(780, 1680, 2100 / 4500).pvalue
    assert against.p_value == pytest.approx(0.8641019060730617, rel=RTOL)
    assert against.relative_direction == "stable"
    assert against.against_parent is False


def test_a_rising_parent_is_never_against():
    against = AgainstParent(300, 100, 3000, 2000)
    assert against.parent_direction == "up"
    assert against.relative_direction == "up"
    assert against.against_parent is False


@pytest.mark.parametrize(
    "args", [(10, 5, 8, 100), (10, 5, 100, 0), (1.5, 1, 10, 10), (1, 1, 10, 10, 2.0)]
)
def test_against_parent_refuses_bad_input(args):
    with pytest.raises((ValueError, TypeError)):
        AgainstParent(*args)


def test_label_weights_give_hand_totals_and_agree_with_harm_total():
    # two murders (CSS 7,973.39...) and 100 assaults with injury (189.15...) by hand, and an
    # unknown code with no weight
    counts = pd.Series({"1": 2.0, "8N": 100.0, "ZZ9": 3.0})
    weights = label_weights(counts.index)
    assert math.isnan(weights["ZZ9"])
    by_hand = 2 * offences.css_weight("1") + 100 * offences.css_weight("8N")
    assert (counts * weights).sum() == pytest.approx(by_hand, rel=1e-12)
    assert (counts * weights).sum() == pytest.approx(HarmTotal(counts).total, rel=1e-12)
    categories = label_weights(["Robbery", "Anti-social behaviour"], by="category")
    assert categories["Robbery"] == offences.category_weight("Robbery")
    assert math.isnan(categories["Anti-social behaviour"])
    with pytest.raises(ValueError, match="by must be"):
        label_weights(["1"], by="street")
