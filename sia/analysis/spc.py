"""Statistical process control (SPC) as NHS England's "Making Data Count" (MDC) defines it.

One class, :class:`XmR`, answers "is this measure behaving differently from before, and
will it meet its target?" for one monthly (or weekly) series: the XmR control chart with
MDC's moving-range screen, its four special-cause rules in their precedence, each point's
status by the measure's polarity, and the variation and assurance icons. Below 13 points
it gives a run chart instead (median and run rules, no limits). The thresholds live in
one validated parameters object, :class:`Rules`; :data:`MDC` holds MDC's defaults.

The method, the choices made where the MDC Excel tool, its Power BI visual and the
NHSRplotthedots R package differ, and the references are in ``docs/methods/spc.md``.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

__all__ = [
    "ASSURANCE_ICONS",
    "LIMIT",
    "MDC",
    "NEAR_LIMIT",
    "POLARITIES",
    "RULE_NAMES",
    "SCREEN",
    "STATUSES",
    "TARGET_KINDS",
    "VARIATION_ICONS",
    "Rules",
    "XmR",
]

#: Process limits sit ``LIMIT`` mean moving ranges either side of the mean
#: (3 / d2 with d2 = 1.128 for ranges of two points, rounded as MDC rounds it).
LIMIT = 2.66
#: The near-limit ("2σ") lines sit two thirds of the way out: 2 × 2.66 / 3 ≈ 1.773.
NEAR_LIMIT = 2 * LIMIT / 3
#: Moving ranges at or above ``SCREEN`` × the mean moving range are screened out before
#: the limits are set (D4 = 3.267, the upper limit of a chart of two-point ranges).
SCREEN = 3.267

#: The values ``polarity`` can take: which direction of change is bad news.
POLARITIES = ("up-is-bad", "down-is-bad", "neutral")
#: The values ``target_kind`` can take: the target is a ceiling or a floor.
TARGET_KINDS = ("at-most", "at-least")
#: The special-cause rules, in MDC's order of precedence (first wins for a point).
RULE_NAMES = ("beyond limit", "trend", "two of three", "shift")
#: The values a point's status can take.
STATUSES = (
    "common cause",
    "special cause — improvement",
    "special cause — concern",
    "special cause — neither",
)
#: The values :attr:`XmR.variation_icon` can take (MDC's variation icons).
VARIATION_ICONS = (
    "common cause",
    "special cause improving high",
    "special cause improving low",
    "special cause concerning high",
    "special cause concerning low",
    "special cause neither high",
    "special cause neither low",
)
#: The values :attr:`XmR.assurance_icon` can take (MDC's assurance icons).
ASSURANCE_ICONS = ("consistently pass", "consistently fail", "hit and miss")


def _whole(value: object, name: str, smallest: int) -> int:
    """Return ``value`` as an int of at least ``smallest``, or raise naming the argument."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < smallest:
        raise ValueError(
            f"{name} must be a whole number of points, {smallest} or more, not {value!r}"
        )
    return int(value)


@dataclass(frozen=True)
class Rules:
    """Thresholds of the special-cause rules, validated once.

    The defaults (:data:`MDC`) are those of NHS England's Making Data Count tools and of
    NHSRplotthedots. Change them only to reproduce another tool, and say so in the report.

    Parameters
    ----------
    shift : int, default 7
        A run of this many consecutive points on the same side of the mean is special
        cause. MDC's Excel tool also offers 6 (NHSRplotthedots issue #202).
    trend : int, default 7
        This many consecutive points, each strictly higher (or each strictly lower) than
        the one before, are special cause: 7 points are 6 successive rises or falls. An
        equal value ends a trend, as in NHSRplotthedots.
    two_of_three_beyond_limits : bool, default True
        In the "two of three" rule, count a point beyond a process limit as being beyond
        the 2σ line. True is MDC's logic since its November 2023 change (NHSRplotthedots
        issue #194); False is the older logic, which counts only points between the 2σ
        line and the process limit (NHSRplotthedots ``ptd_spc_standard``).
    screen_moving_ranges : bool, default True
        Screen out moving ranges at or above :data:`SCREEN` × the mean moving range and
        recompute it (NHSRplotthedots' ``screen_outliers``, on by default there).
    min_points : int, default 13
        Fewest baseline points from which the control chart, its limits and the icons
        are shown, as in MDC's Single Chart tool; below it a run chart is given.
    run_shift : int, default 6
        Run chart: this many consecutive points on the same side of the median (points
        on the median neither count nor break the run) are a shift.
    run_trend : int, default 5
        Run chart: this many consecutive points all going up (or all down), a repeated
        value counted once, are a trend.
    """

    shift: int = 7
    trend: int = 7
    two_of_three_beyond_limits: bool = True
    screen_moving_ranges: bool = True
    min_points: int = 13
    run_shift: int = 6
    run_trend: int = 5

    def __post_init__(self) -> None:
        for name in ("shift", "trend", "run_shift", "run_trend"):
            _whole(getattr(self, name), f"Rules.{name}", 2)
        _whole(self.min_points, "Rules.min_points", 2)
        for name in ("two_of_three_beyond_limits", "screen_moving_ranges"):
            if not isinstance(getattr(self, name), bool):
                raise ValueError(f"Rules.{name} must be True or False, not {getattr(self, name)!r}")


