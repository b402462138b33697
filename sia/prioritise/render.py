"""The recommendation on a terminal: the table and the seed's section 4.3 summary."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.markup import escape
from rich.table import Table

from sia.prioritise.rationale import STATUS_WORDS

if TYPE_CHECKING:
    from rich.console import Console

    from sia.prioritise.models import PriorityCall, Recommendation

__all__ = ["TABLE_COLUMNS", "print_recommendation", "table_rows"]

TABLE_COLUMNS = ("priority", "recommended", "decision", "risk", "rank", "confidence", "criteria")


def _score(p: PriorityCall) -> str:
    s = p.score
    if s.risk is None:
        return "–"
    return f"{s.risk} ({s.harm}×{s.likelihood})"


def table_rows(recommendation: Recommendation) -> list[dict[str, str]]:
    """One row per priority, as text, keyed by :data:`TABLE_COLUMNS`."""
    rows = []
    for p in recommendation.priorities:
        decision = p.decision
        if p.override is not None:
            decision += f" ({p.override.decided_by})"
        rows.append(
            {
                "priority": p.name,
                "recommended": p.status,
                "decision": decision,
                "risk": _score(p),
                "rank": "–" if p.rank is None else str(p.rank),
                "confidence": p.score.confidence,
                "criteria": ", ".join(dict.fromkeys(c.kind for c in p.criteria)),
            }
        )
    return rows


def print_recommendation(console: Console, recommendation: Recommendation) -> None:
    """The table, the section 4.3 summary by decision, and each rationale."""
    table = Table(
        title=f"Priority recommendation for {recommendation.assessment_period}",
        title_justify="left",
    )
    for name in TABLE_COLUMNS:
        table.add_column(name)
    for row in table_rows(recommendation):
        table.add_row(*(escape(row[c]) for c in TABLE_COLUMNS))
    console.print(table)
    names = {p.id: p.name for p in recommendation.priorities}
    for status in ("high-focus", "monitor", "cross-cutting"):
        chosen = [p for p in recommendation.priorities if p.decision == status]
        items = []
        for p in chosen:
            label = p.name + (f" ({p.owner})" if p.owner else "")
            items.append(label)
        for m in recommendation.merges:
            if status != "monitor" and m.into in {p.id for p in chosen}:
                items.append(f"{names[m.priority_id]} in view with {names[m.into]}")
        console.print(
            f"[bold]{STATUS_WORDS[status]}:[/] " + escape("; ".join(items) or "none"),
            soft_wrap=True,
        )
    console.print()
    for p in recommendation.priorities:
        console.print(f"[bold]{escape(p.name)}[/]: {escape(p.rationale)}", soft_wrap=True)
        if p.override is not None:
            o = p.override
            console.print(
                f"  Decision: {o.status}, by {escape(o.decided_by)} on "
                f"{o.decided_at:%Y-%m-%d}: {escape(o.reason)}",
                soft_wrap=True,
            )
    for note in recommendation.notes:
        console.print(f"[yellow]Note:[/] {escape(note)}", soft_wrap=True)
