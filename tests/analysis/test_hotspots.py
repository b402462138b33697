"""Gi* hotspots: weights, the statistic, FDR control and the classification over time.

Reference values and how each was produced:

* the 5-square lattice: Gi* worked by hand from the Ord & Getis (1995) formula (the
  arithmetic is in the comments of ``test_gi_star_matches_hand_computed_lattice``);
* Kirklees z-scores: ``esda.G_Local`` called directly in the test on the same data, and
  the formula again in numpy on the dense weights matrix;
* Benjamini–Hochberg: a hand example, ``statsmodels.stats.multitest.multipletests`` (if
  installed) and ``esda.fdr``'s cut-off;
* the Kirklees neighbours of E01011107: produced by :func:`lsoa_weights`, checked against
  libpysal's vertex-based ``Queen.from_iterable`` on the same polygons (whole matrix) and
  against the map (every neighbour shares a boundary line and is in Huddersfield).
"""

from __future__ import annotations

import json
import math
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from shapely.geometry import box, shape

from sia.analysis.hotspots import (
    CLASSIFY_COLUMNS,
    FRAME_COLUMNS,
    HOTSPOT_CATEGORIES,
    PATTERNS,
    ClassifyParams,
    GiStar,
    HotspotError,
    benjamini_hochberg,
    classify_over_time,
    lsoa_weights,
    queen_weights,
)
from sia.config import load_partnership
from sia.geography import Geography

esda = pytest.importorskip("esda")
libpysal_weights = pytest.importorskip("libpysal.weights")

#: One tolerance for every comparison of floating-point statistics in this file.
TOL = 1e-10
DOCS = Path(__file__).resolve().parents[2] / "docs" / "methods" / "hotspots.md"


# -- fixtures ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def kirklees():
    return load_partnership("kirklees")


@pytest.fixture(scope="module")
def kirklees_w(kirklees):
    return lsoa_weights(kirklees)


@pytest.fixture(scope="module")
def kirklees_polygons(kirklees):
    path = Geography.for_partnership(kirklees).boundary_path("lsoa21")
    features = json.loads(path.read_text(encoding="utf-8"))["features"]
    return {f["properties"]["LSOA21CD"]: shape(f["geometry"]) for f in features}


def lattice():
    """Five unit squares; B-D and C-E touch at a corner only (queen, not rook).

    ::

        y=2  +---+           +---+
             | D |           | E |
        y=1  +---+---+---+---+---+
             | A | B | C |
        y=0  +---+---+---+
            x=0   1   2   3   4
    """
    return {
        "A": box(0, 0, 1, 1),
        "B": box(1, 0, 2, 1),
        "C": box(2, 0, 3, 1),
        "D": box(0, 1, 1, 2),
        "E": box(3, 1, 4, 2),
    }


LATTICE_VALUES = pd.Series({"A": 2.0, "B": 3.0, "C": 9.0, "D": 1.0, "E": 10.0})


def planted(w, seed: int, cluster: set[str]) -> pd.Series:
    """Poisson(10) everywhere, Poisson(30) in ``cluster``, reproducible from ``seed``."""
    rng = np.random.default_rng(seed)
    x = pd.Series(rng.poisson(10, w.n).astype(float), index=w.id_order)
    x[sorted(cluster)] = rng.poisson(30, len(cluster)).astype(float)
    return x


# -- weights -----------------------------------------------------------------------------------


def test_queen_weights_count_corners_as_neighbours():
    w = queen_weights(lattice())
    assert w.id_order == ["A", "B", "C", "D", "E"]
    assert dict(w.neighbors) == {
        "A": ["B", "D"],
        "B": ["A", "C", "D"],
        "C": ["B", "E"],
        "D": ["A", "B"],
        "E": ["C"],
    }
    assert all(v == 1.0 for ws in w.weights.values() for v in ws)
    assert w.islands == []


def test_queen_weights_report_islands():
    with pytest.warns(UserWarning, match=r"1 of the 3 areas .*\(islands\): c"):
        w = queen_weights({"a": box(0, 0, 1, 1), "b": box(1, 0, 2, 1), "c": box(5, 5, 6, 6)})
    assert w.islands == ["c"]


