"""Repeat victimisation: the share of incidents that are repeats, and its change.

:class:`RepeatVictimisation` flags each incident whose victim had an earlier incident within
a window (default 365 days) and reports the repeat share; :class:`RepeatChange` compares
the share between two periods with Fisher's exact test (see
``docs/methods/deprivation-repeats-underreporting.md``). Victim ids are expected to be
pseudonymised before they reach this module; they are never reported.
"""

from __future__ import annotations

import math
import numbers

import pandas as pd
from scipy import stats

__all__ = ["MIN_INCIDENTS", "WINDOW_DAYS", "RepeatChange", "RepeatVictimisation"]

#: Default look-back window: the conventional 12 months (methods reference §2.7).
WINDOW_DAYS = 365

#: Default smallest number of incidents with a victim id, in each period, for which
#: :class:`RepeatChange` calls a direction.
MIN_INCIDENTS = 10


class RepeatVictimisation:
    r"""Share of incidents that are repeats against the same victim within a window.

    **Definition.** Incidents with a victim id and a date are ordered by date within each
    victim (incidents on the same day keep their input order). An incident is a *repeat*
    when the same victim has an earlier incident in that order dated no more than
    ``window_days`` days before it: :math:`0 \le d - d' \le` ``window_days``. The window
    ends at (and includes) the incident's own day, so two incidents exactly 365 days apart
    make the later one a repeat and 366 days apart do not; a second incident on the same
    day is a repeat. Dates are compared as calendar days (times of day are ignored).

    Incidents with no victim id, or no date, are excluded from the share and counted in
    :attr:`without_victim_id` and :attr:`without_date`.

    With ``start`` given, incidents before it are used only as history: they can make a
    later incident a repeat but are not counted themselves. Pass 12 months of earlier
    incidents with ``start`` set to avoid under-counting repeats early in the period
    (left censoring).

    Parameters
    ----------
    incidents : pandas.DataFrame
        One row per incident, with columns ``victim_id`` (pseudonymised; missing when not
        known) and ``date`` (datetimes, or ISO 8601 strings such as ``2024-03-05``;
        day-first strings are refused rather than guessed).
    window_days : int, default 365
        Length of the look-back window in days.
    start : date-like, optional
        First day of the period measured; earlier incidents are history only.

    Attributes
    ----------
    incidents : int
        Incidents in the period (rows on or after ``start``), with or without an id.
    without_victim_id : int
        Of those, incidents with no victim id (excluded).
    without_date : int
        Incidents with a victim id but no date (excluded; they cannot be placed in the
        period, so they are counted whether or not ``start`` is given).
    with_victim_id : int
        Incidents in the period with both a victim id and a date: the denominator.
    repeats : int
        Of those, incidents that are repeats.
    repeat_share : float
        ``repeats / with_victim_id``; ``nan`` when there are none.
    victims : int
        Distinct victims with an incident in the period.
    repeat_victims : int
        Victims with at least one repeat incident in the period.
    is_repeat : pandas.Series
        Per input row (same index), ``True``/``False`` for rows counted and ``<NA>`` for
        rows excluded or before ``start``.
    window_days, start
        As given (``start`` as a :class:`pandas.Timestamp` or ``None``).

    References
    ----------
    Farrell, G. and Pease, K. (1993). *Once Bitten, Twice Bitten: Repeat Victimisation and
    its Implications for Crime Prevention*. Police Research Group Crime Prevention Unit
    Series Paper 46. London: Home Office.

    Office for National Statistics (2014). *Focus on Property Crime, 2012/13*, chapter 2:
    repeat victimisation (12-month window).

    SafeLives. *Definition of a repeat MARAC* (further abuse within 12 months).

    Examples
    --------
    >>> import pandas as pd
    >>> from sia.analysis.repeats import RepeatVictimisation
    >>> incidents = pd.DataFrame({
    ...     "victim_id": ["v1", "v1", "v1", "v2", None],
    ...     "date": ["2024-01-01", "2024-06-01", "2025-07-01", "2024-03-01", "2024-04-01"],
    ... })
    >>> rv = RepeatVictimisation(incidents)
    >>> rv.incidents, rv.with_victim_id, rv.repeats, rv.repeat_victims
    (5, 4, 1, 1)
    >>> rv.repeat_share
    0.25
    """

    def __init__(
        self,
        incidents: pd.DataFrame,
        window_days: int = WINDOW_DAYS,
        start: object | None = None,
    ) -> None:
        if not isinstance(incidents, pd.DataFrame):
            raise TypeError(f"incidents must be a pandas DataFrame, not {type(incidents)}")
        missing = {"victim_id", "date"} - set(incidents.columns)
        if missing:
            raise ValueError(
                f"incidents lacks column(s) {sorted(missing)}; it needs 'victim_id' and 'date'"
            )
        if (
            isinstance(window_days, bool)
            or not isinstance(window_days, numbers.Integral)
            or window_days < 0
        ):
            raise ValueError(
                f"window_days must be a whole number of days (0 or more), not {window_days!r}"
            )
        self.window_days = int(window_days)
        self.start = None if start is None else pd.Timestamp(start).normalize()

        dates = incidents["date"]
        if not pd.api.types.is_datetime64_any_dtype(dates):
            dates = pd.to_datetime(dates, format="ISO8601")
        dates = dates.dt.normalize()
        ids = incidents["victim_id"]
        in_period = (
            pd.Series(True, index=incidents.index)
            if self.start is None
            else (dates >= self.start) | dates.isna()
        )
        has_id = ids.notna()
        has_date = dates.notna()

        self.incidents = int(in_period.sum())
        self.without_victim_id = int((in_period & ~has_id).sum())
        self.without_date = int((has_id & ~has_date).sum())

        usable = pd.DataFrame(
            {"victim_id": ids[has_id & has_date], "date": dates[has_id & has_date]}
        )
        usable["order"] = range(len(usable))
        usable = usable.sort_values(["victim_id", "date", "order"], kind="stable")
        gap = usable.groupby("victim_id", sort=False)["date"].diff().dt.days
        usable["repeat"] = gap.notna() & (gap <= self.window_days)

        counted = usable[in_period.reindex(usable.index)]
        self.with_victim_id = len(counted)
        self.repeats = int(counted["repeat"].sum())
        self.repeat_share = self.repeats / self.with_victim_id if self.with_victim_id else math.nan
        self.victims = int(counted["victim_id"].nunique())
        self.repeat_victims = int(counted.loc[counted["repeat"], "victim_id"].nunique())

        flags = pd.Series(pd.NA, index=incidents.index, dtype="boolean")
        flags.loc[counted.index] = counted["repeat"].astype("boolean")
        self.is_repeat = flags

    def __repr__(self) -> str:
        return (
            f"RepeatVictimisation(with_victim_id={self.with_victim_id}, "
            f"repeats={self.repeats}, repeat_share={self.repeat_share:.3g}, "
            f"window_days={self.window_days})"
        )


