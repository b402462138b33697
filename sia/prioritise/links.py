"""Links between priorities: the evidence of the cross-cutting test and of merges.

Three kinds of evidence connect two priorities:

- **insight**: their concerns are raised together in one record more often than chance
  allows. With :math:`N` records, :math:`K` raising one concern, :math:`n` the other and
  :math:`k` both, the one-sided p-value is the hypergeometric tail
  :math:`P(X \\ge k)`, :math:`X \\sim \\mathrm{Hypergeometric}(N, K, n)` (Fisher's exact
  test, one-sided); a link needs ``p <= alpha`` and ``k >= link_min_records``.
- **wards**: their ward *changes* go together: the Spearman correlation, over the wards,
  of the two priorities' log rate ratios :math:`\\log((x_1 + 0.5) / (x_0 + 0.5))` (this
  period's count against the previous one's, per ward) is at least
  ``ward_link_min_correlation`` and significant after Benjamini-Hochberg control over
  every pair of priorities. Levels are not used: nearly every crime is highest in the same
  deprived wards, so ward levels correlate for every pair, and allowing for a proxy of
  the general level (such as the other priorities' combined rate) leaves most of that
  common pattern in.
- **driver**: configured in the partnership's YAML (``priorities[].drives``): the
  partnership's judgement that one priority drives another.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from scipy import stats
from statsmodels.stats.multitest import multipletests

from sia.prioritise.models import Link

if TYPE_CHECKING:
    from sia.assessment import Assessment, MeasureResult
    from sia.config import Partnership
    from sia.prioritise.evidence import CommunityInput, ConcernPair
    from sia.prioritise.parameters import PrioritisationParameters

__all__ = [
    "co_occurrence",
    "driver_links",
    "headline_measures",
    "insight_links",
    "ward_changes",
    "ward_links",
    "ward_rates",
]


def ward_changes(assessment: Assessment) -> dict[str, dict[str, float]]:
    """Per priority with a headline measure, {ward code: log rate ratio} for the wards
    with counts in both periods (0.5 added to each count, so a ward with none is kept)."""
    found: dict[str, dict[str, float]] = {}
    for priority_id, m in headline_measures(assessment).items():
        wards = {
            a.code: math.log((a.count + 0.5) / (a.previous_count + 0.5))
            for a in m.by_ward
            if a.count is not None and a.previous_count is not None
        }
        if wards:
            found[priority_id] = wards
    return found


def headline_measures(assessment: Assessment) -> dict[str, MeasureResult]:
    """Each priority's first measure with figures in the period (its headline)."""
    found = {}
    for p in assessment.priorities:
        for m in p.measures:
            if m.count is not None:
                found[p.id] = m
                break
    return found


def ward_rates(assessment: Assessment) -> tuple[dict[str, dict[str, float]], dict[str, float]]:
    """Per priority with a headline measure, {ward code: rate per 1,000}; and the wards'
    populations (derived from a count and its rate)."""
    rates: dict[str, dict[str, float]] = {}
    population: dict[str, float] = {}
    for priority_id, m in headline_measures(assessment).items():
        wards = {a.code: a.rate for a in m.by_ward if a.rate is not None}
        for a in m.by_ward:
            if a.rate and a.count:
                population.setdefault(a.code, a.count / a.rate * 1000)
        if wards:
            rates[priority_id] = wards
    return rates, population


def ward_links(
    assessment: Assessment, params: PrioritisationParameters, alpha: float
) -> list[Link]:
    """Pairs of priorities whose ward changes go together (see above)."""
    changes = ward_changes(assessment)
    ids = sorted(changes)
    tests = []
    for ai, a in enumerate(ids):
        for b in ids[ai + 1 :]:
            wards = sorted(set(changes[a]) & set(changes[b]))
            if len(wards) < params.min_wards:
                continue
            x = [changes[a][w] for w in wards]
            y = [changes[b][w] for w in wards]
            if len(set(x)) < 2 or len(set(y)) < 2:
                continue
            rho, p_value = stats.spearmanr(x, y)
            tests.append((a, b, float(rho), float(p_value), len(wards)))
    if not tests:
        return []
    _, q_values, _, _ = multipletests([t[3] for t in tests], alpha=alpha, method="fdr_bh")
    return [
        Link(
            kind="wards",
            source=a,
            target=b,
            figures={"spearman": round(rho, 4), "p_value": p, "q_value": float(q), "wards": n},
        )
        for (a, b, rho, p, n), q in zip(tests, q_values, strict=True)
        if rho >= params.ward_link_min_correlation and q <= alpha
    ]


def insight_links(
    community: CommunityInput | None, params: PrioritisationParameters, alpha: float
) -> list[Link]:
    """Pairs of priorities raised together in insight more often than chance."""
    if community is None:
        return []
    best: dict[tuple[str, str], Link] = {}
    for pair in community.pairs:
        figures = co_occurrence(pair, params, alpha)
        if figures is None:
            continue
        a, b = sorted((pair.a, pair.b))
        link = Link(kind="insight", source=a, target=b, figures=figures)
        if (a, b) not in best or pair.records > best[(a, b)].figures["records"]:
            best[(a, b)] = link
    return list(best.values())


def co_occurrence(
    pair: ConcernPair, params: PrioritisationParameters, alpha: float
) -> dict[str, float | int] | None:
    """The figures of a pair raised together more often than chance (one-sided
    hypergeometric test, see above), or None when it is not."""
    if pair.records < params.link_min_records or pair.total <= 0:
        return None
    test = stats.hypergeom(pair.total, pair.a_records, pair.b_records)
    p_value = float(test.sf(pair.records - 1))
    if p_value > alpha:
        return None
    return {
        "records": pair.records,
        "expected": round(pair.a_records * pair.b_records / pair.total, 2),
        "p_value": p_value,
        "of_records": pair.total,
    }


def driver_links(partnership: Partnership) -> list[Link]:
    """The configured links: each priority's ``drives``."""
    return [
        Link(kind="driver", source=p.id, target=t, figures={"configured": True})
        for p in partnership.priorities
        for t in p.drives
    ]


def linked_priorities(priority_id: str, links: list[Link]) -> dict[str, list[Link]]:
    """The priorities ``priority_id`` is linked to, with the links.

    Insight and ward links count both ways; a configured driver link counts for the
    priority that drives (a priority many others are driven by is not cross-cutting for
    that)."""
    found: dict[str, list[Link]] = {}
    for link in links:
        if link.kind == "driver":
            if link.source == priority_id:
                found.setdefault(link.target, []).append(link)
        elif priority_id in (link.source, link.target):
            found.setdefault(link.other(priority_id), []).append(link)
    return found
