"""Demo pack indicators: every declared indicator, every row loads, the plan's trends hold."""

from __future__ import annotations

from datetime import date

from sia.config import load_partnership
from sia.demo.indicators import write_indicator_sources
from sia.sources import REGISTRY
from sia.sources.tabular import load_file
from sia.warehouse import Warehouse

END = date(2026, 1, 31)


def test_indicators_load_and_tell_the_story(tmp_path):
    p = load_partnership("kirklees")
    [path] = write_indicator_sources(tmp_path / "pack", p, 1, END)["indicator"]
    with Warehouse.open(p, tmp_path / "wh") as wh:
        result = load_file(wh, path, REGISTRY["indicator"].formats())
        assert result.read > 0 and result.loaded == result.read, result.rejects[:3]
        ids = {
            r["indicator_id"] for r in wh.rows("SELECT DISTINCT indicator_id FROM indicator_values")
        }
        assert ids == {i.id for i in p.indicators}
        yearly = {
            (r["indicator_id"], r["y"]): r["v"]
            for r in wh.rows(
                "SELECT indicator_id, year(period_start) AS y, sum(value) AS v "
                "FROM indicator_values GROUP BY ALL"
            )
        }
    # youth exploitation: numbers at risk falling (seed 4.2)
    assert (
        yearly[("children-at-risk-of-exploitation", 2025)]
        < yearly[("children-at-risk-of-exploitation", 2021)]
    )
    # Prevent stable: the last year within 25% of the first
    first, last = yearly[("prevent-referrals", 2021)], yearly[("prevent-referrals", 2025)]
    assert abs(last - first) / first < 0.25


def test_same_seed_same_file(tmp_path):
    p = load_partnership("kirklees")
    [a] = write_indicator_sources(tmp_path / "a", p, 5, END)["indicator"]
    [b] = write_indicator_sources(tmp_path / "b", p, 5, END)["indicator"]
    [c] = write_indicator_sources(tmp_path / "c", p, 6, END)["indicator"]
    assert a.read_bytes() == b.read_bytes() != c.read_bytes()