#: Making Data Count's rules: 7-point shift and trend, the 2023 two-of-three logic, the
#: moving-range screen on, limits from 13 points; run charts by the 6-point shift and
#: 5-point trend rules.
MDC = Rules()


def _values(values: object) -> tuple[np.ndarray, pd.Index]:
    """Return the series as a 1-D float array and its index, or raise naming the fix."""
    index = values.index if isinstance(values, pd.Series) else None
    array = np.asarray(values)
    if array.dtype == bool or array.dtype.kind not in "iuf":
        raise ValueError(
            "values must be numbers (one per month or week, oldest first), "
            f"not an array of {array.dtype}"
        )
    array = array.astype(float)
    if array.ndim != 1:
        raise ValueError(f"values must be one series (1-D), not an array of shape {array.shape}")
    if array.size < 2:
        raise ValueError(f"values must have at least 2 points, not {array.size}")
    missing = np.flatnonzero(~np.isfinite(array))
    if missing.size:
        raise ValueError(
            f"values has a missing or infinite value at position {int(missing[0])}; "
            "an SPC chart needs an unbroken series: fill or explain the gap first"
        )
    if index is None:
        index = pd.RangeIndex(array.size)
    return array, index


def _shift(side: np.ndarray, length: int) -> np.ndarray:
    """Points in a run of ``length`` or more consecutive equal, non-zero ``side`` values."""
    flags = np.zeros(side.size, dtype=bool)
    for end in range(length - 1, side.size):
        window = side[end - length + 1 : end + 1]
        if window[0] != 0 and np.all(window == window[0]):
            flags[end - length + 1 : end + 1] = True
    return flags


def _trend(y: np.ndarray, length: int) -> tuple[np.ndarray, np.ndarray]:
    """Points in ``length`` or more strictly rising (or falling) points, and the direction.

    A point that ends one trend and starts the next takes the later trend's direction.
    """
    flags = np.zeros(y.size, dtype=bool)
    direction = np.zeros(y.size, dtype=int)
    steps = np.sign(np.diff(y)).astype(int)
    for start in range(y.size - length + 1):
        window = steps[start : start + length - 1]
        if window[0] != 0 and np.all(window == window[0]):
            flags[start : start + length] = True
            direction[start : start + length] = window[0]
    return flags, direction


def _two_of_three(side: np.ndarray, near: np.ndarray) -> np.ndarray:
    """Points beyond a 2σ line in 3 consecutive points, all on one side, 2 or more beyond."""
    flags = np.zeros(side.size, dtype=bool)
    for start in range(side.size - 2):
        window = slice(start, start + 3)
        if side[start] != 0 and np.all(side[window] == side[start]) and near[window].sum() >= 2:
            flags[window] |= near[window]
    return flags


def _run_shift(side: np.ndarray, length: int) -> np.ndarray:
    """Run-chart shift: ``length`` or more points on one side of the median, skipping ties."""
    flags = np.zeros(side.size, dtype=bool)
    off_median = np.flatnonzero(side != 0)
    flags[off_median] = _shift(side[off_median], length) if off_median.size else False
    return flags


def _run_trend(y: np.ndarray, length: int) -> tuple[np.ndarray, np.ndarray]:
    """Run-chart trend: ``length`` or more points all going up (or down), ties counted once."""
    kept = np.concatenate(([0], np.flatnonzero(np.diff(y) != 0) + 1))
    flags = np.zeros(y.size, dtype=bool)
    direction = np.zeros(y.size, dtype=int)
    steps = np.sign(np.diff(y[kept])).astype(int)
    for start in range(kept.size - length + 1):
        window = steps[start : start + length - 1]
        if np.all(window == window[0]):
            span = slice(kept[start], kept[start + length - 1] + 1)
            flags[span] = True
            direction[span] = window[0]
    return flags, direction