def _shares(value: object, name: str) -> tuple[int, int]:
    """``(repeats, with_victim_id)`` from a RepeatVictimisation or a pair of counts."""
    if isinstance(value, RepeatVictimisation):
        return value.repeats, value.with_victim_id
    if isinstance(value, tuple) and len(value) == 2:
        repeats, n = value
        ok = all(
            isinstance(v, numbers.Integral) and not isinstance(v, bool) and v >= 0
            for v in (repeats, n)
        )
        if ok and repeats <= n:
            return int(repeats), int(n)
    raise ValueError(
        f"{name} must be a RepeatVictimisation or a pair (repeats, with_victim_id) of whole "
        f"numbers with repeats <= with_victim_id, not {value!r}"
    )


class RepeatChange:
    r"""Change in the repeat share between two periods: Fisher's exact test.

    The 2 × 2 table is repeats and non-repeats (rows) by current and previous period
    (columns); :func:`scipy.stats.fisher_exact` gives the two-sided p-value for equal
    shares, conditional on the margins (Fisher 1935). Fisher's test is used rather than a
    binomial test of the current share against the previous one because both shares are
    estimates: the binomial test would treat the previous share as known and overstate
    significance. It is exact at the small counts typical of one district.

    Incidents of the same victim are not independent (that is the point of repeats), so
    the p-value is a guide, not an exact error rate; a direction is called only when the
    p-value is at most ``alpha`` and each period has at least ``min_incidents`` incidents
    with a victim id, otherwise the result is ``'stable'`` or ``'too-few'`` as in
    :class:`sia.analysis.change.PoissonChange`.

    Parameters
    ----------
    current, previous : RepeatVictimisation or tuple of int
        The two periods, or ``(repeats, with_victim_id)`` for each. Use the same
        ``window_days`` and a look-back (``start``) in both, or the shares differ by
        construction.
    alpha : float, default 0.05
        Significance level.
    min_incidents : int, default :data:`MIN_INCIDENTS` (10)
        Smallest number of incidents with a victim id in each period for a direction.

    Attributes
    ----------
    repeats, n : int
        Repeats and incidents with a victim id in the current period.
    previous_repeats, previous_n : int
        The same for the previous period.
    share, previous_share : float
        Repeat shares (``nan`` for an empty period).
    difference : float
        ``share - previous_share`` (a proportion; × 100 for percentage points).
    odds_ratio : float
        Sample odds ratio :math:`(a d) / (b c)` reported by :func:`scipy.stats.fisher_exact`.
    p_value : float
        Two-sided p-value of Fisher's exact test (1.0 for an empty period).
    significant : bool
    direction : {'up', 'down', 'stable', 'too-few'}

    References
    ----------
    Fisher, R. A. (1935). The logic of inductive inference. *Journal of the Royal
    Statistical Society* 98(1), 39–82.

    Agresti, A. (2013). *Categorical Data Analysis*, 3rd edn, §3.5. Hoboken: Wiley.

    Examples
    --------
    >>> from sia.analysis.repeats import RepeatChange
    >>> change = RepeatChange((30, 100), (15, 100))
    >>> round(change.difference, 2), round(change.p_value, 4), change.direction
    (0.15, 0.0171, 'up')
    """

    def __init__(
        self,
        current: RepeatVictimisation | tuple[int, int],
        previous: RepeatVictimisation | tuple[int, int],
        alpha: float = 0.05,
        min_incidents: int = MIN_INCIDENTS,
    ) -> None:
        if isinstance(alpha, bool) or not isinstance(alpha, numbers.Real) or not 0 < alpha < 1:
            raise ValueError(f"alpha must be between 0 and 1 (e.g. 0.05), not {alpha!r}")
        self.alpha = float(alpha)
        self.min_incidents = int(min_incidents)
        self.repeats, self.n = _shares(current, "current")
        self.previous_repeats, self.previous_n = _shares(previous, "previous")

        self.share = self.repeats / self.n if self.n else math.nan
        self.previous_share = (
            self.previous_repeats / self.previous_n if self.previous_n else (math.nan)
        )
        self.difference = self.share - self.previous_share

        if self.n and self.previous_n:
            table = [
                [self.repeats, self.previous_repeats],
                [self.n - self.repeats, self.previous_n - self.previous_repeats],
            ]
            result = stats.fisher_exact(table, alternative="two-sided")
            self.odds_ratio = float(result.statistic)
            self.p_value = float(result.pvalue)
        else:
            self.odds_ratio = math.nan
            self.p_value = 1.0

        too_few = min(self.n, self.previous_n) < self.min_incidents
        self.significant = (not too_few) and self.p_value <= self.alpha
        if too_few:
            self.direction = "too-few"
        elif not self.significant:
            self.direction = "stable"
        else:
            self.direction = "up" if self.difference > 0 else "down"

    def __repr__(self) -> str:
        return (
            f"RepeatChange(share={self.share:.3g}, previous_share={self.previous_share:.3g}, "
            f"p_value={self.p_value:.3g}, direction={self.direction!r})"
        )