def test_kirklees_weights_cover_the_shipped_lsoas(kirklees, kirklees_w):
    lsoas = Geography.for_partnership(kirklees).lsoas
    codes = sorted(lsoas.loc[lsoas["lsoa_vintage"] == 2021, "lsoa_code"])
    w = kirklees_w
    assert w.n == 260
    assert w.id_order == codes  # row order: codes sorted
    assert w.islands == []
    dense = w.full()[0]
    assert (dense == dense.T).all()  # symmetric
    assert (np.diag(dense) == 0).all()  # no self-weight; GiStar adds it
    assert set(np.unique(dense)) == {0.0, 1.0}
    assert w.s0 == 1450  # 725 pairs of neighbours
    assert min(w.cardinalities.values()) == 2 and max(w.cardinalities.values()) == 11


def test_kirklees_weights_equal_libpysal_vertex_queen(kirklees_w, kirklees_polygons):
    codes = sorted(kirklees_polygons)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        reference = libpysal_weights.Queen.from_iterable(
            [kirklees_polygons[c] for c in codes], ids=codes
        )
    assert {c: sorted(nb) for c, nb in reference.neighbors.items()} == dict(kirklees_w.neighbors)


def test_kirklees_neighbours_of_a_town_centre_lsoa_are_plausible(
    kirklees, kirklees_w, kirklees_polygons
):
    centre = "E01011107"  # Kirklees 029D, Dalton ward, Huddersfield
    expected = [
        "E01011007",
        "E01011038",
        "E01011043",
        "E01011045",
        "E01011093",
        "E01011098",
        "E01011106",
        "E01011229",
        "E01011235",
        "E01011236",
        "E01011238",
    ]
    assert kirklees_w.neighbors[centre] == expected
    lsoas = Geography.for_partnership(kirklees).lsoas
    place = lsoas[lsoas["lsoa_vintage"] == 2021].set_index("lsoa_code")["place"]
    for code in expected:
        shared = kirklees_polygons[centre].boundary.intersection(kirklees_polygons[code].boundary)
        assert shared.length > 0, f"{code} only touches {centre} at a point"
        assert code in kirklees_w.neighbors and centre in kirklees_w.neighbors[code]
        assert place[code] == "Huddersfield"


def test_lsoa_weights_are_cached_but_never_shared(kirklees, kirklees_w):
    again = lsoa_weights(kirklees)
    assert again is not kirklees_w
    again.transform = "r"
    assert lsoa_weights(kirklees).transform == "O"
    assert kirklees_w.transform == "O"


def test_lsoa_weights_reject_an_unknown_vintage(kirklees):
    with pytest.raises(HotspotError, match="vintage must be 2021 or 2011"):
        lsoa_weights(kirklees, vintage=2001)


# -- Gi* ---------------------------------------------------------------------------------------


