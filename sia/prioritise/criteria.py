"""The rules of the seed's section 4.3, one function per group of criteria.

Each function returns the :class:`~sia.prioritise.models.Criterion` objects that hold for
one priority, each with its figures; none returns a status. :func:`decide` turns the
criteria into the status: cross-cutting when the cross-cutting criterion holds (it takes
precedence, as the seed makes reoffending and drugs and alcohol cross-cutting although
both carry statutory duties); else high focus when any concern, duty or community
criterion holds; else continue to monitor.

The rules read the stored Assessment defensively: fields that later releases add (such
as ``underreporting``) are used when present and skipped when not.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sia.analysis.change import PoissonChange
from sia.prioritise.links import co_occurrence, linked_priorities
from sia.prioritise.models import Criterion, Link

if TYPE_CHECKING:
    from sia.assessment import MeasureResult, PriorityResult
    from sia.config import Partnership, Priority
    from sia.prioritise.evidence import CommunityEvidence, CommunityInput
    from sia.prioritise.parameters import PrioritisationParameters

__all__ = [
    "community_criteria",
    "concern_criteria",
    "cross_cutting_criterion",
    "decide",
    "duty_criteria",
    "monitor_reasons",
    "underreporting_raised",
]

HIGH_FOCUS_GROUPS = ("concern", "duty", "community")

#: The statutory duties in words (Crime and Disorder Act 1998 s6(1); Police, Crime,
#: Sentencing and Courts Act 2022; Counter-Terrorism and Security Act 2015 s26; Domestic
#: Abuse Act 2021 Part 4).
DUTY_WORDS = {
    "serious-violence-duty": "the Serious Violence Duty",
    "domestic-abuse-act": "the Domestic Abuse Act 2021",
    "prevent-duty": "the Prevent duty",
    "reducing-reoffending": "the duty to reduce reoffending",
    "substance-misuse": "the duty to combat substance misuse",
    "crime-and-disorder": "the crime and disorder duty",
}


def _get(obj: Any, key: str) -> Any:
    """A field of a pydantic model or a dict, or None."""
    if obj is None:
        return None
    if isinstance(obj, dict):
        return obj.get(key)
    return getattr(obj, key, None)


def _bad_direction(polarity: str) -> str | None:
    return {"up-is-bad": "up", "down-is-bad": "down"}.get(polarity)


def _pct(ratio: float | None) -> str:
    return "–" if ratio is None else f"{(ratio - 1) * 100:+.0f}%"


def concern_criteria(priority: PriorityResult, params: PrioritisationParameters) -> list[Criterion]:
    """A current or emerging concern: a significant rise in the bad direction, an SPC
    concern signal, harm rising inside a falling total, a sub-measure rising against its
    parent, recording far below the rate expected from national prevalence."""
    found: list[Criterion] = []
    for m in priority.measures:
        if m.count is None:
            continue
        bad = _bad_direction(m.polarity)
        if bad and m.direction == bad:
            found.append(
                Criterion(
                    kind="significant-rise" if bad == "up" else "significant-fall",
                    group="concern",
                    measure_id=m.id,
                    text=f"{m.name} {'up' if bad == 'up' else 'down'} "
                    f"{_pct(m.change_ratio).lstrip('+-')} (significant)",
                    figures={
                        "count": m.count,
                        "previous_count": m.previous_count,
                        "change_ratio": m.change_ratio,
                        "p_value": m.change_p_value,
                        "polarity": m.polarity,
                    },
                )
            )
        icon = m.spc.variation_icon or ""
        if icon.startswith("special cause concerning"):
            found.append(
                Criterion(
                    kind="spc-concern",
                    group="concern",
                    measure_id=m.id,
                    text=f"{m.name}: control chart shows {icon}",
                    figures={
                        "variation_icon": icon,
                        "latest_month": m.spc.latest_month,
                        "latest_status": m.spc.latest_status,
                        "centre": m.spc.centre,
                        "upper_limit": m.spc.upper_limit,
                        "lower_limit": m.spc.lower_limit,
                    },
                )
            )
        if _get(m.harm, "rising_in_falling_total"):
            found.append(
                Criterion(
                    kind="harm-rising",
                    group="concern",
                    measure_id=m.id,
                    text=f"{m.name}: harm rising while the count falls",
                    figures={
                        "harm_total": _get(m.harm, "total"),
                        "previous_harm_total": _get(m.harm, "previous_total"),
                        "harm_ratio": _get(m.harm, "harm_ratio"),
                        "count_ratio": _get(m.harm, "count_ratio"),
                        "p_value": _get(m.harm, "p_value"),
                    },
                )
            )
        if _get(m.against_parent, "against_parent"):
            found.append(
                Criterion(
                    kind="against-parent",
                    group="concern",
                    measure_id=m.id,
                    text=f"{m.name} rising against its parent measure "
                    f"{_get(m.against_parent, 'parent')}",
                    figures={
                        "count": m.count,
                        "previous_count": m.previous_count,
                        "parent": _get(m.against_parent, "parent"),
                        "parent_direction": _get(m.against_parent, "parent_direction"),
                        "p_value": _get(m.against_parent, "p_value"),
                    },
                )
            )
        found += _underreporting(m, params)
    return found


def _underreporting(m: MeasureResult, params: PrioritisationParameters) -> list[Criterion]:
    result = getattr(m, "underreporting", None)
    ci = _get(result, "ratio_ci") or []
    upper = ci[1] if len(ci) > 1 else None
    if upper is None or upper >= params.underreporting_ratio:
        return []
    return [
        Criterion(
            kind="underreporting",
            group="concern",
            measure_id=m.id,
            text=f"{m.name}: recorded at {_get(result, 'ratio'):.0%} of the number expected "
            "from national survey rates",
            figures={
                "recorded": _get(result, "recorded"),
                "expected": _get(result, "expected"),
                "ratio": _get(result, "ratio"),
                "ratio_ci": ci,
                "threshold": params.underreporting_ratio,
            },
        )
    ]


def underreporting_raised(
    priority_id: str,
    community: CommunityInput | None,
    params: PrioritisationParameters,
    alpha: float,
) -> list[Criterion]:
    """Underreporting raised: the priority's concern is raised together with an
    underreporting concern (``underreporting_concerns``) more often than chance, as the
    seed's councillors and partners raised it for domestic abuse, VAWG and hate crime."""
    if community is None:
        return []
    found = []
    for pair in community.theme_pairs:
        if pair.a != priority_id or pair.b not in params.underreporting_concerns:
            continue
        figures = co_occurrence(pair, params, alpha)
        if figures is None:
            continue
        found.append(
            Criterion(
                kind="underreporting-raised",
                group="concern",
                text=f"Underreporting raised with it in {pair.records} insight records "
                f"({figures['expected']:.0f} expected by chance)",
                figures={"theme": pair.b, **figures},
            )
        )
    return found


