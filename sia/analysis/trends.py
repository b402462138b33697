"""Long-term trend in a monthly series, with seasonality taken into account.

Two statistics, each one class that computes on construction:

* :class:`SeasonalMannKendall`: the non-parametric seasonal Kendall test of Hirsch, Slack &
  Smith (1982) with the seasonal Sen slope; it makes no assumption about the distribution.
* :class:`PoissonTrend`: a Poisson regression of monthly counts on time with month-of-year
  effects, switching to quasi-Poisson standard errors when the counts are overdispersed;
  its trend is a rate ratio per year.

A trend is called only when significant at the configured level and only over a long
enough history (36 monthly points by default); a shorter series is ``'too-short'``. See
``docs/methods/change-and-trend.md``.
"""

from __future__ import annotations

import math
import numbers
import warnings
from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy import stats

# The GLM and its family directly: statsmodels.api imports the whole library (time series,
# graphics, formulas), about half a second more at every start of the assessment.
from statsmodels.genmod.families import Poisson
from statsmodels.genmod.generalized_linear_model import GLM
from statsmodels.tools.sm_exceptions import PerfectSeparationWarning

__all__ = ["MIN_POINTS", "TRENDS", "PoissonTrend", "SeasonalMannKendall"]

#: The values the ``trend`` attribute can take.
TRENDS = ("increasing", "decreasing", "no trend", "too-short", "too-few")

#: Default smallest number of monthly points for a long-term trend (three years).
MIN_POINTS = 36


def _alpha(alpha: object) -> float:
    if isinstance(alpha, bool) or not isinstance(alpha, numbers.Real) or not 0 < alpha < 1:
        raise ValueError(f"alpha must be between 0 and 1 (e.g. 0.05), not {alpha!r}")
    return float(alpha)