def test_gi_star_matches_hand_computed_lattice():
    # Gi*_z = (Σ_j w_ij x_j − x̄ W_i) / (S sqrt((n Σ_j w_ij² − W_i²) / (n − 1))), w_ii = 1,
    # W_i = Σ_j w_ij (= Σ_j w_ij² for binary weights), S the population s.d.
    #
    # x = A 2, B 3, C 9, D 1, E 10; n = 5; Σx = 25; x̄ = 5;
    # Σx² = 4 + 9 + 81 + 1 + 100 = 195; S² = 195/5 − 5² = 39 − 25 = 14; S = √14.
    #
    # neighbourhoods including self (queen):   Σ w x          W   numerator
    #   A: A B D     2 + 3 + 1      = 6         3   6 − 15  = −9
    #   B: A B C D   2 + 3 + 9 + 1  = 15        4   15 − 20 = −5
    #   C: B C E     3 + 9 + 10     = 22        3   22 − 15 = 7
    #   D: A B D     2 + 3 + 1      = 6         3   6 − 15  = −9
    #   E: C E       9 + 10         = 19        2   19 − 10 = 9
    #
    # denominators: W = 3: √14 · sqrt((15 − 9)/4) = √14 · √1.5 = √21
    #               W = 4: √14 · sqrt((20 − 16)/4) = √14
    #               W = 2: √14 · sqrt((10 − 4)/4)  = √21
    # so z = A −9/√21 (−1.96396), B −5/√14 (−1.33631), C 7/√21 (1.52753),
    #        D −9/√21, E 9/√21 (1.96396);
    # and G*_i = Σ w x / Σ x = 6/25, 15/25, 22/25, 6/25, 19/25.
    expected_z = [
        -9 / math.sqrt(21),
        -5 / math.sqrt(14),
        7 / math.sqrt(21),
        -9 / math.sqrt(21),
        9 / math.sqrt(21),
    ]
    gi = GiStar(LATTICE_VALUES, queen_weights(lattice()), permutations=0)
    np.testing.assert_allclose(gi.z.to_numpy(), expected_z, rtol=0, atol=TOL)
    np.testing.assert_allclose(gi.G.to_numpy(), np.array([6, 15, 22, 6, 19]) / 25, atol=TOL)
    # two-sided normal p = 2 Φ(−|z|) = erfc(|z| / √2)
    expected_p = [math.erfc(abs(z) / math.sqrt(2)) for z in expected_z]
    np.testing.assert_allclose(gi.p_norm.to_numpy(), expected_p, rtol=0, atol=TOL)
    assert gi.p_norm["E"] == pytest.approx(0.049535, abs=1e-6)
    assert gi.n_tests == 5
    assert gi.p_sim is None


def test_gi_star_matches_esda_and_the_formula_on_kirklees(kirklees_w):
    rng = np.random.default_rng(2024)
    values = pd.Series(rng.poisson(12, kirklees_w.n).astype(float), index=kirklees_w.id_order)
    gi = GiStar(values, kirklees_w, permutations=0)

    # esda directly: binary weights with the diagonal set to 1, Gi*.
    star_w = libpysal_weights.fill_diagonal(kirklees_w, 1.0)
    direct = esda.G_Local(values.to_numpy(), star_w, transform="B", star=True, permutations=0)
    np.testing.assert_allclose(gi.z.to_numpy(), direct.Zs, rtol=0, atol=TOL)
    np.testing.assert_allclose(gi.p_norm.to_numpy(), 2 * direct.p_norm, rtol=0, atol=TOL)
    np.testing.assert_allclose(gi.G.to_numpy(), direct.Gs, rtol=0, atol=TOL)

    # esda filling the diagonal itself (star=True on zero-diagonal binary weights).
    filled = esda.G_Local(values.to_numpy(), kirklees_w, transform="B", star=True, permutations=0)
    np.testing.assert_allclose(gi.z.to_numpy(), filled.Zs, rtol=0, atol=TOL)

    # The Ord & Getis (1995) formula in numpy on the dense matrix.
    x = values.to_numpy()
    n = len(x)
    wm = kirklees_w.full()[0] + np.eye(n)
    big_w = wm.sum(axis=1)
    s = math.sqrt((x**2).mean() - x.mean() ** 2)
    z = (wm @ x - x.mean() * big_w) / (s * np.sqrt((n * (wm**2).sum(axis=1) - big_w**2) / (n - 1)))
    np.testing.assert_allclose(gi.z.to_numpy(), z, rtol=0, atol=TOL)


