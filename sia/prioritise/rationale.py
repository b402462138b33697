"""The rationale of each call in the seed's plain voice, from templates and the figures.

Every sentence is filled from a figure of the assessment, the insight or the config,
never written freehand: "Serious violence (public data proxy) down 12% (significant);
Homicides and attempted murders up from 22 to 27 (not significant)." Counts of sensitive
measures below the partnership's disclosure threshold are written as its label ("<5").

>>> _change_phrase("Offences", 94, 100, 0.94, "stable", False, 5, "<5")
'Offences down 6% (not significant)'
>>> _change_phrase("Homicides", 7, 3, 2.33, "stable", True, 5, "<5")
'Homicides up from <5 to 7 (not significant)'
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sia.assessment import PriorityResult
    from sia.config import Partnership
    from sia.prioritise.models import Criterion, Merge

__all__ = ["STATUS_WORDS", "rationale"]

STATUS_WORDS = {
    "high-focus": "High focus",
    "monitor": "Continue to monitor",
    "cross-cutting": "Cross-cutting high priority focus",
}
#: Below this many events a change is told as "from X to Y" rather than a percentage.
SMALL_COUNT = 50


def _count(n: int, sensitive: bool, threshold: int, label: str) -> str:
    return label if sensitive and n < threshold else f"{n:,}"


def _change_phrase(
    name: str,
    count: int,
    previous: int,
    ratio: float | None,
    direction: str | None,
    sensitive: bool,
    threshold: int,
    label: str,
) -> str:
    called = {
        "up": "significant",
        "down": "significant",
        "stable": "not significant",
        "too-few": "too few to call",
    }.get(direction or "", "not tested")
    if count == previous:
        return f"{name} unchanged at {_count(count, sensitive, threshold, label)}"
    way = "up" if count > previous else "down"
    if max(count, previous) < SMALL_COUNT or ratio is None:
        a = _count(previous, sensitive, threshold, label)
        b = _count(count, sensitive, threshold, label)
        return f"{name} {way} from {a} to {b} ({called})"
    return f"{name} {way} {abs(ratio - 1) * 100:.0f}% ({called})"


def rationale(
    status: str,
    partnership: Partnership,
    result: PriorityResult | None,
    criteria: list[Criterion],
    merge: Merge | None = None,
    community_available: bool = False,
) -> str:
    """The rationale of one call: the status, then why, in short sentences."""
    threshold = partnership.disclosure.threshold
    label = partnership.disclosure.sensitive_label
    sentences = [STATUS_WORDS[status] + "."]
    by_group: dict[str, list[Criterion]] = {}
    for c in criteria:
        by_group.setdefault(c.group, []).append(c)
    for c in by_group.get("cross-cutting", []):
        sentences.append(c.text + ".")
    for c in by_group.get("duty", []):
        sentences.append(c.text + ".")
    phrases = []
    for m in result.measures if result else []:
        if m.count is None:
            continue
        if m.previous_count is None:
            phrases.append(f"{m.name}: {_count(m.count, m.sensitive, threshold, label)}")
            continue
        phrases.append(
            _change_phrase(
                m.name,
                m.count,
                m.previous_count,
                m.change_ratio,
                m.direction,
                m.sensitive,
                threshold,
                label,
            )
        )
    if phrases:
        sentences.append("; ".join(phrases) + ".")
    elif result is not None:
        sentences.append("It has no measure with figures in the assessment.")
    concerns = [c.text for c in by_group.get("concern", []) if c.kind != "significant-rise"]
    if concerns:
        sentences.append("; ".join(concerns) + ".")
    community = [c.text for c in by_group.get("community", [])]
    if community:
        sentences.append("Community impact: " + "; ".join(community) + ".")
    if status == "monitor":
        reasons = [c.text for c in by_group.get("monitor", [])]
        if reasons:
            sentences.append("; ".join(reasons) + ".")
        if not community_available:
            sentences.append("No community insight was available.")
    if merge is not None:
        sentences.append(merge.text + ".")
    return " ".join(sentences)
