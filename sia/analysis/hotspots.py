"""Hotspots: Getis–Ord Gi* over a district's LSOAs, with false-discovery-rate control.

Three steps, each a small public piece (method note: ``docs/methods/hotspots.md``):

* :func:`lsoa_weights` builds queen contiguity between the LSOAs of a partnership's
  district from the shipped boundary file (:func:`queen_weights` does the same for any
  polygons);
* :class:`GiStar` computes Gi* for one period's values (counts, rates or harm scores per
  LSOA) with :class:`esda.G_Local`, adjusts the p-values with Benjamini–Hochberg
  (:func:`benjamini_hochberg`) and calls each LSOA ``'hot'``, ``'cold'`` or ``'none'``;
* :func:`classify_over_time` turns a run of periods into sfhotspot-style categories
  (persistent, emerging, former, intermittent hot- or coldspot, or no pattern), with
  its thresholds in one validated :class:`ClassifyParams`.

>>> import pandas as pd
>>> from shapely.geometry import box
>>> squares = {c: box(i, 0, i + 1, 1) for i, c in enumerate("abcdefgh")}
>>> w = queen_weights(squares)
>>> w.neighbors["b"]
['a', 'c']
>>> values = pd.Series([9.0, 10, 8, 1, 0, 1, 0, 1], index=list("abcdefgh"))
>>> gi = GiStar(values, w, permutations=0)
>>> gi.to_frame().round(3).head(3)
  lsoa_code  value   gi_z  p_value  q_value classification
0         a    9.0  2.134    0.033    0.131           none
1         b   10.0  2.614    0.009    0.072           none
2         c    8.0  1.286    0.198    0.260           none

esda and libpysal are imported when first needed (they take about two seconds to
import), so importing this module is cheap.
"""

from __future__ import annotations

import json
import logging
import math
import numbers
import warnings
import weakref
from collections.abc import Hashable, Mapping
from dataclasses import asdict, dataclass
from functools import cache
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import pandas as pd
import shapely
from shapely.geometry import shape

if TYPE_CHECKING:
    from libpysal.weights import W
    from shapely.geometry.base import BaseGeometry

    from sia.config.schema import Partnership

__all__ = [
    "CLASSIFICATIONS",
    "CLASSIFY_COLUMNS",
    "DEFAULT_SEED",
    "FRAME_COLUMNS",
    "HOTSPOT_CATEGORIES",
    "PATTERNS",
    "ClassifyParams",
    "GiStar",
    "HotspotError",
    "benjamini_hochberg",
    "classify_over_time",
    "lsoa_weights",
    "queen_weights",
]

logger = logging.getLogger(__name__)

#: Seed of the permutation test unless another is given, so a rerun gives the same p_sim.
DEFAULT_SEED = 12345
#: The values of :attr:`GiStar.classification`.
CLASSIFICATIONS = ("hot", "cold", "none")
#: Columns of :meth:`GiStar.to_frame`, in order.
FRAME_COLUMNS = ["lsoa_code", "value", "gi_z", "p_value", "q_value", "classification"]
#: The patterns over time, in order of precedence (the first that applies wins).
PATTERNS = ("persistent", "emerging", "former", "intermittent", "no pattern")
#: The values of ``hotspot_category`` in :func:`classify_over_time` (as sfhotspot names them).
HOTSPOT_CATEGORIES = (
    *(f"{p} hotspot" for p in PATTERNS[:-1]),
    *(f"{p} coldspot" for p in PATTERNS[:-1]),
    "mixed hot/coldspot",
    "no pattern",
)
#: Columns of :func:`classify_over_time`, in order.
CLASSIFY_COLUMNS = [
    "lsoa_code",
    "n_periods",
    "hot_periods",
    "hot_older",
    "hot_recent",
    "hot_latest",
    "cold_periods",
    "cold_older",
    "cold_recent",
    "cold_latest",
    "hot_pattern",
    "cold_pattern",
    "hotspot_category",
]

_VINTAGE_LEVEL = {2011: "lsoa11", 2021: "lsoa21"}


class HotspotError(ValueError):
    """An input to the hotspot analysis is unusable; the message names it and the fix."""


def _lazy_pysal():
    """Import libpysal and esda, or say how to install them."""
    try:
        import esda
        import libpysal.weights
    except ImportError as exc:  # pragma: no cover - both are installed in the dev setup
        raise ImportError(
            "hotspot analysis needs esda and libpysal: pip install esda libpysal "
            "(the versions pinned in constraints.txt)"
        ) from exc
    return esda, libpysal.weights


# -- weights ---------------------------------------------------------------------------------


def _neighbour_lists(codes: list[str], geoms: list[BaseGeometry]) -> dict[str, list[str]]:
    """Queen neighbours by code: polygons that share at least one boundary point."""
    tree = shapely.STRtree(geoms)
    left, right = tree.query(geoms, predicate="intersects")
    neighbours: dict[str, list[str]] = {c: [] for c in codes}
    for i, j in zip(left.tolist(), right.tolist(), strict=True):
        if i != j:
            neighbours[codes[i]].append(codes[j])
    return {c: sorted(set(nb)) for c, nb in neighbours.items()}