def duty_criteria(priority: Priority, params: PrioritisationParameters) -> list[Criterion]:
    """A statutory duty on the partnership itself: one of ``focus_duties``, on a priority
    that no other partnership owns."""
    duties = [str(d) for d in priority.statutory_duties if str(d) in params.focus_duties]
    if not duties or priority.owning_partnership:
        return []
    return [
        Criterion(
            kind="statutory-duty",
            group="duty",
            text="Subject to a statutory duty on the partnership: "
            + ", ".join(DUTY_WORDS.get(d, d) for d in duties),
            figures={"duties": duties},
        )
    ]


def community_criteria(
    evidence: CommunityEvidence | None, params: PrioritisationParameters, alpha: float
) -> list[Criterion]:
    """Community impact escalating: mentions rose (significantly, by ``mentions_rise_ratio``
    and to ``min_mentions`` at least), related tensions rose (in number, significantly, or
    in mean level by ``tension_level_rise``), it is among the ``most_raised_rank`` most
    raised and rising; or a related tension report reached ``tension_high_level``.

    Being often raised is not by itself escalation."""
    if evidence is None:
        return []
    found: list[Criterion] = []
    now, before = evidence.mentions, evidence.previous_mentions
    if before is not None and now >= params.min_mentions:
        test = PoissonChange(now, before, alpha=alpha)
        ratio = now / before if before else None
        if test.direction == "up" and (ratio is None or ratio >= params.mentions_rise_ratio):
            found.append(
                Criterion(
                    kind="mentions-rising",
                    group="community",
                    text=f"Raised {now} times, up from {before}",
                    figures={"mentions": now, "previous_mentions": before, "p_value": test.p_value},
                )
            )
    if (
        evidence.rank is not None
        and evidence.rank <= params.most_raised_rank
        and before is not None
        and now > before
    ):
        found.append(
            Criterion(
                kind="most-raised-and-rising",
                group="community",
                text=f"Among the most raised concerns (rank {evidence.rank}) and rising, "
                f"{before} to {now}",
                figures={"rank": evidence.rank, "mentions": now, "previous_mentions": before},
            )
        )
    found += _tension_criteria(evidence, params, alpha)
    return found