def test_star_weights_are_reused_for_one_w_and_rebuilt_for_another(kirklees_w):
    """Gi* over several periods builds the star weights of a W once; a W with other
    neighbours gets its own, and both agree with esda on freshly built weights."""
    rng = np.random.default_rng(7)
    values = pd.Series(rng.poisson(12, kirklees_w.n).astype(float), index=kirklees_w.id_order)
    first = GiStar(values, kirklees_w, permutations=0)
    again = GiStar(values * 2, kirklees_w, permutations=0)
    assert again.g_local.w is first.g_local.w
    np.testing.assert_allclose(again.z.to_numpy(), first.z.to_numpy(), rtol=0, atol=TOL)

    # drop one link (both ways) from a copy: a different W, so different star weights
    a = kirklees_w.id_order[0]
    b = kirklees_w.neighbors[a][0]
    neighbours = {i: [j for j in n if {i, j} != {a, b}] for i, n in kirklees_w.neighbors.items()}
    other = libpysal_weights.W(neighbours, id_order=kirklees_w.id_order, silence_warnings=True)
    changed = GiStar(values, other, permutations=0)
    assert changed.g_local.w is not first.g_local.w
    star = libpysal_weights.fill_diagonal(other, 1.0)
    direct = esda.G_Local(values.to_numpy(), star, transform="B", star=True, permutations=0)
    np.testing.assert_allclose(changed.z.to_numpy(), direct.Zs, rtol=0, atol=TOL)
    assert not np.allclose(changed.z.to_numpy(), first.z.to_numpy())


def test_row_standardised_esda_z_is_not_the_textbook_gi_star(kirklees_w):
    # Why GiStar uses transform='B': esda's variance is the binary one, so with 'R' the
    # z-scores differ from Ord & Getis's, although Gi*'s z does not depend on row scaling.
    values = pd.Series(np.arange(kirklees_w.n, dtype=float) % 17, index=kirklees_w.id_order)
    gi = GiStar(values, kirklees_w, permutations=0)
    star_w = libpysal_weights.fill_diagonal(kirklees_w, 1.0)
    row = esda.G_Local(values.to_numpy(), star_w, transform="R", star=True, permutations=0)
    assert np.abs(gi.z.to_numpy() - row.Zs).max() > 0.1


def test_planted_cluster_is_hot_after_fdr_and_its_permutation_mostly_not(kirklees_w):
    w = kirklees_w
    centre = "E01011107"
    cluster = {centre, *w.neighbors[centre]}  # 12 contiguous LSOAs round Huddersfield
    ring = {n for c in cluster for n in w.neighbors[c]} | cluster
    for seed in (0, 1, 2):
        values = planted(w, seed, cluster)
        gi = GiStar(values, w, seed=seed)
        hot = set(gi.hot[gi.hot].index)
        assert len(hot & cluster) >= 10, f"seed {seed}: planted LSOAs not found hot"
        assert hot <= ring, f"seed {seed}: hot LSOAs away from the cluster"
        assert not gi.cold.any()
        # The same values shuffled over the map: no cluster, and at most a few LSOAs whose
        # own value is extreme enough to be hot alone (0 to 5 in 30 seeds tried).
        shuffled = pd.Series(
            np.random.default_rng(seed + 100).permutation(values.to_numpy()), index=w.id_order
        )
        shuffled_hot = GiStar(shuffled, w, seed=seed).hot
        assert shuffled_hot.sum() <= 6 and shuffled_hot.sum() < len(hot) / 2


def test_permutation_p_is_seeded_and_leaves_global_random_state_alone(kirklees_w):
    values = planted(kirklees_w, 5, {"E01011107"})
    np.random.seed(7)
    before = np.random.get_state()[1].copy()
    a = GiStar(values, kirklees_w, seed=11)
    assert (np.random.get_state()[1] == before).all()
    b = GiStar(values, kirklees_w, seed=11)
    c = GiStar(values, kirklees_w, seed=12)
    pd.testing.assert_series_equal(a.p_sim, b.p_sim)
    assert not a.p_sim.equals(c.p_sim)
    assert a.p_sim.min() >= 1 / 1000 and a.p_sim.max() <= 1
    pd.testing.assert_series_equal(a.z, c.z)  # the analytic part has no randomness
    # seed=None: a fresh seed each time, recorded so the run can be repeated
    fresh = GiStar(values, kirklees_w, seed=None)
    assert fresh.seed != GiStar(values, kirklees_w, seed=None).seed
    pd.testing.assert_series_equal(GiStar(values, kirklees_w, seed=fresh.seed).p_sim, fresh.p_sim)


