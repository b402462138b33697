"""The partner-data half of the Kirklees demo pack: five years of realistic partner files.

:func:`write_event_sources` writes, in each source's exact registered format (headers are
taken from :data:`sia.sources.REGISTRY`, never retyped), the files a Kirklees analyst
would receive over the 60 whole months ending at a given date:

========================  ===============================================================
``police-uk/``            monthly West Yorkshire street-level files, police.uk layout
``force-extract/``        the force's offence-level extract (the same crimes), per year
``asb-council/``          council ASB and environmental reports, per year
``fire/``                 fire and rescue incidents, per year
``health-istv/``          emergency department assault attendances (ISTV), per year
``stats19/``              DfT collisions, casualties and vehicles, per calendar year
========================  ===============================================================

What is real and what is generated
----------------------------------
Real (copied into ``sia/data/demo`` by ``scripts/build_demo_data.py``, see its README):
the LSOA crime rates of the IoD2025 crime domain (which LSOAs see more of which crime),
Kirklees fly-tipping volumes and mixes from Defra, the nearest LSOAs of the neighbouring
West Yorkshire districts, and the DfT STATS19 2024 Kirklees collisions, written back
unchanged as the 2024 files. Also real, from the shipped geography: LSOA 2021 boundaries,
wards, population (mid-2020) and IMD 2025 scores.

Everything else is generated: counts are Poisson draws around a deliberate monthly level
(an annual volume, a yearly trend, a seasonal profile and a little month-to-month noise)
shared out between LSOAs by the real crime rate of the matching IoD2025 indicator times
population, tilted further towards deprived LSOAs. The deliberate trends are the story of
section 4.2 of the Kirklees SIA outline; ``docs/demo-pack.md`` (section *Partner data*)
lists each one and how it is made.

The same seed, end date and partnership always give byte-identical files.
"""

from __future__ import annotations

import calendar
import csv
import datetime as dt
import hashlib
import json
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd
import shapely
from shapely.geometry import shape

from sia.geography import CODE_PROPERTY, Geography
from sia.geography.points import PointLocator, lonlat_to_bng
from sia.offences import all_offences
from sia.sources import REGISTRY

__all__ = ["MONTHS", "SOURCES", "window", "write_event_sources"]

#: Months of data written, ending with the last whole month on or before ``end``.
MONTHS = 60
#: The sources written, in order.
SOURCES = ("police-uk", "force-extract", "asb-council", "fire", "health-istv", "stats19")
KIRKLEES = "E08000034"
FORCE = "West Yorkshire Police"

# -- the story: every deliberate trend of the demo (docs/demo-pack.md, Partner data) ---------
# Growth rates are per year; counts are for the first 12 months of the window.

#: Homicides (murder, manslaughter) and attempted murders in each 12-month block: steady,
#: then rising sharply in the latest year, so that the harm of serious violence rises while
#: its count falls (the seed's "fewer offences, graver ones"; with weights of about 8,000
#: and 4,700 days, a rise much smaller than this is within Poisson noise).
HOMICIDES = (5, 4, 6, 5, 12)
ATTEMPTED_MURDERS = (12, 11, 13, 12, 32)
#: Modern slavery (106) and youth exploitation (71, 88A) per 12 months: stable (each block
#: adds -1, 0 or +1 at random).
MODERN_SLAVERY = 15
CHILD_SEXUAL_EXPLOITATION = 22
SEXUAL_GROOMING = 30
#: Domestic abuse: crimes in the first 12 months and their yearly change, and the mean
#: number of further crimes against the same victim within the following 11 months, at the
#: start and at the end of the window (so repeat victims fall faster than crimes).
DA_CRIMES, DA_GROWTH = 5800, -0.05
DA_REPEATS_START, DA_REPEATS_END = 0.62, 0.38
#: Hate crime: share of eligible crimes with a hate strand in the first 12 months (by
#: offence group) and its yearly change.
HATE_SHARE = {"public_order": 0.09, "violence": 0.07, "harassment": 0.05, "damage": 0.04}
HATE_GROWTH = -0.08
#: Police-recorded ASB: incidents in the first 12 months and yearly change. Environmental
#: ASB and deliberate secondary fires rise (see COUNCIL_STREAMS, FLYTIPPING_GROWTH and
#: FIRE_STREAMS below).
ASB_POLICE, ASB_GROWTH = 7500, -0.08
#: Spikes in neighbourhood crime: (ward, month index in the window, extra crimes, codes).
BURGLARY_SPIKE = ("Lindley", (46,), (42,), {"28E": 0.9, "28F": 0.1})
CAR_THEFT_SPIKE = ("Dewsbury East", (53, 54), (45, 28), {"48": 0.8, "126": 0.2})
#: Road casualties: yearly change of the collisions resampled from the real 2024 ones, and
#: the extra yearly weight of killed-or-seriously-injured collisions in earlier years.
ROAD_GROWTH, KSI_TILT = -0.07, 0.04

# -- seasonal profiles (Jan..Dec, scaled to mean 1 when used) -------------------------------
FLAT = (1,) * 12
SUMMER = (0.78, 0.8, 0.92, 1.0, 1.12, 1.18, 1.24, 1.2, 1.05, 1.02, 0.92, 0.77)
SUMMER_MILD = (0.9, 0.9, 0.97, 1.0, 1.06, 1.08, 1.1, 1.08, 1.0, 1.0, 0.96, 0.95)
WINTER = (1.22, 1.08, 0.98, 0.88, 0.84, 0.8, 0.84, 0.88, 0.96, 1.08, 1.18, 1.26)
AUTUMN = (1.05, 0.98, 0.95, 0.92, 0.92, 0.92, 0.95, 0.98, 1.02, 1.08, 1.12, 1.1)
DECEMBER = (0.95, 0.9, 0.97, 0.96, 0.98, 0.96, 0.98, 0.98, 0.98, 1.02, 1.08, 1.24)
ASB_SEASON = (0.72, 0.74, 0.88, 1.0, 1.12, 1.2, 1.3, 1.24, 1.0, 1.04, 1.06, 0.7)
FIRE_SECONDARY = (0.6, 0.7, 1.2, 1.6, 1.4, 1.1, 1.2, 1.1, 0.8, 0.9, 1.25, 0.6)


@dataclass(frozen=True)
class _Stream:
    """One family of police-recorded crimes: volume, trend, season, where, which codes."""

    name: str
    annual: float
    growth: float
    season: tuple[float, ...]
    weights: str
    codes: dict[str, float]