def _weights_from(neighbours: Mapping[str, list[str]], what: str) -> W:
    """A binary libpysal W over ``neighbours`` in code order; islands are warned about."""
    _, lw = _lazy_pysal()
    ids = sorted(neighbours)
    w = lw.W({c: list(neighbours[c]) for c in ids}, id_order=ids, silence_warnings=True)
    if w.islands:
        warnings.warn(
            f"{len(w.islands)} of the {w.n} {what} have no queen neighbour (islands): "
            f"{', '.join(map(str, w.islands))}. GiStar leaves them untested "
            "(their Gi* would compare each with itself only).",
            UserWarning,
            stacklevel=3,
        )
    return w


def queen_weights(geometries: Mapping[str, BaseGeometry]) -> W:
    """Queen contiguity between polygons, as a binary libpysal ``W``.

    Two polygons are neighbours when their boundaries share at least one point, a corner
    being enough (queen, not rook); a polygon is not its own neighbour (:class:`GiStar`
    adds the self-weight). Contiguity is tested with :func:`shapely.STRtree.query` and the
    ``intersects`` predicate, so it does not depend on the two files sharing vertices
    exactly. For the shipped Kirklees LSOAs it gives the same neighbours as libpysal's
    vertex-based ``Queen.from_iterable``.

    Parameters
    ----------
    geometries : mapping of id -> shapely polygon
        The areas, keyed by their code.

    Returns
    -------
    libpysal.weights.W
        Ids are the keys, ``id_order`` is sorted, every weight is 1. ``w.islands`` lists
        the areas with no neighbour (a warning names them too).

    Examples
    --------
    >>> from shapely.geometry import box
    >>> w = queen_weights({"a": box(0, 0, 1, 1), "b": box(1, 1, 2, 2), "c": box(3, 0, 4, 1)})
    >>> w.neighbors["a"], w.islands
    (['b'], ['c'])
    """
    if not geometries:
        raise HotspotError("geometries is empty; pass a mapping of area code -> polygon")
    codes = [str(c) for c in geometries]
    if len(set(codes)) != len(codes):
        raise HotspotError("geometries has duplicate codes once turned to text; make them unique")
    geoms = list(geometries.values())
    return _weights_from(_neighbour_lists(codes, geoms), "areas")


@cache
def _lsoa_neighbours(district_code: str, vintage: int) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """The queen neighbours of one district's LSOAs, cached (immutable, so safe to share)."""
    from sia.geography.boundaries import CODE_PROPERTY, boundary_path

    level = _VINTAGE_LEVEL[vintage]
    path = boundary_path(district_code, level)
    features = json.loads(path.read_text(encoding="utf-8"))["features"]
    codes = [f["properties"][CODE_PROPERTY[level]] for f in features]
    geoms = [shape(f["geometry"]) for f in features]
    if len(set(codes)) != len(codes):  # pragma: no cover - the shipped files are unique
        raise HotspotError(f"{path} holds an LSOA code more than once")
    neighbours = _neighbour_lists(codes, geoms)
    return tuple((c, tuple(neighbours[c])) for c in sorted(neighbours))


def lsoa_weights(partnership: Partnership, vintage: int = 2021) -> W:
    """Queen contiguity between the LSOAs of ``partnership``'s district.

    Built from the LSOA boundaries shipped with sia (see :mod:`sia.geography.boundaries`)
    by :func:`queen_weights`. The neighbour lists are cached per district and vintage;
    every call returns a new ``W``, so changing one (``w.transform = 'r'``) never changes
    another.

    Parameters
    ----------
    partnership : Partnership
        The partnership; only its district is used.
    vintage : {2021, 2011}
        LSOA vintage (2021 by default; Kirklees has 260 LSOAs 2021).

    Returns
    -------
    libpysal.weights.W
        Binary weights (every weight 1, no self-weight). Ids are LSOA codes and
        ``w.id_order`` is the codes **sorted**; :class:`GiStar` and its
        :meth:`~GiStar.to_frame` keep that order. ``w.islands`` lists LSOAs with no
        neighbour; a :class:`UserWarning` names them too (Kirklees has none).

    Raises
    ------
    HotspotError
        For a vintage other than 2011 or 2021.
    sia.geography.GeographyError
        If no boundary file of that vintage is shipped for the district.
    """
    if vintage not in _VINTAGE_LEVEL:
        raise HotspotError(f"vintage must be 2021 or 2011, not {vintage!r}")
    pairs = _lsoa_neighbours(partnership.district.code, int(vintage))
    return _weights_from({c: list(nb) for c, nb in pairs}, f"LSOAs {vintage}")


# -- multiple testing ------------------------------------------------------------------------