def _positive_int(value: object, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < 1:
        raise ValueError(f"{name} must be a whole number of 1 or more, not {value!r}")
    return int(value)


def _one_dimensional(values: object, name: str) -> np.ndarray:
    try:
        array = np.asarray(values, dtype=float)
    except (TypeError, ValueError) as error:
        raise TypeError(f"{name} must be a sequence of numbers ({error})") from None
    if array.ndim != 1:
        raise ValueError(f"{name} must be one-dimensional, not of shape {array.shape}")
    return array


class SeasonalMannKendall:
    r"""Seasonal Mann–Kendall test for a monotonic trend, with the seasonal Sen slope.

    The series is split by season (position modulo ``period``, so calendar months for a
    monthly series that has one value per month). For season :math:`g` with values
    :math:`x_{g,1}, \dots, x_{g,n_g}` in time order, the Mann–Kendall statistic is

    .. math:: S_g = \sum_{i<j} \operatorname{sgn}(x_{g,j} - x_{g,i})

    and, with :math:`t_p` the size of the :math:`p`-th group of tied values (Kendall 1975),

    .. math:: \operatorname{Var}(S_g) = \frac{n_g(n_g-1)(2n_g+5)
              - \sum_p t_p(t_p-1)(2t_p+5)}{18}.

    The seasonal Kendall statistic (Hirsch, Slack & Smith 1982) is
    :math:`S = \sum_g S_g` with :math:`\operatorname{Var}(S) = \sum_g \operatorname{Var}(S_g)`
    (seasons treated as independent), standardised with a continuity correction,
    :math:`z = (S - \operatorname{sgn} S) / \sqrt{\operatorname{Var}(S)}`, and referred to
    the standard normal for a two-sided p-value. The seasonal Sen slope is the median of the
    within-season slopes :math:`(x_{g,j} - x_{g,i}) / (j - i)` over all seasons, :math:`i, j`
    counted in cycles (years for a monthly series), so it is a change per cycle.

    Parameters
    ----------
    series : array-like of float
        Equally spaced values in time order, the first at season 0 of its cycle. Mark a
        missing value with ``nan`` (do not drop it: the positions fix the seasons).
    period : int, default 12
        Number of seasons in a cycle (12 for monthly data, 4 for quarterly).
    alpha : float, default 0.05
        Significance level; a trend is called when ``p_value <= alpha``.
    min_points : int, optional
        Fewest non-missing values for a trend to be called; default ``3 * period`` (three
        cycles, 36 months for a monthly series).

    Attributes
    ----------
    n : int
        Number of non-missing values.
    S : float
        Seasonal Kendall statistic :math:`S`.
    var_S : float
        :math:`\operatorname{Var}(S)`, corrected for ties.
    z : float
        Standardised statistic with continuity correction (0 when :math:`S = 0` or
        :math:`\operatorname{Var}(S) = 0`, e.g. for a constant series).
    p_value : float
        Two-sided p-value, :math:`2(1 - \Phi(|z|))`.
    tau : float
        Seasonal Kendall's tau, :math:`S / \sum_g n_g(n_g - 1)/2` (``nan`` if no pairs).
    slope : float
        Seasonal Sen slope, in units of the series per cycle (``nan`` if no pairs).
    S_g : numpy.ndarray
        :math:`S_g` for each season.
    trend : {'increasing', 'decreasing', 'no trend', 'too-short'}
        ``'too-short'`` when ``n < min_points``; the statistics are still reported.
    period, alpha, min_points
        As given (``min_points`` resolved).

    Notes
    -----
    Summing variances assumes the seasons are independent; strong serial correlation
    between neighbouring months makes the test liberal (Hirsch & Slack 1984 give a
    covariance correction, not applied here). The statistic matches
    ``pymannkendall.seasonal_test`` (Hussain & Mahmud 2019), which the tests use as a check.

    References
    ----------
    Hirsch, R. M., Slack, J. R. and Smith, R. A. (1982). Techniques of trend analysis for
    monthly water quality data. *Water Resources Research* 18(1), 107–121.

    Hirsch, R. M. and Slack, J. R. (1984). A nonparametric trend test for seasonal data with
    serial dependence. *Water Resources Research* 20(6), 727–732.

    Kendall, M. G. (1975). *Rank Correlation Methods*, 4th edn. London: Griffin.

    Sen, P. K. (1968). Estimates of the regression coefficient based on Kendall's tau.
    *Journal of the American Statistical Association* 63(324), 1379–1389.

    Hussain, M. M. and Mahmud, I. (2019). pyMannKendall: a python package for non parametric
    Mann Kendall family of trend tests. *Journal of Open Source Software* 4(39), 1556.

    Examples
    --------
    Two seasons over four years, with a tie in the second season:

    >>> from sia.analysis.trends import SeasonalMannKendall
    >>> smk = SeasonalMannKendall([3, 10, 5, 12, 4, 12, 8, 15], period=2)
    >>> smk.S, round(smk.var_S, 4), round(smk.z, 4), round(smk.p_value, 4)
    (9.0, 16.3333, 1.9795, 0.0478)
    >>> round(smk.slope, 4), smk.trend
    (1.5833, 'increasing')

    Two years of monthly data are too short for a long-term trend:

    >>> SeasonalMannKendall(list(range(24))).trend
    'too-short'
    """

    def __init__(
        self,
        series: Sequence[float] | np.ndarray | pd.Series,
        period: int = 12,
        alpha: float = 0.05,
        min_points: int | None = None,
    ) -> None:
        x = _one_dimensional(series, "series")
        if np.isinf(x).any():
            raise ValueError("series must not contain infinite values; use nan for missing")
        self.period = _positive_int(period, "period")
        self.alpha = _alpha(alpha)
        self.min_points = (
            3 * self.period if min_points is None else _positive_int(min_points, "min_points")
        )

        positions = np.arange(x.size)
        present = ~np.isnan(x)
        self.n = int(present.sum())

        s_by_season = np.zeros(self.period)
        var_s = 0.0
        pairs = 0
        slopes: list[np.ndarray] = []
        for season in range(self.period):
            keep = present & (positions % self.period == season)
            values = x[keep]
            cycles = positions[keep] // self.period
            m = values.size
            if m < 2:
                continue
            upper = np.triu_indices(m, k=1)
            differences = values[None, :] - values[:, None]
            s_by_season[season] = np.sign(differences[upper]).sum()
            _, ties = np.unique(values, return_counts=True)
            var_s += (m * (m - 1) * (2 * m + 5) - np.sum(ties * (ties - 1) * (2 * ties + 5))) / 18
            pairs += m * (m - 1) // 2
            slopes.append(differences[upper] / (cycles[None, :] - cycles[:, None])[upper])

        self.S_g = s_by_season
        self.S = float(s_by_season.sum())
        self.var_S = float(var_s)
        if self.S == 0 or self.var_S == 0:
            self.z = 0.0
        else:
            self.z = float((self.S - math.copysign(1.0, self.S)) / math.sqrt(self.var_S))
        self.p_value = float(2 * stats.norm.sf(abs(self.z)))
        self.tau = self.S / pairs if pairs else math.nan
        self.slope = float(np.median(np.concatenate(slopes))) if slopes else math.nan

        if self.n < self.min_points:
            self.trend = "too-short"
        elif self.p_value <= self.alpha and self.z != 0:
            self.trend = "increasing" if self.z > 0 else "decreasing"
        else:
            self.trend = "no trend"

    def __repr__(self) -> str:
        return (
            f"SeasonalMannKendall(n={self.n}, period={self.period}, S={self.S:g}, "
            f"p_value={self.p_value:.3g}, slope={self.slope:.3g}, trend={self.trend!r})"
        )


class PoissonTrend:
    r"""Poisson regression of monthly counts on time, with month-of-year effects.

    Fits the log-linear model

    .. math:: \log \mathrm{E}[y_t] = \log e_t + \beta_0 + \beta_1 t + \gamma_{m(t)}

    where :math:`t` is time in years from the first month, :math:`\gamma_{m(t)}` an effect
    for each calendar month (the first month present is the reference) and :math:`e_t` the
    exposure (an offset; omitted when not given). :math:`\exp(\beta_1)` is the rate ratio
    per year, e.g. 1.05 for a rise of 5 % a year net of seasonality.

    Overdispersion is checked with the Pearson statistic
    :math:`\hat\phi = X^2 / (N - p)`. When :math:`\hat\phi > 1` the standard errors are
    those of the quasi-Poisson model, :math:`\sqrt{\hat\phi}` times the Poisson ones
    (Wedderburn 1974; McCullagh & Nelder 1989), as is usual for time series of
    counts (Bhaskaran et al. 2013); the estimate is unchanged. When
    :math:`\hat\phi \le 1` the Poisson errors are kept (never made narrower). Tests and
    intervals are Wald ones on :math:`\beta_1`.

    Parameters
    ----------
    counts : array-like of int
        Events per month (0 or more); one value per entry of ``months``.
    months : array-like
        The month of each count: anything :class:`pandas.PeriodIndex` reads at monthly
        frequency (``"2023-04"``, dates, :class:`pandas.Period`). Months may be missing
        from the run (they are left out, not treated as zero) but not repeated.
    exposure : array-like of float, optional
        Positive exposure per month (e.g. days in the month, or residents × days) used as
        an offset, so that the trend is in the rate rather than the count.
    alpha : float, default 0.05
        Significance level; a trend is called when ``p_value <= alpha``. ``ci`` has
        coverage ``1 - alpha``.
    min_points : int, default :data:`MIN_POINTS` (36)
        Fewest monthly points for a trend to be fitted and called.

    Attributes
    ----------
    n : int
        Number of monthly points given.
    annual_change : float
        :math:`\exp(\hat\beta_1)`, the rate ratio per year.
    p_value : float
        Two-sided Wald p-value for :math:`\beta_1 = 0`.
    ci : tuple of float
        ``(lower, upper)`` Wald confidence interval for ``annual_change``.
    dispersion : float
        Pearson :math:`\hat\phi` of the Poisson fit.
    model : {'poisson', 'quasi-poisson'} or None
        Which standard errors were used; ``None`` when nothing was fitted.
    trend : {'increasing', 'decreasing', 'no trend', 'too-short', 'too-few'}
        ``'too-short'`` below ``min_points`` and ``'too-few'`` when there are no events
        at all; in both cases nothing is fitted and the numbers are ``nan``.
    results : statsmodels GLMResults or None
        The fitted model, for inspection.
    alpha, min_points
        As given.

    Notes
    -----
    A calendar month with no events in any year has a month effect of :math:`-\infty`; its
    points carry no information on :math:`\beta_1` and are left out of the fit (this is the
    limit of the maximum-likelihood fit, and avoids a perfect-separation failure).

    References
    ----------
    McCullagh, P. and Nelder, J. A. (1989). *Generalized Linear Models*, 2nd edn. London:
    Chapman & Hall.

    Wedderburn, R. W. M. (1974). Quasi-likelihood functions, generalized linear models, and
    the Gauss–Newton method. *Biometrika* 61(3), 439–447.

    Bhaskaran, K., Gasparrini, A., Hajat, S., Smeeth, L. and Armstrong, B. (2013). Time
    series regression studies in environmental epidemiology. *International Journal of
    Epidemiology* 42(4), 1187–1195.

    statsmodels: ``statsmodels.genmod.generalized_linear_model.GLM``.

    Examples
    --------
    Four years of counts rising by about 10 % a year, with a summer peak:

    >>> import numpy as np, pandas as pd
    >>> from sia.analysis.trends import PoissonTrend
    >>> months = pd.period_range("2021-01", periods=48, freq="M")
    >>> season = 1 + 0.3 * np.cos(2 * np.pi * (months.month - 7) / 12)
    >>> mean = 40 * season * 1.10 ** (np.arange(48) / 12)
    >>> counts = np.random.default_rng(7).poisson(mean)
    >>> fit = PoissonTrend(counts, months)
    >>> round(fit.annual_change, 3), fit.model, fit.trend
    (1.12, 'poisson', 'increasing')
    >>> [round(limit, 3) for limit in fit.ci]
    [1.08, 1.161]
    """

    def __init__(
        self,
        counts: Sequence[int] | np.ndarray | pd.Series,
        months: Sequence[object] | pd.PeriodIndex | pd.DatetimeIndex | pd.Series,
        exposure: Sequence[float] | np.ndarray | pd.Series | None = None,
        alpha: float = 0.05,
        min_points: int = MIN_POINTS,
    ) -> None:
        y = _one_dimensional(counts, "counts")
        if not np.isfinite(y).all() or (y < 0).any() or (y != np.round(y)).any():
            raise ValueError(
                "counts must be whole numbers of events (0 or more); leave a missing month "
                "out of counts and months rather than passing nan"
            )
        try:
            periods = pd.PeriodIndex(months, freq="M")
        except (TypeError, ValueError) as error:
            raise ValueError(f"months must be monthly dates such as '2023-04' ({error})") from None
        if len(periods) != y.size:
            raise ValueError(
                f"months has {len(periods)} entries but counts has {y.size}; give one "
                "month per count"
            )
        if periods.hasnans:
            raise ValueError("months must not contain missing values")
        if periods.has_duplicates:
            repeated = sorted({str(p) for p in periods[periods.duplicated()]})
            raise ValueError(f"months must not repeat; repeated: {', '.join(repeated)}")
        if exposure is None:
            e = None
        else:
            e = _one_dimensional(exposure, "exposure")
            if e.size != y.size:
                raise ValueError(
                    f"exposure has {e.size} entries but counts has {y.size}; give one per month"
                )
            if not (np.isfinite(e).all() and (e > 0).all()):
                raise ValueError("exposure must be positive and finite for every month")
        self.alpha = _alpha(alpha)
        self.min_points = _positive_int(min_points, "min_points")
        self.n = int(y.size)

        self.annual_change = math.nan
        self.p_value = math.nan
        self.ci = (math.nan, math.nan)
        self.dispersion = math.nan
        self.model: str | None = None
        self.results = None

        if self.n < self.min_points:
            self.trend = "too-short"
            return
        if y.sum() == 0:
            self.trend = "too-few"
            return
        self._fit(y, periods, e)

    def _fit(self, y: np.ndarray, periods: pd.PeriodIndex, e: np.ndarray | None) -> None:
        ordinal = np.asarray(periods.year * 12 + periods.month - 1, dtype=float)
        t = (ordinal - ordinal.min()) / 12.0
        month = np.asarray(periods.month)

        # Calendar months with no events in any year carry no information on the trend.
        totals = pd.Series(y).groupby(month).sum()
        informative = np.isin(month, totals.index[totals > 0])
        y, t, month = y[informative], t[informative], month[informative]
        offset = None if e is None else np.log(e[informative])

        levels = np.unique(month)
        dummies = (month[:, None] == levels[None, 1:]).astype(float)
        design = np.column_stack([np.ones_like(t), t, dummies])

        glm = GLM(y, design, family=Poisson(), offset=offset)
        with warnings.catch_warnings():
            # statsmodels warns of "perfect prediction" when the fit is exact (a constant
            # series); the parameters are still identified, the months that would not be
            # having been left out above.
            warnings.simplefilter("ignore", PerfectSeparationWarning)
            poisson = glm.fit()
        df_resid = poisson.df_resid
        self.dispersion = float(poisson.pearson_chi2 / df_resid) if df_resid > 0 else math.nan
        if self.dispersion > 1:
            self.results = glm.fit(scale="X2")
            self.model = "quasi-poisson"
        else:
            self.results = poisson
            self.model = "poisson"

        beta = float(self.results.params[1])
        low, high = self.results.conf_int(alpha=self.alpha)[1]
        self.annual_change = math.exp(beta)
        self.ci = (math.exp(low), math.exp(high))
        self.p_value = float(self.results.pvalues[1])
        if self.p_value <= self.alpha and beta != 0:
            self.trend = "increasing" if beta > 0 else "decreasing"
        else:
            self.trend = "no trend"

    def __repr__(self) -> str:
        return (
            f"PoissonTrend(n={self.n}, annual_change={self.annual_change:.3g}, "
            f"p_value={self.p_value:.3g}, model={self.model!r}, trend={self.trend!r})"
        )
