"""Links between priorities: ward changes, insight co-occurrence, configured drivers; and
the suggested merges (ward levels)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from constructed import assessment, kirklees, measure
from scipy import stats

from sia.prioritise.evidence import CommunityInput, ConcernPair
from sia.prioritise.links import driver_links, insight_links, ward_links
from sia.prioritise.merges import suggest_merges
from sia.prioritise.parameters import PrioritisationParameters

PARAMS = PrioritisationParameters()


def _data(seed=7, n=23):
    rng = np.random.default_rng(seed)
    z = rng.gamma(2.0, 10.0, n)  # the general level of crime in each ward
    shared = rng.normal(0, 1, n)  # what two priorities share beyond it
    return rng, z, shared


def _ward_change_assessment(counts):
    """{priority: (counts now, counts before)} per ward -> an assessment."""
    p = kirklees()
    measures = {}
    for pid, (now, before) in counts.items():
        m = measure(f"{pid}-m", int(sum(now)), int(sum(before)))
        wards = [
            w.model_copy(update={"count": int(c), "previous_count": int(b)})
            for w, c, b in zip(
                measure("w", wards=_wards(np.ones(len(now)))).by_ward, now, before, strict=True
            )
        ]
        measures[pid] = [m.model_copy(update={"by_ward": wards})]
    return p, assessment(p, measures)


def _wards(values):
    return {f"E0500{i:04d}": float(v) for i, v in enumerate(values)}


def _ward_assessment(rates_by_priority):
    """{priority: ward rates} -> an assessment (levels only)."""
    p = kirklees()
    measures = {
        pid: [measure(f"{pid}-m", 100, 100, wards=_wards(rates))]
        for pid, rates in rates_by_priority.items()
    }
    return p, assessment(p, measures)


def _bh(p_values):
    """Benjamini-Hochberg q-values by hand: p x m / rank, then the running minimum from
    the largest p down."""
    p = np.asarray(p_values)
    order = np.argsort(p)
    m = len(p)
    q = np.empty(m)
    running = 1.0
    for k in range(m - 1, -1, -1):
        i = order[k]
        running = min(running, p[i] * m / (k + 1))
        q[i] = running
    return q


def test_ward_links_follow_shared_changes_not_shared_levels():
    rng = np.random.default_rng(11)
    level = rng.gamma(2.0, 40.0, 23)  # every priority is highest in the same wards
    shift = rng.normal(0, 0.5, 23)  # asb and drugs change together, ward by ward
    counts = {}
    for pid in ("asb", "drugs-alcohol", "vawg", "hate-crime", "neighbourhood-crime"):
        before = rng.poisson(level)
        factor = np.exp(shift) if pid in ("asb", "drugs-alcohol") else 1.0
        counts[pid] = (rng.poisson(level * factor), before)
    _, a = _ward_change_assessment(counts)
    plain = stats.spearmanr(counts["vawg"][0], counts["hate-crime"][0]).statistic
    assert plain > 0.8  # their levels correlate, as nearly all crime does
    links = ward_links(a, PARAMS, 0.05)
    assert [(x.source, x.target) for x in links] == [("asb", "drugs-alcohol")]
    # the references: pandas' Spearman of the log rate ratios, and q-values by hand
    ratios = pd.DataFrame(
        {pid: np.log((now + 0.5) / (before + 0.5)) for pid, (now, before) in counts.items()}
    )
    assert links[0].figures["spearman"] == pytest.approx(
        ratios.corr(method="spearman").loc["asb", "drugs-alcohol"], abs=1e-4
    )
    ids = sorted(counts)
    pairs = [(x, y) for i, x in enumerate(ids) for y in ids[i + 1 :]]
    p_values = [stats.spearmanr(ratios[x], ratios[y]).pvalue for x, y in pairs]
    q = dict(zip(pairs, _bh(p_values), strict=True))
    assert links[0].figures["q_value"] == pytest.approx(q[("asb", "drugs-alcohol")], rel=1e-9)


def test_too_few_wards_give_no_ward_links():
    rng = np.random.default_rng(3)
    counts = {pid: (rng.poisson(20, 6), rng.poisson(20, 6)) for pid in ("asb", "vawg")}
    _, a = _ward_change_assessment(counts)
    assert ward_links(a, PARAMS, 0.05) == []


def test_insight_links_are_co_occurrence_beyond_chance():
    pairs = [
        # 40 together of 100 and 120 among 1,000 records: 12 expected
        ConcernPair(
            a="asb", b="drugs-alcohol", records=40, a_records=100, b_records=120, total=1000
        ),
        # ASB with everything, as often as chance: 460 x 180 / 1000 = 82.8 expected
        ConcernPair(a="asb", b="road-safety", records=83, a_records=460, b_records=180, total=1000),
    ]
    links = insight_links(CommunityInput(pairs=pairs), PARAMS, 0.05)
    assert [(x.source, x.target) for x in links] == [("asb", "drugs-alcohol")]
    table = [[40, 60], [80, 820]]
    # the reference: Fisher's exact test, one-sided (scipy)
    assert links[0].figures["p_value"] == pytest.approx(
        stats.fisher_exact(table, alternative="greater").pvalue, rel=1e-9
    )
    assert links[0].figures["expected"] == 12.0
    assert insight_links(None, PARAMS, 0.05) == []


def test_driver_links_are_directed():
    p = kirklees()
    links = driver_links(p)
    assert {(x.source, x.target) for x in links if x.target == "road-safety"} == {
        ("drugs-alcohol", "road-safety")
    }


def test_a_monitored_priority_is_kept_in_view_with_a_focus_one_of_its_structure():
    rng, z, _shared = _data()
    rates = {
        "asb": z * np.exp(rng.normal(0, 0.3, len(z))),
        "neighbourhood-crime": z * np.exp(rng.normal(0, 0.3, len(z))),
    }
    p, a = _ward_assessment(rates)
    statuses = {"asb": "high-focus", "neighbourhood-crime": "monitor"}
    (merge,) = suggest_merges(p, a, statuses, PARAMS, 0.05)
    assert (merge.priority_id, merge.into) == ("neighbourhood-crime", "asb")
    # the reference: pandas' Spearman correlation of the two columns
    frame = pd.DataFrame(rates)
    assert merge.ward_correlation == pytest.approx(
        frame.corr(method="spearman").loc["asb", "neighbourhood-crime"], abs=1e-4
    )
    # both monitored, or the focus one owned by another board: no merge
    assert suggest_merges(p, a, {**statuses, "asb": "monitor"}, PARAMS, 0.05) == []
    data = p.model_dump(mode="json")
    next(x for x in data["priorities"] if x["id"] == "asb")["owning_partnership"] = "Board"
    owned = type(p).model_validate(data)
    assert suggest_merges(owned, a, statuses, PARAMS, 0.05) == []


def test_ward_patterns_that_do_not_overlap_are_not_merged():
    rng, z, _ = _data()
    rates = {"asb": z, "neighbourhood-crime": rng.permutation(z)}
    p, a = _ward_assessment(rates)
    rho = stats.spearmanr(rates["asb"], rates["neighbourhood-crime"]).statistic
    assert rho < PARAMS.merge_min_correlation
    statuses = {"asb": "high-focus", "neighbourhood-crime": "monitor"}
    assert suggest_merges(p, a, statuses, PARAMS, 0.05) == []
