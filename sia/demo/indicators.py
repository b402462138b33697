"""Partner indicators for the Kirklees demo pack (``sia ingest indicator`` format).

Every indicator the partnership declares gets five years of figures, with the trend the
plan's section 4.2 describes: Prevent meeting expectations (stable), asylum arrivals
stable, water incidents stable with a summer peak, children at risk of exploitation
falling, reoffending, treatment and the residents' survey steady with noise. All values are
generated; none is a real figure.
"""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import numpy as np

from sia.config import Partnership
from sia.months import add_months, month_end

SOURCE = "indicator"


def _quarters(end: date, years: int = 5) -> list[tuple[date, date]]:
    """The whole calendar quarters of the ``years`` years ending at ``end``."""
    start_year = end.year - years
    out = []
    for year in range(start_year, end.year + 1):
        for q in range(4):
            first = date(year, 3 * q + 1, 1)
            last = month_end(date(year, 3 * q + 3, 1))
            if first >= date(end.year - years, end.month, 1) and last <= end:
                out.append((first, last))
    return out


def _months(end: date, years: int = 5) -> list[tuple[date, date]]:
    """The ``12 * years`` whole months ending with ``end``'s month."""
    first = add_months(date(end.year - years, end.month, 1), 1)
    return [(m, month_end(m)) for m in (add_months(first, i) for i in range(12 * years))]


def write_indicator_sources(
    out_dir: Path, partnership: Partnership, seed: int, end: date
) -> dict[str, list[Path]]:
    """Write ``<out_dir>/indicator/indicators.csv``; returns {"indicator": [file]}."""
    from sia.sources import REGISTRY

    [fmt] = REGISTRY[SOURCE].formats().values()
    rng = np.random.default_rng([seed, 7])
    district = partnership.district.code
    declared = {i.id for i in partnership.indicators}
    quarters = _quarters(end)
    months = _months(end)
    rows: list[dict] = []

    def add(indicator: str, first: date, last: date, area: str, value, denominator=None):
        if indicator in declared:
            rows.append(
                {
                    "indicator_id": indicator,
                    "period_start": first.isoformat(),
                    "period_end": last.isoformat(),
                    "area_code": area,
                    "value": value,
                    "denominator": "" if denominator is None else denominator,
                }
            )

    n = len(quarters)
    for i, (first, last) in enumerate(quarters):
        add("prevent-referrals", first, last, district, int(rng.poisson(14)))
        summer = 1.8 if first.month in (4, 7) else 0.7
        add("water-incidents", first, last, district, int(rng.poisson(6 * summer)))
        # numbers at risk falling: from about 62 to about 44 a quarter
        add(
            "children-at-risk-of-exploitation",
            first,
            last,
            district,
            int(rng.poisson(62 - 18 * i / max(n - 1, 1))),
        )
        cohort = int(rng.integers(760, 840))
        add(
            "proven-reoffending-rate",
            first,
            last,
            district,
            round(float(rng.binomial(cohort, 0.255)) / cohort * 100, 1),
            cohort,
        )
        add("substance-misuse-treatment", first, last, district, int(rng.normal(1860, 35)))
    for first, last in months:
        for place in partnership.places:
            weight = 2.0 if place.name == "Huddersfield" else 1.0
            add("asylum-arrivals", first, last, place.name, int(rng.poisson(9 * weight)))
            add("asylum-dispersals", first, last, place.name, int(rng.poisson(4 * weight)))
    for year in range(end.year - 5, end.year):
        first, last = date(year, 1, 1), date(year, 12, 31)
        for place in partnership.places:
            answered = int(rng.integers(420, 560))
            share = 0.62 - 0.01 * (year - (end.year - 5))  # slowly falling
            add(
                "feel-safe-after-dark",
                first,
                last,
                place.name,
                round(rng.binomial(answered, share) / answered * 100, 1),
                answered,
            )

    folder = Path(out_dir) / SOURCE
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "indicators.csv"
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(fmt.headers), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return {SOURCE: [path]}
