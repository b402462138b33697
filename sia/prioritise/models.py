"""The typed documents of the priority recommendation.

A :class:`Recommendation` holds one :class:`PriorityCall` per priority: the recommended
status, every :class:`Criterion` that fired with the figures behind it, the
cross-cutting :class:`Link` evidence, the MoRiLE-style :class:`Score`, the rationale
and, once an analyst has overridden it, the :class:`Override` (the decision).
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

__all__ = [
    "RECOMMENDATION_VERSION",
    "STATUSES",
    "Criterion",
    "Link",
    "Merge",
    "Override",
    "PriorityCall",
    "Recommendation",
    "Score",
    "Status",
]

#: The shape of the JSON document; raised whenever a field changes meaning or goes.
RECOMMENDATION_VERSION = 1

Status = Literal["high-focus", "monitor", "cross-cutting"]
#: The three statuses, in the order the table lists them.
STATUSES: tuple[str, ...] = ("cross-cutting", "high-focus", "monitor")

#: What each group of criteria means, as the seed's section 4.3 puts it.
GROUPS: dict[str, str] = {
    "concern": "a current or emerging concern",
    "duty": "a statutory duty on the partnership",
    "community": "community impact on feeling safe escalating",
    "cross-cutting": "links to many other priorities",
    "monitor": "a reason to continue to monitor",
}


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


#: Each criterion's kind in words, for readers (the kinds are ids in the stored document).
CRITERION_NAMES: dict[str, str] = {
    "significant-rise": "Significant rise",
    "significant-fall": "Significant fall",
    "spc-concern": "Control chart: special cause of concern",
    "harm-rising": "Harm rising inside a falling count",
    "against-parent": "Moving against its parent measure",
    "underreporting": "Fewer recorded than expected",
    "underreporting-raised": "Under-reporting raised by communities",
    "statutory-duty": "Statutory duty",
    "mentions-rising": "Raised more often",
    "most-raised-and-rising": "Among the most raised, and rising",
    "tensions-rising": "Tensions rising",
    "tension-high": "High tension",
    "cross-cutting": "Cross-cutting",
    "stable-or-improving": "Stable or improving",
    "owned-elsewhere": "Owned by another partnership",
    "community-not-escalating": "Community concern not escalating",
}


class Criterion(_Model):
    """One rule that held for a priority, with the figures that made it hold."""

    kind: str = Field(description="e.g. significant-rise, spc-concern, statutory-duty")
    group: Literal["concern", "duty", "community", "cross-cutting", "monitor"]
    measure_id: str | None = None
    text: str = Field(description="The rule and its figures in words")
    figures: dict[str, Any] = Field(default_factory=dict)

    @property
    def name(self) -> str:
        """The kind in words (the id itself for a kind without a name)."""
        return CRITERION_NAMES.get(self.kind, self.kind)


class Link(_Model):
    """Evidence that two priorities are connected.

    ``kind`` is ``insight`` (raised together in community insight more often than by
    chance), ``wards`` (their ward rates move together beyond the general level of
    recorded crime) or ``driver`` (configured: ``source`` drives ``target``)."""

    kind: Literal["insight", "wards", "driver"]
    source: str
    target: str
    figures: dict[str, Any] = Field(default_factory=dict)

    def other(self, priority_id: str) -> str:
        return self.target if self.source == priority_id else self.source


class Score(_Model):
    """MoRiLE-style grading: risk = harm x likelihood (1-16); the organisational position
    and confidence are kept apart from it."""

    harm: int | None
    harm_basis: str
    likelihood: int | None
    likelihood_basis: str
    risk: int | None
    organisational_position: int | None = None
    confidence: Literal["high", "medium", "low"]
    confidence_basis: str


class Override(_Model):
    """An analyst's decision on a priority, kept with who made it and when."""

    override_id: int
    priority_id: str
    status: Status
    reason: str
    decided_by: str
    decided_at: datetime
    recommended_status: str | None = Field(
        default=None, description="The recommendation in force when the decision was made"
    )


class Merge(_Model):
    """A suggestion to bring a monitored priority into the structure of a focus one."""

    priority_id: str
    into: str
    theme: str
    owning_partnership: str | None
    ward_correlation: float
    p_value: float
    wards: int
    text: str


class PriorityCall(_Model):
    id: str
    name: str
    theme: str
    theme_name: str
    owner: str | None
    statutory_duties: list[str]
    status: Status
    criteria: list[Criterion]
    links: list[Link] = Field(default_factory=list)
    score: Score
    rank: int | None = None
    rationale: str
    merge_into: str | None = None
    override: Override | None = None

    @property
    def decision(self) -> str:
        """The status in force: the latest override, else the recommendation."""
        return self.override.status if self.override else self.status

    def figures(self) -> dict[str, Any]:
        """Every criterion's figures, keyed by criterion kind (and measure)."""
        out: dict[str, Any] = {}
        for c in self.criteria:
            key = f"{c.kind}:{c.measure_id}" if c.measure_id else c.kind
            out[key] = c.figures
        return out


class Recommendation(_Model):
    """The recommended status of every priority for one assessment."""

    version: int = RECOMMENDATION_VERSION
    created_at: datetime
    partnership: str
    assessment_id: int | None
    assessment_period: str
    significance_level: float
    parameters: dict[str, Any]
    community_insight: bool
    notes: list[str] = Field(default_factory=list)
    priorities: list[PriorityCall]
    merges: list[Merge] = Field(default_factory=list)

    def call(self, priority_id: str) -> PriorityCall:
        return next(p for p in self.priorities if p.id == priority_id)

    def to_json(self, indent: int | None = 2) -> str:
        return self.model_dump_json(indent=indent)

    def rows(self) -> list[dict[str, Any]]:
        """Per priority, what ``sia prioritise --json`` lists: id, name, theme, status,
        criteria, figures, score, rank, owner, override (and the decision)."""
        return [
            {
                "id": p.id,
                "name": p.name,
                "theme": p.theme,
                "status": p.status,
                "decision": p.decision,
                "criteria": [c.kind for c in p.criteria],
                "figures": p.figures(),
                "score": p.score.model_dump(mode="json"),
                "rank": p.rank,
                "owner": p.owner,
                "links": [link.model_dump(mode="json") for link in p.links],
                "merge_into": p.merge_into,
                "rationale": p.rationale,
                "override": p.override.model_dump(mode="json") if p.override else None,
            }
            for p in self.priorities
        ]

    def rows_json(self) -> str:
        document = {
            "partnership": self.partnership,
            "assessment_id": self.assessment_id,
            "assessment_period": self.assessment_period,
            "community_insight": self.community_insight,
            "notes": self.notes,
            "priorities": self.rows(),
            "merges": [m.model_dump(mode="json") for m in self.merges],
        }
        return json.dumps(document, indent=2, ensure_ascii=False)
