"""Hotspots for the assessment: Getis-Ord Gi* of each measure over the district's LSOAs.

For every measure with events at LSOA level, the rate per 1,000 residents of each LSOA in
the assessment period is tested with :class:`sia.analysis.hotspots.GiStar` (queen
contiguity, Benjamini-Hochberg control at the partnership's significance level), and each
LSOA's pattern over the yearly periods of the whole history is classified with
:func:`sia.analysis.hotspots.classify_over_time` (emerging, persistent, intermittent,
former). Where LSOA population is missing, counts are used and the result says so.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pandas as pd

from sia.config import Partnership
from sia.warehouse import Warehouse

HOTSPOT_SEED = 20261128


def _add_months(month: date, n: int) -> date:
    index = month.year * 12 + month.month - 1 + n
    return date(index // 12, index % 12 + 1, 1)


def measure_hotspots(
    wh: Warehouse,
    partnership: Partnership,
    lsoa_counts: pd.DataFrame,
    period: tuple[date, date],
    alpha: float,
    years: int = 5,
) -> list[dict[str, Any]]:
    """One entry per measure: its hot and cold LSOAs now and their pattern over time.

    ``lsoa_counts`` has the columns of :func:`sia.queries.monthly_counts` at LSOA level
    (``measure_id, month, area_code, count``).
    """
    from sia.analysis.hotspots import GiStar, HotspotError, classify_over_time, lsoa_weights
    from sia.geography import GeographyError

    if lsoa_counts.empty:
        return []
    try:
        w, vintage = lsoa_weights(partnership, vintage=2021), 2021
    except (GeographyError, HotspotError):
        w, vintage = lsoa_weights(partnership, vintage=2011), 2011
    ids = [str(i) for i in w.id_order]
    population = _lsoa_population(wh, vintage).reindex(ids)
    per_head = bool(population.notna().all() and (population > 0).all())
    lookup = {
        r["lsoa_code"]: r
        for r in wh.rows(
            "SELECT DISTINCT ON (lsoa_code) lsoa_code, ward_code, place FROM lsoa_lookup "
            "ORDER BY lsoa_code, lsoa_vintage DESC"
        )
    }
    deciles = _deciles(wh, vintage)
    start, end = period
    length = (end.year - start.year) * 12 + end.month - start.month + 1
    windows = [
        (_add_months(start, -length * k), _add_months(end, -length * k))
        for k in range(years - 1, -1, -1)
    ]
    earliest = min(lsoa_counts["month"])
    windows = [(a, b) for a, b in windows if a >= earliest] or [(start, end)]

    def values(frame: pd.DataFrame, a: date, b: date) -> pd.Series:
        inside = frame[(frame["month"] >= a) & (frame["month"] <= b)]
        counts = inside.groupby("area_code")["count"].sum().reindex(ids, fill_value=0)
        counts = counts.astype(float)
        return counts / population * 1000 if per_head else counts

    results = []
    for measure_id, frame in lsoa_counts.groupby("measure_id", sort=True):
        current = values(frame, start, end)
        outside = int(frame.loc[~frame["area_code"].isin(ids), "count"].sum())
        if current.sum() == 0:
            continue
        gi_now = GiStar(current, w, alpha=alpha, permutations=0, seed=HOTSPOT_SEED)
        per_period = {
            f"{a:%Y-%m}": GiStar(
                values(frame, a, b), w, alpha=alpha, permutations=0, seed=HOTSPOT_SEED
            )
            for a, b in windows
        }
        patterns = (
            classify_over_time(per_period).set_index("lsoa_code") if len(per_period) > 1 else None
        )
        now = gi_now.to_frame().set_index("lsoa_code")
        listed = now[now["classification"] != "none"]
        areas = []
        for code, row in listed.sort_values("gi_z", ascending=False).iterrows():
            place = lookup.get(code, {})
            areas.append(
                {
                    "lsoa_code": code,
                    "ward_code": place.get("ward_code"),
                    "place": place.get("place"),
                    "value": round(float(row["value"]), 3),
                    "gi_z": round(float(row["gi_z"]), 3),
                    "q_value": float(row["q_value"]),
                    "classification": row["classification"],
                    "pattern": (
                        patterns.loc[code, "hotspot_category"] if patterns is not None else None
                    ),
                    "imd_decile": deciles.get(code),
                }
            )
        hot = [a for a in areas if a["classification"] == "hot"]
        in_deprived = [a for a in hot if a["imd_decile"] is not None and a["imd_decile"] <= 2]
        results.append(
            {
                "measure_id": measure_id,
                "value": "rate per 1,000 residents" if per_head else "count",
                "lsoa_vintage": vintage,
                "periods": [f"{a:%Y-%m}:{b:%Y-%m}" for a, b in windows],
                "hot": len(hot),
                "cold": len(areas) - len(hot),
                "hot_in_most_deprived_fifth": len(in_deprived),
                "events_outside_the_lsoas_tested": outside,
                "areas": areas,
            }
        )
    return results


def _lsoa_population(wh: Warehouse, vintage: int) -> pd.Series:
    rows = wh.rows(
        "SELECT area_code, population FROM population WHERE area_type = 'lsoa' "
        "AND lsoa_vintage = ? "
        "QUALIFY row_number() OVER (PARTITION BY area_code ORDER BY year DESC) = 1",
        [vintage],
    )
    return pd.Series({r["area_code"]: float(r["population"]) for r in rows}, dtype=float)


def _deciles(wh: Warehouse, vintage: int) -> dict[str, int]:
    rows = wh.rows(
        "SELECT lsoa_code, imd_decile FROM deprivation WHERE lsoa_vintage = ? "
        "QUALIFY row_number() OVER (PARTITION BY lsoa_code ORDER BY imd_year DESC) = 1",
        [vintage],
    )
    return {r["lsoa_code"]: int(r["imd_decile"]) for r in rows if r["imd_decile"] is not None}