def benjamini_hochberg(p_values: object) -> np.ndarray:
    r"""Benjamini–Hochberg adjusted p-values (q-values) for a family of tests.

    With the :math:`m` p-values sorted, :math:`p_{(1)} \le \dots \le p_{(m)}`,

    .. math:: q_{(k)} = \min\Big(1, \min_{j \ge k} \frac{m\, p_{(j)}}{j}\Big),

    and rejecting every test with :math:`q \le \alpha` is the step-up procedure of
    Benjamini & Hochberg (1995), which controls the false discovery rate at
    :math:`\alpha` for independent or positively dependent tests. The values equal R's
    ``p.adjust(p, "BH")`` and ``statsmodels.stats.multitest.multipletests(p,
    method="fdr_bh")``. Missing values stay missing and are not counted in :math:`m`.

    Parameters
    ----------
    p_values : array-like of float
        p-values in [0, 1], in any order.

    Returns
    -------
    numpy.ndarray
        The adjusted values, in the order given.

    Examples
    --------
    >>> benjamini_hochberg([0.04, 0.01, 0.5, 0.011]).round(4).tolist()
    [0.0533, 0.022, 0.5, 0.022]
    """
    p = np.asarray(p_values, dtype=float)
    if p.ndim != 1:
        raise HotspotError("p_values must be one-dimensional")
    finite = ~np.isnan(p)
    if np.any((p[finite] < 0) | (p[finite] > 1)):
        raise HotspotError("p_values must lie between 0 and 1")
    q = np.full(p.shape, np.nan)
    m = int(finite.sum())
    if m == 0:
        return q
    pf = p[finite]
    order = np.argsort(pf, kind="stable")
    ranked = pf[order] * m / np.arange(1, m + 1)
    ranked = np.minimum.accumulate(ranked[::-1])[::-1]
    adjusted = np.empty(m)
    adjusted[order] = np.minimum(ranked, 1.0)
    q[finite] = adjusted
    return q


# -- Gi* -------------------------------------------------------------------------------------


#: The star weights of the last W seen, so that Gi* over several periods with one W builds
#: them once: (the W's id, a weak reference to it, its star W).
_STAR_CACHE: list[tuple[int, Any, Any]] = []


def _star_weights(w: W, lw: Any) -> W:
    """A fresh binary W with each area as its own neighbour (w_ii = 1), built once per W.

    The cached copy is reused only while ``w`` is alive and unchanged in its neighbours
    (checked by identity of the object and equality of its neighbour lists)."""
    for key, ref, star in _STAR_CACHE:
        if key == id(w) and ref() is w and star.sia_source_neighbors == w.neighbors:
            return star
    ids = list(w.id_order)
    star = lw.W(
        {i: [i, *(j for j in w.neighbors[i] if j != i)] for i in ids},
        id_order=ids,
        silence_warnings=True,
    )
    star.sia_source_neighbors = {i: list(n) for i, n in w.neighbors.items()}
    _STAR_CACHE[:] = [(id(w), weakref.ref(w), star)]
    return star


def _check_values(values: object, w: W) -> pd.Series:
    """``values`` as a float Series in ``w.id_order``, or an error naming the fix."""
    if not isinstance(values, pd.Series):
        raise HotspotError(
            "values must be a pandas Series indexed by LSOA code "
            f"(got {type(values).__name__}); e.g. counts.set_index('lsoa_code')['count']"
        )
    if values.index.has_duplicates:
        dups = sorted(map(str, values.index[values.index.duplicated()].unique()))[:5]
        raise HotspotError(
            f"values has more than one row for {', '.join(dups)}; sum them per LSOA first"
        )
    ids = list(w.id_order)
    id_set, given = set(ids), set(values.index)
    missing = [c for c in ids if c not in given]
    extra = [c for c in values.index if c not in id_set]
    if missing:
        raise HotspotError(
            f"values has no entry for {len(missing)} of the {len(ids)} areas of w "
            f"(e.g. {', '.join(map(str, missing[:5]))}); give every area a value, "
            "e.g. values.reindex(w.id_order, fill_value=0) when a missing area had none"
        )
    if extra:
        raise HotspotError(
            f"values has {len(extra)} code(s) that are not areas of w "
            f"(e.g. {', '.join(map(str, extra[:5]))}); check the LSOA vintage or drop them"
        )
    try:
        out = pd.to_numeric(values.reindex(ids), errors="raise").astype(float)
    except (TypeError, ValueError) as exc:
        raise HotspotError(f"values must be numbers (counts, rates or scores): {exc}") from None
    if not np.isfinite(out.to_numpy()).all():
        bad = out.index[~np.isfinite(out.to_numpy())][:5]
        raise HotspotError(
            f"values has missing or infinite entries (e.g. {', '.join(map(str, bad))}); "
            "fill them (0 for no events) or drop the period"
        )
    if (out < 0).any():
        raise HotspotError(
            "values must not be negative: Gi* is defined for counts, rates and scores "
            "with a natural zero (Getis & Ord 1992)"
        )
    if out.sum() <= 0 or out.nunique() < 2:
        raise HotspotError(
            "values are all equal (or all zero), so there is nothing to test; "
            "use a longer period or a wider set of offences"
        )
    return out


