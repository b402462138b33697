"""Deprivation: how events are spread across the Index of Multiple Deprivation.

One class, :class:`DeprivationProfile`, takes events, population and IMD decile per LSOA
and answers "are events concentrated in the most deprived neighbourhoods?": the rate by
IMD decile, the share of events (and of residents) in the 20% most deprived LSOAs, the
ratio of rates between deciles 1 and 10, a concentration index and the rank correlation
at LSOA level (see ``docs/methods/deprivation-repeats-underreporting.md``).
"""

from __future__ import annotations

import math
import warnings

import numpy as np
import pandas as pd
from scipy import stats

__all__ = ["DECILES", "MOST_DEPRIVED", "PER", "DeprivationProfile"]

#: IMD deciles, 1 = most deprived 10% of LSOAs in England, 10 = least deprived.
DECILES = tuple(range(1, 11))

#: Deciles counted as "the 20% most deprived LSOAs".
MOST_DEPRIVED = (1, 2)

#: Rates are per this many residents.
PER = 1_000

BY_DECILE_COLUMNS = ["decile", "lsoas", "events", "population", "rate", "rate_ratio"]


def _series(value: object, name: str) -> pd.Series:
    """Return ``value`` as a Series indexed by LSOA code, or raise naming the argument."""
    if not isinstance(value, pd.Series):
        raise TypeError(f"{name} must be a pandas Series indexed by LSOA code, not {type(value)}")
    if value.index.has_duplicates:
        dupes = sorted(map(str, value.index[value.index.duplicated()].unique()))[:3]
        raise ValueError(f"{name} has duplicate LSOA codes (e.g. {dupes}); aggregate first")
    return value


