"""Tag free text and recorded labels with the partnership's concerns, explainably.

A :class:`KeywordTagger` is built from the ``concerns`` of a partnership
(:class:`sia.config.schema.Concern`). Each concern's keywords and synonyms become *terms*:
sequences of word stems. Text is cut into clauses (at ``. , ; : ! ?``, brackets and
"but"), each clause into words, and each word into its stem (:func:`stem`), so case,
punctuation, hyphens ("anti-social" is "anti social") and simple plurals and endings
("knives", "dumped", "reporting") do not matter. Terms are found left to right, the
longest first, and a word belongs to at most one term (so "speed cameras" is road safety,
not also "cameras"). A term whose clause has a negating word (``no, not, never, without,
nor, dont, didnt, isnt`` ...) among the three words before it does not count ("no drugs
seen this week"), unless the term itself starts with one ("no point reporting").

Each :class:`Tag` carries the words of the text that matched, so a count can always be
traced back to what was said.

Examples
--------
>>> from sia.config import load_partnership
>>> tagger = KeywordTagger.for_partnership(load_partnership("kirklees"))
>>> [(t.concern_id, t.matches) for t in tagger.tag("Fly-tipping and drug dealing near the park")]
[('asb', ('Fly-tipping',)), ('drugs-alcohol', ('drug dealing',))]
>>> tagger.tag("No drugs seen this week")
[]
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sia.config import Partnership
    from sia.config.schema import Concern

#: Words that negate a term when they come shortly before it in the same clause.
NEGATORS: frozenset[str] = frozenset(
    {
        "no",
        "not",
        "never",
        "without",
        "nor",
        "none",
        "dont",
        "doesnt",
        "didnt",
        "isnt",
        "arent",
        "wasnt",
        "werent",
        "hasnt",
        "havent",
        "hadnt",
        "cant",
        "cannot",
        "wont",
        "wouldnt",
    }
)
#: How many words before a term a negator reaches.
NEGATION_WINDOW = 3

_CLAUSE = re.compile(r"[.,;:!?()\[\]\n]+|\bbut\b", re.IGNORECASE)
_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "`": "'"})
_VOWELS = set("aeiou")


def stem(word: str) -> str:
    """A light stem of a lower-case word: plurals and ``-ing``/``-ed`` endings go, a final
    ``e`` goes, a doubled final consonant is halved, so that the forms of a word meet.

    >>> [stem(w) for w in ("knives", "parties", "dumped", "dumping", "tipping", "race", "racing")]
    ['kniv', 'party', 'dump', 'dump', 'tip', 'rac', 'rac']
    >>> stem("reports") == stem("reporting") == stem("reported") == stem("report")
    True
    """
    w = word.replace("'", "")
    if len(w) <= 3:
        return w
    if w.endswith("ies") and len(w) > 4:
        w = w[:-3] + "y"
    elif w.endswith("sses"):
        w = w[:-2]
    elif w.endswith("s") and not w.endswith(("ss", "us", "is")):
        w = w[:-1]
    for suffix in ("ing", "ed"):
        if w.endswith(suffix) and len(w) - len(suffix) >= 3:
            base = w[: -len(suffix)]
            if any(c in _VOWELS for c in base) and not (suffix == "ed" and base[-1] == "e"):
                w = base
                if len(w) >= 3 and w[-1] == w[-2] and w[-1] not in "lsz" + "aeiou":
                    w = w[:-1]
            break
    if w.endswith("e") and len(w) > 3:
        w = w[:-1]
    return w


@dataclass(frozen=True)
class Word:
    """One word of a text: its stem and where it is in the text."""

    stem: str
    start: int
    end: int


def words(text: str) -> list[list[Word]]:
    """The clauses of ``text``, each a list of its words (stemmed, with their spans).

    >>> [[w.stem for w in clause] for clause in words("Anti-social behaviour, but no drugs.")]
    [['anti', 'social', 'behaviour'], ['no', 'drug']]
    """
    text = text.translate(_APOSTROPHES).lower()
    clauses: list[list[Word]] = []
    position = 0
    for boundary in [*_CLAUSE.finditer(text), None]:
        stop = boundary.start() if boundary else len(text)
        clause = [
            Word(stem(m.group()), position + m.start(), position + m.end())
            for m in _WORD.finditer(text[position:stop])
        ]
        if clause:
            clauses.append(clause)
        if boundary:
            position = boundary.end()
    return clauses


def term_stems(term: str) -> tuple[str, ...]:
    """A keyword or synonym as the stems of its words (``"Off-road bikes"`` -> 3 stems)."""
    return tuple(w.stem for clause in words(term) for w in clause)


@dataclass(frozen=True)
class Tag:
    """A concern found in one text, with the words of the text that matched it."""

    concern_id: str
    matches: tuple[str, ...]


@dataclass(frozen=True)
class _Term:
    stems: tuple[str, ...]
    concern_id: str
    negates: bool  # the term itself starts with a negator ("no point reporting")


@dataclass
class KeywordTagger:
    """Tag text with concerns by their keywords and synonyms (see the module's docstring).

    Parameters
    ----------
    terms
        ``{concern id: [keyword or synonym, ...]}``.
    labels
        ``{recorded label: concern id}``: the ids forms record in their concern lists.
    """

    terms: dict[str, list[str]]
    labels: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._index: dict[str, list[_Term]] = {}
        for concern_id, phrases in self.terms.items():
            for phrase in phrases:
                stems = term_stems(phrase)
                if not stems:
                    raise ValueError(f"concern {concern_id!r}: term {phrase!r} has no words")
                term = _Term(stems, concern_id, stems[0] in _NEGATOR_STEMS)
                self._index.setdefault(stems[0], []).append(term)
        for candidates in self._index.values():  # longest first, so the longest wins
            candidates.sort(key=lambda t: -len(t.stems))

    @classmethod
    def for_concerns(cls, concerns: Sequence[Concern]) -> KeywordTagger:
        """From the taxonomy of a partnership config."""
        terms = {c.id: [*c.keywords, *c.synonyms] for c in concerns}
        labels = {label: c.id for c in concerns for label in (c.id, *c.labels)}
        return cls(terms, labels)

    @classmethod
    def for_partnership(cls, partnership: Partnership) -> KeywordTagger:
        return cls.for_concerns(partnership.concerns)

    # -- free text --------------------------------------------------------------------------
    def tag(self, text: str | None) -> list[Tag]:
        """The concerns found in ``text``, in the order of their first match."""
        if not text:
            return []
        found: dict[str, list[str]] = {}
        original = text.translate(_APOSTROPHES)
        for clause in words(text):
            i = 0
            while i < len(clause):
                term = self._match(clause, i)
                if term is None:
                    i += 1
                    continue
                span = clause[i : i + len(term.stems)]
                if term.negates or not _negated(clause, i):
                    matched = original[span[0].start : span[-1].end]
                    found.setdefault(term.concern_id, [])
                    if matched not in found[term.concern_id]:
                        found[term.concern_id].append(matched)
                i += len(term.stems)
        return [Tag(concern_id, tuple(matches)) for concern_id, matches in found.items()]

    def concern_ids(self, text: str | None) -> set[str]:
        """Only the ids of :meth:`tag`."""
        return {t.concern_id for t in self.tag(text)}

    def _match(self, clause: list[Word], i: int) -> _Term | None:
        for term in self._index.get(clause[i].stem, ()):
            n = len(term.stems)
            if tuple(w.stem for w in clause[i : i + n]) == term.stems:
                return term
        return None

    # -- recorded labels --------------------------------------------------------------------
    def tag_labels(self, labels: Iterable[str]) -> tuple[list[Tag], list[str]]:
        """Tags for the labels a form recorded, and the labels that mean no concern.

        A label a concern claims is that concern (``Tag(concern, (label,))``); any other
        label is read as text ("drug-use" is "drug use"), so a label typed by hand still
        counts when its words are a concern's.
        """
        tags: dict[str, list[str]] = {}
        unknown: list[str] = []
        for label in labels:
            key = label.strip().lower()
            if not key:
                continue
            if key in self.labels:
                tags.setdefault(self.labels[key], []).append(label)
                continue
            as_text = self.tag(key.replace("-", " ").replace("_", " "))
            if not as_text:
                unknown.append(label)
            for t in as_text:
                tags.setdefault(t.concern_id, []).append(label)
        return [Tag(c, tuple(dict.fromkeys(m))) for c, m in tags.items()], unknown


_NEGATOR_STEMS = frozenset(stem(w) for w in NEGATORS)


def _negated(clause: list[Word], i: int) -> bool:
    before = clause[max(0, i - NEGATION_WINDOW) : i]
    return any(w.stem in _NEGATOR_STEMS for w in before)


def merge(*groups: Iterable[Tag]) -> list[Tag]:
    """Tags of several texts of one record as one list, one tag per concern."""
    merged: dict[str, list[str]] = {}
    for group in groups:
        for t in group:
            merged.setdefault(t.concern_id, []).extend(t.matches)
    return [Tag(c, tuple(dict.fromkeys(m))) for c, m in merged.items()]