def _two_sided_p_sim(observed: np.ndarray, simulated: np.ndarray, permutations: int) -> np.ndarray:
    """Two-sided permutation p-value: ``min(1, (2 m + 1) / (R + 1))``.

    ``m`` is the number of the ``R`` simulated statistics at least as extreme as the
    observed one in its smaller tail, ties counted in both tails. esda 2.9's ``p_sim``
    (alternative "directed") counts ties in the upper tail only, so a low count whose
    simulations often tie with it (common with small counts) gets a far too small p; and
    ``2 m + 1`` rather than ``2 (m + 1)`` counts the observed statistic once (esda PR #281).
    """
    obs = np.asarray(observed, dtype=float)[:, None]
    sims = np.asarray(simulated, dtype=float)
    tol = 1e-10 * np.maximum(np.abs(obs), 1e-300)  # same sums in another order
    upper = (sims >= obs - tol).sum(axis=1)
    lower = (sims <= obs + tol).sum(axis=1)
    return np.minimum(1.0, (2 * np.minimum(upper, lower) + 1) / (permutations + 1))


class GiStar:
    r"""Getis–Ord Gi* for every area, with Benjamini–Hochberg false-discovery-rate control.

    Gi* (Getis & Ord 1992; Ord & Getis 1995) compares the total of an area *and* its
    neighbours with what the district-wide mean would give. With binary weights that
    include the area itself (:math:`w_{ii} = 1`), :math:`W_i = \sum_j w_{ij}`, the mean
    :math:`\bar x` and the population standard deviation
    :math:`S = \sqrt{\sum_j x_j^2 / n - \bar x^2}`,

    .. math::

        z_i = \frac{\sum_j w_{ij} x_j - \bar x\, W_i}
                   {S \sqrt{\big(n \sum_j w_{ij}^2 - W_i^2\big) / (n - 1)}} .

    It is computed by :class:`esda.G_Local` with ``star=True`` and ``transform='B'`` on a
    copy of ``w`` whose diagonal is set to 1. Binary is deliberate: esda's variance
    formula is the binary one, so with ``transform='R'`` its z-scores are not the
    textbook Gi* (for Gi* the z is unchanged by rescaling a row, so binary loses nothing).
    sfhotspot uses binary weights too.

    **Which p-value is adjusted.** By default the analytic two-sided p-value
    :math:`2\,\Phi(-|z_i|)` (``p_norm``), as sfhotspot does (``spdep::localG``, then a
    ``p.adjust`` method): it is deterministic, and it is not bounded below by
    :math:`1/(\text{permutations}+1)`, which with 260 tests and BH makes a permutation
    p-value of 0.001 significant only when six or more areas share it. The permutation
    p-value (``p_sim``, from esda's conditional randomisation: the area's own value held,
    the others shuffled) is kept alongside, two-sided with ties counted in both tails; pass
    ``p_value='sim'`` to adjust that instead when the values are very skewed (a few large
    counts), where the normal approximation is weakest.

    Areas with no neighbour (islands), and any area whose neighbourhood is the whole
    district (zero variance), are left untested: ``z`` and the p-values are missing, the
    classification is ``'none'`` and they are not counted in the BH family.

    Parameters
    ----------
    values : pandas.Series
        One number per area (count, rate or harm score; not negative), indexed by the ids
        of ``w`` (LSOA codes). Every area of ``w`` needs a value.
    w : libpysal.weights.W
        Contiguity between the areas, e.g. from :func:`lsoa_weights`. Only its neighbour
        lists are used (every weight is taken as 1); it is not changed.
    alpha : float
        The false discovery rate (or, with ``fdr=False``, the per-test level). 0.05.
    fdr : bool
        Whether significance is judged on the BH q-value (default) or the raw p-value.
    permutations : int
        Conditional permutations for ``p_sim`` (999); 0 skips them.
    seed : int or None
        Seed of the permutations (:data:`DEFAULT_SEED`); ``None`` draws a fresh one from
        the operating system, kept in :attr:`seed` so the run can be repeated. numpy's
        global random state, which esda reseeds, is restored afterwards.
    p_value : {'norm', 'sim'}
        Which p-value the FDR step uses (see above).

    Attributes
    ----------
    values : pandas.Series
        The values, in ``w.id_order``.
    n : int
        Number of areas.
    G : pandas.Series
        :math:`G^*_i = \sum_j w_{ij} x_j / \sum_j x_j`.
    z : pandas.Series
        The Gi* z-score (esda's ``Zs``).
    p_norm : pandas.Series
        Two-sided analytic p-value, :math:`2\,\Phi(-|z|)`.
    p_sim : pandas.Series or None
        Two-sided permutation p-value, :math:`\min(1, (2m + 1)/(R + 1))` with :math:`m`
        the simulations at least as extreme in the smaller tail (ties in both tails) and
        :math:`R` the permutations; ``None`` when ``permutations=0``. It is *not* esda's
        ``p_sim``, which ignores ties in the lower tail.
    p : pandas.Series
        The p-value used for significance (``p_norm`` or ``p_sim``).
    q : pandas.Series
        Benjamini–Hochberg adjusted ``p`` over the tested areas.
    significant, hot, cold : pandas.Series of bool
        ``q <= alpha`` (``p <= alpha`` with ``fdr=False``); and that with ``z > 0``, or
        ``z < 0``.
    classification : pandas.Series of str
        ``'hot'``, ``'cold'`` or ``'none'``.
    islands : list
        Areas of ``w`` with no neighbour.
    n_tests : int
        Areas tested (the size of the BH family).
    g_local : esda.G_Local
        The underlying esda object, for anything not exposed here.

    Examples
    --------
    A strip of eight squares with high values at one end:

    >>> import pandas as pd
    >>> from shapely.geometry import box
    >>> w = queen_weights({c: box(i, 0, i + 1, 1) for i, c in enumerate("abcdefgh")})
    >>> values = pd.Series([9.0, 10, 8, 1, 0, 1, 0, 1], index=list("abcdefgh"))
    >>> gi = GiStar(values, w)
    >>> gi.z.round(2).tolist()
    [2.13, 2.61, 1.29, -0.37, -1.54, -1.7, -1.54, -1.21]
    >>> gi.p_norm.round(3).tolist()[:2], gi.q.round(3).tolist()[:2]
    ([0.033, 0.009], [0.131, 0.072])

    Eight tests are too few for either to survive the FDR step; judged one by one:

    >>> GiStar(values, w, fdr=False).classification.tolist()
    ['hot', 'hot', 'none', 'none', 'none', 'none', 'none', 'none']

    References
    ----------
    Getis, A. and Ord, J. K. (1992) The analysis of spatial association by use of distance
    statistics. *Geographical Analysis* 24(3), 189–206.

    Ord, J. K. and Getis, A. (1995) Local spatial autocorrelation statistics: distributional
    issues and an application. *Geographical Analysis* 27(4), 286–306.

    Benjamini, Y. and Hochberg, Y. (1995) Controlling the false discovery rate: a practical
    and powerful approach to multiple testing. *JRSS B* 57(1), 289–300.
    """

    def __init__(
        self,
        values: pd.Series,
        w: W,
        alpha: float = 0.05,
        fdr: bool = True,
        permutations: int = 999,
        seed: int | None = DEFAULT_SEED,
        p_value: Literal["norm", "sim"] = "norm",
    ):
        esda, lw = _lazy_pysal()
        if not isinstance(w, lw.W):
            raise HotspotError(
                f"w must be a libpysal.weights.W (got {type(w).__name__}); "
                "build it with lsoa_weights(partnership) or queen_weights(geometries)"
            )
        if isinstance(alpha, bool) or not isinstance(alpha, numbers.Real) or not 0 < alpha < 1:
            raise HotspotError(f"alpha must be a number between 0 and 1, not {alpha!r}")
        if not isinstance(fdr, bool):
            raise HotspotError(f"fdr must be True or False, not {fdr!r}")
        if (
            isinstance(permutations, bool)
            or not isinstance(permutations, numbers.Integral)
            or permutations < 0
        ):
            raise HotspotError(
                f"permutations must be a whole number, 0 or more, not {permutations!r}"
            )
        if p_value not in ("norm", "sim"):
            raise HotspotError(f"p_value must be 'norm' or 'sim', not {p_value!r}")
        if p_value == "sim" and permutations == 0:
            raise HotspotError("p_value='sim' needs permutations; set permutations=999")

        self.values = _check_values(values, w)
        ids = list(w.id_order)
        index = pd.Index(ids, name="lsoa_code")
        self.values.index = index
        self.n = len(ids)
        self.alpha = float(alpha)
        self.fdr = fdr
        self.permutations = int(permutations)
        if seed is None:  # fresh entropy: esda would draw from the global state we restore
            seed = int(np.random.default_rng().integers(0, 2**31 - 1))
        self.seed = seed
        self.p_source = p_value
        self.islands = list(w.islands)

        # A fresh binary W with the focal area as its own neighbour (w_ii = 1). esda
        # sees a non-zero diagonal with star=True and uses it as given.
        star_w = _star_weights(w, lw)
        state = np.random.get_state()
        try:
            with warnings.catch_warnings(), np.errstate(divide="ignore", invalid="ignore"):
                # Zero variance (a neighbourhood that is the whole district) gives 0/0,
                # marked untested below. esda 2.9 warns that its default permutation
                # alternative ("directed") will change; we do not use that p_sim but
                # count the tails ourselves (_two_sided_p_sim).
                warnings.filterwarnings(
                    "ignore", message="The alternative hypothesis", category=DeprecationWarning
                )
                g = esda.G_Local(
                    self.values.to_numpy(),
                    star_w,
                    transform="B",
                    star=True,
                    permutations=self.permutations,
                    keep_simulations=True,
                    n_jobs=1,
                    seed=seed,
                )
        finally:
            np.random.set_state(state)
        self.g_local = g

        untestable = np.zeros(self.n, dtype=bool)
        cardinality = np.array([len(star_w.neighbors[i]) for i in ids])
        untestable |= cardinality <= 1  # islands: only themselves
        untestable |= cardinality >= self.n  # the whole district: zero variance
        untestable |= ~np.isfinite(g.Zs)

        def series(a: np.ndarray) -> pd.Series:
            a = np.asarray(a, dtype=float).copy()
            a[untestable] = np.nan
            return pd.Series(a, index=index)

        self.G = pd.Series(np.asarray(g.Gs, dtype=float), index=index)
        self.z = series(g.Zs)
        self.p_norm = series(2.0 * g.p_norm)  # esda's p_norm is one-tailed: sf(|z|)
        self.p_sim = (
            series(_two_sided_p_sim(g.Gs, g.rGs, self.permutations)) if self.permutations else None
        )
        self.p = self.p_sim if p_value == "sim" else self.p_norm
        self.q = pd.Series(benjamini_hochberg(self.p.to_numpy()), index=index)
        self.n_tests = int((~untestable).sum())
        judged = self.q if fdr else self.p
        self.significant = (judged <= self.alpha).fillna(False).astype(bool)
        self.hot = self.significant & (self.z > 0)
        self.cold = self.significant & (self.z < 0)
        self.classification = pd.Series(
            np.where(self.hot.to_numpy(), "hot", np.where(self.cold.to_numpy(), "cold", "none")),
            index=index,
            dtype=object,
        )

    def to_frame(self) -> pd.DataFrame:
        """One row per area, in ``w.id_order``, with the columns :data:`FRAME_COLUMNS`.

        ``p_value`` is the p-value used for significance (see :attr:`p_source`) and
        ``q_value`` its Benjamini–Hochberg adjustment; ``classification`` is judged on
        ``q_value`` (or on ``p_value`` when ``fdr=False``).
        """
        frame = pd.DataFrame(
            {
                "lsoa_code": self.values.index.astype(str),
                "value": self.values.to_numpy(),
                "gi_z": self.z.to_numpy(),
                "p_value": self.p.to_numpy(),
                "q_value": self.q.to_numpy(),
                "classification": self.classification.to_numpy(),
            }
        )
        frame.attrs.update(
            p_source=self.p_source, alpha=self.alpha, fdr=self.fdr, n_tests=self.n_tests
        )
        return frame[FRAME_COLUMNS]

    def __repr__(self) -> str:
        return (
            f"GiStar(n={self.n}, hot={int(self.hot.sum())}, cold={int(self.cold.sum())}, "
            f"alpha={self.alpha}, fdr={self.fdr}, p={self.p_source!r})"
        )