# Volumes are set so that Kirklees has about 46,000 police.uk rows in the first year
# (crimes and ASB), in line with its share of West Yorkshire's published street files.
CRIME_STREAMS = (
    _Stream(
        "violence",
        5404,
        -0.09,
        SUMMER_MILD,
        "violence",
        {
            "8N": 0.30,
            "105A": 0.52,
            "8S": 0.03,
            "104": 0.06,
            "3B": 0.035,
            "36": 0.005,
            "13": 0.003,
            "11A": 0.012,
        },
    ),
    # sexual offences, stalking and harassment outside domestic abuse: VAWG rises
    _Stream(
        "vawg",
        3800,
        0.10,
        FLAT,
        "stalking",
        {
            "8L": 0.30,
            "8R": 0.22,
            "8Q": 0.12,
            "20A": 0.09,
            "19C": 0.05,
            "88E": 0.04,
            "22B": 0.03,
            "19D": 0.02,
            "20B": 0.02,
            "17A": 0.015,
            "21": 0.015,
            "22A": 0.015,
            "19F": 0.01,
            "88C": 0.02,
            "23": 0.005,
            "19E": 0.01,
            "70": 0.005,
            "73": 0.005,
            "19G": 0.005,
            "17B": 0.005,
        },
    ),
    _Stream("robbery", 390, -0.07, WINTER, "robbery", {"34B": 0.9, "34A": 0.1}),
    _Stream(
        "weapons",
        480,
        -0.12,
        FLAT,
        "public_order",
        {"10D": 0.55, "10C": 0.2, "90": 0.1, "10B": 0.08, "81": 0.05, "10A": 0.02},
    ),
    _Stream(
        "burglary",
        2700,
        -0.05,
        WINTER,
        "burglary",
        {"28E": 0.62, "28F": 0.07, "28G": 0.01, "29A": 0.01, "30C": 0.24, "30D": 0.05},
    ),
    _Stream(
        "vehicle", 2700, -0.05, AUTUMN, "theft", {"45": 0.48, "48": 0.3, "126": 0.17, "37.2": 0.05}
    ),
    _Stream("theft_person", 260, -0.03, DECEMBER, "centre", {"39": 1.0}),
    _Stream("bicycle", 230, -0.03, SUMMER, "theft", {"44": 1.0}),
    _Stream("shoplifting", 3100, 0.05, DECEMBER, "centre", {"46": 1.0}),
    _Stream(
        "other_theft",
        2900,
        -0.03,
        FLAT,
        "theft",
        {
            "49": 0.7,
            "49A": 0.12,
            "40": 0.06,
            "41": 0.03,
            "47": 0.02,
            "35": 0.03,
            "42": 0.02,
            "43": 0.02,
        },
    ),
    _Stream(
        "criminal_damage",
        4000,
        -0.03,
        AUTUMN,
        "criminal_damage",
        {"58A": 0.33, "58C": 0.3, "58B": 0.1, "58D": 0.22, "56B": 0.04, "56A": 0.01},
    ),
    _Stream(
        "public_order",
        4100,
        -0.02,
        SUMMER_MILD,
        "public_order",
        {"9A": 0.96, "66": 0.03, "62A": 0.01},
    ),
    _Stream("drugs", 1150, 0.0, FLAT, "drugs", {"92E": 0.55, "92D": 0.2, "92A": 0.22, "92C": 0.03}),
    _Stream(
        "other_crime",
        1100,
        0.0,
        FLAT,
        "violence",
        {
            "802": 0.12,
            "83": 0.18,
            "54": 0.08,
            "99": 0.12,
            "59": 0.15,
            "33": 0.05,
            "79": 0.05,
            "95": 0.05,
            "61": 0.03,
            "61A": 0.04,
            "33A": 0.03,
            "27": 0.02,
            "86": 0.08,
        },
    ),
    # grievous bodily harm and endangering life hold steady while lesser violence falls (last,
    # so that the other streams keep their random draws)
    _Stream("serious_assault", 196, 0.0, SUMMER_MILD, "violence", {"5D": 0.86, "5E": 0.14}),
)
#: Offences of domestic abuse crimes (a DA crime is on police.uk under its code's type).
DA_CODES = {
    "8N": 0.26,
    "105A": 0.38,
    "8L": 0.07,
    "8Q": 0.06,
    "8R": 0.03,
    "3B": 0.035,
    "19C": 0.02,
    "20A": 0.01,
    "5D": 0.008,
    "11A": 0.01,
    "36": 0.002,
    "58A": 0.07,
    "9A": 0.045,
}
#: Chance that the victim is female, by offence (0.35 where not listed; 0.8 for DA).
FEMALE = {
    **dict.fromkeys(["19C", "19D", "19E", "20A", "20B", "19J"], 1.0),
    **dict.fromkeys(["17A", "17B", "19F", "19G", "19H", "19K"], 0.0),
    "88E": 0.9,
    "22B": 0.85,
    "21": 0.8,
    "22A": 0.8,
    "88C": 0.7,
    "23": 0.75,
    "70": 0.7,
    "73": 0.75,
    "71": 0.8,
    "88A": 0.8,
    "8L": 0.68,
    "8R": 0.66,
    "8Q": 0.8,
    "8M": 0.5,
}
#: Offences counted as VAWG when the victim is a woman or girl (with every DA crime).
VAWG_EXTRA = ("8L", "8M", "8Q", "8R")
#: Hate crime: eligible offences by group, and the racially or religiously aggravated
#: offence a race or religion hate crime is recorded as.
HATE_GROUPS = {
    "public_order": ("9A",),
    "violence": ("8N", "105A", "3B"),
    "harassment": ("8L", "8R"),
    "damage": ("58A", "58B", "58C", "58D"),
}
AGGRAVATED = {
    "9A": "9B",
    "8N": "8P",
    "105A": "105B",
    "8L": "8M",
    **dict.fromkeys(["58A", "58B", "58C", "58D"], "58J"),
}
HATE_STRANDS = {
    "race": 0.7,
    "religion": 0.08,
    "sexual_orientation": 0.1,
    "disability": 0.07,
    "transgender": 0.03,
    "multiple": 0.02,
}
#: Chance of the knife flag, by offence.
KNIFE = {
    "1": 0.45,
    "4.1": 0.3,
    "2": 0.55,
    "5D": 0.35,
    "5E": 0.2,
    "8N": 0.05,
    "8P": 0.05,
    "3B": 0.08,
    "34A": 0.3,
    "34B": 0.25,
    "10D": 1.0,
    "90": 1.0,
}
#: Offences whose victim is a person (a victim_id is given).
NO_VICTIM_TYPES = ("Drugs", "Possession of weapons", "Public order", "Other crime", "Shoplifting")

# -- police.uk outcomes ------------------------------------------------------------------
_OUTCOMES = {
    "theft": {
        "Investigation complete; no suspect identified": 0.62,
        "Unable to prosecute suspect": 0.15,
        "Status update unavailable": 0.05,
        "Court result unavailable": 0.04,
        "Local resolution": 0.03,
        "Offender given a caution": 0.01,
        "Formal action is not in the public interest": 0.01,
        "Further investigation is not in the public interest": 0.03,
        "Awaiting court outcome": 0.02,
        "Action to be taken by another organisation": 0.02,
        "Suspect charged as part of another case": 0.02,
    },
    "violence": {
        "Unable to prosecute suspect": 0.55,
        "Investigation complete; no suspect identified": 0.12,
        "Court result unavailable": 0.08,
        "Local resolution": 0.05,
        "Offender given a caution": 0.03,
        "Status update unavailable": 0.05,
        "Further action is not in the public interest": 0.04,
        "Formal action is not in the public interest": 0.02,
        "Awaiting court outcome": 0.04,
        "Action to be taken by another organisation": 0.02,
    },
    "shoplifting": {
        "Investigation complete; no suspect identified": 0.45,
        "Court result unavailable": 0.18,
        "Unable to prosecute suspect": 0.12,
        "Local resolution": 0.08,
        "Offender given a caution": 0.04,
        "Awaiting court outcome": 0.06,
        "Status update unavailable": 0.05,
        "Offender given penalty notice": 0.02,
    },
    "possession": {
        "Court result unavailable": 0.27,
        "Local resolution": 0.2,
        "Offender given a drugs possession warning": 0.12,
        "Offender given a caution": 0.08,
        "Unable to prosecute suspect": 0.12,
        "Awaiting court outcome": 0.1,
        "Status update unavailable": 0.06,
        "Formal action is not in the public interest": 0.05,
    },
}
_OUTCOME_GROUP = {
    "Violence and sexual offences": "violence",
    "Public order": "violence",
    "Robbery": "violence",
    "Other crime": "violence",
    "Shoplifting": "shoplifting",
    "Drugs": "possession",
    "Possession of weapons": "possession",
}
#: Chance that a crime n months before the end is still "Under investigation".
_UNDER_INVESTIGATION = (0.6, 0.45, 0.3, 0.18, 0.12, 0.08)

