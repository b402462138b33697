"""The thresholds of the priority recommendation, in one validated object.

Every number the rules of :mod:`sia.prioritise` compare against lives here, with its
default and the reason for it, so that a partnership can change a threshold in its YAML
(the ``prioritisation:`` section) and see which call it changes. This module depends on
nothing else in ``sia`` so that the partnership schema can use it.

Examples
--------
>>> p = PrioritisationParameters()
>>> p.most_raised_rank, p.tension_high_level
(3, 4)
>>> p.morile.harm_band(5760.7), p.morile.likelihood_band(0.3)
(4, 1)
>>> PrioritisationParameters(most_raised_rank=0)  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
pydantic_core._pydantic_core.ValidationError: 1 validation error for PrioritisationParameters
most_raised_rank
  Input should be greater than or equal to 1 ...
"""

from __future__ import annotations

import bisect
import itertools
import math

from pydantic import BaseModel, ConfigDict, Field, field_validator

__all__ = ["DEFAULT_FOCUS_DUTIES", "MorileJudgement", "MorileScales", "PrioritisationParameters"]

#: The duties that fall on the partnership for one priority in particular (Crime and
#: Disorder Act 1998 s6(1)(b)-(d), the Serious Violence Duty, the Prevent duty, the
#: Domestic Abuse Act 2021 Part 4). The general crime-and-disorder duty of s6(1)(a)
#: covers every priority, so by default it does not mark one out.
DEFAULT_FOCUS_DUTIES: tuple[str, ...] = (
    "serious-violence-duty",
    "domestic-abuse-act",
    "prevent-duty",
    "reducing-reoffending",
    "substance-misuse",
)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _increasing(values: list[float], name: str) -> list[float]:
    if len(values) != 3:
        raise ValueError(f"{name} needs 3 thresholds (for scores 1-4), not {len(values)}")
    if any(not math.isfinite(v) or v < 0 for v in values):
        raise ValueError(f"{name} must be finite numbers of 0 or more, not {values}")
    if any(b <= a for a, b in itertools.pairwise(values)):
        raise ValueError(f"{name} must increase, e.g. [1, 5, 15]; got {values}")
    return values


class MorileScales(_Strict):
    """The MoRiLE-style scales: harm 1-4 and likelihood 1-4, giving a risk of 1-16.

    MoRiLE's own numeric scales are not published; this is the 4 x 4 grading Fife CSP
    used (impact 1-4 x likelihood 1-4 = 1-16). A value below the first threshold scores
    1, at or above the third scores 4.
    """

    harm_bands: list[float] = Field(
        default=[50.0, 250.0, 1000.0],
        description="ONS Crime Severity Score weight per offence (the gravest of a "
        "priority's measures) at which harm scores 2, 3 and 4",
    )
    likelihood_bands: list[float] = Field(
        default=[1.0, 5.0, 15.0],
        description="Events per 1,000 residents in the period (the priority's first "
        "measure with figures) at which likelihood scores 2, 3 and 4",
    )
    concern_raises_likelihood: bool = Field(
        default=True,
        description="A current or emerging concern adds 1 to likelihood (at most 4); every "
        "measure falling significantly takes 1 off (at least 1)",
    )

    @field_validator("harm_bands")
    @classmethod
    def _harm(cls, v: list[float]) -> list[float]:
        return _increasing(v, "harm_bands")

    @field_validator("likelihood_bands")
    @classmethod
    def _likelihood(cls, v: list[float]) -> list[float]:
        return _increasing(v, "likelihood_bands")

    def harm_band(self, weight_per_offence: float) -> int:
        """1-4 from a Crime Severity Score weight per offence."""
        return bisect.bisect_right(self.harm_bands, weight_per_offence) + 1

    def likelihood_band(self, rate: float) -> int:
        """1-4 from a rate per 1,000 residents."""
        return bisect.bisect_right(self.likelihood_bands, rate) + 1