# -- classification over time ----------------------------------------------------------------


def _proportion(name: str, value: object, *, one_ok: bool) -> None:
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or math.isnan(value):
        raise HotspotError(f"{name} must be a number between 0 and 1, not {value!r}")
    top_ok = value <= 1 if one_ok else value < 1
    if not (value > 0 and top_ok):
        upper = "1 or less" if one_ok else "less than 1"
        raise HotspotError(f"{name} must be greater than 0 and {upper}, not {value!r}")


@dataclass(frozen=True)
class ClassifyParams:
    """The thresholds of :func:`classify_over_time`, checked when made.

    The defaults are sfhotspot's ``hotspot_classify_params()`` (0.1, 0.8, 0.2); the
    significance level (sfhotspot's ``critical_p``, 0.05) is :class:`GiStar`'s ``alpha``.

    Parameters
    ----------
    hotspot_prop : float
        Smallest share of periods in which an area must be hot to be any kind of hotspot
        (intermittent); also the share of older periods below which an area counts as
        "not hot before" (emerging) and of recent periods below which it counts as "not
        hot now" (former). 0.1.
    persistent_prop : float
        Smallest share of all periods hot for a persistent hotspot. 0.8.
    recent_prop : float
        Share of the periods, counted back from the latest, that are "recent":
        ``floor(recent_prop * n_periods)``, at least 1, leaving at least one older
        period. 0.2 (of five years, the latest one).
    emerging_prop : float
        Smallest share of the recent periods hot for an emerging hotspot. 0.2, the value
        sfhotspot's code uses (it compares with ``recent_prop``; its documentation says
        ``hotspot_prop``); with one recent period any value means "hot in it".
    persistent_needs_latest : bool
        Whether a persistent hotspot must also be hot in the latest period (True, as the
        assessment asks: "hot in most periods, including the last"). sfhotspot does not
        require it; set False to match it.
    """

    hotspot_prop: float = 0.1
    persistent_prop: float = 0.8
    recent_prop: float = 0.2
    emerging_prop: float = 0.2
    persistent_needs_latest: bool = True

    def __post_init__(self) -> None:
        _proportion("hotspot_prop", self.hotspot_prop, one_ok=False)
        _proportion("persistent_prop", self.persistent_prop, one_ok=True)
        _proportion("recent_prop", self.recent_prop, one_ok=False)
        _proportion("emerging_prop", self.emerging_prop, one_ok=True)
        if not isinstance(self.persistent_needs_latest, bool):
            raise HotspotError(
                f"persistent_needs_latest must be True or False, not "
                f"{self.persistent_needs_latest!r}"
            )
        if self.hotspot_prop > self.persistent_prop:
            raise HotspotError(
                f"hotspot_prop ({self.hotspot_prop}) must not exceed persistent_prop "
                f"({self.persistent_prop}); lower hotspot_prop or raise persistent_prop"
            )

    def recent_periods(self, n_periods: int) -> int:
        """How many of ``n_periods`` are recent: ``max(1, floor(recent_prop * n))``."""
        if n_periods < 2:
            raise HotspotError(
                f"classification over time needs at least 2 periods (got {n_periods}): "
                "one recent and one older"
            )
        recent = max(1, math.floor(self.recent_prop * n_periods))
        return min(recent, n_periods - 1)