# -- places ----------------------------------------------------------------------------------
#: Plausible street names per ward (police.uk "On or near ..." and council locations).
STREETS = {
    "Almondbury": ("Westgate", "Northgate", "Kaye Lane", "Somerset Road", "Fernside Avenue",
                   "Broken Cross", "Sharp Lane", "Farnley Road", "Longley Road"),
    "Ashbrow": ("Bradley Road", "Ashbrow Road", "Sheepridge Road", "Deighton Road",
                "Fartown Green Road", "Woodhouse Hall Road", "Keldregate", "Riddings Road"),
    "Batley East": ("Bradford Road", "Wellington Street", "Commercial Street", "Branch Road",
                    "Carlinghow Lane", "Hick Lane", "Mayman Lane", "Staincliffe Road"),
    "Batley West": ("Healey Lane", "Track Road", "Purlwell Lane", "Soothill Lane",
                    "Upper Batley Lane", "Field Lane", "Halifax Road", "Chapel Fold"),
    "Birstall and Birkenshaw": ("Low Lane", "Market Street", "Leeds Road", "Bradford Road",
                                "Gelderd Road", "Holden Lane", "Whitehall Road",
                                "Town Street"),
    "Cleckheaton": ("Bradford Road", "Northgate", "Whitcliffe Road", "Westgate", "Tofts Road",
                    "Hunsworth Lane", "Scholes Lane", "Cross Lane"),
    "Colne Valley": ("Manchester Road", "Scar Lane", "Bolster Moor Road", "Market Place",
                     "Huddersfield Road", "Slaithwaite Road", "New Hey Road", "Carr Lane"),
    "Crosland Moor and Netherton": ("Blackmoorfoot Road", "Park Road West", "Meltham Road",
                                    "Moorside Road", "Dryclough Road", "Crosland Road",
                                    "Beaumont Park Road", "Netherton Moor Road"),
    "Dalton": ("Wakefield Road", "Rawthorpe Lane", "Long Lane", "Ridgeway",
               "Dalton Green Lane", "Broad Lane", "Kilner Bank", "St Helens Gate"),
    "Denby Dale": ("Wakefield Road", "Barnsley Road", "Huddersfield Road",
                   "Cumberworth Lane", "Penistone Road", "Miller Hill", "Commercial Road",
                   "Station Road"),
    "Dewsbury East": ("Wakefield Road", "Thornhill Road", "Leeds Road", "Saville Road",
                      "Whitley Road", "Ossett Lane", "Chickenley Lane", "Headfield Road"),
    "Dewsbury South": ("Savile Road", "Thornhill Lees Road", "Warren Street",
                       "Slaithwaite Road", "Ings Road", "Huddersfield Road", "Lees Hall Road",
                       "Scout Hill Road"),
    "Dewsbury West": ("Westgate", "Northgate", "Daisy Hill", "Halifax Road",
                      "Crackenedge Lane", "Bradford Road", "Union Street", "Ravensthorpe Road"),
    "Golcar": ("Scapegoat Hill", "Leymoor Road", "Swallow Lane", "Knowl Road",
               "Cowlersley Lane", "Manchester Road", "Town End", "Church Street"),
    "Greenhead": ("New North Road", "Trinity Street", "Edgerton Road", "Halifax Road",
                  "Marsh", "Occupation Road", "Springwood Street", "Park Drive"),
    "Heckmondwike": ("Market Place", "Westgate", "High Street", "Walkley Lane", "Union Road",
                     "Jeremy Lane", "Halifax Road", "Flush"),
    "Holme Valley North": ("Huddersfield Road", "New Mill Road", "Meltham Road",
                           "Station Road", "Honley Road", "Wood Lane", "Church Street",
                           "Woodhead Road"),
    "Holme Valley South": ("Huddersfield Road", "Victoria Street", "Market Walk",
                           "Woodhead Road", "Station Road", "Dunford Road", "Greenfield Road",
                           "Bridge Lane"),
    "Kirkburton": ("Penistone Road", "Shelley Lane", "Wakefield Road", "Storthes Hall Lane",
                   "Hollin Lane", "North Road", "Far Dene", "Riley Lane"),
    "Lindley": ("Lidget Street", "East Street", "Acre Street", "Occupation Road",
                "Lindley Moor Road", "Quarmby Road", "Birkby Road", "Plover Road"),
    "Liversedge and Gomersal": ("Halifax Road", "Bradford Road", "Knowler Hill", "Moorside",
                                "Oxford Road", "Listing Lane", "Spen Lane", "Church Lane"),
    "Mirfield": ("Huddersfield Road", "Calder Road", "Towngate", "Newgate", "Leeds Road",
                 "Stocks Bank Road", "Doctor Lane", "Slipper Lane"),
    "Newsome": ("Kirkgate", "New Street", "King Street", "Queensgate", "Lord Street",
                "Byram Street", "Newsome Road", "Lockside"),
}  # fmt: skip
#: police.uk's generic anonymised locations, used for some map points.
GENERIC_PLACES = (
    "Supermarket",
    "Parking Area",
    "Petrol Station",
    "Park/Open Space",
    "Sports/Recreation Area",
    "Shopping Area",
    "Further/Higher Educational Building",
)
TOWN_CENTRE_PLACES = ("Nightclub", "Shopping Area", "Bus/Coach Station", "Theatre/Concert Hall")
NEIGHBOUR_STREETS = (
    "Halifax Road",
    "Leeds Road",
    "Wakefield Road",
    "Bradford Road",
    "Huddersfield Road",
    "Supermarket",
    "Parking Area",
    "Church Street",
)
#: Postcode districts of each ward (for ISTV attendances without coordinates).
POSTCODES = {
    "Almondbury": ("HD4", "HD5"),
    "Ashbrow": ("HD2",),
    "Batley East": ("WF17",),
    "Batley West": ("WF17",),
    "Birstall and Birkenshaw": ("WF17", "BD11"),
    "Cleckheaton": ("BD19",),
    "Colne Valley": ("HD7",),
    "Crosland Moor and Netherton": ("HD4",),
    "Dalton": ("HD5",),
    "Denby Dale": ("HD8",),
    "Dewsbury East": ("WF12",),
    "Dewsbury South": ("WF12", "WF13"),
    "Dewsbury West": ("WF13",),
    "Golcar": ("HD7", "HD3"),
    "Greenhead": ("HD1", "HD3"),
    "Heckmondwike": ("WF16",),
    "Holme Valley North": ("HD9",),
    "Holme Valley South": ("HD9",),
    "Kirkburton": ("HD8",),
    "Lindley": ("HD3",),
    "Liversedge and Gomersal": ("WF15", "BD19"),
    "Mirfield": ("WF14",),
    "Newsome": ("HD1", "HD4"),
}
#: Map points per LSOA for police.uk, and located points per LSOA for partner files.
SNAPS, POOL = 10, 40


