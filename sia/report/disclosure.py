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
from typing import Literal

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


@dataclass(frozen=True)
class Policy:
    """What is suppressed: counts from 1 to ``threshold - 1``, shown as ``label``."""

    threshold: int = 5
    label: str = "<5"

    def __post_init__(self) -> None:
        if self.threshold < 1:
            raise ValueError(f"disclosure.threshold must be at least 1, not {self.threshold}")

    def is_small(self, count: int | None) -> bool:
        return count is not None and 0 < count < self.threshold


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

    @property
    def suppressed(self) -> bool:
        return self.status != "shown"

    @property
    def shown(self) -> str:
        if self.status == "shown":
            return "" if self.value is None else f"{self.value:,}"
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
        k: Cell(v, "primary", policy.label) if policy.is_small(v) else Cell(v)
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
        smallest = min(candidates, key=lambda k: (cells[k].value, str(k)))
        cells[smallest] = Cell(cells[smallest].value, "secondary", SECONDARY_LABEL)


def _group_to_widen(
    cells: Mapping[Hashable, Cell], groups: Sequence[Group], exposed: set, exhausted: set[int]
) -> tuple[int, Group] | None:
    """The first group, not yet exhausted, that holds an exposed cell."""
    for index, group in enumerate(groups):
        if index not in exhausted and any(k in exposed for k in group.members):
            return index, group
    return None
