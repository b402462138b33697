"""Harm: offence counts weighted by severity, and when harm and counts part company.

Three classes, each computing on construction (see ``docs/methods/harm.md``):

* :class:`HarmTotal`: total harm Σ weight × count, by default with the ONS Crime Severity
  Score (CSS) weights shipped in :mod:`sia.offences` (exact for Home Office offence codes,
  a documented approximation for police.uk crime types);
* :class:`HarmChange`: count and harm change between two periods, with a test of whether
  harm changed, and the flag "harm rising inside a falling total";
* :class:`AgainstParent`: a sub-measure (homicide within serious violence, repeats within
  domestic abuse) rising while its parent falls or holds steady.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Mapping

import pandas as pd
from scipy import stats

from sia import offences
from sia.analysis.change import PoissonChange

__all__ = ["METHODS", "AgainstParent", "HarmChange", "HarmTotal", "label_weights"]

#: The values :attr:`HarmTotal.method` can take, by the ``by`` argument.
METHODS = {
    "code": "exact offence codes",
    "category": "police.uk category approximation",
}


def _alpha(alpha: object) -> float:
    if isinstance(alpha, bool) or not isinstance(alpha, numbers.Real) or not 0 < alpha < 1:
        raise ValueError(f"alpha must be between 0 and 1 (e.g. 0.05), not {alpha!r}")
    return float(alpha)


def _counts(counts: object, name: str) -> pd.Series:
    """``counts`` as a float Series of whole, non-negative counts keyed by text labels."""
    if isinstance(counts, Mapping):
        counts = pd.Series(dict(counts), dtype="float64")
    if not isinstance(counts, pd.Series):
        raise TypeError(
            f"{name} must be a pandas Series of counts indexed by offence code or police.uk "
            f"crime type, not {type(counts).__name__}"
        )
    values = pd.to_numeric(counts, errors="coerce").astype("float64")
    bad = values.isna() | (values < 0) | (values != values.round())
    if bad.any():
        raise ValueError(
            f"{name} must hold whole numbers of offences (0 or more); "
            f"check {list(counts.index[bad])[:5]}"
        )
    return pd.Series(values.to_numpy(), index=counts.index, name=name)


def _weight_for(label: object, by: str, weights: Mapping | None) -> tuple[str, float | None]:
    """The key ``label`` is aggregated under and its weight (``None`` when it has none)."""
    if weights is not None:
        key = str(label)
        weight = weights.get(label, weights.get(key))
        if weight is None or (isinstance(weight, float) and math.isnan(weight)):
            return key, None
        return key, float(weight)
    if by == "code":
        key = offences.normalise_code(label)
        try:
            return key, offences.css_weight(key)
        except offences.UnknownOffenceCode:
            return key, None
    key = " ".join(str(label).split())
    try:
        return key, offences.category_weight(key)
    except offences.UnknownPoliceUkCategory:
        return key, None


def label_weights(labels: object, by: str = "code", weights: Mapping | None = None) -> pd.Series:
    """The weight :class:`HarmTotal` gives each label (NaN for a label with none).

    For weighting many small tables with the same labels at once (harm by ward): the
    harm of a table of counts is ``(counts * label_weights(counts.index)).sum()``, which
    equals ``HarmTotal(counts).total``.

    >>> label_weights(["1", "8N", "ZZ9"]).round(2).tolist()
    [7973.39, 189.15, nan]
    """
    if by not in METHODS:
        raise ValueError(f"by must be 'code' or 'category', not {by!r}")
    labels = list(labels)
    values = [_weight_for(label, by, weights)[1] for label in labels]
    return pd.Series([math.nan if v is None else v for v in values], index=labels, dtype="float64")


class HarmTotal:
    r"""Total harm: the sum over offences of weight × count.

    With the default weights this is the numerator of the ONS Crime Severity Score (ONS
    2016): :math:`H = \sum_i w_i n_i`, where :math:`n_i` is the number of offences of
    code :math:`i` and :math:`w_i` its CSS weight (:func:`sia.offences.css_weight`). ONS
    divides :math:`H` by the resident population to give the score *per head* (England
    and Wales 2015/16: 10.1); pass ``population`` to get that score as :attr:`score`.
    Any other harm index (e.g. the Cambridge Crime Harm Index, Sherman et al. 2016) can be
    used by passing its ``weights``.

    Parameters
    ----------
    counts : pandas.Series
        Offences, indexed by Home Office offence code (``by="code"``, codes as text) or by
        police.uk crime type (``by="category"``). Repeated labels are added together.
    weights : mapping or pandas.Series, optional
        Weight per label. Default: the shipped CSS weights, exact per offence code
        (:func:`sia.offences.css_weight`) or, with ``by="category"``, the approximate
        weight per police.uk crime type (:func:`sia.offences.category_weight`, the median
        of the weights of the codes published under it).
    by : {'code', 'category'}, default 'code'
        What ``counts`` is indexed by.
    population : float, optional
        Resident population; when given, :attr:`score` is :math:`H` ÷ population.

    Attributes
    ----------
    total : float
        :math:`H = \sum_i w_i n_i` over the labels that have a weight.
    count : int
        :math:`\sum_i n_i` over the labels that have a weight (the offences in ``total``).
    mean_weight : float
        ``total / count`` (``nan`` when ``count`` is 0): the average severity.
    variance : float
        :math:`\sum_i w_i^2 n_i`, the compound-Poisson estimate of the variance of
        ``total`` (see :class:`HarmChange`).
    unweighted_codes : tuple of str
        Labels with no weight (unknown codes, anti-social behaviour, ...). They are left
        out of ``total`` and ``count`` and reported here, never dropped silently.
    unweighted_count : int
        Offences under ``unweighted_codes``.
    table : pandas.DataFrame
        One row per weighted label: ``count``, ``weight``, ``harm``, ``share`` (of
        ``total``), largest harm first.
    method : str
        ``'exact offence codes'`` or ``'police.uk category approximation'``; with your own
        ``weights``, ``'user weights (by code)'`` or ``'user weights (by category)'``.
    score : float or None
        ``total / population`` (ONS CSS, per head) when ``population`` is given.
    population : float or None
        As given.

    References
    ----------
    Office for National Statistics (2016). *Research outputs: developing a Crime Severity
    Score for England and Wales using data on crimes recorded by the police*. 29 November
    2016.

    Sherman, L., Neyroud, P. W. and Neyroud, E. (2016). The Cambridge Crime Harm Index:
    measuring total harm from crime based on sentencing guidelines. *Policing* 10(3),
    171–183.

    Examples
    --------
    Two murders and 100 assaults with injury (CSS weights 7,973.39 and 189.15):

    >>> import pandas as pd
    >>> from sia.analysis.harm import HarmTotal
    >>> harm = HarmTotal(pd.Series({"1": 2, "8N": 100, "ZZ9": 3}))
    >>> round(harm.total, 2), harm.count, round(harm.mean_weight, 2)
    (34862.18, 102, 341.79)
    >>> harm.unweighted_codes, harm.unweighted_count
    (('ZZ9',), 3)
    >>> round(HarmTotal(pd.Series({"1": 2, "8N": 100}), population=10_000).score, 4)
    3.4862
    """

    def __init__(
        self,
        counts: pd.Series,
        weights: Mapping | pd.Series | None = None,
        by: str = "code",
        population: float | None = None,
    ) -> None:
        if by not in METHODS:
            raise ValueError(f"by must be 'code' or 'category', not {by!r}")
        if population is not None and (
            isinstance(population, bool)
            or not isinstance(population, numbers.Real)
            or not (math.isfinite(population) and population > 0)
        ):
            raise ValueError(
                f"population must be a positive number of residents, not {population!r}"
            )
        if weights is not None and not isinstance(weights, Mapping | pd.Series):
            raise TypeError("weights must be a mapping or Series of weight by label")
        self.population = None if population is None else float(population)
        self.method = METHODS[by] if weights is None else f"user weights (by {by})"
        series = _counts(counts, "counts")

        rows: dict[str, list[float]] = {}
        unweighted: dict[str, float] = {}
        for label, n in series.items():
            key, weight = _weight_for(label, by, weights)
            if weight is None:
                unweighted[key] = unweighted.get(key, 0.0) + n
            elif key in rows:
                rows[key][0] += n
            else:
                rows[key] = [n, weight]

        table = pd.DataFrame(
            {
                "count": pd.Series({k: v[0] for k, v in rows.items()}, dtype="float64"),
                "weight": pd.Series({k: v[1] for k, v in rows.items()}, dtype="float64"),
            }
        )
        table["harm"] = table["count"] * table["weight"]
        self.total = float(table["harm"].sum())
        self.count = int(table["count"].sum())
        table["share"] = table["harm"] / self.total if self.total > 0 else math.nan
        self.table = table.sort_values("harm", ascending=False, kind="stable")
        self.variance = float((table["weight"] ** 2 * table["count"]).sum())
        self.mean_weight = self.total / self.count if self.count else math.nan
        self.unweighted_codes = tuple(unweighted)
        self.unweighted_count = int(sum(unweighted.values()))
        self.score = None if self.population is None else self.total / self.population

    def __repr__(self) -> str:
        return (
            f"HarmTotal(total={self.total:.6g}, count={self.count}, "
            f"unweighted_codes={self.unweighted_codes!r}, method={self.method!r})"
        )


class HarmChange:
    r"""Change in offence count and in total harm between two periods.

    Each period's harm :math:`H_t = \sum_i w_i n_{ti}` is treated as a weighted sum of
    independent Poisson counts, so :math:`\operatorname{Var}(H_t) = \sum_i w_i^2
    \lambda_{ti}`, estimated by :math:`V_t = \sum_i w_i^2 n_{ti}` (the variance used for
    directly standardised rates: Chiang 1961; Dobson et al. 1991; Fay & Feuer 1997). The
    change is tested with the Wald statistic

    .. math:: z = (H_1 - H_0) / \sqrt{V_1 + V_0},

    two-sided :math:`p = 2\,(1 - \Phi(|z|))`.

    **Harm rising inside a falling total** is flagged when, exactly,
    ``count_ratio < 1 and harm_ratio > 1 and p_value <= alpha``: fewer weighted offences
    than before (the point estimate; its own test is :attr:`count_change`) while harm rose
    significantly. It assumes the weights are fixed and offences are independent Poisson
    events; repeat and linked offences (one incident, several victims) make the counts
    over-dispersed, so the p-value is then too small. :attr:`top_codes` and
    :attr:`contributions` say which offences moved harm (usually a handful of homicides or
    attempted murders).

    Parameters
    ----------
    current, previous : pandas.Series
        Offences per label in each period (as for :class:`HarmTotal`).
    weights, by
        As for :class:`HarmTotal`; the same for both periods.
    alpha : float, default 0.05
        Significance level.
    top : int, default 3
        How many labels :attr:`top_codes` names.

    Attributes
    ----------
    current, previous : HarmTotal
        The two totals.
    count_ratio : float
        ``current.count / previous.count`` (``inf`` or ``nan`` when the previous count is 0).
    harm_ratio : float
        ``current.total / previous.total``.
    harm_difference : float
        :math:`H_1 - H_0`.
    z, p_value : float
        The Wald statistic and its two-sided p-value (0 and 1.0 when both variances are 0).
    count_change : PoissonChange
        Exact test of the change in ``count``.
    harm_rising_in_falling_total : bool
        The rule above.
    contributions : pandas.DataFrame
        One row per label in either period: ``weight``, ``previous``, ``current`` (counts),
        ``harm_previous``, ``harm_current``, ``harm_change``, ordered by ``harm_change``
        (largest rise first).
    top_codes : tuple of str
        The ``top`` labels with the largest current harm.
    top_share : float
        Their share of current harm.
    unweighted_codes : tuple of str
        Labels without a weight in either period.
    alpha : float
        As given.

    References
    ----------
    Chiang, C. L. (1961). Standard error of the age-adjusted death rate. *Vital
    Statistics: Special Reports* 47(9), 275–285. US Department of Health, Education and
    Welfare.

    Dobson, A. J., Kuulasmaa, K., Eberle, E. and Scherer, J. (1991). Confidence intervals
    for weighted sums of Poisson parameters. *Statistics in Medicine* 10(3), 457–462.

    Fay, M. P. and Feuer, E. J. (1997). Confidence intervals for directly standardized
    rates: a method based on the gamma distribution. *Statistics in Medicine* 16(7),
    791–801.

    Office for National Statistics (2016), as for :class:`HarmTotal`.

    Examples
    --------
    Serious violence: fewer offences, graver ones (murders 4 → 9; assaults with intent to
    cause serious harm 150 → 240; assaults with injury 694 → 393; 848 → 642 in all):

    >>> import pandas as pd
    >>> from sia.analysis.harm import HarmChange
    >>> before = pd.Series({"1": 4, "5D": 150, "8N": 694})
    >>> after = pd.Series({"1": 9, "5D": 240, "8N": 393})
    >>> change = HarmChange(after, before, top=1)
    >>> round(change.count_ratio, 3), round(change.harm_ratio, 3)
    (0.757, 1.355)
    >>> round(change.z, 2), round(change.p_value, 4), change.harm_rising_in_falling_total
    (3.33, 0.0009, True)
    >>> change.top_codes, round(change.top_share, 3)
    (('5D',), 0.77)
    """

    def __init__(
        self,
        current: pd.Series,
        previous: pd.Series,
        weights: Mapping | pd.Series | None = None,
        by: str = "code",
        alpha: float = 0.05,
        top: int = 3,
    ) -> None:
        self.alpha = _alpha(alpha)
        if isinstance(top, bool) or not isinstance(top, int) or top < 1:
            raise ValueError(f"top must be a whole number of codes (1 or more), not {top!r}")
        self.current = HarmTotal(current, weights=weights, by=by)
        self.previous = HarmTotal(previous, weights=weights, by=by)
        h1, h0 = self.current.total, self.previous.total
        c1, c0 = self.current.count, self.previous.count

        self.count_ratio = c1 / c0 if c0 else (math.inf if c1 else math.nan)
        self.harm_ratio = h1 / h0 if h0 else (math.inf if h1 else math.nan)
        self.harm_difference = h1 - h0
        variance = self.current.variance + self.previous.variance
        if variance > 0:
            self.z = self.harm_difference / math.sqrt(variance)
            self.p_value = float(2.0 * stats.norm.sf(abs(self.z)))
        else:
            self.z, self.p_value = 0.0, 1.0
        self.count_change = PoissonChange(c1, c0, alpha=self.alpha)
        self.harm_rising_in_falling_total = bool(
            self.count_ratio < 1 and self.harm_ratio > 1 and self.p_value <= self.alpha
        )

        after, before = self.current.table, self.previous.table
        weight = pd.concat([after["weight"], before["weight"]])
        weight = weight[~weight.index.duplicated()]
        table = pd.DataFrame({"weight": weight})
        table["previous"] = before["count"].reindex(table.index, fill_value=0.0)
        table["current"] = after["count"].reindex(table.index, fill_value=0.0)
        table["harm_previous"] = table["previous"] * table["weight"]
        table["harm_current"] = table["current"] * table["weight"]
        table["harm_change"] = table["harm_current"] - table["harm_previous"]
        self.contributions = table.sort_values("harm_change", ascending=False, kind="stable")

        self.top_codes = tuple(after.index[:top])
        self.top_share = float(after["harm"].iloc[:top].sum() / h1) if h1 > 0 else math.nan
        self.unweighted_codes = tuple(
            dict.fromkeys(self.current.unweighted_codes + self.previous.unweighted_codes)
        )

    def __repr__(self) -> str:
        return (
            f"HarmChange(count_ratio={self.count_ratio:.3g}, harm_ratio={self.harm_ratio:.3g}, "
            f"z={self.z:.3g}, p_value={self.p_value:.3g}, "
            f"harm_rising_in_falling_total={self.harm_rising_in_falling_total})"
        )


class AgainstParent:
    r"""A sub-measure rising while its parent falls or holds steady.

    The sub-measure (e.g. homicide) is part of the parent (e.g. serious violence). Its
    change is judged *relative to the parent* with the exact conditional test of two
    Poisson counts (:class:`~sia.analysis.change.PoissonChange`) using the parent's ratio
    :math:`r = P_1 / P_0` as the exposure ratio: given :math:`n = S_1 + S_0`, under "the
    sub-measure moved in step with its parent" (its share of the parent unchanged),
    :math:`S_1 \sim \text{Binomial}(n, r / (1 + r))` (Przyborowski & Wilenski 1940;
    Breslow & Day 1987, the comparison of an observed count with an expected one). The
    parent is treated as a known exposure, which is accurate when the sub-measure is a
    small part of it and slightly anti-conservative when it is a large part.

    The rule, exactly: ``against_parent`` is true when

    * the parent is not rising: :attr:`parent_direction` is ``'down'`` or ``'stable'``
      (its own exact test, :class:`PoissonChange`; ``'too-few'`` is not judged), and
    * the sub-measure rose in number (:math:`S_1 > S_0`), and
    * its share of the parent rose significantly: :attr:`relative_direction` is ``'up'``
      (``p_value <= alpha``).

    Parameters
    ----------
    sub_current, sub_previous : int
        The sub-measure in each period.
    parent_current, parent_previous : int
        The parent in each period; each must be at least the sub-measure.
    alpha : float, default 0.05
        Significance level for all three tests.

    Attributes
    ----------
    parent_direction, sub_direction : {'up', 'down', 'stable', 'too-few'}
        The direction of each count on its own (:class:`PoissonChange`).
    relative_direction : {'up', 'down', 'stable', 'too-few'}
        The direction of the sub-measure relative to its parent.
    share_previous, share_current : float
        :math:`S_0 / P_0` and :math:`S_1 / P_1`.
    relative_ratio : float
        :math:`(S_1 / S_0) / (P_1 / P_0)`, the ratio of the shares.
    p_value : float
        Two-sided exact p-value of the relative test.
    parent, sub, relative : PoissonChange
        The three tests.
    against_parent : bool
        The rule above.

    References
    ----------
    Przyborowski, J. and Wilenski, H. (1940). Homogeneity of results in testing samples
    from Poisson series. *Biometrika* 31(3/4), 313–323.

    Breslow, N. E. and Day, N. E. (1987). *Statistical Methods in Cancer Research, vol. II:
    The Design and Analysis of Cohort Studies*. IARC Scientific Publications 82.

    Examples
    --------
    Environmental anti-social behaviour 5,736 → 7,803 within all ASB (police-recorded
    7,358 → 5,133 plus environmental):

    >>> from sia.analysis.harm import AgainstParent
    >>> asb = AgainstParent(7803, 5736, 5133 + 7803, 7358 + 5736)
    >>> asb.parent_direction, asb.sub_direction, asb.against_parent
    ('stable', 'up', True)
    """

    def __init__(
        self,
        sub_current: int,
        sub_previous: int,
        parent_current: int,
        parent_previous: int,
        alpha: float = 0.05,
    ) -> None:
        self.alpha = _alpha(alpha)
        self.sub = PoissonChange(sub_current, sub_previous, alpha=self.alpha)
        self.parent = PoissonChange(parent_current, parent_previous, alpha=self.alpha)
        s1, s0 = self.sub.count, self.sub.previous_count
        p1, p0 = self.parent.count, self.parent.previous_count
        if s1 > p1 or s0 > p0:
            raise ValueError(
                "the sub-measure cannot exceed its parent "
                f"(sub {s0} → {s1}, parent {p0} → {p1}); pass the parent total that "
                "includes the sub-measure"
            )
        if p0 == 0 or p1 == 0:
            raise ValueError(
                f"the parent must be positive in both periods (parent {p0} → {p1}) to serve "
                "as the exposure of the relative test"
            )
        self.relative = PoissonChange(s1, s0, exposure_ratio=p1 / p0, alpha=self.alpha)
        self.parent_direction = self.parent.direction
        self.sub_direction = self.sub.direction
        self.relative_direction = self.relative.direction
        self.p_value = self.relative.p_value
        self.relative_ratio = self.relative.ratio
        self.share_previous = s0 / p0
        self.share_current = s1 / p1
        self.against_parent = bool(
            self.parent_direction in ("down", "stable")
            and s1 > s0
            and self.relative_direction == "up"
        )

    def __repr__(self) -> str:
        return (
            f"AgainstParent(parent_direction={self.parent_direction!r}, "
            f"sub_direction={self.sub_direction!r}, p_value={self.p_value:.3g}, "
            f"against_parent={self.against_parent})"
        )
