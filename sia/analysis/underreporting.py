"""Under-reporting: recorded incidents against those expected from national survey rates.

One class, :class:`ExpectedRecording`, sets a local recorded count against the number
expected if the district matched national survey prevalence and reporting rates (Crime
Survey for England and Wales, CSEW). It does **not** hold any survey figure: prevalence,
reporting rate, their source and the assumption are inputs, kept in the partnership's
config with their source, so that every ratio is shown next to where its constants came
from (see ``docs/methods/deprivation-repeats-underreporting.md``).
"""

from __future__ import annotations

import math
import numbers

from scipy import stats

__all__ = ["THRESHOLD", "ExpectedRecording"]

#: Default threshold for :attr:`ExpectedRecording.far_below_expected`: the upper limit of
#: the recorded-to-expected ratio is below one half.
THRESHOLD = 0.5


def _number(value: object, name: str, *, low: float, high: float | None = None) -> float:
    """Return ``value`` as a finite float in ``[low, high]``, or raise naming the argument."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a number, not {value!r}")
    value = float(value)
    if not math.isfinite(value) or value < low or (high is not None and value > high):
        bound = f"between {low:g} and {high:g}" if high is not None else f"{low:g} or more"
        raise ValueError(
            f"{name} must be {bound}, not {value!r}"
            + ("; pass a proportion (0.27), not a percentage (27)" if high == 1 else "")
        )
    return value


def _text(value: object, name: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValueError(
            f"{name} must be a non-empty description; every expected figure is shown with "
            f"its {name}"
        )
    return value.strip()


class ExpectedRecording:
    r"""Recorded incidents against the number expected from survey prevalence and reporting.

    The expected number of incidents coming to police attention is

    .. math:: E = N \times p \times k \times r \times t,

    where :math:`N` is the resident population aged 16 and over, :math:`p` the survey
    prevalence (share of adults who were victims in the last 12 months), :math:`k` the
    incidents per victim and :math:`r` the reporting rate (share of incidents the police
    came to know about) and :math:`t` the length of the period in years (survey rates are
    for 12 months; a period of 6 months has :math:`t = 0.5`). A recording rate (HMICFRS
    crime data integrity audits) can be folded into :math:`r` as ``reporting × recording``.
    The ratio recorded ÷ expected is 1 when the district records what the national rates
    predict.

    The interval for the recorded count :math:`x` is the exact (Garwood 1936) Poisson
    interval, :math:`[\chi^2_{2x,\alpha/2} / 2,\ \chi^2_{2x+2,1-\alpha/2} / 2]` (lower limit
    0 when :math:`x = 0`); the ratio's interval divides it by :math:`E`. :math:`E` is treated
    as known, so the interval covers only the Poisson variation of the local count, not the
    survey's sampling error or the difference between the district and England and Wales.

    Parameters
    ----------
    recorded : int
        Police-recorded incidents in the district over 12 months.
    population_16_plus : float
        Residents aged 16 and over; or residents of all ages when ``prevalence`` is a
        national number per resident (e.g. CSEW hate crime incidents ÷ the population of
        England and Wales), so that both sides count the same people.
    prevalence : float
        Proportion (0–1) of adults who were victims in the last 12 months (CSEW), or a
        national number of incidents per resident.
    reporting_rate : float
        Proportion (0–1) of incidents reported to (or coming to the attention of) the police.
    incidents_per_victim : float, default 1.0
        Mean incidents per victim; 1.0 compares victims rather than incidents.
    years : float, default 1.0
        Length of the period ``recorded`` covers, in years (months ÷ 12), keyword only.
    source : str
        Where the prevalence and reporting rate come from (survey, year, table), keyword only.
    assumption : str
        The assumption that makes the comparison meaningful, shown next to the ratio,
        keyword only.
    threshold : float, default :data:`THRESHOLD` (0.5)
        :attr:`far_below_expected` is true when the upper limit of the ratio is below it.
    alpha : float, default 0.05
        The interval has coverage ``1 - alpha``.

    Attributes
    ----------
    recorded : int
    expected : float
        :math:`E`.
    recorded_to_expected : float
        ``recorded / expected`` (``nan`` when ``expected`` is 0).
    ci : tuple of float
        Exact Poisson interval for the recorded count.
    ratio_ci : tuple of float
        ``ci`` divided by ``expected``.
    far_below_expected : bool
        ``ratio_ci[1] < threshold``: even the upper limit of the ratio is below the
        threshold, so the shortfall is not Poisson noise. With the default 0.5, the district
        records fewer than half the incidents national rates predict. It flags a question
        (local under-reporting, under-recording, lower local prevalence, or constants that do
        not fit), not an answer.
    source, assumption, prevalence, reporting_rate, incidents_per_victim, population_16_plus,
    years, threshold, alpha
        As given.

    References
    ----------
    Garwood, F. (1936). Fiducial limits for the Poisson distribution. *Biometrika* 28(3/4),
    437–442.

    Office for National Statistics. *Crime in England and Wales* (CSEW annual tables) and
    *Domestic abuse in England and Wales* data tool: prevalence and reporting to the
    police. The figures must be taken from the current release; none are built in.

    Examples
    --------
    Illustrative constants only (not survey figures):

    >>> from sia.analysis.underreporting import ExpectedRecording
    >>> er = ExpectedRecording(
    ...     recorded=40, population_16_plus=100_000, prevalence=0.02, reporting_rate=0.2,
    ...     source="illustration", assumption="local prevalence equals the national rate",
    ... )
    >>> er.expected, er.recorded_to_expected
    (400.0, 0.1)
    >>> [round(limit, 4) for limit in er.ratio_ci], er.far_below_expected
    ([0.0714, 0.1362], True)
    """

    def __init__(
        self,
        recorded: int,
        population_16_plus: float,
        prevalence: float,
        reporting_rate: float,
        incidents_per_victim: float = 1.0,
        *,
        source: str,
        assumption: str,
        years: float = 1.0,
        threshold: float = THRESHOLD,
        alpha: float = 0.05,
    ) -> None:
        if isinstance(recorded, bool) or not isinstance(recorded, numbers.Real):
            raise TypeError(f"recorded must be a whole number of incidents, not {recorded!r}")
        if not math.isfinite(recorded) or recorded < 0 or recorded != int(recorded):
            raise ValueError(f"recorded must be a whole number (0 or more), not {recorded!r}")
        self.recorded = int(recorded)
        self.population_16_plus = _number(population_16_plus, "population_16_plus", low=0)
        self.prevalence = _number(prevalence, "prevalence", low=0, high=1)
        self.reporting_rate = _number(reporting_rate, "reporting_rate", low=0, high=1)
        self.incidents_per_victim = _number(incidents_per_victim, "incidents_per_victim", low=0)
        self.years = _number(years, "years", low=0)
        if self.years == 0:
            raise ValueError("years must be more than 0 (the period's months ÷ 12)")
        self.threshold = _number(threshold, "threshold", low=0)
        self.alpha = _number(alpha, "alpha", low=0, high=1)
        if not 0 < self.alpha < 1:
            raise ValueError(f"alpha must be between 0 and 1 (e.g. 0.05), not {alpha!r}")
        self.source = _text(source, "source")
        self.assumption = _text(assumption, "assumption")

        self.expected = (
            self.population_16_plus
            * self.prevalence
            * self.incidents_per_victim
            * self.reporting_rate
            * self.years
        )
        x, a = self.recorded, self.alpha
        lower = 0.0 if x == 0 else float(stats.chi2.ppf(a / 2, 2 * x) / 2)
        upper = float(stats.chi2.ppf(1 - a / 2, 2 * x + 2) / 2)
        self.ci = (lower, upper)
        if self.expected > 0:
            self.recorded_to_expected = x / self.expected
            self.ratio_ci = (lower / self.expected, upper / self.expected)
        else:
            self.recorded_to_expected = math.nan
            self.ratio_ci = (math.nan, math.nan)
        self.far_below_expected = bool(self.ratio_ci[1] < self.threshold)

    def __repr__(self) -> str:
        return (
            f"ExpectedRecording(recorded={self.recorded}, expected={self.expected:.4g}, "
            f"recorded_to_expected={self.recorded_to_expected:.3g}, "
            f"far_below_expected={self.far_below_expected})"
        )