def _sorted_periods(keys: list[Hashable], what: str) -> list[Hashable]:
    try:
        return sorted(keys)
    except TypeError:
        raise HotspotError(
            f"the periods ({what}) cannot be put in order: use keys of one kind that sort "
            "in time order, e.g. years, pandas Periods or '2023-24' labels"
        ) from None


def _flag_table(frames: object) -> pd.DataFrame:
    """Per-period ``'hot'``/``'cold'``/``'none'`` as areas x periods, periods in order."""
    if isinstance(frames, Mapping):
        if not frames:
            raise HotspotError("frames is empty; pass {period: GiStar} for two or more periods")
        periods = _sorted_periods(list(frames), "the keys of frames")
        columns = {}
        index = None
        for period in periods:
            gi = frames[period]
            if not isinstance(gi, GiStar):
                raise HotspotError(
                    f"frames[{period!r}] must be a GiStar (got {type(gi).__name__}); "
                    "or pass a DataFrame of per-period flags"
                )
            if index is None:
                index = gi.classification.index
            elif not gi.classification.index.equals(index):
                raise HotspotError(
                    f"frames[{period!r}] covers other areas than frames[{periods[0]!r}]; "
                    "compute every period with the same weights"
                )
            columns[period] = gi.classification.to_numpy()
        return pd.DataFrame(columns, index=index)

    if isinstance(frames, pd.DataFrame):
        if frames.shape[1] == 0 or frames.shape[0] == 0:
            raise HotspotError("frames has no rows or no columns; rows are areas, columns periods")
        if frames.index.has_duplicates:
            raise HotspotError("frames has an area more than once in its index")
        if frames.isna().to_numpy().any():
            raise HotspotError(
                "frames has missing flags; fill them (False or 'none' when not significant)"
            )
        table = frames[_sorted_periods(list(frames.columns), "the columns of frames")]
        if all(pd.api.types.is_bool_dtype(t) for t in table.dtypes):
            return table.map(lambda hot: "hot" if hot else "none")
        allowed = set(CLASSIFICATIONS)
        seen = set(pd.unique(table.to_numpy().ravel()))
        if not seen <= allowed:
            raise HotspotError(
                f"frames must hold booleans (hot or not) or 'hot'/'cold'/'none' strings; "
                f"found {sorted(map(repr, seen - allowed))[:5]}"
            )
        return table.astype(object)

    raise HotspotError(
        "frames must be a dict {period: GiStar} or a DataFrame of per-period flags "
        f"(areas x periods), not {type(frames).__name__}"
    )


