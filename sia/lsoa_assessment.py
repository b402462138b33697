"""LSOA-level parts of the assessment: hotspots and deprivation, per measure.

Hotspots: Getis-Ord Gi* of each measure over the district's LSOAs.

For every measure with events at LSOA level, the rate per 1,000 residents of each LSOA in
the assessment period is tested with :class:`sia.analysis.hotspots.GiStar` (queen
contiguity, Benjamini-Hochberg control at the partnership's significance level), and each
LSOA's pattern over the yearly periods of the whole history is classified with
:func:`sia.analysis.hotspots.classify_over_time` (emerging, persistent, intermittent,
former). Where LSOA population is missing, counts are used and the result says so.

Deprivation: each measure's rate by IMD decile, the share of its events in the 20% most
deprived LSOAs against their share of residents, and the rank correlation of LSOA rates
with the IMD score (:class:`sia.analysis.deprivation.DeprivationProfile`), with the latest
IMD the shipped geography has for the LSOAs' vintage.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pandas as pd

from sia.config import Partnership
from sia.months import add_months, month_range, months_between
from sia.warehouse import Warehouse

HOTSPOT_SEED = 20261128


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
    deciles = {
        r["lsoa_code"]: int(r["imd_decile"])
        for r in _latest_imd(wh, vintage)
        if r["imd_decile"] is not None
    }
    start, end = period
    length = months_between(start, end)
    windows = [
        (add_months(start, -length * k), add_months(end, -length * k))
        for k in range(years - 1, -1, -1)
    ]
    earliest = min(lsoa_counts["month"])
    windows = [(a, b) for a, b in windows if a >= earliest] or [(start, end)]

    # Every measure's count per LSOA in every window, from one groupby (the windows do not
    # overlap; the last is the assessment period itself).
    window_of = {m: i for i, (a, b) in enumerate(windows) for m in month_range(a, b)}
    window = lsoa_counts["month"].map(window_of)
    in_window = lsoa_counts[window.notna()].assign(window=window.dropna().astype(int))
    sums = in_window.groupby(["measure_id", "window", "area_code"])["count"].sum()

    def values(measure_id: str, window: int) -> pd.Series:
        try:
            counts = sums.loc[(measure_id, window)]
        except KeyError:
            counts = pd.Series(dtype="int64")
        counts = counts.reindex(ids, fill_value=0).astype(float)
        return counts / population * 1000 if per_head else counts

    current_window = windows.index((start, end))
    results = []
    for measure_id, frame in lsoa_counts.groupby("measure_id", sort=True):
        current = values(measure_id, current_window)
        outside = int(frame.loc[~frame["area_code"].isin(ids), "count"].sum())
        if current.sum() == 0:
            continue
        per_period = {
            f"{a:%Y-%m}": GiStar(
                values(measure_id, i), w, alpha=alpha, permutations=0, seed=HOTSPOT_SEED
            )
            for i, (a, b) in enumerate(windows)
        }
        gi_now = per_period[f"{start:%Y-%m}"]
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
    latest = wh.latest_population(("lsoa",), vintage)
    return pd.Series({code: n for (_, code), n in latest.items()}, dtype=float)


def _latest_imd(wh: Warehouse, vintage: int) -> list[dict[str, Any]]:
    """The latest IMD edition the geography has for each LSOA of ``vintage``."""
    return wh.rows(
        "SELECT lsoa_code, imd_year, imd_decile, imd_score FROM deprivation "
        "WHERE lsoa_vintage = ? "
        "QUALIFY row_number() OVER (PARTITION BY lsoa_code ORDER BY imd_year DESC) = 1",
        [vintage],
    )


def measure_deprivation(
    wh: Warehouse, lsoa_counts: pd.DataFrame, period: tuple[date, date]
) -> dict[str, dict[str, Any]]:
    """{measure_id: deprivation profile of the period's events}, for measures with events
    at LSOA level. LSOA codes are taken in the vintage most of the events use."""
    from sia.analysis.deprivation import DeprivationProfile

    if lsoa_counts.empty:
        return {}
    start, end = period
    inside = lsoa_counts[(lsoa_counts["month"] >= start) & (lsoa_counts["month"] <= end)]
    vintages = {
        r["lsoa_code"]: r["lsoa_vintage"]
        for r in wh.rows("SELECT DISTINCT lsoa_code, lsoa_vintage FROM lsoa_lookup")
    }
    used = inside["area_code"].map(vintages).value_counts()
    vintage = int(used.idxmax()) if not used.empty else 2021
    population = _lsoa_population(wh, vintage)
    imd = _latest_imd(wh, vintage)
    decile = pd.Series({r["lsoa_code"]: r["imd_decile"] for r in imd}, dtype=float)
    score = pd.Series({r["lsoa_code"]: r["imd_score"] for r in imd}, dtype=float)
    imd_year = max((r["imd_year"] for r in imd), default=None)
    if population.empty or decile.empty:
        return {}
    out = {}
    for measure_id, frame in inside.groupby("measure_id", sort=True):
        counts = frame.groupby("area_code")["count"].sum()
        counts = counts.reindex(population.index.union(counts.index), fill_value=0)
        profile = DeprivationProfile(counts, population, decile, score=score)
        by_decile = profile.by_decile.astype(object).where(profile.by_decile.notna(), None)
        out[str(measure_id)] = {
            "imd_year": imd_year,
            "lsoa_vintage": vintage,
            "share_most_deprived": _round(profile.share_most_deprived),
            "population_share_most_deprived": _round(profile.population_share_most_deprived),
            "over_representation": _round(profile.over_representation),
            "rate_ratio_1_10": _round(profile.rate_ratio_1_10),
            "concentration_index": _round(profile.concentration_index),
            "spearman_rho": _round(profile.spearman_rho),
            "spearman_p": _round(profile.spearman_p, 6),
            "spearman_against": profile.spearman_against,
            "by_decile": by_decile.to_dict(orient="records"),
            "events_not_placed": int(profile.unmatched.sum()),
        }
    return out


def _round(value: Any, digits: int = 4) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return None if number != number else round(number, digits)
