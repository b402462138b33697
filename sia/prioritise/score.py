"""A MoRiLE-style score beside each status: harm x likelihood, with confidence apart.

MoRiLE (Management of Risk in Law Enforcement) scores harm and likelihood, then grades
the organisational position (capacity and capability) and the confidence in the
evidence, kept separate so that a decision stays auditable. Its numeric scales are not
published, so the scales are the 4 x 4 grading Fife CSP used (impact 1-4 x likelihood
1-4 = risk 1-16), with thresholds in :class:`~sia.prioritise.parameters.MorileScales`:

- **harm** 1-4 from the ONS Crime Severity Score weight per offence of the gravest of the
  priority's measures (harm total / count);
- **likelihood** 1-4 from the rate per 1,000 residents of the priority's headline
  measure; one higher when a current or emerging concern holds, one lower when every
  measure with a tested change fell significantly;
- **organisational position** only as the partnership grades it
  (``priorities[].morile.organisational_position``);
- **confidence** high when every measure has figures for both periods from sources with
  no data-quality issue, medium when some do, low when none does.

A grade the partnership sets in ``priorities[].morile`` replaces the computed one, and
the basis says so. A priority with neither figures nor a grade has no risk score.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sia.prioritise.models import Criterion, Score

if TYPE_CHECKING:
    from sia.assessment import Assessment, PriorityResult
    from sia.config import Priority
    from sia.prioritise.parameters import MorileScales

__all__ = ["score_priority"]

#: Data-quality issues that do not lower confidence: rows without a location still
#: count for the district.
_HARMLESS_ISSUES = {"without-location"}


def score_priority(
    priority: Priority,
    result: PriorityResult | None,
    assessment: Assessment,
    criteria: list[Criterion],
    scales: MorileScales,
) -> Score:
    """Grade one priority (see the module's description)."""
    measures = [m for m in (result.measures if result else []) if m.count is not None]
    judged = priority.morile

    harm, harm_basis = None, "no Crime Severity Score weight for its measures"
    weights = [
        (m.harm.total / m.count, m)
        for m in measures
        if m.harm is not None and m.count and m.harm.total is not None
    ]
    if weights:
        weight, m = max(weights, key=lambda x: x[0])
        harm = scales.harm_band(weight)
        harm_basis = f"{weight:,.0f} Crime Severity Score weight per offence ({m.name})"
    if judged and judged.harm is not None:
        harm, harm_basis = judged.harm, "graded by the partnership"

    likelihood, likelihood_basis = None, "no figures"
    headline = next((m for m in measures if m.rate is not None), None)
    if headline is not None:
        likelihood = scales.likelihood_band(headline.rate)
        likelihood_basis = f"{headline.rate:,.2f} per 1,000 residents ({headline.name})"
        if scales.concern_raises_likelihood:
            if any(c.group == "concern" for c in criteria):
                likelihood = min(4, likelihood + 1)
                likelihood_basis += "; +1 for a current or emerging concern"
            tested = [m for m in measures if m.direction in ("up", "down", "stable")]
            falling = [m for m in tested if m.direction == _good(m.polarity)]
            if tested and len(falling) == len(tested):
                likelihood = max(1, likelihood - 1)
                likelihood_basis += "; -1 as every measure improved significantly"
    if judged and judged.likelihood is not None:
        likelihood, likelihood_basis = judged.likelihood, "graded by the partnership"

    confidence, confidence_basis = _confidence(result, assessment)
    return Score(
        harm=harm,
        harm_basis=harm_basis,
        likelihood=likelihood,
        likelihood_basis=likelihood_basis,
        risk=harm * likelihood if harm is not None and likelihood is not None else None,
        organisational_position=judged.organisational_position if judged else None,
        confidence=confidence,
        confidence_basis=confidence_basis,
    )


def _good(polarity: str) -> str | None:
    return {"up-is-bad": "down", "down-is-bad": "up"}.get(polarity)


def _confidence(result: PriorityResult | None, assessment: Assessment) -> tuple[str, str]:
    measures = result.measures if result else []
    if not measures:
        return "low", "no measures in the assessment"
    troubled = {i.source for i in assessment.data_quality.issues if i.kind not in _HARMLESS_ISSUES}
    sound = [
        m
        for m in measures
        if m.count is not None and m.previous_count is not None and m.source not in troubled
    ]
    if len(sound) == len(measures):
        return "high", f"all {len(measures)} measures have figures for both periods"
    if sound:
        return "medium", f"{len(sound)} of {len(measures)} measures have sound figures"
    return "low", "no measure has sound figures for both periods"