def _pattern(flags: np.ndarray, n_older: int, params: ClassifyParams) -> np.ndarray:
    """The pattern of each row of ``flags`` (areas x periods, True = hot or cold)."""
    n_periods = flags.shape[1]
    share = flags.sum(axis=1) / n_periods
    share_older = flags[:, :n_older].sum(axis=1) / n_older
    share_recent = flags[:, n_older:].sum(axis=1) / (n_periods - n_older)
    latest = flags[:, -1]
    persistent = share >= params.persistent_prop
    if params.persistent_needs_latest:
        persistent &= latest
    emerging = (share_older < params.hotspot_prop) & (share_recent >= params.emerging_prop)
    former = (share_older >= params.hotspot_prop) & (share_recent < params.hotspot_prop)
    intermittent = share >= params.hotspot_prop
    return np.select(
        [persistent, emerging, former, intermittent],
        list(PATTERNS[:4]),
        default="no pattern",
    ).astype(object)


def classify_over_time(
    frames: Mapping[Hashable, GiStar] | pd.DataFrame,
    params: ClassifyParams | None = None,
) -> pd.DataFrame:
    """Classify areas by how their hot- and coldspot status changes over the periods.

    In the spirit of sfhotspot's ``hotspot_classify`` (after Chainey 2020). The periods
    are put in order (sorted keys or columns); the last
    :meth:`ClassifyParams.recent_periods` of them are *recent*, the rest *older*. For hot
    flags, with shares of periods, the first rule that applies gives the pattern:

    1. **persistent**: hot in at least ``persistent_prop`` of all periods (and, by
       default, in the latest);
    2. **emerging**: hot in fewer than ``hotspot_prop`` of the older periods and in at
       least ``emerging_prop`` of the recent ones;
    3. **former**: hot in at least ``hotspot_prop`` of the older periods and in fewer
       than ``hotspot_prop`` of the recent ones;
    4. **intermittent**: hot in at least ``hotspot_prop`` of all periods;
    5. otherwise **no pattern**.

    The same rules on the cold flags give the coldspot pattern. ``hotspot_category``
    combines them as sfhotspot does: ``'<pattern> hotspot'``, ``'<pattern> coldspot'``,
    ``'mixed hot/coldspot'`` (both) or ``'no pattern'``.

    Differences from sfhotspot 1.0.0, all deliberate: significance in each period comes
    from :class:`GiStar` (BH across the areas of that period) rather than a per-area
    adjustment across periods; the recent window is exactly ``recent_periods`` periods
    (sfhotspot's slice takes one more); the emerging threshold is its own parameter; and
    persistence needs the latest period unless ``persistent_needs_latest=False``.

    Parameters
    ----------
    frames : dict {period: GiStar} or pandas.DataFrame
        Either one :class:`GiStar` per period (all on the same weights), or a table with
        one row per area (index: LSOA code) and one column per period holding booleans
        (hot or not; no coldspots then) or ``'hot'``/``'cold'``/``'none'``.
    params : ClassifyParams, optional
        Thresholds; the defaults when omitted.

    Returns
    -------
    pandas.DataFrame
        One row per area, columns :data:`CLASSIFY_COLUMNS`: the number of periods, the
        number hot in all, older and recent periods and whether hot in the latest (and
        the same for cold), ``hot_pattern`` and ``cold_pattern`` (from :data:`PATTERNS`)
        and ``hotspot_category`` (from :data:`HOTSPOT_CATEGORIES`). ``attrs`` records the
        periods, the recent ones and the parameters used.

    Examples
    --------
    >>> import pandas as pd
    >>> flags = pd.DataFrame(
    ...     {2021: [True, False, True], 2022: [True, False, False], 2023: [True, False, False],
    ...      2024: [True, False, False], 2025: [True, True, False]},
    ...     index=["E01000001", "E01000002", "E01000003"])
    >>> classify_over_time(flags)["hotspot_category"].tolist()
    ['persistent hotspot', 'emerging hotspot', 'former hotspot']
    """
    params = ClassifyParams() if params is None else params
    if not isinstance(params, ClassifyParams):
        raise HotspotError(
            f"params must be a ClassifyParams (got {type(params).__name__}); "
            "e.g. ClassifyParams(persistent_prop=0.75)"
        )
    table = _flag_table(frames)
    periods = list(table.columns)
    n_periods = len(periods)
    n_recent = params.recent_periods(n_periods)
    n_older = n_periods - n_recent
    logger.info(
        "hotspot classification: %d periods, the latest %d recent (%s)",
        n_periods,
        n_recent,
        ", ".join(map(str, periods[-n_recent:])),
    )

    out = {"lsoa_code": table.index.astype(str), "n_periods": n_periods}
    for kind in ("hot", "cold"):
        flags = (table == kind).to_numpy()
        out[f"{kind}_periods"] = flags.sum(axis=1)
        out[f"{kind}_older"] = flags[:, :n_older].sum(axis=1)
        out[f"{kind}_recent"] = flags[:, n_older:].sum(axis=1)
        out[f"{kind}_latest"] = flags[:, -1]
        out[f"{kind}_pattern"] = _pattern(flags, n_older, params)
    result = pd.DataFrame(out)
    hot, cold = result["hot_pattern"], result["cold_pattern"]
    result["hotspot_category"] = np.select(
        [(hot != "no pattern") & (cold != "no pattern"), hot != "no pattern", cold != "no pattern"],
        ["mixed hot/coldspot", hot + " hotspot", cold + " coldspot"],
        default="no pattern",
    ).astype(object)
    result.attrs.update(
        periods=periods,
        recent_periods=periods[-n_recent:],
        params=asdict(params),
    )
    return result[CLASSIFY_COLUMNS]
