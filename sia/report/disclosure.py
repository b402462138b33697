"""Disclosure control: small counts of sensitive measures are never published.

A published table of a sensitive measure (a measure or indicator with ``sensitive: true`` in
the partnership's configuration) shows a count from 1 to ``threshold - 1`` at ward and LSOA
level as the configured label (``"<5"``): *primary suppression*. A published total lets a
reader subtract the other cells from it, so *secondary suppression* hides further cells
until no suppressed cell can be worked out: for every group of cells whose total is
published, each suppressed cell's possible values, given what the reader knows (the shown
cells, the total, a primary cell lies in ``1..threshold-1``, a secondary cell is at least
0), must be more than one value. The cell added first is the smallest non-zero shown cell,
which hides the least. Zero is shown: it is about no one.

This is the threshold rule with secondary suppression of the Office for National Statistics'
and NHS Digital's guidance on small counts (see ``docs/report.md``).

Examples
--------
>>> table = suppress({"a": 3, "b": 10, "c": 20}, [Group(total=33, members=["a", "b", "c"])])
>>> [table.cells[k].shown for k in "abc"]
['<5', '[c]', '20']
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal

#: How a cell hidden by secondary suppression is shown (ONS's "c" for confidential).
SECONDARY_LABEL = "[c]"
#: Measures and indicators sensitive by default, whatever the configuration says: ids or
#: names containing one of these words.
SENSITIVE_BY_DEFAULT: tuple[str, ...] = (
    "domestic",
    "sexual",
    "rape",
    "hate",
    "slavery",
    "prevent",
)


def sensitive_by_default(identifier: str, name: str = "") -> bool:
    """True for a domestic abuse, sexual offence, hate crime, modern slavery or Prevent
    measure (by its id or name), which is sensitive even when the config does not say so."""
    text = f"{identifier} {name}".lower()
    return any(word in text for word in SENSITIVE_BY_DEFAULT)


#: The disclosure profiles: ``internal`` for the partnership's own readers, ``public`` for a
#: report published outside it (a higher threshold and rounded small-area counts).
PROFILES: tuple[str, ...] = ("internal", "public")


@dataclass(frozen=True)
class Policy:
    """What is suppressed: counts from 1 to ``threshold - 1``, shown as ``label``; the
    counts shown are rounded to the nearest multiple of ``rounding`` (1: not rounded)."""

    threshold: int = 5
    label: str = "<5"
    rounding: int = 1
    profile: str = "internal"

    def __post_init__(self) -> None:
        if self.threshold < 1:
            raise ValueError(f"disclosure.threshold must be at least 1, not {self.threshold}")
        if self.rounding < 1:
            raise ValueError(f"disclosure rounding must be at least 1, not {self.rounding}")

    def is_small(self, count: int | None) -> bool:
        return count is not None and 0 < count < self.threshold

    def rounded(self, count: int) -> int:
        """``count`` to the nearest multiple of ``rounding``, halves up (12 -> 10, 13 -> 15
        for 5)."""
        return (count + self.rounding // 2) // self.rounding * self.rounding

    def describe(self) -> str:
        """The rule in words, for the report's methodology and notes."""
        words = (
            f"Sensitive measures ({self.profile} disclosure profile): counts from 1 to "
            f"{self.threshold - 1} in a ward or LSOA, and monthly counts of the district from "
            f"1 to {self.threshold - 1}, are shown as {self.label!r}; further cells shown as "
            f"{SECONDARY_LABEL} are hidden so that none can be worked out from a total."
        )
        if self.rounding > 1:
            words += (
                f" The other place, ward and LSOA counts of sensitive measures are rounded to "
                f"the nearest {self.rounding}, and their rates are worked out from the rounded "
                "counts."
            )
        return words


def policy_for(disclosure: Any, profile: str | None = None) -> Policy:
    """The policy of a partnership's ``disclosure`` configuration
    (:class:`sia.config.schema.Disclosure`) under ``profile`` (default: the configured one).

    Raises
    ------
    ValueError
        When ``profile`` is not one of :data:`PROFILES`.
    """
    chosen = profile or disclosure.profile
    if chosen not in PROFILES:
        raise ValueError(f"disclosure profile {chosen!r} is not one of {', '.join(PROFILES)}")
    if chosen == "public":
        public = disclosure.public
        label = public.sensitive_label or f"<{public.threshold}"
        return Policy(public.threshold, label, public.rounding, "public")
    return Policy(disclosure.threshold, disclosure.sensitive_label, 1, "internal")


@dataclass(frozen=True)
class Group:
    """Cells whose sum is a total the reader can see.

    ``total`` may exceed the sum of the members (events with no location count for the
    district only); the difference is taken as known to the reader, the worst case.
    ``total_key`` names the cell of the same table that holds the total (a place's count
    above its wards); when that cell is itself hidden the total is not published, unless
    the reader can work it out.
    """

    total: int
    members: Sequence[Hashable]
    total_key: Hashable | None = None