class MorileJudgement(_Strict):
    """A partnership's own MoRiLE-style grades for one priority (``priorities[].morile``).

    A grade given here replaces the one computed from the figures, and the output says
    so; ``organisational_position`` (capacity and capability, 1 = well placed, 4 = no
    capacity) is only ever judged, and is kept apart from the risk score.
    """

    harm: int | None = Field(default=None, ge=1, le=4)
    likelihood: int | None = Field(default=None, ge=1, le=4)
    organisational_position: int | None = Field(default=None, ge=1, le=4)
    note: str | None = None


class PrioritisationParameters(_Strict):
    """Every threshold of the status rules, the cross-cutting links, merges and scores."""

    significance_level: float | None = Field(
        default=None,
        gt=0,
        lt=1,
        description="Level for every test here; by default the partnership's significance_level",
    )
    focus_duties: list[str] = Field(
        default=list(DEFAULT_FOCUS_DUTIES),
        description="Statutory duties that make a priority high focus when the partnership "
        "itself holds it (no owning_partnership)",
    )
    most_raised_rank: int = Field(
        default=3,
        ge=1,
        description="A concern ranked this or higher in the district counts as most raised",
    )
    min_mentions: int = Field(
        default=5, ge=1, description="Fewest mentions in the period for a rise in them to count"
    )
    mentions_rise_ratio: float = Field(
        default=1.25,
        gt=1,
        description="Mentions must reach this multiple of the previous period's (and the "
        "rise be significant) to count as escalating",
    )
    tension_high_level: int = Field(
        default=4,
        ge=1,
        le=5,
        description="A related tension report at this level or above (1-5 scale) is a "
        "current concern; 4 and 5 are the top two levels",
    )
    tension_level_rise: float = Field(
        default=1.0,
        gt=0,
        description="A rise of the mean tension level by this much counts as rising",
    )
    underreporting_ratio: float = Field(
        default=0.5,
        gt=0,
        lt=1,
        description="Recording far below expected: the recorded-to-expected ratio's upper "
        "limit is below this",
    )
    underreporting_concerns: list[str] = Field(
        default=["underreporting"],
        description="Insight concern ids that mean underreporting: a priority raised with "
        "one of them more often than chance is a current concern",
    )
    link_min_records: int = Field(
        default=5,
        ge=1,
        description="Fewest insight records raising two concerns together for a link",
    )
    ward_link_min_correlation: float = Field(
        default=0.5,
        gt=0,
        lt=1,
        description="Spearman correlation of two priorities' ward changes (log rate "
        "ratios) at or above which, if significant after Benjamini-Hochberg control, they "
        "are linked",
    )
    min_wards: int = Field(
        default=8, ge=4, description="Fewest wards with rates for a ward correlation"
    )
    cross_cutting_min_share: float = Field(
        default=1 / 3,
        gt=0,
        le=1,
        description="Share of the other priorities a priority must link to (rounded up) "
        "to be cross-cutting",
    )
    cross_cutting_min_themes: int = Field(
        default=2,
        ge=1,
        description="Themes besides its own that a cross-cutting priority's links must reach",
    )
    merge_min_correlation: float = Field(
        default=0.6,
        gt=0,
        lt=1,
        description="Spearman correlation of ward rates at or above which two priorities "
        "of one theme and structure overlap enough to suggest bringing them together",
    )
    morile: MorileScales = Field(default_factory=MorileScales)

    @field_validator("focus_duties")
    @classmethod
    def _known_duties(cls, duties: list[str]) -> list[str]:
        from sia.config.schema import StatutoryDuty

        known = [d.value for d in StatutoryDuty]
        unknown = [d for d in duties if d not in known]
        if unknown:
            raise ValueError(
                f"focus_duties {unknown} are not statutory duties; choose from {known}"
            )
        return duties

    def alpha(self, partnership_level: float) -> float:
        """The significance level to use: this one if set, else the partnership's."""
        return self.significance_level or partnership_level

    def min_links(self, priorities: int) -> int:
        """Links a priority needs to be cross-cutting among ``priorities`` priorities."""
        return max(1, math.ceil(self.cross_cutting_min_share * (priorities - 1) - 1e-9))
