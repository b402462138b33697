"""Suggested merges: a monitored priority kept in view under a focus one.

The seed proposes "more closely aligning ASB and neighbourhood crime partnership
structures": neighbourhood crime is monitored, ASB is a high focus, both sit in one theme
with no other owner, and both are highest in the same wards. A merge is suggested for a
priority recommended ``monitor`` into one recommended ``high-focus`` or
``cross-cutting`` when

- both are in the same theme and have the same owning partnership (both none, or one
  board), so one structure can hold both; and
- their headline measures' ward rates overlap: Spearman correlation at least
  ``merge_min_correlation`` and significant at the level.

Of several candidates, the one whose ward pattern overlaps most is suggested.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from scipy import stats

from sia.prioritise.links import ward_rates
from sia.prioritise.models import Merge

if TYPE_CHECKING:
    from sia.assessment import Assessment
    from sia.config import Partnership
    from sia.prioritise.parameters import PrioritisationParameters

__all__ = ["suggest_merges"]


def suggest_merges(
    partnership: Partnership,
    assessment: Assessment,
    statuses: dict[str, str],
    params: PrioritisationParameters,
    alpha: float,
) -> list[Merge]:
    """Merges of monitored priorities into focus ones (see the module's description)."""
    rates, _ = ward_rates(assessment)
    merges = []
    for p in partnership.priorities:
        if statuses.get(p.id) != "monitor" or p.id not in rates:
            continue
        best: Merge | None = None
        for q in partnership.priorities:
            if (
                q.id == p.id
                or statuses.get(q.id) == "monitor"
                or q.theme != p.theme
                or q.owning_partnership != p.owning_partnership
                or q.id not in rates
            ):
                continue
            wards = sorted(set(rates[p.id]) & set(rates[q.id]))
            if len(wards) < params.min_wards:
                continue
            rho, p_value = stats.spearmanr(
                [rates[p.id][w] for w in wards], [rates[q.id][w] for w in wards]
            )
            if rho < params.merge_min_correlation or p_value > alpha:
                continue
            if best is None or rho > best.ward_correlation:
                best = Merge(
                    priority_id=p.id,
                    into=q.id,
                    theme=p.theme,
                    owning_partnership=p.owning_partnership,
                    ward_correlation=round(float(rho), 4),
                    p_value=float(p_value),
                    wards=len(wards),
                    text=f"Keep {p.name} in view alongside {q.name}: same theme and "
                    f"structure, and ward rates that go together (Spearman "
                    f"{rho:.2f} over {len(wards)} wards)",
                )
        if best is not None:
            merges.append(best)
    return merges