@dataclass
class Cell:
    """One published count: ``value`` is the true count, ``shown`` what the output prints."""

    value: int | None
    status: Literal["shown", "primary", "secondary"] = "shown"
    label: str = ""
    rounding: int = 1

    @property
    def suppressed(self) -> bool:
        return self.status != "shown"

    @property
    def published(self) -> int | None:
        """The count a reader sees (rounded when the policy rounds), None when hidden."""
        if self.status != "shown" or self.value is None:
            return None
        if self.rounding == 1:
            return self.value
        return Policy(rounding=self.rounding).rounded(self.value)

    @property
    def shown(self) -> str:
        if self.status == "shown":
            return "" if self.value is None else f"{self.published:,}"
        return self.label


@dataclass
class Suppressed:
    """The result of :func:`suppress`: every cell with its status."""

    cells: dict[Hashable, Cell] = field(default_factory=dict)
    unprotected: set = field(default_factory=set)

    def suppressed(self) -> set[Hashable]:
        return {k for k, c in self.cells.items() if c.suppressed}


def feasible_range(
    cells: Mapping[Hashable, Cell],
    group: Group,
    key: Hashable,
    threshold: int,
    known: set | frozenset = frozenset(),
) -> tuple[int, float]:
    """The values cell ``key`` could take, as a reader sees ``group`` (lowest, highest).

    Shown cells and the cells in ``known`` (worked out already) are known; a primary cell is
    in ``1..threshold-1``; a secondary cell is any count from 0 up. The total less the known
    cells is the sum of the unknown ones.
    """
    total_members = sum(cells[k].value or 0 for k in group.members)
    remainder = group.total - total_members  # outside the members: known (worst case)
    unknown = [k for k in group.members if cells[k].suppressed and k not in known]
    known_sum = sum(cells[k].value or 0 for k in group.members if k not in unknown)
    hidden_sum = group.total - remainder - known_sum

    def bounds(k: Hashable) -> tuple[int, float]:
        if cells[k].status == "primary":
            return 1, threshold - 1
        return 0, float("inf")

    lo, hi = bounds(key)
    others = [bounds(k) for k in unknown if k != key]
    others_lo = sum(b[0] for b in others)
    others_hi = sum(b[1] for b in others)
    return max(lo, hidden_sum - others_hi), min(hi, hidden_sum - others_lo)


def worked_out(cells: Mapping[Hashable, Cell], groups: Sequence[Group], threshold: int) -> set:
    """Hidden cells a reader can work out exactly, by subtraction from published totals,
    repeated until nothing more follows (a total worked out from its members is itself
    published for the next round)."""
    known: set = set()
    changed = True
    while changed:
        changed = False
        for group in groups:
            tk = group.total_key
            total_known = tk is None or not cells[tk].suppressed or tk in known
            if not total_known:
                if all(not cells[k].suppressed or k in known for k in group.members):
                    known.add(tk)  # the members add up to it
                    changed = True
                continue
            for key in group.members:
                if cells[key].suppressed and key not in known:
                    lo, hi = feasible_range(cells, group, key, threshold, known)
                    if lo == hi:
                        known.add(key)
                        changed = True
    return known


def suppress(
    values: Mapping[Hashable, int | None],
    groups: Sequence[Group] = (),
    policy: Policy | None = None,
) -> Suppressed:
    """Primary and secondary suppression of one table of counts.

    Parameters
    ----------
    values
        Cell key -> count (``None`` when there is no figure).
    groups
        The published totals: each names the cells it sums. A ward table with its district
        total is one group; each place, with its wards, is another.
    policy
        The threshold and label; default: counts 1-4 shown as ``"<5"``.

    Returns
    -------
    Suppressed
        Every cell with its status. ``unprotected`` lists cells that stay worked out because
        nothing is left to hide (the group's other cells are all hidden or zero and its total
        is fixed); the caller must not publish the total then.
    """
    policy = policy or Policy()
    cells = {
        k: Cell(v, "primary", policy.label)
        if policy.is_small(v)
        else Cell(v, rounding=policy.rounding)
        for k, v in values.items()
    }
    for group in groups:
        missing = [k for k in [*group.members, group.total_key] if k is not None and k not in cells]
        if missing:
            raise KeyError(f"group members {missing} are not cells of the table")
    exhausted: set[int] = set()
    while True:
        known = worked_out(cells, groups, policy.threshold)
        exposed = {k for k in known if cells[k].suppressed and cells[k].status == "primary"}
        if not exposed:
            return Suppressed(cells)
        target = _group_to_widen(cells, groups, exposed, exhausted)
        if target is None:
            return Suppressed(cells, unprotected=exposed)
        index, group = target
        candidates = [
            k for k in group.members if not cells[k].suppressed and (cells[k].value or 0) > 0
        ]
        if not candidates and group.total_key is not None and not cells[group.total_key].suppressed:
            candidates = [group.total_key]
        if not candidates:
            exhausted.add(index)
            continue
        chosen = _cell_to_hide(cells, groups, candidates, policy.threshold)
        cells[chosen] = Cell(cells[chosen].value, "secondary", SECONDARY_LABEL)