def test_permutation_p_counts_ties_in_both_tails():
    # 'f' (value 1) has neighbours e and g (both 0). Holding f, the permutation draws two
    # of the other seven values {9, 10, 8, 1, 0, 0, 1}; only the pair (0, 0) gives a sum as
    # low as observed, so the exact lower tail is 1 / C(7, 2) = 1/21 and the two-sided p
    # about 2/21 = 0.095. (esda 2.9's "directed" p_sim ignores those ties and says 0.001.)
    w = queen_weights({c: box(i, 0, i + 1, 1) for i, c in enumerate("abcdefgh")})
    values = pd.Series([9.0, 10, 8, 1, 0, 1, 0, 1], index=list("abcdefgh"))
    gi = GiStar(values, w, permutations=9999, seed=3)
    assert gi.p_sim["f"] == pytest.approx(2 / 21, abs=0.015)


def test_p_value_choice_and_fdr_switch():
    w = queen_weights({c: box(i, 0, i + 1, 1) for i, c in enumerate("abcdefgh")})
    values = pd.Series([9.0, 10, 8, 1, 0, 1, 0, 1], index=list("abcdefgh"))
    norm = GiStar(values, w)
    assert norm.p is norm.p_norm and norm.p_source == "norm"
    sim = GiStar(values, w, p_value="sim")
    assert sim.p is sim.p_sim and sim.to_frame().attrs["p_source"] == "sim"
    # eight tests: nothing survives BH, but a and b pass one by one at 0.05
    assert norm.classification.tolist() == ["none"] * 8
    raw = GiStar(values, w, fdr=False)
    assert raw.classification.tolist()[:3] == ["hot", "hot", "none"]
    np.testing.assert_allclose(raw.q, benjamini_hochberg(raw.p_norm), atol=TOL)


def test_to_frame_has_stable_columns(kirklees_w):
    gi = GiStar(planted(kirklees_w, 0, {"E01011107"}), kirklees_w, permutations=0)
    frame = gi.to_frame()
    assert list(frame.columns) == FRAME_COLUMNS
    assert frame["lsoa_code"].tolist() == kirklees_w.id_order
    assert set(frame["classification"]) <= {"hot", "cold", "none"}
    assert frame.attrs == {"p_source": "norm", "alpha": 0.05, "fdr": True, "n_tests": 260}
    # values may come in any order; results follow w.id_order
    shuffled = gi.values.sample(frac=1, random_state=1)
    pd.testing.assert_frame_equal(GiStar(shuffled, kirklees_w, permutations=0).to_frame(), frame)


def test_islands_are_left_untested():
    with pytest.warns(UserWarning, match="islands"):
        w = queen_weights(
            {c: box(i, 0, i + 1, 1) for i, c in enumerate("abcde")} | {"z": box(9, 9, 10, 10)}
        )
    values = pd.Series({"a": 5.0, "b": 1.0, "c": 2.0, "d": 0.0, "e": 1.0, "z": 40.0})
    gi = GiStar(values, w)
    assert gi.islands == ["z"]
    assert gi.z[["z"]].isna().all() and np.isnan(gi.q["z"]) and np.isnan(gi.p_sim["z"])
    assert gi.classification["z"] == "none"
    assert gi.n_tests == 5
    np.testing.assert_allclose(gi.q.drop("z"), benjamini_hochberg(gi.p.drop("z")), atol=TOL)


def test_a_neighbourhood_that_is_the_whole_district_is_left_untested():
    # a touches b and c at corners, so a's neighbourhood (with itself) is every area:
    # W_a = n and the variance n W_a - W_a^2 is zero.
    w = queen_weights({"a": box(1, 1, 2, 2), "b": box(0, 0, 1, 1), "c": box(2, 0, 3, 1)})
    gi = GiStar(pd.Series({"a": 5.0, "b": 1.0, "c": 2.0}), w, permutations=0)
    assert np.isnan(gi.z["a"]) and gi.classification["a"] == "none"
    assert gi.n_tests == 2


