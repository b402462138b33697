"""Tests for sia.analysis.spc: Making Data Count's XmR chart, rules, statuses and icons.

Every expected limit below is worked out by hand in the comment above it, from the
numbers of the series, with MDC's constants: limits = mean ± 2.66 × mR̄, the 2σ lines at
mean ± (2/3 × 2.66) × mR̄ = mean ± 1.773333 × mR̄, and moving ranges at or above
3.267 × mR̄ screened out (NHSRplotthedots ``ptd_spc_standard``). Decimals are written to
six places and compared with the one shared tolerance ``TOL``. The flags expected for
each pattern are read off the series by eye, point by point, as the comments say.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from sia.analysis.spc import (
    ASSURANCE_ICONS,
    MDC,
    RULE_NAMES,
    STATUSES,
    VARIATION_ICONS,
    Rules,
    XmR,
)

#: One tolerance for every numeric comparison (the hand values are given to 6 places).
TOL = 1e-6

IMPROVEMENT = "special cause — improvement"
CONCERN = "special cause — concern"
NEITHER = "special cause — neither"
COMMON = "common cause"


def approx(value: float) -> object:
    return pytest.approx(value, abs=TOL)


def flagged(mask: np.ndarray) -> list[int]:
    return np.flatnonzero(mask).tolist()


# -- the canonical patterns ------------------------------------------------------------


def test_a_point_beyond_a_limit():
    # 8, 12 alternating for 14 months, then 25.
    # mean = (7×8 + 7×12 + 25) / 15 = 165 / 15 = 11
    # moving ranges: 13 × |12 − 8| = 52, plus |25 − 12| = 13; mR̄ = 65 / 14 = 4.642857
    # screen: 3.267 × 4.642857 = 15.168214; 13 < 15.168214, so nothing is screened out
    # UPL = 11 + 2.66 × 65/14 = 11 + 172.9/14 = 11 + 12.35 = 23.35; LPL = 11 − 12.35 = −1.35
    # 2σ lines: 11 ± (2/3)·12.35 = 11 ± 8.233333 → 19.233333 and 2.766667
    chart = XmR([8, 12] * 7 + [25], polarity="up-is-bad")
    assert chart.chart == "xmr"
    assert chart.mean == approx(11.0)
    assert chart.mr_bar == approx(4.642857)
    assert chart.upl == approx(23.35)
    assert chart.lpl == approx(-1.35)
    assert chart.nupl == approx(19.233333)
    assert chart.nlpl == approx(2.766667)
    assert chart.sigma == approx(12.35 / 3)
    assert not chart.mr_excluded.any()
    # Only 25 (> 23.35) is flagged; the 8s and 12s alternate about the mean.
    assert flagged(chart.beyond_limit) == [14]
    assert flagged(chart.trend | chart.two_of_three | chart.shift) == []
    assert chart.rule[14] == "beyond limit"
    assert chart.status.tolist() == [COMMON] * 14 + [CONCERN]
    assert chart.variation_icon == "special cause concerning high"


def test_a_7_point_shift():
    # 14, 6 alternating for 6 months, then 11, 12, ... for 7, then 0.
    # mean = (3×14 + 3×6 + 4×11 + 3×12 + 0) / 14 = (42 + 18 + 44 + 36) / 14 = 140 / 14 = 10
    # moving ranges: 5 × 8 = 40; |11 − 6| = 5; 6 × 1 = 6; |0 − 11| = 11 → 62; mR̄ = 62/13 = 4.769231
    # screen: 3.267 × 4.769231 = 15.580846 > 11, nothing screened out
    # UPL = 10 + 2.66 × 62/13 = 10 + 164.92/13 = 10 + 12.686154 = 22.686154; LPL = −2.686154
    # 2σ lines: 10 ± 1.773333 × 4.769231 = 10 ± 8.457436 → 18.457436 and 1.542564
    chart = XmR([14, 6, 14, 6, 14, 6, 11, 12, 11, 12, 11, 12, 11, 0])
    assert chart.mean == approx(10.0)
    assert chart.mr_bar == approx(4.769231)
    assert chart.upl == approx(22.686154)
    assert chart.lpl == approx(-2.686154)
    assert chart.nupl == approx(18.457436)
    assert chart.nlpl == approx(1.542564)
    # Months 6–12 (11s and 12s) are the 7 points above 10; 0 is the only point beyond a
    # 2σ line, alone, so no two-of-three; nothing rises or falls 7 times running.
    assert flagged(chart.shift) == [6, 7, 8, 9, 10, 11, 12]
    assert flagged(chart.beyond_limit | chart.trend | chart.two_of_three) == []
    assert set(chart.rule[6:13]) == {"shift"}
    assert chart.status[6:13].tolist() == [CONCERN] * 7
    # The latest point (0) is common cause, so the icon is too, whatever came before.
    assert chart.status[-1] == COMMON
    assert chart.variation_icon == "common cause"


def test_a_shift_needs_as_many_points_as_the_rule_says():
    values = [14, 6, 14, 6, 14, 6, 11, 12, 11, 12, 11, 12, 11, 0]
    assert flagged(XmR(values, rules=Rules(shift=8)).shift) == []
    assert flagged(XmR(values, rules=Rules(shift=6)).shift) == [6, 7, 8, 9, 10, 11, 12]


def test_a_7_point_trend():
    # 4, 16 alternating for 6 months, then 7, 8, ..., 13.
    # mean = (3×4 + 3×16 + 7+8+9+10+11+12+13) / 13 = (60 + 70) / 13 = 10
    # moving ranges: 5 × 12 = 60; |7 − 16| = 9; 6 × 1 = 6 → 75; mR̄ = 75/12 = 6.25
    # screen: 3.267 × 6.25 = 20.41875 > 12, nothing screened out
    # UPL = 10 + 2.66 × 6.25 = 26.625; LPL = −6.625
    # 2σ lines: 10 ± 1.773333 × 6.25 = 10 ± 11.083333 → 21.083333 and −1.083333
    chart = XmR([4, 16, 4, 16, 4, 16, 7, 8, 9, 10, 11, 12, 13], polarity="down-is-bad")
    assert chart.mean == approx(10.0)
    assert chart.mr_bar == approx(6.25)
    assert chart.upl == approx(26.625)
    assert chart.lpl == approx(-6.625)
    assert chart.nupl == approx(21.083333)
    assert chart.nlpl == approx(-1.083333)
    # 7, 8, ..., 13 rise 6 times running (7 points); 3 of them are below the mean, one on
    # it, 3 above, so no shift; all are inside the 2σ lines.
    assert flagged(chart.trend) == [6, 7, 8, 9, 10, 11, 12]
    assert flagged(chart.beyond_limit | chart.two_of_three | chart.shift) == []
    assert chart.direction[6:].tolist() == [1] * 7
    # A rising trend is an improvement when down is bad, below the mean as well as above
    # it: the direction of a trend is that of the trend, not the side of the mean
    # (NHSRplotthedots issue #171, PR #180).
    assert chart.status[6:].tolist() == [IMPROVEMENT] * 7
    assert chart.variation_icon == "special cause improving high"


def test_six_rising_points_are_a_trend_only_under_a_6_point_rule():
    # 4, 16 alternating for 8 months, then 8, 9, ..., 13: 16 → 8 falls, so the rise is
    # 6 points (5 steps). MDC's default 7-point rule does not flag it; a 6-point rule does.
    values = [4, 16] * 4 + [8, 9, 10, 11, 12, 13]
    assert MDC.trend == 7
    assert flagged(XmR(values).trend) == []
    assert flagged(XmR(values, rules=Rules(trend=6)).trend) == [8, 9, 10, 11, 12, 13]


def test_an_equal_value_ends_a_trend():
    # 7, 8, 9, 9, 10, 11, 12, 13 has only 5 and 4 strict rises either side of the tie.
    values = [4, 16, 4, 16, 4, 16, 7, 8, 9, 9, 10, 11, 12, 13]
    assert flagged(XmR(values).trend) == []


def test_two_of_three_beyond_the_2_sigma_line():
    # Baseline: 9, 11 alternating for 14 months. mean = (7×9 + 7×11) / 14 = 140/14 = 10
    # moving ranges: 13 × 2 = 26; mR̄ = 26/13 = 2; screen 3.267 × 2 = 6.534 > 2
    # UPL = 10 + 2.66 × 2 = 15.32; LPL = 4.68
    # 2σ lines: 10 ± 1.773333 × 2 = 10 ± 3.546667 → 13.546667 and 6.453333
    # Then 14, 12, 14: all above 10; both 14s are beyond 13.546667 (and inside 15.32), 12
    # is not, so the two 14s are flagged and 12 is not.
    chart = XmR([9, 11] * 7 + [14, 12, 14], baseline=14)
    assert chart.baseline == 14
    assert chart.mean == approx(10.0)
    assert chart.mr_bar == approx(2.0)
    assert chart.upl == approx(15.32)
    assert chart.lpl == approx(4.68)
    assert chart.nupl == approx(13.546667)
    assert chart.nlpl == approx(6.453333)
    assert flagged(chart.two_of_three) == [14, 16]
    assert flagged(chart.beyond_limit | chart.trend | chart.shift) == []
    assert chart.status[14:].tolist() == [CONCERN, COMMON, CONCERN]
    assert chart.variation_icon == "special cause concerning high"


def test_two_of_three_counts_a_point_beyond_the_limit_as_mdc_does_since_2023():
    # Same baseline (mean 10, 2σ line 13.546667, UPL 15.32), then 14, 16, 11.
    # Window 14, 16, 11: all above 10; 14 is beyond the 2σ line and 16 beyond the UPL.
    # MDC since November 2023 counts both, so 14 is flagged (16 is "beyond limit" first).
    # The older logic counts only points between the 2σ line and the limit: 14 alone.
    values = [9, 11] * 7 + [14, 16, 11]
    chart = XmR(values, baseline=14)
    assert flagged(chart.beyond_limit) == [15]
    assert flagged(chart.two_of_three) == [14, 15]
    assert chart.rule[14:].tolist() == ["two of three", "beyond limit", None]
    older = XmR(values, baseline=14, rules=Rules(two_of_three_beyond_limits=False))
    assert flagged(older.two_of_three) == []
    assert older.rule[14:].tolist() == [None, "beyond limit", None]


def test_the_moving_range_screen_removes_an_outliers_ranges():
    # 10, 12 alternating for 16 months with month 8 at 24 instead of 10.
    # mean = (8×10 + 8×12 + 14) / 16 = 190/16 = 11.875
    # moving ranges: |24 − 12| = 12 into and out of month 8, 13 others of 2 → 24 + 26 = 50
    # mR̄ before the screen = 50/15 = 3.333333; screen at 3.267 × 3.333333 = 10.89
    # both 12s are ≥ 10.89 and are left out: mR̄ = 26/13 = 2
    # UPL = 11.875 + 2.66 × 2 = 17.195; LPL = 11.875 − 5.32 = 6.555
    # 2σ lines: 11.875 ± 3.546667 → 15.421667 and 8.328333
    values = [10, 12, 10, 12, 10, 12, 10, 12, 24, 12, 10, 12, 10, 12, 10, 12]
    chart = XmR(values)
    assert chart.mean == approx(11.875)
    assert chart.mr_bar_unscreened == approx(3.333333)
    assert chart.mr_bar == approx(2.0)
    assert flagged(chart.mr_excluded) == [8, 9]
    assert chart.upl == approx(17.195)
    assert chart.lpl == approx(6.555)
    assert chart.nupl == approx(15.421667)
    assert chart.nlpl == approx(8.328333)
    assert flagged(chart.beyond_limit) == [8]
    assert any("left out of the limits" in note for note in chart.notes)
    # Without the screen: mR̄ = 50/15 = 3.333333; UPL = 11.875 + 2.66 × 10/3 = 20.741667,
    # LPL = 11.875 − 8.866667 = 3.008333.
    unscreened = XmR(values, rules=Rules(screen_moving_ranges=False))
    assert unscreened.mr_bar == approx(3.333333)
    assert not unscreened.mr_excluded.any()
    assert unscreened.upl == approx(20.741667)
    assert unscreened.lpl == approx(3.008333)


# -- precedence, polarity and icons ----------------------------------------------------


def test_a_trend_takes_precedence_over_a_shift():
    # 14, 6 alternating for 8 months, then 20, 19, ..., 14.
    # mean = (4×14 + 4×6 + 20+19+18+17+16+15+14) / 15 = (80 + 119) / 15 = 199/15 = 13.266667
    # moving ranges: 7 × 8 = 56; |20 − 6| = 14; 6 × 1 = 6 → 76; mR̄ = 76/14 = 5.428571
    # screen: 3.267 × 5.428571 = 17.735143 > 14, nothing screened out
    # UPL = 13.266667 + 2.66 × 76/14 = 13.266667 + 202.16/14 = 13.266667 + 14.44 = 27.706667
    # 2σ lines: 13.266667 ± 9.626667 → 22.893333 and 3.64 (20 and 6 are inside them)
    chart = XmR([14, 6] * 4 + [20, 19, 18, 17, 16, 15, 14], polarity="up-is-bad")
    assert chart.mean == approx(13.266667)
    assert chart.mr_bar == approx(5.428571)
    assert chart.upl == approx(27.706667)
    assert chart.nupl == approx(22.893333)
    assert chart.nlpl == approx(3.64)
    # The last 7 points fall 6 times running and are all above the mean: both a trend
    # (falling: improvement when up is bad) and a shift (above: concern). Trend comes
    # first, so they are improvements, and the latest point reads "improving low".
    assert flagged(chart.trend) == flagged(chart.shift) == list(range(8, 15))
    assert set(chart.rule[8:]) == {"trend"}
    assert chart.direction[8:].tolist() == [-1] * 7
    assert chart.status[8:].tolist() == [IMPROVEMENT] * 7
    assert chart.variation_icon == "special cause improving low"


def test_rule_names_are_in_mdc_precedence():
    assert RULE_NAMES == ("beyond limit", "trend", "two of three", "shift")


@pytest.mark.parametrize(
    ("polarity", "status", "icon"),
    [
        ("up-is-bad", CONCERN, "special cause concerning high"),
        ("down-is-bad", IMPROVEMENT, "special cause improving high"),
        ("neutral", NEITHER, "special cause neither high"),
    ],
)
def test_polarity_decides_improvement_concern_or_neither(polarity, status, icon):
    # The beyond-limit series (UPL 23.35): 25 is high.
    chart = XmR([8, 12] * 7 + [25], polarity=polarity)
    assert chart.status[-1] == status
    assert chart.variation_icon == icon
    assert chart.variation_icon in VARIATION_ICONS
    assert set(chart.status) <= set(STATUSES)


@pytest.mark.parametrize(
    ("polarity", "status", "icon"),
    [
        ("up-is-bad", IMPROVEMENT, "special cause improving low"),
        ("down-is-bad", CONCERN, "special cause concerning low"),
        ("neutral", NEITHER, "special cause neither low"),
    ],
)
def test_a_low_point_flips_with_polarity(polarity, status, icon):
    # 8, 12 alternating for 14 months, then −10.
    # mean = (7×8 + 7×12 − 10)/15 = 130/15 = 8.666667
    # moving ranges: 13 × 4 = 52 and |−10 − 12| = 22; mR̄ = 74/14 = 5.285714
    # screen: 3.267 × 5.285714 = 17.268429 ≤ 22, so the 22 is left out: mR̄ = 52/13 = 4
    # LPL = 8.666667 − 2.66 × 4 = 8.666667 − 10.64 = −1.973333, and −10 is below it.
    chart = XmR([8, 12] * 7 + [-10], polarity=polarity)
    assert chart.mean == approx(8.666667)
    assert chart.mr_bar == approx(4.0)
    assert chart.lpl == approx(-1.973333)
    assert chart.rule[-1] == "beyond limit"
    assert chart.status[-1] == status
    assert chart.variation_icon == icon


BASE = [9, 11] * 7  # mean 10, mR̄ 2, LPL 4.68, UPL 15.32 (see the two-of-three test)


@pytest.mark.parametrize(
    ("polarity", "target", "icon"),
    [
        # a ceiling (up is bad): above the UPL always met, below the LPL never met
        ("up-is-bad", 20, "consistently pass"),
        ("up-is-bad", 2, "consistently fail"),
        ("up-is-bad", 10, "hit and miss"),
        # a floor (down is bad): the reverse
        ("down-is-bad", 20, "consistently fail"),
        ("down-is-bad", 2, "consistently pass"),
        ("down-is-bad", 10, "hit and miss"),
    ],
)
def test_assurance_icon_for_three_target_positions(polarity, target, icon):
    chart = XmR(BASE, polarity=polarity, target=target)
    assert chart.upl == approx(15.32)
    assert chart.lpl == approx(4.68)
    assert chart.assurance_icon == icon
    assert chart.assurance_icon in ASSURANCE_ICONS


def test_assurance_on_a_limit_is_hit_and_miss():
    upl = XmR(BASE).upl
    assert XmR(BASE, polarity="up-is-bad", target=upl).assurance_icon == "hit and miss"
    assert XmR(BASE, polarity="down-is-bad", target=upl).assurance_icon == "hit and miss"


def test_assurance_needs_a_target_and_a_direction():
    assert XmR(BASE).assurance_icon is None
    neutral = XmR(BASE, polarity="neutral", target=20)
    assert neutral.target_kind is None
    assert neutral.assurance_icon is None
    assert any("neutral" in note for note in neutral.notes)
    told = XmR(BASE, polarity="neutral", target=20, target_kind="at-most")
    assert told.assurance_icon == "consistently pass"
    # An explicit kind wins over the one the polarity implies.
    floor = XmR(BASE, polarity="up-is-bad", target=20, target_kind="at-least")
    assert floor.assurance_icon == "consistently fail"
    assert XmR(BASE, polarity="up-is-bad", target=20).target_kind == "at-most"


def test_common_cause_series_has_no_special_cause():
    chart = XmR(BASE)
    assert set(chart.status) == {COMMON}
    assert set(chart.rule) == {None}
    assert chart.variation_icon == "common cause"


# -- run chart below 13 points ---------------------------------------------------------


def test_a_10_point_series_gives_a_run_chart():
    # 10 points < 13: no limits, no icons; the centre line is the median.
    # sorted: 2 3 3 4 4 5 5 6 7 8 → median = (4 + 5)/2 = 4.5
    # 3, 4, 4, 6, 7, 8 go up 5 times counting the repeated 4 once: a 5-point trend, which
    # flags all six points (the tie included). Sides of 4.5: + − − − + + + − + −, no run
    # of 6. Rising is a concern when up is bad.
    chart = XmR([5, 3, 4, 4, 6, 7, 8, 2, 5, 3], polarity="up-is-bad", target=4)
    assert chart.chart == "run"
    assert chart.median == approx(4.5)
    assert chart.centre == approx(4.5)
    for line in (chart.mean, chart.mr_bar, chart.upl, chart.lpl, chart.nupl, chart.nlpl):
        assert math.isnan(line)
    assert flagged(chart.trend) == [1, 2, 3, 4, 5, 6]
    assert flagged(chart.shift | chart.beyond_limit | chart.two_of_three) == []
    assert chart.status[1:7].tolist() == [CONCERN] * 6
    assert chart.variation_icon is None
    assert chart.assurance_icon is None
    assert any("fewer than 13" in note for note in chart.notes)


def test_run_chart_shift_of_6_about_the_median():
    # 12 points: sorted 2 2 2 3 3 3 8 8 8 9 9 9 → median = (3 + 8)/2 = 5.5
    # The first 6 are below, the last 6 above: two shifts. Up is bad: below improves.
    chart = XmR([2, 3, 2, 3, 2, 3, 8, 9, 8, 9, 8, 9])
    assert chart.chart == "run"
    assert chart.median == approx(5.5)
    assert flagged(chart.shift) == list(range(12))
    assert flagged(chart.trend) == []
    assert chart.status.tolist() == [IMPROVEMENT] * 6 + [CONCERN] * 6


def test_run_chart_skips_points_on_the_median():
    # Baseline 2, 6, 2, 6 → median 4. Then 3, 4, 1, 3, 2, 1, 3: the 4 is on the median
    # and neither counts nor breaks the run, so the six others are a shift below.
    chart = XmR([2, 6, 2, 6, 3, 4, 1, 3, 2, 1, 3], baseline=4)
    assert chart.chart == "run"
    assert chart.median == approx(4.0)
    assert flagged(chart.shift) == [4, 6, 7, 8, 9, 10]
    assert chart.status[5] == COMMON


def test_limits_start_at_13_points():
    assert XmR([9, 11] * 6).chart == "run"
    assert XmR([9, 11] * 6 + [9]).chart == "xmr"
    assert XmR([9, 11] * 10, baseline=12).chart == "run"


# -- real data -------------------------------------------------------------------------


def test_a_structural_drop_is_special_cause():
    # 24 months at 700 then 6 at 250 (e.g. a recording change).
    # mean = (24×700 + 6×250)/30 = (16800 + 1500)/30 = 610
    # moving ranges: 28 × 0 and one of 450; mR̄ = 450/29 = 15.517241; the screen
    # (3.267 × 15.517241 = 50.693793) removes the 450, so mR̄ = 0/28 = 0 and both limits
    # sit on 610: every month is beyond one, and the drop reads as a change.
    chart = XmR([700] * 24 + [250] * 6, polarity="up-is-bad")
    assert chart.mean == approx(610.0)
    assert chart.mr_bar_unscreened == approx(15.517241)
    assert chart.mr_bar == approx(0.0)
    assert chart.upl == approx(610.0) and chart.lpl == approx(610.0)
    assert chart.beyond_limit.all()
    assert chart.status[:24].tolist() == [CONCERN] * 24
    assert chart.status[24:].tolist() == [IMPROVEMENT] * 6
    assert chart.variation_icon == "special cause improving low"
    assert any("all zero" in note for note in chart.notes)


PRE = [712, 695, 704, 688, 701, 716, 698, 707, 690, 703, 711, 694]
PRE += [700, 709, 686, 705, 697, 713, 692, 706, 699, 702, 689, 704]
POST = [252, 247, 255, 249, 251, 246]


def test_a_structural_drop_against_a_two_year_baseline():
    # Two years of monthly counts around 700, then a drop to about 250; limits from the
    # 24 months before it.
    # sum = 16821 (deviations from 700: +12 −5 +4 −12 +1 +16 −2 +7 −10 +3 +11 −6 0 +9 −14 +5
    # −3 +13 −8 +6 −1 +2 −11 +4, which sum to 21); mean = 16821/24 = 700.875
    # moving ranges: 17 9 16 13 15 18 9 17 13 8 17 6 9 23 19 8 16 21 14 7 3 13 15 = 306
    # mR̄ = 306/23 = 13.304348; screen 3.267 × 13.304348 = 43.465304 > 23, none removed
    # UPL = 700.875 + 2.66 × 13.304348 = 700.875 + 35.389565 = 736.264565; LPL = 665.485435
    # 2σ lines: 700.875 ± 23.593043 → 724.468043 and 677.281957 (716 and 686 inside)
    chart = XmR(PRE + POST, polarity="up-is-bad", baseline=24)
    assert chart.mean == approx(700.875)
    assert chart.mr_bar == approx(13.304348)
    assert chart.upl == approx(736.264565)
    assert chart.lpl == approx(665.485435)
    assert chart.nupl == approx(724.468043)
    assert chart.nlpl == approx(677.281957)
    assert set(chart.status[:24]) == {COMMON}
    assert flagged(chart.beyond_limit) == list(range(24, 30))
    assert chart.status[24:].tolist() == [IMPROVEMENT] * 6
    assert chart.variation_icon == "special cause improving low"
    # The same drop for a measure where down is bad (e.g. a detection rate) is a concern.
    assert XmR(PRE + POST, polarity="down-is-bad", baseline=24).variation_icon == (
        "special cause concerning low"
    )


# -- output and input checks -----------------------------------------------------------


def test_to_frame_has_one_row_per_point_with_stable_columns():
    months = pd.period_range("2024-01", periods=17, freq="M")
    chart = XmR(pd.Series([9, 11] * 7 + [14, 12, 14], index=months), baseline=14)
    frame = chart.to_frame()
    assert list(frame.columns) == [
        "value",
        "in_baseline",
        "centre",
        "mean",
        "median",
        "lpl",
        "nlpl",
        "nupl",
        "upl",
        "beyond_limit",
        "trend",
        "two_of_three",
        "shift",
        "rule",
        "direction",
        "status",
    ]
    assert frame.index.equals(months)
    last = frame.loc[pd.Period("2025-05", freq="M")]
    assert last["value"] == approx(14.0)
    assert last["mean"] == approx(10.0)
    assert last["upl"] == approx(15.32)
    assert last["lpl"] == approx(4.68)
    assert bool(last["two_of_three"]) and not bool(last["in_baseline"])
    assert last["rule"] == "two of three"
    assert last["status"] == CONCERN
    assert math.isnan(last["median"])
    assert int(frame["in_baseline"].sum()) == 14


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"values": [1.0, float("nan"), 3.0]}, "position 1"),
        ({"values": [1.0]}, "at least 2"),
        ({"values": ["a", "b"]}, "values must be numbers"),
        ({"values": [[1, 2], [3, 4]]}, "1-D"),
        ({"values": BASE, "polarity": "down-is-good"}, "polarity"),
        ({"values": BASE, "target_kind": "below"}, "target_kind"),
        ({"values": BASE, "target": float("inf")}, "target"),
        ({"values": BASE, "baseline": 15}, "baseline"),
        ({"values": BASE, "baseline": 1}, "baseline"),
        ({"values": BASE, "rules": {"shift": 6}}, "Rules"),
    ],
)
def test_bad_input_names_the_argument(kwargs, message):
    with pytest.raises(ValueError, match=message):
        XmR(**kwargs)


def test_rules_are_validated():
    with pytest.raises(ValueError, match=r"Rules\.shift"):
        Rules(shift=1)
    with pytest.raises(ValueError, match=r"Rules\.screen_moving_ranges"):
        Rules(screen_moving_ranges="yes")
    assert (MDC.shift, MDC.trend, MDC.min_points, MDC.run_shift, MDC.run_trend) == (
        7,
        7,
        13,
        6,
        5,
    )