def _tension_criteria(
    e: CommunityEvidence, params: PrioritisationParameters, alpha: float
) -> list[Criterion]:
    found = []
    if e.previous_tension_reports is not None and e.tension_reports:
        test = PoissonChange(e.tension_reports, e.previous_tension_reports, alpha=alpha)
        level_rise = (
            e.tension_mean_level - e.previous_tension_mean_level
            if e.tension_mean_level is not None and e.previous_tension_mean_level is not None
            else None
        )
        if test.direction == "up" or (
            level_rise is not None and level_rise >= params.tension_level_rise
        ):
            found.append(
                Criterion(
                    kind="tensions-rising",
                    group="community",
                    text=f"Related tension reports {e.previous_tension_reports} to "
                    f"{e.tension_reports}",
                    figures={
                        "reports": e.tension_reports,
                        "previous_reports": e.previous_tension_reports,
                        "p_value": test.p_value,
                        "mean_level": e.tension_mean_level,
                        "previous_mean_level": e.previous_tension_mean_level,
                    },
                )
            )
    if e.tension_max_level is not None and e.tension_max_level >= params.tension_high_level:
        found.append(
            Criterion(
                kind="tension-high",
                group="community",
                text=f"Related tensions reached level {e.tension_max_level} of 5 "
                f"({e.tension_reports} reports)",
                figures={
                    "max_level": e.tension_max_level,
                    "reports": e.tension_reports,
                    "threshold": params.tension_high_level,
                },
            )
        )
    return found


def cross_cutting_criterion(
    priority_id: str,
    partnership: Partnership,
    links: list[Link],
    params: PrioritisationParameters,
) -> tuple[Criterion | None, list[Link]]:
    """Cross-cutting when the priority links to at least ``min_links`` others reaching
    ``cross_cutting_min_themes`` themes besides its own. Returns the criterion (or None)
    and the priority's links."""
    linked = linked_priorities(priority_id, links)
    mine = [link for found in linked.values() for link in found]
    theme_of = {p.id: p.theme for p in partnership.priorities}
    own = theme_of[priority_id]
    themes = sorted({theme_of[other] for other in linked} - {own})
    needed = params.min_links(len(partnership.priorities))
    if len(linked) < needed or len(themes) < params.cross_cutting_min_themes:
        return None, mine
    kinds: dict[str, int] = {}
    for link in mine:
        kinds[link.kind] = kinds.get(link.kind, 0) + 1
    return (
        Criterion(
            kind="cross-cutting",
            group="cross-cutting",
            text=f"Linked to {len(linked)} other priorities across {len(themes)} other "
            f"themes ({', '.join(f'{n} by {k}' for k, n in sorted(kinds.items()))}): "
            + ", ".join(partnership.priority(other).name for other in sorted(linked)),
            figures={
                "linked": sorted(linked),
                "themes": themes,
                "links_needed": needed,
                "themes_needed": params.cross_cutting_min_themes,
                "by_kind": kinds,
            },
        ),
        mine,
    )


def monitor_reasons(
    priority: Priority,
    result: PriorityResult | None,
    evidence: CommunityEvidence | None,
    community_available: bool,
) -> list[Criterion]:
    """The seed's reasons to continue to monitor, where they hold: performance stable or
    improving, a connected partnership has it in view, community impact not escalating."""
    reasons = []
    measures = [m for m in (result.measures if result else []) if m.count is not None]
    if measures:
        bad = {m.id: _bad_direction(m.polarity) for m in measures}
        calls = {m.id: m.direction for m in measures}
        improving = [
            m.id for m in measures if m.direction in ("up", "down") and m.direction != bad[m.id]
        ]
        reasons.append(
            Criterion(
                kind="stable-or-improving",
                group="monitor",
                text="Performance stable or improving"
                + (f" ({len(improving)} of {len(measures)} improving)" if improving else ""),
                figures={"directions": calls, "improving": improving},
            )
        )
    if priority.owning_partnership:
        reasons.append(
            Criterion(
                kind="owned-elsewhere",
                group="monitor",
                text=f"{priority.owning_partnership} has it in view",
                figures={"owning_partnership": priority.owning_partnership},
            )
        )
    if community_available:
        figures: dict[str, Any] = {}
        text = "Community impact not escalating"
        if evidence is not None and evidence.mentions:
            figures = {
                "mentions": evidence.mentions,
                "previous_mentions": evidence.previous_mentions,
                "rank": evidence.rank,
                "tension_reports": evidence.tension_reports,
            }
            text += f" (raised {evidence.mentions} times, rank {evidence.rank}"
            if evidence.previous_mentions is None:
                text += "; no earlier insight to compare with)"
            else:
                text += f"; {evidence.previous_mentions} before)"
        else:
            text += " (not raised in the insight)"
        reasons.append(
            Criterion(kind="community-not-escalating", group="monitor", text=text, figures=figures)
        )
    return reasons


def decide(criteria: list[Criterion]) -> str:
    """The status the criteria give (cross-cutting takes precedence over high focus)."""
    groups = {c.group for c in criteria}
    if "cross-cutting" in groups:
        return "cross-cutting"
    if groups & set(HIGH_FOCUS_GROUPS):
        return "high-focus"
    return "monitor"
