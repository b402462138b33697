"""How well a tagger finds concerns: precision, recall and F1 against labelled statements.

A labelled statement is a text with the concern ids a person assigned to it (possibly
none). For each concern, a true positive is a statement both the tagger and the person
gave it, a false positive one only the tagger gave it, a false negative one only the
person gave it. Micro-averaged figures pool the counts of every concern (so frequent
concerns weigh more); macro-averaged ones are the mean of the per-concern figures.
Precision with nothing predicted, or recall with nothing expected, is undefined and
reported as ``None``.

Examples
--------
>>> s = score(lambda text: {"asb"} if "bikes" in text else set(),
...           [LabelledStatement("off-road bikes", frozenset({"asb"})),
...            LabelledStatement("speeding", frozenset({"road-safety"}))])
>>> s.micro.precision, s.micro.recall
(1.0, 0.5)
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class LabelledStatement:
    text: str
    concerns: frozenset[str]


def read_statements(path: Path) -> list[LabelledStatement]:
    """A CSV with columns ``text`` and ``concerns`` (ids separated by ``;``, or blank).

    Raises
    ------
    ValueError
        Naming the file and line of a row without text or with a repeated id.
    """
    statements = []
    with Path(path).open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        if reader.fieldnames != ["text", "concerns"]:
            raise ValueError(f"{path}: the header must be text,concerns")
        for row in reader:
            line = reader.line_num
            text = (row["text"] or "").strip()
            if not text:
                raise ValueError(f"{path}, line {line}: text is empty")
            ids = [c.strip() for c in (row["concerns"] or "").split(";") if c.strip()]
            if len(ids) != len(set(ids)):
                raise ValueError(f"{path}, line {line}: concerns repeats an id")
            statements.append(LabelledStatement(text, frozenset(ids)))
    return statements


@dataclass(frozen=True)
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float | None:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else None

    @property
    def recall(self) -> float | None:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else None

    @property
    def f1(self) -> float | None:
        p, r = self.precision, self.recall
        if p is None or r is None or p + r == 0:
            return None if p is None or r is None else 0.0
        return 2 * p * r / (p + r)


@dataclass
class Scores:
    """Per-concern and pooled counts of one tagger over a labelled set."""

    by_concern: dict[str, Counts] = field(default_factory=dict)
    #: statements whose predicted set equals the expected set exactly
    exact: int = 0
    statements: int = 0
    #: (text, expected, predicted) for every statement the tagger got wrong
    mistakes: list[tuple[str, frozenset[str], frozenset[str]]] = field(default_factory=list)

    @property
    def micro(self) -> Counts:
        c = self.by_concern.values()
        return Counts(sum(x.tp for x in c), sum(x.fp for x in c), sum(x.fn for x in c))

    def macro(self, metric: str) -> float | None:
        values = [getattr(c, metric) for c in self.by_concern.values()]
        values = [v for v in values if v is not None]
        return sum(values) / len(values) if values else None


def score(
    tagger: Callable[[str], Iterable[str]],
    statements: Iterable[LabelledStatement],
    concern_ids: Iterable[str] = (),
) -> Scores:
    """Score ``tagger`` (text -> concern ids) against ``statements``.

    ``concern_ids`` lists concerns to report even when neither side names them.
    """
    tallies: dict[str, list[int]] = {c: [0, 0, 0] for c in concern_ids}
    scores = Scores()
    for s in statements:
        predicted = frozenset(tagger(s.text))
        scores.statements += 1
        if predicted == s.concerns:
            scores.exact += 1
        else:
            scores.mistakes.append((s.text, s.concerns, predicted))
        for c in predicted | s.concerns:
            t = tallies.setdefault(c, [0, 0, 0])
            if c in predicted and c in s.concerns:
                t[0] += 1
            elif c in predicted:
                t[1] += 1
            else:
                t[2] += 1
    scores.by_concern = {c: Counts(*t) for c, t in sorted(tallies.items())}
    return scores