def _cell_to_hide(
    cells: Mapping[Hashable, Cell], groups: Sequence[Group], candidates: list, threshold: int
) -> Hashable:
    """The smallest candidate that a reader could not work out once hidden (hiding a cell
    that another total gives back protects nothing); the smallest of all when every one
    could be."""
    ordered = sorted(candidates, key=lambda k: (cells[k].value, str(k)))
    for key in ordered:
        trial = {**cells, key: Cell(cells[key].value, "secondary", SECONDARY_LABEL)}
        if key not in worked_out(trial, groups, threshold):
            return key
    return ordered[0]


def _group_to_widen(
    cells: Mapping[Hashable, Cell], groups: Sequence[Group], exposed: set, exhausted: set[int]
) -> tuple[int, Group] | None:
    """The first group, not yet exhausted, that holds an exposed cell."""
    for index, group in enumerate(groups):
        if index not in exhausted and any(k in exposed for k in group.members):
            return index, group
    return None


# -- monthly series -----------------------------------------------------------------------------
#: A sensitive measure's monthly series is shown in three-month blocks when more than this
#: share of its months would be hidden (a chart of mostly hidden months says little).
QUARTERLY_SHARE = 0.25


@dataclass
class SeriesPoint:
    """One point of a published series: the months ``first`` to ``last`` and their count."""

    first: date
    last: date
    cell: Cell


@dataclass
class Series:
    """A sensitive measure's district series as it may be published.

    ``grain`` is ``"month"`` or ``"quarter"`` (blocks of three months counted back from the
    period's last month); ``dropped`` the months before the first whole block, left out.
    """

    grain: Literal["month", "quarter"]
    points: list[SeriesPoint]
    dropped: int = 0
    unprotected: set = field(default_factory=set)

    def hidden(self) -> list[SeriesPoint]:
        return [p for p in self.points if p.cell.suppressed]


def disclose_series(
    series: Sequence[tuple[date, int]],
    period: tuple[date, date],
    previous: tuple[date, date],
    policy: Policy,
    quarterly_share: float = QUARTERLY_SHARE,
) -> Series:
    """Primary and secondary suppression of a sensitive measure's monthly district counts.

    A monthly count of 1 to ``threshold - 1`` of a sensitive measure is as disclosive as a
    ward's, so it is hidden too. A reader knows three totals: the period's count and the
    previous period's (both published) and the sum of every month charted (the control
    chart's mean times the number of months), so secondary suppression protects the hidden
    months against each. When more than ``quarterly_share`` of the months would be hidden
    the series is published in blocks of three months (counted back from the period's last
    month, so the period and the previous period are whole blocks), suppressed the same way.
    District counts are never rounded.
    """
    from sia.months import months_between

    exact = Policy(policy.threshold, policy.label, 1, policy.profile)
    points = [SeriesPoint(m, m, Cell(n)) for m, n in series]
    grain: Literal["month", "quarter"] = "month"
    dropped = 0
    small = sum(1 for _, n in series if exact.is_small(n))
    length = months_between(*period)
    if series and small > quarterly_share * len(series) and length % 3 == 0:
        grain = "quarter"
        blocks: dict[int, list[tuple[date, int]]] = {}
        for m, n in series:
            blocks.setdefault((months_between(m, period[1]) - 1) // 3, []).append((m, n))
        oldest = max(blocks)
        first_month = blocks[oldest][0][0]
        if months_between(first_month, blocks[oldest][-1][0]) < 3 and len(blocks) > 1:
            dropped = len(blocks.pop(oldest))
        points = [
            SeriesPoint(rows[0][0], rows[-1][0], Cell(sum(n for _, n in rows)))
            for _, rows in sorted(blocks.items(), reverse=True)
        ]
    values = {i: p.cell.value for i, p in enumerate(points)}
    groups = [Group(sum(v or 0 for v in values.values()), list(values))]
    for start, end in (period, previous):
        inside = [i for i, p in enumerate(points) if start <= p.first and p.last <= end]
        if inside:
            groups.append(Group(sum(values[i] or 0 for i in inside), inside))
    result = suppress(values, groups, exact)
    for i, p in enumerate(points):
        p.cell = result.cells[i]
    return Series(grain, points, dropped, result.unprotected)
