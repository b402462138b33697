"""How fast ``sia`` places points in LSOAs, against two baselines, in one run.

This is a measurement, not a test: it prints figures and asserts nothing about timings.

1. Draws ``--points`` random points (seeded, uniform) in the bounding box of Kirklees's
   shipped LSOA 2021 boundaries; about half fall inside the district.
2. Times, best of ``--repeat`` runs each:

   - ``sia lon/lat``: :meth:`PointLocator.locate_lonlat` on all the points (the thing
     measured);
   - ``sia BNG``: the same points converted to British National Grid beforehand, then
     :meth:`PointLocator.locate_bng` (so the BNG -> WGS84 conversion is included);
   - ``STRtree predicate``: the straightforward vectorised use of shapely,
     ``STRtree(polygons).query(points, predicate="intersects")`` plus a lowest-index
     reduction, on all the points (point creation included);
   - ``naive loop``: for each of ``--sample`` points, a Python loop over the polygons
     calling ``polygon.contains(point)`` until one holds it, timed once and extrapolated
     linearly to ``--points``.

   It also checks that all four give the same LSOA for the sample.
3. Prints the machine, a Markdown table (method, points, seconds, points/s) and sia's
   speed-up over each baseline.

Usage::

    .venv/bin/python benchmarks/points.py                     # 1,000,000 points
    .venv/bin/python benchmarks/points.py --points 5000000 --repeat 3
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time
from collections.abc import Callable

import numpy as np
import shapely

from sia.config import load_partnership
from sia.geography.points import PointLocator, lonlat_to_bng


def _best(fn: Callable[[], object], repeat: int) -> tuple[float, object]:
    best, out = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - start)
    return best, out


def _strtree_predicate(tree: shapely.STRtree, codes: np.ndarray, x, y) -> np.ndarray:
    pt, poly = tree.query(shapely.points(x, y), predicate="intersects")
    idx = np.full(x.shape, len(codes), dtype=np.intp)
    np.minimum.at(idx, pt, poly)
    return np.append(codes, None)[idx]


def _naive(polygons: list, codes: list[str], x, y) -> np.ndarray:
    out = np.full(len(x), None, dtype=object)
    for i, (px, py) in enumerate(zip(x, y, strict=True)):
        point = shapely.Point(px, py)
        for code, polygon in zip(codes, polygons, strict=True):
            if polygon.contains(point):
                out[i] = code
                break
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--points", type=int, default=1_000_000)
    parser.add_argument("--sample", type=int, default=10_000, help="points for the naive loop")
    parser.add_argument("--repeat", type=int, default=1, help="runs of each timed method")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)

    locator = PointLocator.for_partnership(load_partnership("kirklees"))
    codes = np.array(locator.codes, dtype=object)
    # Fresh, unprepared copies for the baselines (the locator prepares its own).
    polygons = [shapely.from_wkb(shapely.to_wkb(p)) for p in locator._polygons]
    tree = shapely.STRtree(polygons)
    minx, miny, maxx, maxy = shapely.total_bounds(polygons)

    rng = np.random.default_rng(args.seed)
    x = rng.uniform(minx, maxx, args.points)
    y = rng.uniform(miny, maxy, args.points)
    e, n = lonlat_to_bng(x, y)

    print(
        f"machine: {os.cpu_count()} cores, {platform.platform()}, Python {sys.version.split()[0]}"
    )
    print(
        f"shapely {shapely.__version__} (GEOS {shapely.geos_version_string}), "
        f"numpy {np.__version__}"
    )
    print(
        f"Kirklees LSOA 2021: {len(codes)} polygons, "
        f"{int(shapely.get_num_coordinates(polygons).sum()):,} vertices; "
        f"{args.points:,} points in the bounding box (seed {args.seed})"
    )

    rows = []
    t_sia, got = _best(lambda: locator.locate_lonlat(x, y), args.repeat)
    rows.append(("sia lon/lat (`locate_lonlat`)", args.points, t_sia))
    t_bng, got_bng = _best(lambda: locator.locate_bng(e, n), args.repeat)
    rows.append(("sia BNG (`locate_bng`, conversion included)", args.points, t_bng))
    t_tree, got_tree = _best(lambda: _strtree_predicate(tree, codes, x, y), args.repeat)
    rows.append(('STRtree `query(predicate="intersects")`', args.points, t_tree))
    k = min(args.sample, args.points)
    t_naive, got_naive = _best(lambda: _naive(polygons, list(codes), x[:k], y[:k]), 1)
    t_naive_all = t_naive * args.points / k
    rows.append((f"naive loop ({k:,} points, extrapolated)", args.points, t_naive_all))

    inside = np.count_nonzero(np.not_equal(got, None))
    print(f"inside Kirklees: {inside:,} of {args.points:,} ({inside / args.points:.1%})")
    print()
    print("| method | points | seconds | points/s |")
    print("| --- | ---: | ---: | ---: |")
    for name, count, seconds in rows:
        print(f"| {name} | {count:,} | {seconds:.2f} | {count / seconds:,.0f} |")
    print()
    print(
        f"sia lon/lat is {t_tree / t_sia:.1f}x the STRtree predicate query and "
        f"{t_naive_all / t_sia:,.0f}x the naive loop."
    )

    agree = (
        np.array_equal(got[:k], got_naive)
        and np.array_equal(got, got_tree)
        and np.array_equal(got, got_bng)
    )
    differ_bng = np.count_nonzero(got != got_bng)
    print(
        f"same LSOA from all methods: {'yes' if agree else 'NO'} "
        f"(naive sample vs sia: {np.count_nonzero(got[:k] != got_naive)} differ; "
        f"STRtree vs sia: {np.count_nonzero(got != got_tree)}; BNG vs lon/lat: {differ_bng})"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