# -- helpers -------------------------------------------------------------------------------
def window(end: dt.date) -> list[dt.date]:
    """The first days of the :data:`MONTHS` whole months ending on or before ``end``."""
    last = end.replace(day=1)
    if end.day != calendar.monthrange(end.year, end.month)[1]:
        last = (last - dt.timedelta(days=1)).replace(day=1)
    first = last.year * 12 + last.month - 1 - (MONTHS - 1)
    return [dt.date((first + i) // 12, (first + i) % 12 + 1, 1) for i in range(MONTHS)]


def _headers(source: str) -> tuple[str, ...]:
    formats = REGISTRY[source].formats()
    name = {
        "police-uk": "police.uk street",
        "force-extract": "force offence extract",
        "asb-council": "council ASB reports",
        "fire": "fire and rescue incidents",
        "health-istv": "ISTV assault attendances",
    }[source]
    return formats[name].headers


def _write(path: Path, columns: dict[str, object], headers: tuple[str, ...]) -> Path:
    """Write ``columns`` (header -> equal-length values) as a CSV in the registered header
    order, quoting only where needed, with ``\n`` line ends."""
    if set(columns) != set(headers):
        raise RuntimeError(f"{path.name}: columns {sorted(columns)} are not {headers}")
    path.parent.mkdir(parents=True, exist_ok=True)
    lists = [np.asarray(columns[h]).tolist() for h in headers]
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(headers)
        writer.writerows(zip(*lists, strict=True))
    return path


def _text_dates(dates: np.ndarray, fmt: str) -> np.ndarray:
    """``dates`` (datetime64[D]) formatted with ``fmt``, one strftime per distinct date."""
    days, inverse = np.unique(np.asarray(dates, "datetime64[D]"), return_inverse=True)
    text = np.array([d.strftime(fmt) for d in days.astype(dt.date)], dtype=object)
    return text[inverse]


def _concat(parts: list[dict[str, np.ndarray]]) -> dict[str, np.ndarray]:
    return {k: np.concatenate([np.asarray(p[k]) for p in parts]) for k in parts[0]}


def _take(table: dict[str, np.ndarray], rows: np.ndarray) -> dict[str, np.ndarray]:
    return {k: v[rows] for k, v in table.items()}


def _rank(values: np.ndarray) -> np.ndarray:
    """Sort keys for any values (strings included): their rank among the distinct ones."""
    return np.unique(np.asarray(values), return_inverse=True)[1]


def _profile(values: tuple[float, ...]) -> np.ndarray:
    p = np.asarray(values, float)
    return p / p.mean()


def _choice(rng: np.random.Generator, mix: dict[str, float], size: int) -> np.ndarray:
    keys = np.array(list(mix), dtype=object)
    p = np.asarray(list(mix.values()), float)
    return keys[rng.choice(len(keys), size=size, p=p / p.sum())]


def _lookup(mapping: dict, keys: np.ndarray, default=None) -> np.ndarray:
    """``mapping[key]`` for each key; ``default`` (or a missing value) for other keys."""
    found = pd.Series(keys, dtype=object).map(mapping)
    return (found if default is None else found.fillna(default)).to_numpy()


def _pseudonyms(ids: np.ndarray, salt: int) -> np.ndarray:
    """Distinct, meaningless-looking ids for distinct integers (a bijection mod 2**36)."""
    mixed = (ids.astype(np.uint64) * np.uint64(0x9E3779B1) + np.uint64(salt)) % np.uint64(2**36)
    return np.array([f"V{x:09X}" for x in mixed.tolist()], dtype=object)


@cache
def _demo_file(name: str) -> pd.DataFrame:
    with (resources.files("sia") / "data" / "demo" / name).open("r", encoding="utf-8") as fh:
        return pd.read_csv(fh, dtype=str, keep_default_na=False)


def _demo_bytes(name: str) -> bytes:
    return (resources.files("sia") / "data" / "demo" / name).read_bytes()


# -- the district ----------------------------------------------------------------------------
@dataclass
class _District:
    """The LSOAs of the district with what the generator needs, and the window."""

    months: list[dt.date]
    lsoa: pd.DataFrame  # one row per LSOA 2021, in code order
    weights: dict[str, np.ndarray]
    snap_lon: np.ndarray  # SNAPS map points per LSOA, LSOA-major
    snap_lat: np.ndarray
    snap_label: np.ndarray
    pool_lon: np.ndarray  # POOL located points per LSOA, LSOA-major
    pool_lat: np.ndarray
    pool_e: np.ndarray
    pool_n: np.ndarray
    nte: np.ndarray  # bool per LSOA: town-centre night-time economy
    m0: np.ndarray = field(init=False)  # first day of each month (datetime64[D])
    days: np.ndarray = field(init=False)
    cal: np.ndarray = field(init=False)  # calendar month 1..12 of each month

    def __post_init__(self) -> None:
        self.m0 = np.array(self.months, dtype="datetime64[D]")
        self.days = np.array([calendar.monthrange(m.year, m.month)[1] for m in self.months])
        self.cal = np.array([m.month for m in self.months])

    @property
    def n(self) -> int:
        return len(self.lsoa)

    def level(self, annual: float, growth: float, season: tuple[float, ...]) -> np.ndarray:
        """Expected events per month: an annual volume, a yearly trend and a season."""
        t = np.arange(MONTHS)
        return (
            annual * (1 + growth) ** (t / 12) * _profile(season)[self.cal - 1] * self.days / 365.25
        )

    def draw(
        self,
        rng: np.random.Generator,
        monthly: np.ndarray,
        weights: np.ndarray,
        noise: float = 0.04,
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Poisson counts per month and LSOA around ``monthly`` x ``weights``, as rows:
        (month index, LSOA index, date)."""
        wobble = rng.lognormal(0.0, noise, MONTHS) if noise else 1.0
        expected = (monthly * wobble)[:, None] * weights[None, :]
        counts = rng.poisson(expected).ravel()
        cell = np.repeat(np.arange(counts.size), counts)
        mi, li = cell // self.n, cell % self.n
        return mi, li, self.dates(rng, mi)

    def dates(self, rng: np.random.Generator, mi: np.ndarray) -> np.ndarray:
        day = np.floor(rng.random(mi.size) * self.days[mi]).astype("timedelta64[D]")
        return self.m0[mi] + day

    def month_of(self, dates: np.ndarray) -> np.ndarray:
        """Month index in the window of each date (negative before, >= MONTHS after)."""
        m = dates.astype("datetime64[M]").astype(int)
        return m - self.m0[0].astype("datetime64[M]").astype(int)

    def ward_weights(self, key: str, ward: str) -> np.ndarray:
        w = np.where(self.lsoa["ward_name"].to_numpy() == ward, self.weights[key], 0.0)
        if w.sum() == 0:
            raise ValueError(f"no LSOA in ward {ward!r}")
        return w / w.sum()


def _district(partnership, rng: np.random.Generator, months: list[dt.date]) -> _District:
    geo = Geography.for_partnership(partnership)
    lsoas = geo.lsoas
    lsoas = lsoas[lsoas["lsoa_vintage"] == 2021].sort_values("lsoa_code", ignore_index=True)
    pop = geo.population
    pop = pop[(pop["area_type"] == "lsoa") & (pop["lsoa_vintage"] == 2021)]
    pop = pop[pop["year"] == pop["year"].max()].set_index("area_code")["population"]
    dep = geo.deprivation
    dep = dep[(dep["imd_year"] == 2025) & (dep["lsoa_vintage"] == 2021)].set_index("lsoa_code")
    rates = _demo_file("lsoa_crime_rates.csv").set_index("lsoa_code").astype(float)
    codes = lsoas["lsoa_code"]
    missing = set(codes) - set(rates.index) | set(codes) - set(pop.index)
    if missing:
        raise ValueError(f"no demo rates or population for LSOAs {sorted(missing)[:5]}")
    lsoa = lsoas.assign(
        population=pop.reindex(codes).to_numpy(float),
        imd=dep["imd_score"].reindex(codes).fillna(dep["imd_score"].median()).to_numpy(float),
    )
    r = rates.reindex(codes)
    # Ward patterns follow deprivation: the real crime rates, tilted further by IMD score.
    tilt = (lsoa["imd"] / lsoa["imd"].median()).to_numpy() ** 0.35
    people = lsoa["population"].to_numpy()

    def w(rate) -> np.ndarray:
        x = np.asarray(rate, float) * people * tilt
        return x / x.sum()

    theft = r["theft"].to_numpy()
    weights = {
        "violence": w(r["violence_with_injury"] + r["violence_without_injury"]),
        "violence_injury": w(r["violence_with_injury"]),
        "stalking": w(r["stalking_harassment"] + 0.5 * r["violence_without_injury"]),
        "robbery": w(np.sqrt(r["violence_with_injury"] * r["theft"])),
        "public_order": w(r["public_order_weapons"]),
        "burglary": w(r["burglary"]),
        "theft": w(r["theft"]),
        "centre": w(theft**2),
        "criminal_damage": w(r["criminal_damage"]),
        "drugs": w(r["public_order_weapons"] + r["anti_social_behaviour"]),
        "asb": w(r["anti_social_behaviour"]),
        "deprivation": w(lsoa["imd"].to_numpy()),
        "fly_tipping": w(r["criminal_damage"] * lsoa["imd"].to_numpy() ** 0.5),
        "people": w(np.ones(len(lsoa))),
    }
    nte = np.zeros(len(lsoa), bool)
    nte[np.argsort(-theft, kind="stable")[:8]] = True
    pool_lon, pool_lat, pool_e, pool_n = _located_points(partnership, geo, lsoa, rng)
    snap_lon, snap_lat, snap_label = _map_points(lsoa, nte, pool_lon, pool_lat, rng)
    return _District(
        months,
        lsoa,
        weights,
        snap_lon,
        snap_lat,
        snap_label,
        pool_lon,
        pool_lat,
        pool_e,
        pool_n,
        nte,
    )


def _located_points(partnership, geo: Geography, lsoa: pd.DataFrame, rng: np.random.Generator):
    """POOL points inside each LSOA that the loaders place back in that LSOA, both from
    their longitude/latitude (6 decimals) and from their whole-metre easting/northing."""
    with open(geo.boundary_path("lsoa21"), encoding="utf-8") as fh:
        features = json.load(fh)["features"]
    polygons = {f["properties"][CODE_PROPERTY["lsoa21"]]: shape(f["geometry"]) for f in features}
    codes = lsoa["lsoa_code"].tolist()
    lon_all, lat_all, owner = [], [], []
    for i, code in enumerate(codes):
        poly = polygons[code]
        inner = poly.buffer(-0.0002)
        if inner.is_empty or inner.area < 0.2 * poly.area:
            inner = poly
        minx, miny, maxx, maxy = inner.bounds
        got_lon, got_lat, need = [], [], 2 * POOL
        while need > 0:
            x = rng.uniform(minx, maxx, 4 * POOL)
            y = rng.uniform(miny, maxy, 4 * POOL)
            inside = shapely.contains_xy(inner, x, y)
            got_lon.append(x[inside][:need])
            got_lat.append(y[inside][:need])
            need -= int(inside.sum())
        lon_all.append(np.round(np.concatenate(got_lon), 6))
        lat_all.append(np.round(np.concatenate(got_lat), 6))
        owner.append(np.full(lon_all[-1].size, i))
    lon, lat, own = np.concatenate(lon_all), np.concatenate(lat_all), np.concatenate(owner)
    e, n = lonlat_to_bng(lon, lat)
    e, n = np.round(e), np.round(n)
    locator = PointLocator.for_partnership(partnership, vintage=2021)
    expected = np.array(codes, dtype=object)[own]
    ok = (locator.locate_bng(e, n) == expected) & (locator.locate_lonlat(lon, lat) == expected)
    out = []
    for i in range(len(codes)):
        rows = np.flatnonzero(ok & (own == i))
        if rows.size == 0:
            raise RuntimeError(f"no point of LSOA {codes[i]} places back in it")
        out.append(np.resize(rows, POOL))
    take = np.concatenate(out)
    return lon[take], lat[take], e[take].astype(int), n[take].astype(int)


def _map_points(lsoa: pd.DataFrame, nte: np.ndarray, pool_lon, pool_lat, rng):
    """police.uk map points: the first SNAPS located points of each LSOA, each named after
    a street of its ward or one of police.uk's generic places."""
    labels = []
    for i, ward in enumerate(lsoa["ward_name"]):
        streets = list(rng.permutation(np.array(STREETS[ward], dtype=object)))
        generic = list(rng.permutation(np.array(GENERIC_PLACES, dtype=object)))
        names = streets[:7] + generic[:3]
        if nte[i]:
            names[-2:] = list(rng.permutation(np.array(TOWN_CENTRE_PLACES, dtype=object))[:2])
        labels.extend("On or near " + s for s in names[:SNAPS])
    take = (np.arange(len(lsoa))[:, None] * POOL + np.arange(SNAPS)[None, :]).ravel()
    return pool_lon[take], pool_lat[take], np.array(labels, dtype=object)


# -- police-recorded crime -------------------------------------------------------------------
def _crimes(d: _District, seed: int) -> dict[str, np.ndarray]:
    """Every crime recorded in Kirklees: one row each, with offence code, place and flags,
    in date order (a table: column name -> array)."""
    offences = all_offences().set_index("ho_offence_code")
    parts: list[dict[str, np.ndarray]] = []

    def add(mi, li, dates, codes, stream, da=None, victim=None, female=None):
        n = len(mi)
        parts.append(
            {
                "mi": np.asarray(mi, int),
                "li": np.asarray(li, int),
                "date": np.asarray(dates, "datetime64[D]"),
                "code": np.asarray(codes, object),
                "stream": np.full(n, stream, object),
                "da": np.broadcast_to(np.asarray(False if da is None else da, bool), n).copy(),
                "victim": np.full(n, -1) if victim is None else np.asarray(victim, int),
                "female": np.full(n, np.nan) if female is None else np.asarray(female, float),
            }
        )

    for k, s in enumerate(CRIME_STREAMS):
        rng = np.random.default_rng([seed, 1, k])
        mi, li, dates = d.draw(rng, d.level(s.annual, s.growth, s.season), d.weights[s.weights])
        add(mi, li, dates, _choice(rng, s.codes, len(mi)), s.name)

    # spikes in neighbourhood crime
    for k, (ward, months, extra, codes) in enumerate((BURGLARY_SPIKE, CAR_THEFT_SPIKE)):
        rng = np.random.default_rng([seed, 2, k])
        key = "burglary" if k == 0 else "theft"
        for month, n in zip(months, extra, strict=True):
            mi = np.full(n, month)
            li = rng.choice(d.n, size=n, p=d.ward_weights(key, ward))
            add(mi, li, d.dates(rng, mi), _choice(rng, codes, n), f"spike:{ward}")

    # rare serious offences: set counts per 12-month block, placed at random
    rng = np.random.default_rng([seed, 3])
    rare = [
        ("homicide", HOMICIDES, {"1": 0.8, "4.1": 0.2}),
        ("attempted_murder", ATTEMPTED_MURDERS, {"2": 1.0}),
    ]
    for name, base, codes in (
        ("modern_slavery", MODERN_SLAVERY, {"106": 1.0}),
        ("exploitation", CHILD_SEXUAL_EXPLOITATION, {"71": 1.0}),
        ("exploitation", SEXUAL_GROOMING, {"88A": 1.0}),
    ):
        rare.append((name, tuple(base + int(x) for x in rng.integers(-1, 2, 5)), codes))
    for name, per_block, codes in rare:
        mi = np.concatenate([b * 12 + rng.integers(0, 12, n) for b, n in enumerate(per_block)])
        key = "violence_injury" if name in ("homicide", "attempted_murder") else "deprivation"
        li = rng.choice(d.n, size=mi.size, p=d.weights[key])
        da = (rng.random(mi.size) < 0.3) & (name == "homicide")
        female = np.where(da, rng.random(mi.size) < 0.75, np.nan)
        add(mi, li, d.dates(rng, mi), _choice(rng, codes, mi.size), name, da=da, female=female)

    # domestic abuse: victims, each with a first crime and a few repeats
    rng = np.random.default_rng([seed, 4])
    mi, li, dates, codes, victim, female = _domestic_abuse(d, rng)
    add(mi, li, dates, codes, "domestic_abuse", da=True, victim=victim, female=female)
    da_victims = int(victim.max()) + 1

    c = _concat(parts)
    c = _take(c, np.flatnonzero((c["mi"] >= 0) & (c["mi"] < MONTHS)))
    c = _take(c, np.lexsort((c["li"], _rank(c["stream"]), c["date"])))
    n = c["mi"].size
    rng = np.random.default_rng([seed, 5])

    # hate crime: a falling share of eligible offences; race and religion are aggravated
    codes = c["code"]
    share = np.zeros(n)
    for group, group_codes in HATE_GROUPS.items():
        share[np.isin(codes, group_codes)] = HATE_SHARE[group]
    share *= (1 + HATE_GROWTH) ** (c["mi"] / 12)
    share[c["da"]] = 0
    hate = rng.random(n) < share
    strand = np.full(n, "", object)
    strand[hate] = _choice(rng, HATE_STRANDS, int(hate.sum()))
    aggravated = _lookup(AGGRAVATED, codes)
    aggravate = hate & np.isin(strand, ["race", "religion"]) & pd.notna(aggravated)
    codes = np.where(aggravate, aggravated, codes)
    c["code"], c["hate_strand"] = codes, strand

    unknown = set(codes) - set(offences.index)
    if unknown:
        raise RuntimeError(f"offence codes not in the shipped table: {sorted(unknown)}")
    c["category"] = offences["police_uk_category"].reindex(codes).to_numpy(object)
    c["offence"] = offences["offence"].reindex(codes).to_numpy(object)
    ons = offences["ons_category"].reindex(codes).to_numpy(object)

    # victims: DA victims keep their ids; every other person victim has one of their own
    da = c["da"]
    female_p = _lookup(FEMALE, codes, 0.35).astype(float)
    female_p[da] = 0.8
    female = np.where(np.isnan(c["female"]), rng.random(n) < female_p, c["female"] == 1)
    has_victim = ~np.isin(c["category"], NO_VICTIM_TYPES)
    victim = c["victim"].copy()
    fresh = (victim < 0) & has_victim
    victim[fresh] = da_victims + np.arange(int(fresh.sum()))
    ids = np.full(n, "", object)
    ids[victim >= 0] = _pseudonyms(victim[victim >= 0], salt=seed % 2**31)
    c["victim_id"] = ids

    # flags
    category = c["category"]
    nte_place = d.nte[c["li"]]
    vawg_code = (ons == "sexual offences") | np.isin(codes, VAWG_EXTRA)
    c["vawg"] = female & (da | vawg_code | (c["stream"] == "exploitation"))
    c["knife"] = rng.random(n) < _lookup(KNIFE, codes, 0.0).astype(float)
    night = ~da & np.isin(
        category,
        [
            "Violence and sexual offences",
            "Public order",
            "Theft from the person",
            "Criminal damage and arson",
        ],
    )
    c["nte"] = nte_place & night & (rng.random(n) < 0.5)
    alcohol_p = np.select(
        [da, c["nte"], night, category == "Criminal damage and arson"], [0.3, 0.6, 0.18, 0.08], 0.02
    )
    c["alcohol"] = rng.random(n) < alcohol_p
    drugs_p = np.select(
        [category == "Drugs", category == "Possession of weapons", category == "Robbery", da],
        [1.0, 0.15, 0.08, 0.08],
        0.03,
    )
    c["drugs"] = rng.random(n) < drugs_p

    # references: the force's crime number; police.uk's Crime ID is a hash of it
    years = c["date"].astype("datetime64[Y]").astype(int) + 1970
    c["crime_ref"] = _refs("13", years % 100, rng, gap=0.22, width=7, start=2000, year_digits=2)
    c["crime_id"] = np.array(
        [hashlib.sha256(f"{ref}|{seed}".encode()).hexdigest() for ref in c["crime_ref"]], object
    )
    c["snap"] = c["li"] * SNAPS + _snap_choice(rng, n)
    c["point"] = c["li"] * POOL + rng.integers(0, POOL, n)
    return c


def _domestic_abuse(d: _District, rng: np.random.Generator):
    """Domestic abuse crimes from a model of victims: each victim has a first crime and a
    Poisson number of further crimes within the next 11 months. Both the crimes and the
    mean number of repeats fall, so repeat victims fall faster than crimes.

    Returns (month index, LSOA index, date, offence code, victim number, female)."""
    burn = 12  # victims from a year before the window, so the first year has its repeats
    t = np.arange(-burn, MONTHS)
    month_start = (d.m0[0].astype("datetime64[M]") + t).astype("datetime64[D]")
    next_start = (d.m0[0].astype("datetime64[M]") + t + 1).astype("datetime64[D]")
    days = (next_start - month_start).astype(int)
    cal = (d.cal[0] - 1 + t) % 12
    target = DA_CRIMES * (1 + DA_GROWTH) ** (t / 12) * _profile(SUMMER_MILD)[cal] * days / 365.25
    frac = np.clip(t / (MONTHS - 1), 0, 1)
    repeats = DA_REPEATS_START + (DA_REPEATS_END - DA_REPEATS_START) * frac
    starts = rng.poisson(target / (1 + repeats))
    vm = np.repeat(np.arange(t.size), starts)
    first = month_start[vm] + np.floor(rng.random(vm.size) * days[vm]).astype("timedelta64[D]")
    extra = rng.poisson(repeats[vm])
    victim = np.repeat(np.arange(vm.size), 1 + extra)
    is_first = np.r_[True, victim[1:] != victim[:-1]]
    offset = np.where(is_first, 0, rng.uniform(3, 335, victim.size)).astype("timedelta64[D]")
    dates = first[victim] + offset
    home = rng.choice(d.n, size=vm.size, p=d.weights["violence_injury"])
    female = rng.random(vm.size) < 0.8
    codes = _choice(rng, DA_CODES, victim.size)
    return d.month_of(dates), home[victim], dates, codes, victim, female[victim].astype(float)


def _snap_choice(rng: np.random.Generator, n: int) -> np.ndarray:
    """Which of an LSOA's map points a row uses: a few streets take most crimes."""
    p = 1.0 / (np.arange(SNAPS) + 1.0) ** 0.8
    return rng.choice(SNAPS, size=n, p=p / p.sum())


def _outcomes(rng: np.random.Generator, category: np.ndarray, age: np.ndarray) -> np.ndarray:
    """police.uk's last outcome of each crime; recent crimes are often still open."""
    out = np.empty(category.size, object)
    group = _lookup(_OUTCOME_GROUP, category, "theft")
    for name, mix in _OUTCOMES.items():
        rows = group == name
        out[rows] = _choice(rng, mix, int(rows.sum()))
    p = np.array([*_UNDER_INVESTIGATION, 0.02])[np.minimum(age, len(_UNDER_INVESTIGATION))]
    out[rng.random(category.size) < p] = "Under investigation"
    return out


def _police_uk(d: _District, crimes: dict[str, np.ndarray], out: Path, seed: int) -> list[Path]:
    rng = np.random.default_rng([seed, 6])
    headers = _headers("police-uk")
    names = d.lsoa["lsoa_name"].to_numpy(object)
    codes = d.lsoa["lsoa_code"].to_numpy(object)
    snap_lon = np.array([f"{x:.6f}" for x in d.snap_lon], object)
    snap_lat = np.array([f"{x:.6f}" for x in d.snap_lat], object)

    def located(mi, li, snap, crime_id, category, outcome, asb) -> dict[str, np.ndarray]:
        return {
            "mi": mi,
            "asb": np.broadcast_to(asb, mi.size),
            "Crime ID": crime_id,
            "Longitude": snap_lon[snap],
            "Latitude": snap_lat[snap],
            "Location": d.snap_label[snap],
            "LSOA code": codes[li],
            "LSOA name": names[li],
            "Crime type": category,
            "Last outcome category": outcome,
        }

    parts = [
        located(
            crimes["mi"],
            crimes["li"],
            crimes["snap"],
            crimes["crime_id"],
            crimes["category"],
            _outcomes(rng, crimes["category"], MONTHS - 1 - crimes["mi"]),
            False,
        )
    ]
    # anti-social behaviour: no Crime ID, no outcome
    mi, li, _ = d.draw(rng, d.level(ASB_POLICE, ASB_GROWTH, ASB_SEASON), d.weights["asb"], 0.05)
    blank = np.full(mi.size, "", object)
    asb_type = np.full(mi.size, "Anti-social behaviour", object)
    snap = li * SNAPS + _snap_choice(rng, mi.size)
    parts.append(located(mi, li, snap, blank, asb_type, blank, True))

    # a few rows in the neighbouring districts' LSOAs and a few with no location
    neighbours = _demo_file("neighbour_lsoas.csv")
    for kind, per_month in (("neighbour", 20), ("unlocated", 30)):
        mi = np.repeat(np.arange(MONTHS), rng.poisson(per_month, MONTHS))
        n = mi.size
        asb = rng.random(n) < 0.2
        category = crimes["category"][rng.integers(0, crimes["category"].size, n)]
        category[asb] = "Anti-social behaviour"
        crime_id = np.array([rng.bytes(32).hex() for _ in range(n)], dtype=object)
        crime_id[asb] = ""
        outcome = _outcomes(rng, category, MONTHS - 1 - mi)
        outcome[asb] = ""
        if kind == "neighbour":
            pick = rng.integers(0, len(neighbours), n)
            lon = neighbours["longitude"].astype(float).to_numpy()[pick] + rng.normal(0, 0.002, n)
            lat = neighbours["latitude"].astype(float).to_numpy()[pick] + rng.normal(0, 0.0012, n)
            streets = np.array(NEIGHBOUR_STREETS, dtype=object)
            place = {
                "Longitude": np.array([f"{x:.6f}" for x in lon], object),
                "Latitude": np.array([f"{x:.6f}" for x in lat], object),
                "Location": "On or near " + streets[rng.integers(0, streets.size, n)],
                "LSOA code": neighbours["lsoa_code"].to_numpy(object)[pick],
                "LSOA name": neighbours["lsoa_name"].to_numpy(object)[pick],
            }
        else:
            place = {
                "Longitude": np.full(n, "", object),
                "Latitude": np.full(n, "", object),
                "Location": np.full(n, "No Location", object),
                "LSOA code": np.full(n, "", object),
                "LSOA name": np.full(n, "", object),
            }
        parts.append(
            {
                "mi": mi,
                "asb": asb,
                "Crime ID": crime_id,
                **place,
                "Crime type": category,
                "Last outcome category": outcome,
            }
        )
    rows = _concat(parts)
    n = rows["mi"].size
    month_text = np.array([f"{m:%Y-%m}" for m in d.months], dtype=object)
    rows["Month"] = month_text[rows["mi"]]
    rows["Reported by"] = rows["Falls within"] = np.full(n, FORCE, object)
    rows["Context"] = np.full(n, "", object)
    # police.uk order: crimes, then ASB; each by LSOA name, rows with no location last
    order = np.lexsort(
        (rng.random(n), _rank(rows["LSOA name"]), rows["LSOA name"] == "", rows["asb"], rows["mi"])
    )
    rows = _take(rows, order)
    cuts = np.searchsorted(rows["mi"], np.arange(MONTHS + 1))
    files = []
    for m in range(MONTHS):
        label = month_text[m]
        path = out / "police-uk" / label / f"{label}-west-yorkshire-street.csv"
        part = {h: rows[h][cuts[m] : cuts[m + 1]] for h in headers}
        files.append(_write(path, part, headers))
    return files


def _blocks(d: _District) -> list[tuple[int, str]]:
    """The five 12-month blocks of the window: (first month index, label)."""
    return [
        (b * 12, f"{d.months[b * 12]:%Y-%m}-to-{d.months[b * 12 + 11]:%Y-%m}")
        for b in range(MONTHS // 12)
    ]


def _per_block(d: _District, mi: np.ndarray, columns: dict, folder: Path, stem: str) -> list[Path]:
    """One file per 12-month block of the window (rows in date order)."""
    headers = tuple(columns)
    files = []
    for start, label in _blocks(d):
        rows = (mi >= start) & (mi < start + 12)
        path = folder / f"{stem}-{label}.csv"
        files.append(_write(path, {h: np.asarray(v)[rows] for h, v in columns.items()}, headers))
    return files


def _yn(x: np.ndarray) -> np.ndarray:
    return np.where(np.asarray(x, bool), "Y", "N").astype(object)


def _refs(
    prefix: str,
    years: np.ndarray,
    rng: np.random.Generator,
    gap: float = 1.0,
    width: int = 6,
    start: int = 0,
    year_digits: int = 4,
) -> np.ndarray:
    """Sequential references per year, ``<prefix><year><number>`` (rows in date order);
    with ``gap`` < 1 numbers skip, as other districts' records take the ones between."""
    steps = rng.geometric(gap, years.size) if gap < 1 else np.ones(years.size, np.int64)
    seq = np.zeros(years.size, np.int64)
    for y in np.unique(years):
        rows = years == y
        seq[rows] = start + np.cumsum(steps[rows])
    year_text = np.strings.zfill(years.astype(np.str_), year_digits)
    number = np.strings.zfill(seq.astype(np.str_), width)
    return np.strings.add(np.strings.add(prefix, year_text), number).astype(object)


def _force_extract(d: _District, crimes: dict[str, np.ndarray], out: Path, seed: int) -> list[Path]:
    rng = np.random.default_rng([seed, 7])
    headers = _headers("force-extract")
    point = crimes["point"]
    # most crimes carry their LSOA; a few only the grid reference where they happened
    lsoa = d.lsoa["lsoa_code"].to_numpy(object)[crimes["li"]]
    lsoa[rng.random(lsoa.size) < 0.03] = ""
    columns = {
        "crime_ref": crimes["crime_ref"],
        "date_committed": _text_dates(crimes["date"], "%d/%m/%Y"),
        "ho_offence_code": crimes["code"],
        "offence_description": crimes["offence"],
        "lsoa_code": lsoa,
        "easting": d.pool_e[point],
        "northing": d.pool_n[point],
        "domestic_abuse": _yn(crimes["da"]),
        "hate_strand": crimes["hate_strand"],
        "vawg": _yn(crimes["vawg"]),
        "knife": _yn(crimes["knife"]),
        "alcohol": _yn(crimes["alcohol"]),
        "drugs": _yn(crimes["drugs"]),
        "nte": _yn(crimes["nte"]),
        "victim_id": crimes["victim_id"],
    }
    columns = {h: columns[h] for h in headers}
    return _per_block(d, crimes["mi"], columns, out / "force-extract", "kirklees-crime-extract")


# -- council, fire and health ------------------------------------------------------------------
def _flytipping_mix() -> tuple[float, dict[str, float], dict[str, float], dict[str, float]]:
    """The latest real Kirklees fly-tipping year (Defra): total, and land, waste and size
    mixes."""
    row = _demo_file("flytipping_kirklees.csv").iloc[-1]

    def mix(prefix: str) -> dict[str, float]:
        return {
            k.removeprefix(prefix): float(v)
            for k, v in row.items()
            if k.startswith(prefix) and v.strip().isdigit() and int(v) > 0
        }

    return float(row["total"]), mix("land_"), mix("waste_"), mix("size_")


LAND_TEXT = {
    "highway": "Highway, {street}",
    "footpath_bridleway": "Footpath off {street}",
    "back_alleyway": "Back alley behind {street}",
    "railway": "Railway embankment near {street}",
    "council": "Council land, {street}",
    "agricultural": "Field gateway, {street}",
    "private_residential": "Private land, {street}",
    "commercial_industrial": "Industrial estate, {street}",
    "watercourse_bank": "Riverbank near {street}",
    "other": "{street}",
}
WASTE_TEXT = {
    "green": "Green waste",
    "vehicle_parts": "Vehicle parts",
    "white_goods": "White goods",
    "other_electrical": "Electrical items",
    "tyres": "Tyres",
    "asbestos": "Asbestos",
    "clinical": "Clinical waste",
    "construction": "Construction, demolition or excavation waste",
    "black_bags_commercial": "Black bags (commercial)",
    "black_bags_household": "Black bags (household)",
    "other_household": "Household waste",
    "other_commercial": "Commercial waste",
}
SIZE_TEXT = {
    "single_black_bag": "single black bag",
    "single_item": "single item",
    "car_boot_or_less": "car boot load or less",
    "small_van_load": "small van load",
    "transit_van_load": "transit van load",
    "tipper_lorry_load": "tipper lorry load",
    "significant_multi_loads": "significant or multiple loads",
}
COUNCIL_TEXT = {
    "noise": ("Loud music late at night", "Barking dog", "Noisy party", "Shouting in the street"),
    "graffiti": ("Graffiti on bus shelter", "Tagging on shop shutters", "Graffiti on wall",
                 "Offensive graffiti on fence"),
    "nuisance_vehicle": ("Abandoned car, no tax", "Off-road bikes on playing field",
                         "Car repairs on the street", "Untaxed van left for weeks"),
    "youth_disorder": ("Group of youths causing a nuisance", "Youths throwing stones",
                       "Youths congregating outside shop", "Fireworks let off in the street"),
    "neighbour_dispute": ("Ongoing dispute over parking", "Dispute over boundary hedge",
                          "Verbal abuse from neighbour", "Rubbish left in shared garden"),
    "other": ("Drug paraphernalia found", "Street drinking", "Begging outside shop",
              "Dog fouling"),
}  # fmt: skip
#: Council ASB streams other than fly-tipping: (type, annual, growth, season, weights).
COUNCIL_STREAMS = (
    ("graffiti", 520, 0.05, FLAT, "criminal_damage"),
    ("nuisance_vehicle", 900, 0.06, SUMMER_MILD, "deprivation"),
    ("noise", 2600, -0.03, SUMMER, "asb"),
    ("youth_disorder", 700, -0.06, ASB_SEASON, "asb"),
    ("neighbour_dispute", 900, -0.03, FLAT, "people"),
    ("other", 400, 0.0, FLAT, "asb"),
)
#: Fly-tipping: yearly growth from the latest real Kirklees volume.
FLYTIPPING_GROWTH = 0.08


def _street_of(d: _District, rng: np.random.Generator, li: np.ndarray) -> np.ndarray:
    wards = d.lsoa["ward_name"].to_numpy(object)[li]
    out = np.empty(li.size, object)
    for ward, streets in STREETS.items():
        rows = wards == ward
        out[rows] = np.array(streets, dtype=object)[rng.integers(0, len(streets), int(rows.sum()))]
    return out


def _asb_council(d: _District, out: Path, seed: int) -> list[Path]:
    rng = np.random.default_rng([seed, 8])
    headers = _headers("asb-council")
    total, land, waste, size = _flytipping_mix()
    level = d.level(total, FLYTIPPING_GROWTH, SUMMER_MILD)
    mi, li, dates = d.draw(rng, level, d.weights["fly_tipping"], noise=0.06)
    street = _street_of(d, rng, li)
    where = _lookup(LAND_TEXT, _choice(rng, land, mi.size), "{street}")
    what = zip(_choice(rng, waste, mi.size), _choice(rng, size, mi.size), strict=True)
    parts = [
        {
            "mi": mi,
            "li": li,
            "date": dates,
            "type": np.full(mi.size, "fly_tipping", object),
            "location": np.array([w.format(street=s) for w, s in zip(where, street, strict=True)]),
            "description": np.array(
                [f"{WASTE_TEXT.get(w, w)}, {SIZE_TEXT.get(s, s)}" for w, s in what], object
            ),
        }
    ]
    for kind, annual, growth, season, key in COUNCIL_STREAMS:
        mi, li, dates = d.draw(rng, d.level(annual, growth, season), d.weights[key])
        texts = np.array(COUNCIL_TEXT[kind], dtype=object)
        parts.append(
            {
                "mi": mi,
                "li": li,
                "date": dates,
                "type": np.full(mi.size, kind, object),
                "location": _street_of(d, rng, li),
                "description": texts[rng.integers(0, texts.size, mi.size)],
            }
        )
    rows = _concat(parts)
    rows = _take(rows, np.lexsort((_rank(rows["type"]), rows["date"])))
    n = rows["mi"].size
    point = rows["li"] * POOL + rng.integers(0, POOL, n)
    lsoa = d.lsoa["lsoa_code"].to_numpy(object)[rows["li"]]
    lsoa[rng.random(n) < 0.3] = ""  # placed from the grid reference by the loader
    years = rows["date"].astype("datetime64[Y]").astype(int) + 1970
    columns = {
        "ref": _refs("KC", years, rng),
        "date": _text_dates(rows["date"], "%Y-%m-%d"),
        "type": rows["type"],
        "lsoa_code": lsoa,
        "easting": d.pool_e[point],
        "northing": d.pool_n[point],
        "location": rows["location"],
        "description": rows["description"],
    }
    columns = {h: columns[h] for h in headers}
    return _per_block(d, rows["mi"], columns, out / "asb-council", "kirklees-asb-reports")


#: Fire streams: (category, annual, growth, season, weights, deliberate share at the start
#: and at the end, property types).
FIRE_STREAMS = (
    ("primary_fire", 620, -0.02, WINTER, "deprivation", (0.3, 0.3),
     {"Dwelling": 0.4, "Road vehicle": 0.28, "Non-residential building": 0.15,
      "Outdoor structure": 0.07, "Other residential": 0.03, "Other outdoors": 0.07}),
    ("secondary_fire", 1150, 0.06, FIRE_SECONDARY, "criminal_damage", (0.7, 0.77),
     {"Refuse and refuse containers": 0.45, "Grassland, woodland and crops": 0.3,
      "Derelict building": 0.05, "Outdoor structure": 0.1, "Other outdoors": 0.1}),
    ("false_alarm", 2300, 0.0, FLAT, "people", (0.0, 0.0),
     {"Dwelling": 0.55, "Non-residential building": 0.4, "Other residential": 0.05}),
    ("special_service", 1400, 0.01, FLAT, "people", (0.0, 0.0),
     {"Road traffic collision": 0.3, "Effecting entry/exit": 0.2, "Flooding": 0.1,
      "Assist other agencies": 0.2, "Animal assistance": 0.05, "Lift release": 0.05,
      "Medical incident": 0.1}),
)  # fmt: skip


def _fire(d: _District, out: Path, seed: int) -> list[Path]:
    rng = np.random.default_rng([seed, 9])
    headers = _headers("fire")
    parts = []
    for category, annual, growth, season, key, (p0, p1), props in FIRE_STREAMS:
        mi, li, dates = d.draw(rng, d.level(annual, growth, season), d.weights[key])
        deliberate = rng.random(mi.size) < p0 + (p1 - p0) * mi / (MONTHS - 1)
        parts.append(
            {
                "mi": mi,
                "li": li,
                "date": dates,
                "category": np.full(mi.size, category, object),
                "deliberate": deliberate,
                "property_type": _choice(rng, props, mi.size),
            }
        )
    rows = _concat(parts)
    rows = _take(rows, np.lexsort((_rank(rows["category"]), rows["date"])))
    point = rows["li"] * POOL + rng.integers(0, POOL, rows["li"].size)
    years = rows["date"].astype("datetime64[Y]").astype(int) + 1970
    columns = {
        "incident_id": _refs("WY", years, rng, gap=0.25),
        "date": _text_dates(rows["date"], "%d/%m/%Y"),
        "category": rows["category"],
        "deliberate": _yn(rows["deliberate"]),
        "property_type": rows["property_type"],
        "easting": d.pool_e[point],
        "northing": d.pool_n[point],
    }
    columns = {h: columns[h] for h in headers}
    return _per_block(d, rows["mi"], columns, out / "fire", "wyfrs-kirklees-incidents")


#: ISTV attendances in the first 12 months and their yearly change.
ISTV_ANNUAL, ISTV_GROWTH = 1250, -0.05
ISTV_WEAPON = {
    "none": 0.55,
    "knife_or_sharp": 0.07,
    "blunt_instrument": 0.08,
    "bottle_or_glass": 0.05,
    "firearm": 0.003,
    "other": 0.08,
    "unknown": 0.167,
}
ISTV_RELATION = {
    "stranger": 0.38,
    "acquaintance": 0.25,
    "partner_or_ex": 0.12,
    "family": 0.07,
    "other": 0.05,
    "unknown": 0.13,
}
ISTV_PLACES = {
    "Street": 0.35,
    "Pub or bar": 0.12,
    "Outside takeaway": 0.06,
    "Park": 0.06,
    "Shop": 0.05,
    "Workplace": 0.05,
    "Bus station": 0.03,
    "School or college": 0.03,
    "Friend's house": 0.08,
    "Not stated": 0.17,
}
#: Relative chance of attending in each hour (0..23): evenings and nights.
ISTV_HOURS = (6, 6, 5, 4, 2, 1, 1, 1, 1, 2, 2, 3, 3, 3, 3, 4, 4, 5, 5, 6, 7, 8, 8, 7)


def _health_istv(d: _District, out: Path, seed: int) -> list[Path]:
    rng = np.random.default_rng([seed, 10])
    headers = _headers("health-istv")
    level = d.level(ISTV_ANNUAL, ISTV_GROWTH, SUMMER_MILD)
    mi, li, dates = d.draw(rng, level, d.weights["violence_injury"])
    order = np.lexsort((li, dates))
    mi, li, dates = mi[order], li[order], dates[order]
    n = mi.size
    relation = _choice(rng, ISTV_RELATION, n)
    place = _choice(rng, ISTV_PLACES, n)
    night_out = d.nte[li] & (rng.random(n) < 0.5)
    place[night_out] = _choice(
        rng, {"Nightclub": 0.5, "Pub or bar": 0.3, "Town centre": 0.2}, int(night_out.sum())
    )
    place[np.isin(relation, ["partner_or_ex", "family"])] = "Home"
    hours = np.asarray(ISTV_HOURS, float)
    hour = rng.choice(24, size=n, p=hours / hours.sum())
    minute = rng.integers(0, 60, n)
    wards = d.lsoa["ward_name"].to_numpy(object)[li]
    postcode = np.empty(n, object)
    for ward, districts in POSTCODES.items():
        rows = wards == ward
        pick = rng.integers(0, len(districts), int(rows.sum()))
        postcode[rows] = np.array(districts, dtype=object)[pick]
    postcode[rng.random(n) < 0.06] = ""  # not recorded
    located = rng.random(n) < 0.45  # grid reference recorded
    point = li * POOL + rng.integers(0, POOL, n)
    easting = np.where(located, d.pool_e[point].astype(str), "").astype(object)
    northing = np.where(located, d.pool_n[point].astype(str), "").astype(object)
    # Huddersfield Royal Infirmary and Dewsbury and District Hospital
    west = np.isin(d.lsoa["place"].to_numpy(object)[li], ["Huddersfield", "Rural"])
    years = dates.astype("datetime64[Y]").astype(int) + 1970
    refs = np.empty(n, object)
    for hospital, rows in (("HRI", west), ("DDH", ~west)):
        refs[rows] = _refs(hospital, years[rows], rng)
    weapon = _choice(rng, ISTV_WEAPON, n)
    weapon[rng.random(n) < 0.03] = ""
    columns = {
        "attendance_id": refs,
        "date": _text_dates(dates, "%Y-%m-%d"),
        "time": np.array([f"{h:02d}:{m:02d}" for h, m in zip(hour, minute, strict=True)]),
        "assault_location": place,
        "postcode_district": postcode,
        "easting": easting,
        "northing": northing,
        "weapon": weapon,
        "assailant_relationship": relation,
    }
    columns = {h: columns[h] for h in headers}
    return _per_block(d, mi, columns, out / "health-istv", "istv-kirklees-assaults")


# -- road collisions ------------------------------------------------------------------------
STATS19_FILES = {
    "collision": "accidents.csv",
    "casualty": "casualties.csv",
    "vehicle": "vehicles.csv",
}
STATS19_FORMATS = {
    "collision": "STATS19 collisions",
    "casualty": "STATS19 casualties",
    "vehicle": "STATS19 vehicles",
}


def _stats19(d: _District, out: Path, seed: int) -> list[Path]:
    """The real 2024 files as they are (whole, even if the window holds only part of 2024);
    every other year of the window resampled from the 2024 collisions of the same months
    (with their casualties and vehicles), fewer each year."""
    rng = np.random.default_rng([seed, 11])
    formats = REGISTRY["stats19"].formats()
    real = {kind: _demo_file(f"stats19/{name}") for kind, name in STATS19_FILES.items()}
    for kind, frame in real.items():
        if tuple(frame.columns) != formats[STATS19_FORMATS[kind]].headers:
            raise RuntimeError(f"sia/data/demo/stats19/{STATS19_FILES[kind]} is not the DfT format")
    base = real["collision"]
    when = pd.to_datetime(base["date"], format="%d/%m/%Y")
    base_month = when.dt.month.to_numpy()
    base_day = when.dt.day.to_numpy()
    ksi = base["collision_severity"].isin(["1", "2"]).to_numpy()
    base_index = base["collision_index"].to_numpy(object)
    in_window = {(m.year, m.month) for m in d.months}
    folder = out / "stats19"
    folder.mkdir(parents=True, exist_ok=True)
    files = []
    for year in sorted({m.year for m in d.months}):
        paths = {k: folder / f"dft-road-casualty-statistics-{k}-{year}.csv" for k in real}
        if year == 2024:
            for kind, name in STATS19_FILES.items():
                paths[kind].write_bytes(_demo_bytes(f"stats19/{name}"))
                files.append(paths[kind])
            continue
        pool = np.flatnonzero([(year, m) in in_window for m in base_month])
        n = round(pool.size * (1 + ROAD_GROWTH) ** (year - 2024))
        weight = np.where(ksi[pool], (1 + KSI_TILT) ** (2024 - year), 1.0)
        pick = np.sort(rng.choice(pool, size=n, p=weight / weight.sum()))
        refs = 1_400_000 + np.sort(rng.choice(600_000, size=n, replace=False))
        new_ref = np.array([f"13{r:07d}" for r in refs], dtype=object)
        new_index = np.array([f"{year}{r}" for r in new_ref], dtype=object)
        # the same month, the day moved by up to three days within it
        last_day = np.array([calendar.monthrange(year, m)[1] for m in base_month[pick]])
        day = np.clip(base_day[pick] + rng.integers(-3, 4, n), 1, last_day)
        dates = [dt.date(year, m, x) for m, x in zip(base_month[pick], day, strict=True)]
        collisions = base.iloc[pick].copy()
        collisions["collision_index"] = new_index
        collisions["collision_year"] = str(year)
        collisions["collision_ref_no"] = new_ref
        collisions["date"] = [x.strftime("%d/%m/%Y") for x in dates]
        # DfT day_of_week: 1 Sunday ... 7 Saturday
        collisions["day_of_week"] = [str(x.isoweekday() % 7 + 1) for x in dates]
        tables = {"collision": collisions}
        link = pd.DataFrame({"old": base_index[pick], "new": new_index, "ref": new_ref})
        for kind in ("casualty", "vehicle"):
            rows = real[kind].merge(link, left_on="collision_index", right_on="old")
            rows["collision_index"] = rows["new"]
            rows["collision_year"] = str(year)
            rows["collision_ref_no"] = rows["ref"]
            tables[kind] = rows[list(real[kind].columns)]
        for kind, table in tables.items():
            table = table.sort_values("collision_index", kind="stable")
            headers = tuple(table.columns)
            _write(paths[kind], {h: table[h].to_numpy(object) for h in headers}, headers)
            files.append(paths[kind])
    return files


# -- entry point ---------------------------------------------------------------------------
def write_event_sources(
    out_dir: Path, partnership, seed: int, end: dt.date
) -> dict[str, list[Path]]:
    """Write five years of Kirklees partner data ending at ``end`` under ``out_dir``.

    One folder per source (``out_dir/<source>/``), each file in the source's registered
    format, ready for ``sia ingest <source>``. Returns ``{source: [files]}`` in
    :data:`SOURCES` order. Only the Kirklees partnership is supported: the demo's real data
    (crime rates, fly-tipping, road collisions) are Kirklees's.
    """
    if partnership.district.code != KIRKLEES:
        raise ValueError(
            f"the demo partner data are for Kirklees ({KIRKLEES}), not "
            f"{partnership.district.name} ({partnership.district.code})"
        )
    missing = {w.name for w in partnership.wards} - set(STREETS)
    if missing:
        raise ValueError(f"no demo street names for wards {sorted(missing)}")
    out = Path(out_dir)
    d = _district(partnership, np.random.default_rng([seed, 0]), window(end))
    crimes = _crimes(d, seed)
    return {
        "police-uk": _police_uk(d, crimes, out, seed),
        "force-extract": _force_extract(d, crimes, out, seed),
        "asb-council": _asb_council(d, out, seed),
        "fire": _fire(d, out, seed),
        "health-istv": _health_istv(d, out, seed),
        "stats19": _stats19(d, out, seed),
    }