@pytest.mark.parametrize(
    ("values", "kwargs", "match"),
    [
        ([1.0, 2, 3, 4], {}, "values must be a pandas Series"),
        (pd.Series({"A": 1.0, "B": 2, "C": 3, "D": 4}), {}, r"no entry for 1 .*reindex"),
        (pd.Series({**LATTICE_VALUES, "Z": 1.0}), {}, "not areas of w"),
        (LATTICE_VALUES.replace(1.0, -1.0), {}, "must not be negative"),
        (LATTICE_VALUES.replace(1.0, np.nan), {}, "missing or infinite"),
        (LATTICE_VALUES * 0 + 3, {}, "all equal"),
        (LATTICE_VALUES.astype(str).replace("2.0", "two"), {}, "must be numbers"),
        (LATTICE_VALUES, {"alpha": 1.5}, "alpha must be"),
        (LATTICE_VALUES, {"permutations": -1}, "permutations must be"),
        (LATTICE_VALUES, {"p_value": "exact"}, "p_value must be"),
        (LATTICE_VALUES, {"p_value": "sim", "permutations": 0}, "needs permutations"),
        (LATTICE_VALUES, {"fdr": "yes"}, "fdr must be"),
    ],
)
def test_gi_star_input_errors_name_the_argument_and_the_fix(values, kwargs, match):
    with pytest.raises(HotspotError, match=match):
        GiStar(values, queen_weights(lattice()), **kwargs)


def test_gi_star_needs_libpysal_weights():
    with pytest.raises(HotspotError, match=r"w must be a libpysal\.weights\.W"):
        GiStar(LATTICE_VALUES, {"A": ["B"]})


# -- Benjamini–Hochberg ------------------------------------------------------------------------


def test_benjamini_hochberg_hand_example():
    # sorted: 0.01 (k=1), 0.011 (2), 0.04 (3), 0.5 (4); m p / k = 0.04, 0.022, 0.0533, 0.5;
    # running minimum from the top: 0.022, 0.022, 0.0533, 0.5.
    q = benjamini_hochberg([0.04, 0.01, 0.5, 0.011])
    np.testing.assert_allclose(q, [0.04 * 4 / 3, 0.022, 0.5, 0.022], rtol=0, atol=TOL)
    assert benjamini_hochberg([0.9, 0.95]).tolist() == [0.95, 0.95]
    assert benjamini_hochberg([0.5, 0.5, 0.5]).tolist() == [0.5, 0.5, 0.5]
    q = benjamini_hochberg([0.01, np.nan, 0.02])  # missing values are not tests
    assert q[0] == pytest.approx(0.02) and np.isnan(q[1]) and q[2] == pytest.approx(0.02)
    with pytest.raises(HotspotError, match="between 0 and 1"):
        benjamini_hochberg([0.2, 1.2])


def test_benjamini_hochberg_agrees_with_statsmodels_and_esda():
    rng = np.random.default_rng(99)
    p = np.concatenate([rng.uniform(0, 0.002, 15), rng.uniform(0, 1, 245)])
    q = benjamini_hochberg(p)
    # esda.fdr gives the BH cut-off: reject p <= cut-off, the same tests as q <= alpha
    for alpha in (0.01, 0.05, 0.1):
        assert ((q <= alpha) == (p <= esda.fdr(p, alpha))).all()
    multitest = pytest.importorskip("statsmodels.stats.multitest")
    reject, q_sm, _, _ = multitest.multipletests(p, alpha=0.05, method="fdr_bh")
    np.testing.assert_allclose(q, q_sm, rtol=0, atol=TOL)
    assert ((q <= 0.05) == reject).all()


# -- classification over time ------------------------------------------------------------------


def flags(rows: dict[str, str], periods=(2021, 2022, 2023, 2024, 2025)) -> pd.DataFrame:
    """``{'E01': 'H.C.H', ...}``: one letter per period, H hot, C cold, '.' neither."""
    letter = {"H": "hot", "C": "cold", ".": "none"}
    return pd.DataFrame(
        {p: [letter[r[i]] for r in rows.values()] for i, p in enumerate(periods)},
        index=list(rows),
    )