class XmR:
    r"""XmR control chart with Making Data Count's rules, statuses and icons.

    **Limits.** From the first ``baseline`` points (all points by default): the mean
    :math:`\bar{x}`, the moving ranges :math:`mR_t = |x_t - x_{t-1}|` and their mean
    :math:`\overline{mR}`. Moving ranges at or above :math:`3.267\,\overline{mR}` are
    screened out and :math:`\overline{mR}` recomputed from the rest, once. The process
    limits are :math:`\bar{x} \pm 2.66\,\overline{mR}` and the near-limit (2σ) lines
    :math:`\bar{x} \pm \tfrac{2}{3} 2.66\,\overline{mR}` (Wheeler 1995; NHSRplotthedots
    ``ptd_spc_standard``). The limits are fixed by the baseline; the rules are applied to
    every point.

    **Special-cause rules**, in the order of precedence NHSRplotthedots uses
    (``ptd_calculate_point_type``, PR #180), each flagging every point of its pattern:

    1. *beyond limit*: a point above the upper or below the lower process limit;
    2. *trend*: 7 consecutive points each strictly higher (or each strictly lower) than
       the one before;
    3. *two of three*: of 3 consecutive points all on the same side of the mean, 2 or
       more beyond the 2σ line on that side; only those beyond it are flagged (a point
       beyond the process limit counts, as in MDC's logic since November 2023);
    4. *shift*: 7 consecutive points on the same side of the mean (a point on the mean
       breaks the run).

    A point flagged by several rules takes the first (where a point is both improvement
    and concern, MDC's Excel tool shows improvement instead; see the method note). Its
    direction is its side of the mean, or for a trend the trend's direction (rising or
    falling). By ``polarity`` the direction is an improvement or a concern, or "neither"
    for a neutral measure.

    **Icons.** The variation icon is that of the latest point (MDC "Strengthening your
    decisions"; NHSRplotthedots ``geom_ptd_icon``). The assurance icon compares a target
    with the process limits (NHSRplotthedots ``ptd_calculate_assurance_type``): for a
    ceiling ("at-most") a target above the upper limit is consistently passed and one
    below the lower limit consistently failed; for a floor ("at-least") the reverse;
    a target between the limits (or on one) is hit and miss.

    **Short series.** With fewer than 13 baseline points (MDC's Single Chart tool shows
    limits and icons only from 13; NHSRplotthedots issue #194) a run chart is given
    instead: the median of the baseline, a *trend* of 5 points all going up or all going
    down (a repeated value counted once) and a *shift* of 6 points on one side of the
    median (points on the median skipped), trend first; no limits and no icons (Perla,
    Provost & Murray 2011; NHS Institute for Innovation and Improvement).

    Parameters
    ----------
    values : sequence of float or pandas.Series
        One value per period, oldest first, with no gaps. A Series keeps its index (e.g.
        months) in :meth:`to_frame`.
    polarity : {'up-is-bad', 'down-is-bad', 'neutral'}, default 'up-is-bad'
        Which direction of change is bad news: ``'up-is-bad'`` for offence counts
        (MDC's improvement direction "decrease"), ``'down-is-bad'`` for, say, a
        detection rate ("increase"), ``'neutral'`` for activity measures ("neutral").
    target : float, optional
        A target for the measure; sets :attr:`assurance_icon`.
    target_kind : {'at-most', 'at-least'}, optional
        Whether the target is a ceiling or a floor. By default it follows the polarity
        (``'at-most'`` when up is bad, ``'at-least'`` when down is bad); a neutral
        measure gets an assurance icon only when it is given, as MDC gives none.
    baseline : int, optional
        Number of leading points that fix the mean and limits (MDC's "baseline",
        NHSRplotthedots' ``fix_after_n_points``); all points by default.
    rules : Rules, optional
        The thresholds; :data:`MDC` by default.

    Attributes
    ----------
    values : numpy.ndarray
        The series, as floats.
    index : pandas.Index
        The series' index (that of a Series, else 0, 1, ...).
    n : int
        Number of points.
    chart : {'xmr', 'run'}
        ``'xmr'`` from :attr:`Rules.min_points` (13) baseline points, else ``'run'``.
    baseline : int
        Points that fixed the centre line and limits.
    centre : float
        The centre line: :attr:`mean` on an XmR chart, :attr:`median` on a run chart.
    mean : float
        :math:`\bar{x}` of the baseline; ``nan`` on a run chart.
    median : float
        Median of the baseline; ``nan`` on an XmR chart.
    mr : numpy.ndarray
        Moving ranges :math:`|x_t - x_{t-1}|` of the whole series; ``nan`` at position 0.
    mr_excluded : numpy.ndarray of bool
        True for each baseline moving range removed by the screen.
    mr_bar_unscreened : float
        Mean baseline moving range before the screen; ``nan`` on a run chart.
    mr_bar : float
        :math:`\overline{mR}`, the mean baseline moving range after the screen;
        ``nan`` on a run chart.
    sigma : float
        :math:`2.66\,\overline{mR} / 3`, the distance of one "σ" line from the mean.
    upl, lpl : float
        Upper and lower process limits :math:`\bar{x} \pm 2.66\,\overline{mR}`
        ("3σ"); ``nan`` on a run chart.
    nupl, nlpl : float
        Near upper and lower process limits (the 2σ lines); ``nan`` on a run chart.
    beyond_limit, trend, two_of_three, shift : numpy.ndarray of bool
        Per point, whether each rule flags it (before precedence). On a run chart the
        first and third are all False and the others use the run-chart rules.
    rule : numpy.ndarray of object
        Per point, the first rule in :data:`RULE_NAMES` order that flags it, or None.
    direction : numpy.ndarray of int
        Per point, +1 (high or rising), -1 (low or falling), 0 for common cause.
    status : numpy.ndarray of object
        Per point, one of :data:`STATUSES`.
    variation_icon : str or None
        One of :data:`VARIATION_ICONS`, from the latest point; None on a run chart.
    assurance_icon : str or None
        One of :data:`ASSURANCE_ICONS`; None without a target, on a run chart, or for a
        neutral measure with no ``target_kind``.
    notes : list of str
        Plain-English notes of what was chosen automatically (run chart, screened
        ranges, zero-width limits, inferred target kind).
    polarity, target, target_kind, rules
        As given (``target_kind`` as inferred when not given).

    References
    ----------
    NHS England and NHS Improvement (2019). *Making Data Count: Getting started*; and
    (2021) *Making Data Count: Strengthening your decisions*. (#plotthedots; the XmR
    chart, its rules and the variation and assurance icons.)

    NHS-R Community. *NHSRplotthedots*: R package, files ``R/ptd_spc_standard.R``,
    ``R/ptd_calculate_point_type.R``, ``R/ptd_calculate_assurance_type.R``,
    ``R/geom_ptd_icon.R``; issues #171 and PR #180 (trend direction, rule precedence),
    #194 (MDC's 2023 two-of-three logic; limits from 13 points; conflicts), #202 (6 or 7
    points).

    Wheeler, D. J. (1995). *Advanced Topics in Statistical Process Control*. SPC Press;
    Wheeler, D. J. (2000). *Understanding Variation: The Key to Managing Chaos*, 2nd edn.
    SPC Press. (2.66 = 3/d2 and the moving-range limit 3.267 = D4.)

    Perla, R. J., Provost, L. P. and Murray, S. K. (2011). The run chart: a simple
    analytical tool for learning from variation in healthcare processes. *BMJ Quality &
    Safety* 20(1), 46–51. NHS Institute for Innovation and Improvement. *A guide to
    creating and interpreting run and control charts*.

    Examples
    --------
    Fourteen months alternating 9 and 11 fix the limits; three later months sit near the
    upper limit:

    >>> from sia.analysis.spc import XmR
    >>> chart = XmR([9, 11] * 7 + [14, 12, 14], polarity="up-is-bad", baseline=14, target=16)
    >>> chart.chart, round(chart.mean, 2), round(chart.lpl, 2), round(chart.upl, 2)
    ('xmr', 10.0, 4.68, 15.32)
    >>> chart.status[-3:].tolist()
    ['special cause — concern', 'common cause', 'special cause — concern']
    >>> chart.rule[-1], chart.variation_icon, chart.assurance_icon
    ('two of three', 'special cause concerning high', 'consistently pass')

    Ten points are too few for limits; a run chart is given:

    >>> XmR([2, 4, 2, 4, 2, 4, 8, 9, 8, 9]).chart
    'run'
    """

    def __init__(
        self,
        values: Sequence[float] | np.ndarray | pd.Series,
        polarity: str = "up-is-bad",
        target: float | None = None,
        target_kind: str | None = None,
        baseline: int | None = None,
        rules: Rules | None = None,
    ) -> None:
        self.values, self.index = _values(values)
        y = self.values
        self.n = n = y.size
        if polarity not in POLARITIES:
            raise ValueError(f"polarity must be one of {', '.join(POLARITIES)}, not {polarity!r}")
        if target_kind is not None and target_kind not in TARGET_KINDS:
            raise ValueError(
                f"target_kind must be one of {', '.join(TARGET_KINDS)} or None "
                f"(to follow the polarity), not {target_kind!r}"
            )
        if target is not None and (
            isinstance(target, bool)
            or not isinstance(target, numbers.Real)
            or not math.isfinite(target)
        ):
            raise ValueError(f"target must be a finite number or None, not {target!r}")
        if rules is None:
            rules = MDC
        if not isinstance(rules, Rules):
            raise ValueError(f"rules must be a Rules object (e.g. Rules(shift=6)), not {rules!r}")
        if baseline is None:
            baseline = n
        baseline = _whole(baseline, "baseline", 2)
        if baseline > n:
            raise ValueError(f"baseline must be at most the number of points ({n}), not {baseline}")

        self.polarity = polarity
        self.target = None if target is None else float(target)
        self.rules = rules
        self.baseline = baseline
        self.notes: list[str] = []
        self.chart = "xmr" if baseline >= rules.min_points else "run"

        self.mr = np.concatenate(([np.nan], np.abs(np.diff(y))))
        self.mr_excluded = np.zeros(n, dtype=bool)
        fixed = y[:baseline]
        nan = math.nan
        if self.chart == "xmr":
            self._limits(fixed)
            self._xmr_rules()
        else:
            self.notes.append(
                f"{baseline} points are fewer than {rules.min_points}: a run chart is "
                "shown (median and run rules), without process limits or icons"
            )
            self.mean = self.mr_bar_unscreened = self.mr_bar = self.sigma = nan
            self.upl = self.lpl = self.nupl = self.nlpl = nan
            self.median = self.centre = float(np.median(fixed))
            self._run_rules()

        self._classify()
        self.target_kind = self._target_kind(target_kind)
        self.variation_icon = self._variation_icon()
        self.assurance_icon = self._assurance_icon()

    # -- limits and rules ---------------------------------------------------------------

    def _limits(self, fixed: np.ndarray) -> None:
        self.mean = self.centre = float(np.mean(fixed))
        self.median = math.nan
        ranges = self.mr[1 : fixed.size]
        self.mr_bar_unscreened = mr_bar = float(np.mean(ranges))
        if self.rules.screen_moving_ranges and mr_bar > 0:
            excluded = ranges >= SCREEN * mr_bar
            self.mr_excluded[1 : fixed.size] = excluded
            mr_bar = float(np.mean(ranges[~excluded]))
            if excluded.any():
                self.notes.append(
                    f"{int(excluded.sum())} moving range(s) at or above {SCREEN} × the mean "
                    f"moving range ({self.mr_bar_unscreened:.4g}) were left out of the limits"
                )
        self.mr_bar = mr_bar
        if mr_bar == 0:
            self.notes.append(
                "the baseline moving ranges are all zero: the limits sit on the mean, so "
                "every point off the mean is beyond a limit"
            )
        self.sigma = LIMIT * mr_bar / 3
        self.upl = self.mean + LIMIT * mr_bar
        self.lpl = self.mean - LIMIT * mr_bar
        self.nupl = self.mean + NEAR_LIMIT * mr_bar
        self.nlpl = self.mean - NEAR_LIMIT * mr_bar

    def _xmr_rules(self) -> None:
        y, rules = self.values, self.rules
        self._side = side = np.sign(y - self.mean).astype(int)
        self.beyond_limit = (y > self.upl) | (y < self.lpl)
        self.trend, self._trend_direction = _trend(y, rules.trend)
        near = (y > self.nupl) | (y < self.nlpl)
        if not rules.two_of_three_beyond_limits:
            near &= ~self.beyond_limit
        self.two_of_three = _two_of_three(side, near)
        self.shift = _shift(side, rules.shift)

    def _run_rules(self) -> None:
        y, rules = self.values, self.rules
        self._side = side = np.sign(y - self.median).astype(int)
        self.beyond_limit = np.zeros(self.n, dtype=bool)
        self.two_of_three = np.zeros(self.n, dtype=bool)
        self.trend, self._trend_direction = _run_trend(y, rules.run_trend)
        self.shift = _run_shift(side, rules.run_shift)

    def _classify(self) -> None:
        self.rule = np.full(self.n, None, dtype=object)
        self.direction = np.zeros(self.n, dtype=int)
        by_rule = {
            "beyond limit": (self.beyond_limit, self._side),
            "trend": (self.trend, self._trend_direction),
            "two of three": (self.two_of_three, self._side),
            "shift": (self.shift, self._side),
        }
        for name in RULE_NAMES:
            flags, direction = by_rule[name]
            take = flags & (self.direction == 0)
            self.rule[take] = name
            self.direction[take] = direction[take]
        good = {"up-is-bad": -1, "down-is-bad": 1, "neutral": 0}[self.polarity]
        self.status = np.full(self.n, "common cause", dtype=object)
        special = self.direction != 0
        if good == 0:
            self.status[special] = "special cause — neither"
        else:
            self.status[special & (self.direction == good)] = "special cause — improvement"
            self.status[special & (self.direction == -good)] = "special cause — concern"

    # -- icons --------------------------------------------------------------------------

    def _target_kind(self, target_kind: str | None) -> str | None:
        if target_kind is not None:
            return target_kind
        inferred = {"up-is-bad": "at-most", "down-is-bad": "at-least"}.get(self.polarity)
        if self.target is not None:
            if inferred is None:
                self.notes.append(
                    "no assurance icon: the measure is neutral and target_kind was not given"
                )
            else:
                self.notes.append(f"the target is read as {inferred!r}, from the polarity")
        return inferred

    def _variation_icon(self) -> str | None:
        if self.chart != "xmr":
            return None
        status, direction = self.status[-1], self.direction[-1]
        if status == "common cause":
            return "common cause"
        kind = {
            "special cause — improvement": "improving",
            "special cause — concern": "concerning",
            "special cause — neither": "neither",
        }[status]
        return f"special cause {kind} {'high' if direction > 0 else 'low'}"

    def _assurance_icon(self) -> str | None:
        if self.chart != "xmr" or self.target is None or self.target_kind is None:
            return None
        pass_above = self.target_kind == "at-least"
        if self.target < self.lpl:
            return "consistently pass" if pass_above else "consistently fail"
        if self.target > self.upl:
            return "consistently fail" if pass_above else "consistently pass"
        return "hit and miss"

    # -- output -------------------------------------------------------------------------

    def to_frame(self) -> pd.DataFrame:
        """Return one row per point: value, lines, rule flags, rule, direction and status.

        Columns: ``value``, ``in_baseline``, ``centre``, ``mean``, ``median``, ``lpl``,
        ``nlpl``, ``nupl``, ``upl`` (``nan`` where the chart draws no such line),
        ``beyond_limit``, ``trend``, ``two_of_three``, ``shift``, ``rule``, ``direction``
        and ``status``; the index is that of the series.
        """
        n = self.n
        return pd.DataFrame(
            {
                "value": self.values,
                "in_baseline": np.arange(n) < self.baseline,
                "centre": np.full(n, self.centre),
                "mean": np.full(n, self.mean),
                "median": np.full(n, self.median),
                "lpl": np.full(n, self.lpl),
                "nlpl": np.full(n, self.nlpl),
                "nupl": np.full(n, self.nupl),
                "upl": np.full(n, self.upl),
                "beyond_limit": self.beyond_limit,
                "trend": self.trend,
                "two_of_three": self.two_of_three,
                "shift": self.shift,
                "rule": self.rule,
                "direction": self.direction,
                "status": self.status,
            },
            index=self.index,
        )

    def __repr__(self) -> str:
        if self.chart == "run":
            return f"XmR(n={self.n}, chart='run', median={self.median:.4g})"
        return (
            f"XmR(n={self.n}, chart='xmr', mean={self.mean:.4g}, lpl={self.lpl:.4g}, "
            f"upl={self.upl:.4g}, variation_icon={self.variation_icon!r}, "
            f"assurance_icon={self.assurance_icon!r})"
        )
