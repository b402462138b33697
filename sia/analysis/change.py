"""Change between two periods: the exact conditional test of two Poisson counts.

One class, :class:`PoissonChange`, answers "has this gone up or down since the previous
period?" for a pair of counts (e.g. offences this year and last year). A direction is
called only when the change is significant at the configured level, and a pair of counts
too small to test is marked ``'too-few'``, never called a trend (see
``docs/methods/change-and-trend.md``).
"""

from __future__ import annotations

import math
import numbers

import numpy as np
from scipy import stats

__all__ = ["DIRECTIONS", "MIN_COUNT", "PoissonChange"]

#: The values :attr:`PoissonChange.direction` can take.
DIRECTIONS = ("up", "down", "stable", "too-few")

#: Default smallest total ``current + previous`` for which a direction is called.
MIN_COUNT = 10


def _count(value: object, name: str) -> int:
    """Return ``value`` as a non-negative int, or raise naming the argument and the fix."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a whole number of events, not {value!r}")
    if not math.isfinite(value) or value != int(value) or value < 0:
        raise ValueError(
            f"{name} must be a whole number of events (0 or more), not {value!r}; "
            "pass the raw count, not a rate"
        )
    return int(value)


def _two_sided_p(pmf: np.ndarray, k: int) -> float:
    """The two-sided exact binomial p-value of ``k`` given every point probability ``pmf``
    (of 0..n): the total probability of the outcomes no more likely than ``k``, with the
    relative tolerance 1e-7 of ``scipy.stats.binomtest``, whose p-value this equals (one
    vector of probabilities serves the test and its smallest possible p-values, instead
    of a search per call)."""
    return float(min(1.0, pmf[pmf <= pmf[k] * (1 + 1e-7)].sum()))


def _clopper_pearson(k: int, n: int, alpha: float) -> tuple[float, float]:
    """The exact (Clopper-Pearson) interval of a binomial proportion, from beta quantiles:
    the same interval as ``scipy.stats.binomtest(k, n).proportion_ci(method="exact")``,
    without its root search."""
    low = 0.0 if k == 0 else float(stats.beta.ppf(alpha / 2, k, n - k + 1))
    high = 1.0 if k == n else float(stats.beta.ppf(1 - alpha / 2, k + 1, n - k))
    return low, high


class PoissonChange:
    r"""Exact conditional test of a change between two Poisson counts.

    Given the total :math:`n = x_1 + x_0` of the current count :math:`x_1` and the previous
    count :math:`x_0`, the current count is Binomial(:math:`n`, :math:`\pi`) with
    :math:`\pi = \theta r / (1 + \theta r)`, where :math:`\theta` is the rate ratio and
    :math:`r` the exposure ratio (current exposure ÷ previous exposure: days, population,
    or population × days). Equal rates (:math:`\theta = 1`) are tested with the exact
    binomial test of :math:`\pi_0 = r / (1 + r)` (Przyborowski & Wilenski 1940); the
    two-sided p-value is the "minimum likelihood" one that :func:`scipy.stats.binomtest`,
    R's ``poisson.test`` and ``statsmodels.stats.rates.test_poisson_2indep(...,
    method='exact-cond')`` give: the sum of the probabilities of every split no more likely
    than the one observed.

    The confidence interval for the rate ratio is the Clopper–Pearson interval
    :math:`(\pi_L, \pi_U)` for :math:`\pi` mapped through :math:`\theta = \pi / ((1 - \pi) r)`,
    as R's ``poisson.test`` does for two samples (Clopper & Pearson 1934; Breslow & Day
    1987). It is an exact (conservative) interval.

    Parameters
    ----------
    current : int
        Events in the current period.
    previous : int
        Events in the previous (comparison) period.
    exposure_ratio : float, default 1.0
        Exposure of the current period divided by that of the previous one, e.g.
        ``365 / 366`` after a leap year, or the ratio of resident populations. Must be
        positive and finite.
    alpha : float, default 0.05
        Significance level; a direction is called when ``p_value <= alpha``. The
        confidence interval has coverage ``1 - alpha``.
    min_count : int, default :data:`MIN_COUNT` (10)
        Smallest total ``current + previous`` for which a direction is called. Below it,
        or whenever no split of the total could reach ``alpha`` at all (see
        ``min_p_value``), :attr:`direction` is ``'too-few'``. With equal exposures and
        ``n = 10`` only a split of 9–1 or more extreme is significant at 0.05, so a
        smaller total can only flag the near-disappearance or the appearance of a
        problem; set ``min_count=0`` to keep only the power rule.

    Attributes
    ----------
    count : int
        The current count :math:`x_1`.
    previous_count : int
        The previous count :math:`x_0`.
    n : int
        :math:`n = x_1 + x_0`, the total the test conditions on.
    exposure_ratio : float
        :math:`r`.
    expected_proportion : float
        :math:`\pi_0 = r / (1 + r)`, the share of the :math:`n` events expected in the
        current period if the rate had not changed.
    ratio : float
        Estimated rate ratio :math:`\hat\theta = (x_1 / x_0) / r`; ``inf`` when
        :math:`x_0 = 0 < x_1` and ``nan`` when both are 0.
    p_value : float
        Two-sided exact p-value for :math:`\theta = 1`. It is 1.0 when :math:`n = 0`
        (the only possible split was observed).
    ci : tuple of float
        ``(lower, upper)`` exact confidence interval for :math:`\theta` at level
        ``1 - alpha``; the lower limit is 0 when :math:`x_1 = 0`, the upper ``inf`` when
        :math:`x_0 = 0`, and both are ``nan`` when :math:`n = 0`.
    min_p_value : float
        The smallest p-value any split of :math:`n` could give (that of the more
        extreme of :math:`x_1 = 0` and :math:`x_1 = n`); when it exceeds ``alpha`` the
        test has no power at all. 1.0 when :math:`n = 0`.
    significant : bool
        ``p_value <= alpha`` and the counts are not too few.
    direction : {'up', 'down', 'stable', 'too-few'}
        ``'up'`` or ``'down'`` when significant, ``'stable'`` when the counts are
        testable but the change is not significant (no evidence of change, which is not
        evidence of no change), ``'too-few'`` when the counts are too small to test.
    alpha, min_count
        As given.

    Notes
    -----
    The conditional (binomial) test is exact but conservative; the E-test of
    Krishnamoorthy & Thomson (2004) is more powerful. It is kept because it is the
    standard one (R's ``poisson.test``), is exact at any count and is easy to explain.
    The Clopper–Pearson interval inverts two one-sided tests while the p-value is the
    minimum-likelihood one, so in rare borderline cases the interval may include 1 while
    ``p_value <= alpha`` (or the reverse); :attr:`direction` follows the p-value.

    References
    ----------
    Przyborowski, J. and Wilenski, H. (1940). Homogeneity of results in testing samples
    from Poisson series. *Biometrika* 31(3/4), 313–323.

    Clopper, C. J. and Pearson, E. S. (1934). The use of confidence or fiducial limits
    illustrated in the case of the binomial. *Biometrika* 26(4), 404–413.

    Breslow, N. E. and Day, N. E. (1987). *Statistical Methods in Cancer Research, vol. II:
    The Design and Analysis of Cohort Studies*. IARC Scientific Publications 82.

    Krishnamoorthy, K. and Thomson, J. (2004). A more powerful test for comparing two
    Poisson means. *Journal of Statistical Planning and Inference* 119(1), 23–35.

    SciPy: ``scipy.stats.binomtest``; statsmodels: ``statsmodels.stats.rates.
    test_poisson_2indep``; R: ``stats::poisson.test``.

    Examples
    --------
    Violence against the person, 150 offences this year against 100 last year:

    >>> from sia.analysis.change import PoissonChange
    >>> change = PoissonChange(150, 100)
    >>> round(change.ratio, 2), round(change.p_value, 4), change.direction
    (1.5, 0.0019, 'up')
    >>> [round(limit, 2) for limit in change.ci]
    [1.16, 1.95]

    A rise from 100 to 130 is not significant at 0.05, so no direction is called:

    >>> change = PoissonChange(130, 100)
    >>> round(change.p_value, 4), change.direction
    (0.0556, 'stable')

    Twice as many days in the current window as in the previous one:

    >>> change = PoissonChange(60, 20, exposure_ratio=2.0)
    >>> round(change.ratio, 2), change.direction
    (1.5, 'stable')

    A doubling from 3 to 6 cannot be called at all:

    >>> PoissonChange(6, 3).direction
    'too-few'
    """

    def __init__(
        self,
        current: int,
        previous: int,
        exposure_ratio: float = 1.0,
        alpha: float = 0.05,
        min_count: int = MIN_COUNT,
    ) -> None:
        self.count = _count(current, "current")
        self.previous_count = _count(previous, "previous")
        self.min_count = _count(min_count, "min_count")
        if isinstance(exposure_ratio, bool) or not isinstance(exposure_ratio, numbers.Real):
            raise TypeError(f"exposure_ratio must be a number, not {exposure_ratio!r}")
        if not (math.isfinite(exposure_ratio) and exposure_ratio > 0):
            raise ValueError(
                f"exposure_ratio must be positive and finite, not {exposure_ratio!r}; "
                "pass current exposure ÷ previous exposure (1.0 for equal periods)"
            )
        if isinstance(alpha, bool) or not isinstance(alpha, numbers.Real) or not 0 < alpha < 1:
            raise ValueError(f"alpha must be between 0 and 1 (e.g. 0.05), not {alpha!r}")
        self.exposure_ratio = float(exposure_ratio)
        self.alpha = float(alpha)

        x1, x0, r = self.count, self.previous_count, self.exposure_ratio
        self.n = n = x1 + x0
        self.expected_proportion = pi0 = r / (1.0 + r)

        if x0 > 0:
            self.ratio = (x1 / x0) / r
        else:
            self.ratio = math.inf if x1 > 0 else math.nan

        if n == 0:
            self.p_value = 1.0
            self.min_p_value = 1.0
            self.ci = (math.nan, math.nan)
        else:
            pmf = stats.binom.pmf(np.arange(n + 1), n, pi0)
            self.p_value = _two_sided_p(pmf, x1)
            self.min_p_value = min(_two_sided_p(pmf, 0), _two_sided_p(pmf, n))
            low, high = _clopper_pearson(x1, n, self.alpha)
            self.ci = (self._to_ratio(low), self._to_ratio(high))

        too_few = n < self.min_count or self.min_p_value > self.alpha
        self.significant = (not too_few) and self.p_value <= self.alpha
        if too_few:
            self.direction = "too-few"
        elif not self.significant:
            self.direction = "stable"
        else:
            self.direction = "up" if x1 / n > pi0 else "down"

    def _to_ratio(self, proportion: float) -> float:
        """Map a binomial proportion to the rate ratio: π / ((1 − π) r)."""
        if proportion >= 1.0:
            return math.inf
        return float(proportion / ((1.0 - proportion) * self.exposure_ratio))

    def __repr__(self) -> str:
        return (
            f"PoissonChange(current={self.count}, previous={self.previous_count}, "
            f"ratio={self.ratio:.3g}, p_value={self.p_value:.3g}, "
            f"direction={self.direction!r})"
        )