def test_classify_params_defaults_are_sfhotspots():
    params = ClassifyParams()
    assert (params.hotspot_prop, params.persistent_prop, params.recent_prop) == (0.1, 0.8, 0.2)
    assert params.emerging_prop == 0.2 and params.persistent_needs_latest is True
    w = queen_weights(lattice())
    assert GiStar(LATTICE_VALUES, w, permutations=0).alpha == 0.05  # sfhotspot's critical_p
    with pytest.raises(AttributeError):
        params.hotspot_prop = 0.5  # frozen


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"hotspot_prop": 0}, "hotspot_prop must be greater than 0 and less than 1"),
        ({"hotspot_prop": 1.0}, "hotspot_prop must be greater than 0 and less than 1"),
        ({"persistent_prop": 1.2}, "persistent_prop must be greater than 0 and 1 or less"),
        ({"recent_prop": "0.2"}, "recent_prop must be a number"),
        ({"emerging_prop": True}, "emerging_prop must be a number"),
        ({"recent_prop": float("nan")}, "recent_prop must be a number"),
        ({"persistent_needs_latest": 1}, "persistent_needs_latest must be True or False"),
        ({"hotspot_prop": 0.5, "persistent_prop": 0.4}, "must not exceed persistent_prop"),
    ],
)
def test_classify_params_are_validated(kwargs, match):
    with pytest.raises(HotspotError, match=match):
        ClassifyParams(**kwargs)


@pytest.mark.parametrize(("n", "recent"), [(2, 1), (3, 1), (5, 1), (9, 1), (10, 2), (16, 3)])
def test_recent_window(n, recent):
    assert ClassifyParams().recent_periods(n) == recent


def test_recent_window_needs_two_periods():
    with pytest.raises(HotspotError, match="at least 2 periods"):
        ClassifyParams().recent_periods(1)


def test_classify_five_annual_periods():
    # five periods: the last (2025) is recent, 2021-2024 older.
    table = flags(
        {
            "persistent": "HHHHH",
            "persistent-4": ".HHHH",  # 4/5 = 0.8 and hot in 2025
            "not-latest": "HHHH.",  # 0.8, but not hot in 2025: former by default
            "emerging": "....H",
            "former": "H....",
            "intermittent": "H.H.H",  # older 2/4, recent 1/1, 3/5 < 0.8
            "never": ".....",
            "cold-persistent": "CCCCC",
            "cold-emerging": "....C",
            "mixed": "HH..C",  # former hotspot and emerging coldspot
        }
    )
    result = classify_over_time(table).set_index("lsoa_code")
    assert result["hotspot_category"].to_dict() == {
        "persistent": "persistent hotspot",
        "persistent-4": "persistent hotspot",
        "not-latest": "former hotspot",
        "emerging": "emerging hotspot",
        "former": "former hotspot",
        "intermittent": "intermittent hotspot",
        "never": "no pattern",
        "cold-persistent": "persistent coldspot",
        "cold-emerging": "emerging coldspot",
        "mixed": "mixed hot/coldspot",
    }
    assert result.loc["intermittent", ["hot_periods", "hot_older", "hot_recent"]].tolist() == [
        3,
        2,
        1,
    ]
    assert result.loc["mixed", ["hot_pattern", "cold_pattern"]].tolist() == ["former", "emerging"]
    # sfhotspot's rule (no need to be hot in the latest period)
    loose = classify_over_time(table, ClassifyParams(persistent_needs_latest=False))
    assert loose.set_index("lsoa_code").loc["not-latest", "hot_pattern"] == "persistent"


def test_classify_ten_quarters_uses_a_two_period_recent_window():
    quarters = [f"2023Q{q}" for q in range(1, 5)] + [f"2024Q{q}" for q in range(1, 5)]
    quarters += ["2025Q1", "2025Q2"]
    table = flags(
        {
            "emerging-half": "........H.",  # 1 of the 2 recent >= 0.2, none of 8 older
            "one-older": "H.........",  # older 1/8 = 0.125 >= 0.1, recent 0: former
            "persistent": ".HHHHHHHHH",  # 9/10
            "gap-at-end": "HHHHHHHHH.",  # 9/10, not latest; recent 1/2: intermittent
        },
        periods=quarters,
    )
    result = classify_over_time(table)
    assert result["hot_pattern"].tolist() == ["emerging", "former", "persistent", "intermittent"]
    assert result.attrs["recent_periods"] == ["2025Q1", "2025Q2"]
    assert result.attrs["params"]["recent_prop"] == 0.2
    # a stricter emerging rule (hot in every recent period): hot once in ten is then
    # only intermittent (1/10 >= hotspot_prop)
    strict = classify_over_time(table, ClassifyParams(emerging_prop=1.0))
    assert strict["hot_pattern"].tolist()[0] == "intermittent"