class DeprivationProfile:
    r"""Events by IMD decile, concentration in deprived LSOAs and LSOA-level correlation.

    The LSOAs analysed are those with a population (the index of ``population``). Each
    LSOA's rate is :math:`1000\,x_i / n_i` for :math:`x_i` events and :math:`n_i`
    residents; a decile's rate is :math:`1000 \sum x_i / \sum n_i` over its LSOAs, and its
    rate ratio is that rate divided by the district rate
    :math:`1000 \sum_{\text{all}} x_i / \sum_{\text{all}} n_i`.

    The concentration index uses the grouped-data formula of Fuller & Lury (1977), as given
    by Kakwani, Wagstaff & van Doorslaer (1997),

    .. math:: C = \sum_{t=1}^{T-1} (p_t L_{t+1} - p_{t+1} L_t),

    where deciles are ordered from most deprived (1) to least deprived (10), :math:`p_t` is
    the cumulative share of residents and :math:`L_t` the cumulative share of events. As in
    the health-inequality literature (ranked from the most disadvantaged), :math:`C < 0`
    when events are concentrated in the more deprived deciles, :math:`C = 0` when the rate is
    the same in every decile, and :math:`C` lies in :math:`[-1, 1]`.

    The Spearman correlation (:func:`scipy.stats.spearmanr`) is between each LSOA's rate and
    its deprivation: the IMD **score** when ``score`` is given (higher = more deprived),
    otherwise ``11 - decile`` (so ties are heavy). Either way a positive
    :math:`\rho` means higher rates in more deprived LSOAs; :attr:`spearman_against` says
    which measure was used.

    Parameters
    ----------
    counts : pandas.Series
        Events per LSOA code. LSOAs in ``population`` but not here have 0 events; events in
        LSOAs not in ``population`` are not analysed and are reported in :attr:`unmatched`.
    population : pandas.Series
        Residents per LSOA code; defines the LSOAs analysed. LSOAs with a population of 0
        (or missing) are kept in the event counts, reported in :attr:`zero_population`, and
        left out of the LSOA-level correlation (their rate is undefined).
    decile : pandas.Series
        IMD decile per LSOA code (1 = most deprived, national deciles as published). LSOAs
        without a decile are reported in :attr:`no_decile` and left out of every result.
    score : pandas.Series, optional
        IMD score per LSOA code (higher = more deprived). When given, the Spearman
        correlation uses it rather than the decile.

    Attributes
    ----------
    by_decile : pandas.DataFrame
        One row per decile 1–10 (always ten rows; a decile with no LSOA in the district has
        zeros and a missing rate): ``decile``, ``lsoas``, ``events``, ``population``,
        ``rate`` (per 1,000 residents) and ``rate_ratio`` (to the district rate).
    events, population : int, float
        Totals over the LSOAs analysed.
    rate : float
        District rate per 1,000 residents.
    share_most_deprived : float
        Share of events in deciles 1–2 (the 20% most deprived LSOAs in England).
    population_share_most_deprived : float
        Share of residents in deciles 1–2.
    over_representation : float
        ``share_most_deprived / population_share_most_deprived``: the rate in deciles 1–2
        relative to the district rate (1 = no over-representation).
    rate_ratio_1_10 : float
        Rate in decile 1 divided by the rate in decile 10; ``nan`` when either has no
        residents in the district, ``inf`` when decile 10 has residents but no events.
    concentration_index : float
        :math:`C` above; ``nan`` when there are no events.
    spearman_rho, spearman_p : float
        Spearman's :math:`\rho` between LSOA rate and deprivation, and its two-sided
        p-value; ``nan`` with fewer than 3 LSOAs with residents or a constant input.
    spearman_against : {'imd_score', 'imd_decile'}
        The deprivation measure used for the correlation.
    spearman_n : int
        LSOAs in the correlation.
    zero_population : pandas.Series
        Events in LSOAs with no (or a missing) population, by LSOA code.
    no_decile : pandas.Series
        Events in LSOAs with no decile, by LSOA code.
    unmatched : pandas.Series
        Events in LSOAs that are not in ``population``, by LSOA code.

    Notes
    -----
    Deciles are national: a district need not have LSOAs in every decile, and the rate
    ratio 1 : 10 is then undefined. The correlation is ecological (areas, not people) and
    the rate uses residents, not the population at risk (a town centre's rate is high
    because few people live there).

    References
    ----------
    Fuller, M. F. and Lury, D. A. (1977). *Statistics Workbook for Social Science Students*.
    Oxford: Philip Allan.

    Kakwani, N., Wagstaff, A. and van Doorslaer, E. (1997). Socioeconomic inequalities in
    health: measurement, computation, and statistical inference. *Journal of Econometrics*
    77(1), 87–103.

    Wagstaff, A., Paci, P. and van Doorslaer, E. (1991). On the measurement of inequalities
    in health. *Social Science & Medicine* 33(5), 545–557.

    Ministry of Housing, Communities and Local Government (2019). *The English Indices of
    Deprivation 2019: Technical Report*.

    Examples
    --------
    >>> import pandas as pd
    >>> from sia.analysis.deprivation import DeprivationProfile
    >>> lsoas = ["A", "B", "C", "D"]
    >>> counts = pd.Series([30, 10, 5, 5], index=lsoas)
    >>> population = pd.Series([1500, 1500, 1000, 1000], index=lsoas)
    >>> decile = pd.Series([1, 2, 5, 10], index=lsoas)
    >>> profile = DeprivationProfile(counts, population, decile)
    >>> profile.rate, profile.share_most_deprived, profile.population_share_most_deprived
    (10.0, 0.8, 0.6)
    >>> profile.rate_ratio_1_10
    4.0
    >>> round(profile.spearman_rho, 2), profile.spearman_against
    (0.95, 'imd_decile')
    """

    def __init__(
        self,
        counts: pd.Series,
        population: pd.Series,
        decile: pd.Series,
        score: pd.Series | None = None,
    ) -> None:
        counts = _series(counts, "counts")
        population = _series(population, "population")
        decile = _series(decile, "decile")
        if score is not None:
            score = _series(score, "score")
        if (counts.dropna() < 0).any():
            raise ValueError("counts must be 0 or more events per LSOA; pass raw counts")
        if (population.dropna() < 0).any():
            raise ValueError("population must be 0 or more residents per LSOA")
        bad = set(decile.dropna().astype(int)) - set(DECILES)
        if bad:
            raise ValueError(f"decile must be 1 (most deprived) to 10, not {sorted(bad)}")

        counts = counts.fillna(0)
        self.unmatched = counts[~counts.index.isin(population.index)].astype(int)

        table = pd.DataFrame(
            {
                "events": counts.reindex(population.index, fill_value=0).astype(int),
                "population": population.astype(float),
                "decile": decile.reindex(population.index),
            }
        )
        self.no_decile = table.loc[table["decile"].isna(), "events"]
        table = table[table["decile"].notna()].astype({"decile": int})
        no_pop = table["population"].isna() | (table["population"] == 0)
        self.zero_population = table.loc[no_pop, "events"]
        table["population"] = table["population"].fillna(0.0)

        self.events = int(table["events"].sum())
        self.population = float(table["population"].sum())
        self.rate = PER * self.events / self.population if self.population > 0 else math.nan

        grouped = table.groupby("decile").agg(
            lsoas=("events", "size"), events=("events", "sum"), population=("population", "sum")
        )
        grouped = grouped.reindex(list(DECILES), fill_value=0)
        by = grouped.reset_index(names="decile")
        by["events"] = by["events"].astype(int)
        by["lsoas"] = by["lsoas"].astype(int)
        by["population"] = by["population"].astype(float)
        pop = by["population"].where(by["population"] > 0)
        by["rate"] = PER * by["events"] / pop
        by["rate_ratio"] = by["rate"] / self.rate
        self.by_decile = by[BY_DECILE_COLUMNS]

        most = by["decile"].isin(MOST_DEPRIVED)
        self.share_most_deprived = (
            by.loc[most, "events"].sum() / self.events if self.events else math.nan
        )
        self.population_share_most_deprived = (
            by.loc[most, "population"].sum() / self.population if self.population else math.nan
        )
        self.share_most_deprived = float(self.share_most_deprived)
        self.population_share_most_deprived = float(self.population_share_most_deprived)
        self.over_representation = (
            self.share_most_deprived / self.population_share_most_deprived
            if self.population_share_most_deprived
            else math.nan
        )

        rate1, rate10 = by["rate"].iloc[0], by["rate"].iloc[-1]
        if pd.isna(rate1) or pd.isna(rate10):
            self.rate_ratio_1_10 = math.nan
        elif rate10 == 0:
            self.rate_ratio_1_10 = math.inf if rate1 > 0 else math.nan
        else:
            self.rate_ratio_1_10 = float(rate1 / rate10)

        self.concentration_index = self._concentration(by)

        with_pop = table[table["population"] > 0]
        lsoa_rate = PER * with_pop["events"] / with_pop["population"]
        if score is not None:
            self.spearman_against = "imd_score"
            deprivation = score.reindex(with_pop.index)
            keep = deprivation.notna()
            lsoa_rate, deprivation = lsoa_rate[keep], deprivation[keep]
        else:
            self.spearman_against = "imd_decile"
            deprivation = 11 - with_pop["decile"]
        self.spearman_n = len(lsoa_rate)
        self.spearman_rho, self.spearman_p = math.nan, math.nan
        if self.spearman_n >= 3 and lsoa_rate.nunique() > 1 and deprivation.nunique() > 1:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", stats.ConstantInputWarning)
                result = stats.spearmanr(lsoa_rate.to_numpy(), deprivation.to_numpy(float))
            self.spearman_rho = float(result.statistic)
            self.spearman_p = float(result.pvalue)

    @staticmethod
    def _concentration(by: pd.DataFrame) -> float:
        """Grouped concentration index, deciles ordered from most deprived."""
        events, pop = by["events"].sum(), by["population"].sum()
        if events == 0 or pop == 0:
            return math.nan
        p = np.cumsum(by["population"].to_numpy(float)) / pop
        cum = np.cumsum(by["events"].to_numpy(float)) / events
        return float(np.sum(p[:-1] * cum[1:] - p[1:] * cum[:-1]))

    def __repr__(self) -> str:
        return (
            f"DeprivationProfile(events={self.events}, rate={self.rate:.3g}, "
            f"share_most_deprived={self.share_most_deprived:.3g}, "
            f"rate_ratio_1_10={self.rate_ratio_1_10:.3g}, spearman_rho={self.spearman_rho:.3g})"
        )