def test_classify_accepts_boolean_flags_and_sorts_periods():
    hot = pd.DataFrame(
        {2025: [True, False], 2021: [False, True], 2023: [False, False], 2022: [False, False]},
        index=["E01000001", "E01000002"],
    )
    result = classify_over_time(hot)
    assert result.attrs["periods"] == [2021, 2022, 2023, 2025]
    assert result["hotspot_category"].tolist() == ["emerging hotspot", "former hotspot"]
    assert (result["cold_periods"] == 0).all()


def test_classify_from_gi_star_objects_equals_the_flag_table(kirklees_w):
    centre = "E01011107"
    cluster = {centre, *kirklees_w.neighbors[centre]}
    frames = {}
    for year in range(2020, 2025):
        values = planted(kirklees_w, year, cluster if year == 2024 else set())
        frames[year] = GiStar(values, kirklees_w, permutations=0)
    result = classify_over_time(frames)
    assert list(result.columns) == CLASSIFY_COLUMNS
    assert result["lsoa_code"].tolist() == kirklees_w.id_order
    table = pd.DataFrame({y: gi.classification for y, gi in frames.items()})
    pd.testing.assert_frame_equal(result, classify_over_time(table))
    by_code = result.set_index("lsoa_code")["hotspot_category"]
    # hot only in the latest of five years, which is the recent window
    assert (by_code[sorted(cluster)] == "emerging hotspot").all()
    assert set(result["hotspot_category"]) <= set(HOTSPOT_CATEGORIES)


@pytest.mark.parametrize(
    ("frames", "match"),
    [
        ({}, "frames is empty"),
        ({2024: "hot"}, "must be a GiStar"),
        ({2024: object(), "2025": object()}, "cannot be put in order"),
        (pd.DataFrame({2024: ["hot", None]}, index=["a", "b"]), "missing flags"),
        (pd.DataFrame({2024: ["hot", "warm"], 2025: ["none"] * 2}, index=["a", "b"]), "warm"),
        (pd.DataFrame({2024: ["hot"]}, index=["a"]), "at least 2 periods"),
        ([["hot"]], "must be a dict"),
    ],
)
def test_classify_input_errors(frames, match):
    with pytest.raises(HotspotError, match=match):
        classify_over_time(frames)


def test_classify_rejects_gi_star_on_other_weights(kirklees_w):
    small = GiStar(LATTICE_VALUES, queen_weights(lattice()), permutations=0)
    big = GiStar(planted(kirklees_w, 0, set()), kirklees_w, permutations=0)
    with pytest.raises(HotspotError, match="other areas"):
        classify_over_time({2024: small, 2025: big})
    with pytest.raises(HotspotError, match="params must be a ClassifyParams"):
        classify_over_time({2024: small, 2025: small}, params={"recent_prop": 0.5})


# -- documentation -----------------------------------------------------------------------------


def test_method_note_documents_every_parameter_and_column():
    text = DOCS.read_text(encoding="utf-8")
    names = [*ClassifyParams.__dataclass_fields__, *FRAME_COLUMNS, *CLASSIFY_COLUMNS]
    names += [p for p in PATTERNS if p != "no pattern"]
    for name in names:
        assert f"`{name}`" in text, f"{name} is not documented in docs/methods/hotspots.md"
    for ref in ("Getis", "Ord", "Benjamini", "Hochberg", "sfhotspot", "esda"):
        assert ref in text


def test_docstring_examples_run():
    import doctest

    import sia.analysis.hotspots

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # the queen_weights island example
        result = doctest.testmod(sia.analysis.hotspots, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 10 and result.failed == 0
