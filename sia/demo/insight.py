"""The insight half of the Kirklees demo pack: what residents, councillors and officers said.

Four sources, written as the CSVs a partnership would load with ``sia ingest`` (headers
taken from the registered formats):

- ``engagement``: community engagements by Community Plus, the detached youth workers and
  the Community Environment Support Officers in the pack's last four calendar months (from
  the first of the month three months before ``end``'s month, up to ``end``);
- ``councillor-session``: ward meetings with councillors in the first two of those months;
- ``officer-session``: place-based and theme sessions with officers in the second and third
  of those months;
- ``tension``: community tension reports, weekly or so through the pack's last 365 days.

With the pack ending on 31 January 2026 these fall exactly where the seed report (Kirklees,
2026/7-2029 plan outline, sections 3 and 5) puts them: engagement October 2025 to January
2026, ward meetings October-November 2025, officer sessions November-December 2025.

What the seed states is exact: the reach table of section 5.3 (individuals, groups, mosques
and other faith organisations by place), 22 wards and 47 councillors at the ward meetings,
over 150 officers, ASB the concern raised most often in every place, and the concerns,
issues and praise the seed lists for each place. Everything else (dates, wards, teams,
feelings, the words of notes and summaries, the tension reports) is invented, reproducibly
for a seed.
"""

from __future__ import annotations

import bisect
import csv
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import accumulate
from pathlib import Path

import numpy as np

from sia.config import Partnership
from sia.sources import REGISTRY

ENGAGEMENT = "engagement"
COUNCILLOR_SESSION = "councillor-session"
OFFICER_SESSION = "officer-session"
TENSION = "tension"
SOURCES = (ENGAGEMENT, COUNCILLOR_SESSION, OFFICER_SESSION, TENSION)


# -- what the seed states exactly ----------------------------------------------------------
@dataclass(frozen=True)
class Reach:
    """One row of the seed's reach table (section 5.3)."""

    individuals: int
    groups: int
    mosques: int  # engagements with organisation_type mosque
    other_faith: int  # engagements with organisation_type other_faith


#: Section 5.3 of the seed. Rural's mosques are "N/A": no engagement with a mosque there.
REACH: dict[str, Reach] = {
    "Batley & Spen": Reach(448, 414, 59, 78),
    "Dewsbury & Mirfield": Reach(307, 177, 117, 41),
    "Huddersfield": Reach(995, 563, 54, 140),
    "Rural": Reach(623, 400, 0, 121),
}
#: Sections 3d and 5.1: ward meetings in 22 wards, 47 councillors in total.
COUNCILLOR_WARDS = 22
COUNCILLORS = 47
MAX_COUNCILLORS_PER_WARD = 3  # Kirklees elects three councillors per ward
#: Section 5.2: "over 150 officers engaged in online sessions".
OFFICERS_OVER = 150

#: The ids the pack uses for concerns, issues and tension categories: id -> (label, the
#: priority of kirklees.yaml it belongs to, if any). Where a concern is a priority, its id
#: is the priority's id.
TAXONOMY: dict[str, tuple[str, str | None]] = {
    "asb": ("Anti-social behaviour", "asb"),
    "youth-disorder": ("Youth disorder", "asb"),
    "nuisance-vehicles": ("Nuisance vehicles and nuisance driving", "asb"),
    "fly-tipping": ("Fly-tipping", "asb"),
    "neighbourhood-crime": ("Burglary, car crime and theft", "neighbourhood-crime"),
    "burglary": ("Burglary", "neighbourhood-crime"),
    "drugs-alcohol": ("Drug activity and alcohol", "drugs-alcohol"),
    "road-safety": ("Speeding and dangerous driving", "road-safety"),
    "serious-violence": ("Serious violence", "serious-violence"),
    "serious-incidents": ("Serious incidents", "serious-violence"),
    "knife-crime": ("Knife crime", "serious-violence"),
    "gangs": ("Gangs", "serious-violence"),
    "organised-crime": ("Organised crime", "serious-violence"),
    "normalisation-of-violence": ("Normalisation of violence", "serious-violence"),
    "domestic-abuse": ("Domestic abuse", "domestic-abuse"),
    "vawg": ("Violence against women and girls", "vawg"),
    "vawg-awareness": ("Low awareness of violence against women and girls", "vawg"),
    "modern-slavery": ("Modern slavery", "modern-slavery"),
    "youth-exploitation": ("Exploitation of young people", "youth-exploitation"),
    "community-tensions": ("Community tensions", "community-tensions"),
    "hate-crime": ("Hate crime", "hate-crime"),
    "migration": ("Migration and new arrivals", "migration"),
    "perceptions-after-dark": ("Feeling unsafe after dark", "inclusive-communities"),
    "underreporting": ("Underreporting", None),
    "cost-of-living": ("Cost of living", None),
    "loneliness-isolation": ("Loneliness and isolation", None),
    "youth-provision": ("Lack of youth provision", None),
    "street-lighting": ("Poor street lighting", None),
    "cctv": ("CCTV coverage", None),
    "police-visibility": ("Visible police and council presence", None),
    "reporting-guidance": ("Clear guidance on how to report", None),
    "night-time-economy": ("Night-time economy", None),
    "mental-health": ("Mental health and substance misuse", None),
    "online-risks": ("Online risks", None),
    # tension report categories
    "anti-asylum-protest": ("Anti-asylum protest", "community-tensions"),
    "online-rumour": ("Online rumour", "community-tensions"),
    "hate-incident": ("Hate incident", "hate-crime"),
    "media-reporting": ("Media reporting", "community-tensions"),
    "far-right-activity": ("Far-right stickers and leaflets", "prevent"),
    "community-dispute": ("Community dispute", "community-tensions"),
}

# -- where things are -----------------------------------------------------------------------
#: Localities residents name, by ward (for ``locations`` and the notes).
LOCALITIES: dict[str, tuple[str, ...]] = {
    "Almondbury": ("Almondbury village", "Fenay Bridge", "Castle Hill"),
    "Ashbrow": ("Sheepridge", "Deighton", "Brackenhall", "Bradley"),
    "Batley East": ("Batley town centre", "Mount Pleasant", "Hanging Heaton", "Soothill"),
    "Batley West": ("Staincliffe", "Carlinghow", "Healey", "Wilton Park"),
    "Birstall and Birkenshaw": ("Birstall market place", "Birkenshaw", "Fieldhead"),
    "Cleckheaton": ("Cleckheaton town centre", "Scholes", "Hunsworth"),
    "Colne Valley": ("Slaithwaite", "Marsden", "Linthwaite"),
    "Crosland Moor and Netherton": ("Crosland Moor", "Netherton", "Lockwood", "Thornton Lodge"),
    "Dalton": ("Dalton", "Moldgreen", "Rawthorpe", "Kirkheaton"),
    "Denby Dale": ("Denby Dale", "Skelmanthorpe", "Scissett", "Clayton West"),
    "Dewsbury East": ("Earlsheaton", "Chickenley", "Shaw Cross"),
    "Dewsbury South": ("Savile Town", "Thornhill", "Thornhill Lees"),
    "Dewsbury West": ("Dewsbury town centre", "Ravensthorpe", "Dewsbury Moor", "Westtown"),
    "Golcar": ("Golcar", "Milnsbridge", "Cowlersley"),
    "Greenhead": ("Birkby", "Marsh", "Paddock", "Edgerton"),
    "Heckmondwike": ("Heckmondwike market place", "Heckmondwike Green", "White Lee"),
    "Holme Valley North": ("Honley", "Meltham", "Netherthong"),
    "Holme Valley South": ("Holmfirth", "New Mill", "Hepworth"),
    "Kirkburton": ("Kirkburton", "Shepley", "Shelley", "Flockton"),
    "Lindley": ("Lindley", "Salendine Nook", "Oakes", "Birchencliffe"),
    "Liversedge and Gomersal": ("Liversedge", "Gomersal", "Roberttown", "Littletown"),
    "Mirfield": ("Mirfield town centre", "Battyeford", "Hopton"),
    "Newsome": ("Huddersfield town centre", "Newsome", "Berry Brow", "Armitage Bridge"),
}
FEATURES = (
    "the park",
    "the recreation ground",
    "the shopping parade",
    "the back lanes",
    "the school gates",
    "the takeaways",
    "the community centre car park",
    "the bus stops",
)
#: How likely a mosque engagement is to be in a ward (other wards of the place: 0.3).
MOSQUE_WARDS: dict[str, float] = {
    "Batley East": 3.0,
    "Batley West": 2.5,
    "Heckmondwike": 2.0,
    "Dewsbury West": 3.0,
    "Dewsbury South": 3.0,
    "Dewsbury East": 1.5,
    "Crosland Moor and Netherton": 2.5,
    "Greenhead": 2.5,
    "Dalton": 1.5,
    "Ashbrow": 1.5,
    "Newsome": 1.0,
    "Cleckheaton": 0.8,
}

# -- engagements -------------------------------------------------------------------------
OTHER_ORGANISATIONS = {  # the engagements that are neither mosques nor other faith groups
    "community_group": 0.30,
    "womens_group": 0.18,
    "youth": 0.16,
    "school": 0.12,
    "food_hub": 0.14,
    "other": 0.10,
}
TEAMS_BY_ORGANISATION = {  # organisation type -> (community_plus, detached_youth, environment)
    "none": (0.25, 0.45, 0.30),
    "mosque": (0.85, 0.05, 0.10),
    "other_faith": (0.85, 0.05, 0.10),
    "youth": (0.25, 0.65, 0.10),
    "school": (0.35, 0.50, 0.15),
}
TEAMS_DEFAULT = (0.60, 0.15, 0.25)
TEAMS = ("community_plus", "detached_youth", "environment")
#: Extra groups (beyond one) and individuals (beyond one) an engagement tends to reach.
GROUP_WEIGHT = {
    "mosque": 0.5,
    "other_faith": 0.7,
    "community_group": 3.0,
    "womens_group": 2.0,
    "youth": 2.0,
    "school": 2.0,
    "food_hub": 1.5,
    "other": 1.5,
}
PEOPLE_WEIGHT = {
    "none": 2.5,
    "mosque": 1.5,
    "other_faith": 1.2,
    "community_group": 3.0,
    "womens_group": 2.5,
    "youth": 3.0,
    "school": 4.0,
    "food_hub": 3.0,
    "other": 1.5,
}
FEELINGS = ("ok", "positive", "mixed", "anxious", "concerned")
FEELING_P = (0.56, 0.12, 0.14, 0.09, 0.09)  # "most residents feel broadly OK"
FEELING_P_AFTER_INCIDENT = (0.34, 0.04, 0.22, 0.22, 0.18)

#: How likely an engagement is to raise each concern; ASB is the most common everywhere.
CONCERN_P: dict[str, float] = {
    "asb": 0.46,
    "cost-of-living": 0.20,
    "drugs-alcohol": 0.18,
    "youth-disorder": 0.16,
    "youth-provision": 0.15,
    "loneliness-isolation": 0.13,
    "nuisance-vehicles": 0.14,
    "fly-tipping": 0.14,
    "road-safety": 0.08,
    "perceptions-after-dark": 0.08,
    "neighbourhood-crime": 0.05,
    "hate-crime": 0.04,
    "community-tensions": 0.04,
    "underreporting": 0.04,
    "domestic-abuse": 0.03,
    "vawg": 0.03,
    "migration": 0.03,
    "serious-violence": 0.02,
}
CONCERN_P_BY_PLACE: dict[str, dict[str, float]] = {
    "Batley & Spen": {"nuisance-vehicles": 0.06, "hate-crime": 0.03, "drugs-alcohol": 0.04},
    "Dewsbury & Mirfield": {"serious-violence": 0.05, "community-tensions": 0.04},
    "Huddersfield": {"perceptions-after-dark": 0.05, "drugs-alcohol": 0.05},
    "Rural": {"loneliness-isolation": 0.08, "road-safety": 0.07, "youth-provision": 0.06},
}
CONCERN_P_BY_ORGANISATION: dict[str, dict[str, float]] = {
    "mosque": {"hate-crime": 0.10, "community-tensions": 0.08, "youth-provision": 0.05},
    "other_faith": {"hate-crime": 0.05, "loneliness-isolation": 0.07, "cost-of-living": 0.05},
    "womens_group": {"perceptions-after-dark": 0.15, "vawg": 0.08, "domestic-abuse": 0.05},
    "youth": {"youth-provision": 0.15, "youth-disorder": 0.05},
    "school": {"road-safety": 0.12, "youth-provision": 0.08},
    "food_hub": {"cost-of-living": 0.30, "loneliness-isolation": 0.08},
    "none": {"asb": 0.08, "fly-tipping": 0.06, "nuisance-vehicles": 0.04},
}
MAX_CONCERNS = 4

FEELING_NOTES = {
    "ok": (
        "Generally feel OK about the area.",
        "Most people said things feel much the same as usual.",
        "Broadly settled; no big worries beyond the usual.",
    ),
    "positive": (
        "Positive about the area and recent improvements.",
        "People proud of their neighbourhood and what local groups have achieved.",
        "Upbeat conversation; feel well supported locally.",
    ),
    "mixed": (
        "Mixed feelings: like the neighbourhood but worried about some changes.",
        "Some feel fine, others less so, particularly older members.",
    ),
    "anxious": (
        "Some anxiety following recent incidents and rumours online.",
        "People anxious after what they had seen shared on social media.",
    ),
    "concerned": (
        "Clearly concerned about safety locally.",
        "Several people said they no longer feel safe going out in the evening.",
    ),
}
CONCERN_NOTES = {
    "asb": (
        "Residents raised young people gathering near {loc} in the evenings.",
        "Ongoing anti-social behaviour around {loc} is wearing people down.",
    ),
    "drugs-alcohol": (
        "Reports of drug dealing from cars near {loc}.",
        "Drinking and cannabis use in {loc} putting families off going there.",
    ),
    "youth-disorder": ("Groups of teenagers causing trouble around {loc} after school.",),
    "nuisance-vehicles": (
        "Off-road bikes and cars racing around {loc} late at night.",
        "Nuisance driving and revving engines near {loc} most weekends.",
    ),
    "fly-tipping": (
        "Fly-tipping in {loc} is getting worse.",
        "Rubbish dumped again near {loc}; residents want it cleared faster.",
    ),
    "road-safety": ("Speeding traffic near {loc} worries parents.",),
    "cost-of-living": (
        "Families struggling with energy bills and food costs.",
        "More working families relying on the food hub this winter.",
    ),
    "loneliness-isolation": (
        "Older residents say they feel isolated since the bus service was cut back.",
        "Some members rarely see anyone outside the weekly session.",
    ),
    "youth-provision": (
        "Parents say there is nothing for young people to do since the youth club closed.",
        "Young people asked for somewhere safe and warm to go in the evenings.",
    ),
    "perceptions-after-dark": (
        "Women say they avoid {loc} after dark because of poor lighting.",
        "People do not feel safe walking home through {loc} after dark.",
    ),
    "neighbourhood-crime": ("A spate of car thefts and break-ins around {loc}.",),
    "hate-crime": ("Some members described verbal abuse in the street but had not reported it.",),
    "community-tensions": ("Worries about tensions between groups after rumours online.",),
    "underreporting": ("People said there is no point reporting because nothing happens.",),
    "domestic-abuse": ("A volunteer mentioned women who would not know where to get help.",),
    "vawg": ("Young women spoke about harassment on the way home near {loc}.",),
    "migration": ("Mixed views about new arrivals housed locally; some misinformation shared.",),
    "serious-violence": ("Parents worried about knife crime after an incident in the news.",),
}
STRENGTHS = {
    "mosque": (
        "Mosque committee keen to host a drop-in with the neighbourhood team",
        "Trusted relationship with the imam and the mosque's youth committee",
        "Faith organisations linking families to support",
    ),
    "other_faith": (
        "Church warm space and food bank well used",
        "Gurdwara langar open to all",
        "Interfaith network meeting monthly",
        "Faith organisations working together on a winter appeal",
    ),
    "womens_group": (
        "Women's group meets weekly and is a trusted space",
        "Women's group running English conversation classes",
    ),
    "community_group": (
        "Walking group well attended and welcoming to newcomers",
        "Residents' association active and well connected",
        "Friends of the park group organising litter picks",
    ),
    "food_hub": (
        "Food hub volunteers know local families well",
        "Food hub also offers advice on bills and benefits",
    ),
    "youth": ("Youth club volunteers trusted by young people",),
    "school": ("School keen to work with the detached youth team",),
    "other": ("Community café acting as an informal meeting point",),
    "none": (
        "Good neighbour networks on the street",
        "Local shopkeepers keeping an eye out for older residents",
        "",
    ),
}

# -- councillor ward meetings ---------------------------------------------------------------
#: Section 5.1 per place: the concerns the ward meetings raised.
COUNCILLOR_CONCERNS: dict[str, tuple[str, ...]] = {
    "Batley & Spen": (
        "perceptions-after-dark",
        "nuisance-vehicles",
        "hate-crime",
        "underreporting",
        "road-safety",
        "youth-provision",
    ),
    "Dewsbury & Mirfield": (
        "gangs",
        "knife-crime",
        "domestic-abuse",
        "road-safety",
        "youth-exploitation",
        "street-lighting",
        "youth-provision",
    ),
    "Huddersfield": (
        "asb",
        "road-safety",
        "street-lighting",
        "cctv",
        "reporting-guidance",
        "police-visibility",
        "underreporting",
    ),
    "Rural": ("drugs-alcohol", "youth-disorder", "asb", "road-safety", "youth-provision"),
}
#: Section 5.1, common emerging themes.
COMMON_COUNCILLOR_CONCERNS = {
    "asb": 0.30,
    "road-safety": 0.18,
    "drugs-alcohol": 0.15,
    "fly-tipping": 0.12,
    "police-visibility": 0.10,
    "domestic-abuse": 0.05,
    "vawg": 0.05,
    "hate-crime": 0.05,
}
PRAISE: dict[str, tuple[str, ...]] = {
    "Batley & Spen": (
        "Operation Trimburg has made a real difference to nuisance driving",
        "Community clean-up days well supported",
        "PCSOs at the school gates",
    ),
    "Dewsbury & Mirfield": (
        "Continued Operation Trimburg activity welcomed",
        "Neighbourhood policing team responsive when contacted",
        "Community events bring people together",
    ),
    "Huddersfield": (
        "Police presence in the town centre at weekends is reassuring",
        "Community Plus linking residents to local groups",
        "Lighting improvements on the main routes",
    ),
    "Rural": (
        "Community events such as the gala and lights switch-on bolster cohesion",
        "Operation Trimburg has had a positive impact on dangerous driving",
        "Safe zones for young people in the town centre working well",
    ),
}
SUGGESTIONS: dict[str, tuple[str, ...]] = {
    "Batley & Spen": (
        "More traffic control and speed enforcement on the main roads",
        "Expanded youth provision in the evenings",
        "Visible patrols in the town centre at night",
    ),
    "Dewsbury & Mirfield": (
        "Improved street lighting on routes to the town centre",
        "More youth provision to steer young people away from gangs",
        "Continue Trimburg operations",
    ),
    "Huddersfield": (
        "Improved lighting and more CCTV in hotspot areas",
        "Clear guidance for residents on how and where to report",
        "More visible police presence after dark",
    ),
    "Rural": (
        "Keep youth provision going beyond the current funding",
        "More safe zones",
        "Speed enforcement on rural roads",
    ),
}
COMMON_SUGGESTIONS = (
    "School-gate safety operations",
    "Joint days of action with the police and council",
    "Targeted environmental improvements in hotspot streets",
    "Expanded youth provision",
)
ROUTES_KNOWN = ("yes", "partly", "no")
ROUTES_P = {"Huddersfield": (0.30, 0.50, 0.20)}
ROUTES_P_DEFAULT = (0.50, 0.40, 0.10)

# -- officer sessions ---------------------------------------------------------------------
#: Section 5.2 per place: (theme id or None for a place session, issues raised).
OFFICER_SESSIONS: dict[str, tuple[tuple[str | None, tuple[str, ...]], ...]] = {
    "Dewsbury & Mirfield": (
        (
            None,
            (
                "serious-violence",
                "organised-crime",
                "domestic-abuse",
                "modern-slavery",
                "underreporting",
            ),
        ),
        (
            "violence-abuse-exploitation",
            ("serious-violence", "organised-crime", "modern-slavery", "underreporting"),
        ),
        ("inclusive-resilient-communities", ("domestic-abuse", "underreporting")),
    ),
    "Huddersfield": (
        (None, ("serious-incidents", "normalisation-of-violence", "vawg-awareness")),
        ("violence-abuse-exploitation", ("serious-incidents", "normalisation-of-violence")),
        ("violence-abuse-exploitation", ("vawg-awareness", "vawg", "underreporting")),
    ),
    "Batley & Spen": (
        (None, ("drugs-alcohol", "asb", "youth-exploitation", "community-tensions")),
        ("asb-neighbourhood-crime", ("asb", "drugs-alcohol")),
        ("inclusive-resilient-communities", ("community-tensions", "youth-exploitation")),
    ),
    "Rural": (
        (None, ("night-time-economy", "domestic-abuse", "underreporting", "burglary")),
        ("reducing-risk", ("night-time-economy", "drugs-alcohol")),
        ("asb-neighbourhood-crime", ("burglary",)),
    ),
}
CROSS_CUTTING_ISSUES = ("mental-health", "online-risks", "underreporting", "drugs-alcohol")
MIN_OFFICERS_PER_SESSION = 6

# -- tension reports ----------------------------------------------------------------------
#: Routine reports: category -> (how likely, (local, national, international) trigger odds).
ROUTINE_CATEGORIES: dict[str, tuple[float, tuple[float, float, float]]] = {
    "asb": (0.35, (1.0, 0.0, 0.0)),
    "community-dispute": (0.15, (1.0, 0.0, 0.0)),
    "online-rumour": (0.15, (0.7, 0.3, 0.0)),
    "hate-incident": (0.15, (0.7, 0.15, 0.15)),
    "media-reporting": (0.10, (0.5, 0.5, 0.0)),
    "far-right-activity": (0.10, (0.5, 0.5, 0.0)),
}
TRIGGERS = ("local", "national", "international")
EVIDENCE = ("potential", "experienced", "evidenced")
TENSION_SUMMARIES = {
    "asb": (
        "Young people gathering and throwing stones at buses near {loc}; residents frustrated.",
        "Repeated ASB at the shops in {loc} blamed on one group on local Facebook pages.",
    ),
    "community-dispute": (
        "Long-running dispute between neighbours in {loc} drawing in wider family members.",
    ),
    "online-rumour": (
        "Unfounded claims on social media linking an incident in {loc} to new arrivals.",
        "Rumours shared in local groups about a man approaching children near {loc}.",
    ),
    "hate-incident": (
        "Verbal abuse directed at a woman wearing a headscarf near {loc}; reported to police.",
        "Racist graffiti found on a wall in {loc}.",
    ),
    "media-reporting": (
        "Regional media coverage of a court case prompting heated comments online.",
        "National press story about the area shared widely with negative comments.",
    ),
    "far-right-activity": ("Stickers and leaflets from a far-right group found around {loc}.",),
}
TENSION_ACTIONS = {
    "asb": (
        "Neighbourhood policing team increasing patrols; detached youth workers out in the "
        "evenings.",
        "Joint visit by the police and Community Plus to the shops and residents.",
    ),
    "community-dispute": (
        "Mediation offered; neighbourhood team and housing officer visiting both households.",
    ),
    "online-rumour": (
        "Myth-busting message shared through trusted community contacts.",
        "Partnership Intelligence Portal submission made; posts reported to the platform.",
    ),
    "hate-incident": (
        "Reassurance visits to the mosque and nearby businesses; reporting routes shared.",
        "Graffiti removed within 24 hours; hate crime reporting information shared.",
    ),
    "media-reporting": (
        "Communications team briefed; key messages shared with community contacts.",
        "Monitored through the weekly tension meeting; no further action needed.",
    ),
    "far-right-activity": ("Stickers removed by the environment team; Prevent team informed.",),
    "anti-asylum-protest": (
        "Police operation in place; community leaders briefed and reassurance patrols at the "
        "hotel.",
        "Daily partnership calls until tensions ease; myth-busting messages shared.",
    ),
}


# -- helpers ------------------------------------------------------------------------------
def _month_start(end: date, back: int) -> date:
    """The first day of the month ``back`` months before ``end``'s month."""
    months = end.year * 12 + end.month - 1 - back
    return date(months // 12, months % 12 + 1, 1)


def _days(first: date, last: date) -> list[date]:
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


def _holiday(day: date) -> bool:
    return (day.month == 12 and day.day >= 24) or (day.month == 1 and day.day == 1)


def _pick(rng: np.random.Generator, items, p=None):
    """One of ``items`` at random, in proportion to the weights ``p`` if given."""
    items = items if isinstance(items, list | tuple) else list(items)
    if p is None:
        return items[int(rng.integers(len(items)))]
    cumulative = list(accumulate(p))
    i = bisect.bisect_right(cumulative, rng.random() * cumulative[-1])
    return items[min(i, len(items) - 1)]


def _split(rng: np.random.Generator, total: int, weights) -> np.ndarray:
    """``total`` split at random in proportion to ``weights`` (with some noise); exact."""
    weights = np.asarray(weights, dtype=float) * rng.gamma(2.0, 0.5, len(weights))
    if total <= 0 or not len(weights):
        return np.zeros(len(weights), dtype=int)
    return rng.multinomial(total, weights / weights.sum())


def _format_headers(source: str) -> tuple[str, ...]:
    formats = REGISTRY[source].formats()
    if len(formats) != 1:
        raise ValueError(f"source {source!r} has {len(formats)} formats; expected one")
    return next(iter(formats.values())).headers


def _write(path: Path, source: str, rows: list[dict[str, object]]) -> Path:
    headers = _format_headers(source)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(headers)
        for row in rows:
            if set(row) != set(headers):
                raise ValueError(
                    f"{source} row has columns {sorted(row)}; the format has {list(headers)}"
                )
            writer.writerow(["" if row[h] is None else row[h] for h in headers])
    return path


@dataclass(frozen=True)
class _Geography:
    """The partnership's places and wards, as the pack needs them."""

    wards: dict[str, list[tuple[str, str]]]  # place -> [(ward code, ward name)]

    @classmethod
    def of(cls, partnership: Partnership) -> _Geography:
        codes = {w.name: w.code for w in partnership.wards}
        wards = {p.name: [(codes[w], w) for w in p.wards] for p in partnership.places}
        missing = [place for place in REACH if place not in wards]
        if missing:
            raise ValueError(
                f"the insight pack follows the Kirklees seed report: places {missing} are not "
                f"places of {partnership.name}"
            )
        return cls(wards)

    def localities(self, place: str, ward: str | None) -> tuple[str, ...]:
        if ward is not None:
            return LOCALITIES.get(ward, (ward,))
        return tuple(loc for _, name in self.wards[place] for loc in LOCALITIES.get(name, (name,)))


def _location(rng: np.random.Generator, geo: _Geography, place: str, ward: str | None) -> str:
    locality = _pick(rng, geo.localities(place, ward))
    if rng.random() < 0.5:
        return locality
    return f"{_pick(rng, FEATURES)}, {locality}"


# -- tension reports ----------------------------------------------------------------------
@dataclass(frozen=True)
class _Tension:
    day: date
    place: str | None
    ward: tuple[str, str] | None
    category: str
    trigger: str
    evidence: str
    level: int
    summary: str
    actions: str


def _tension_reports(rng: np.random.Generator, geo: _Geography, end: date) -> list[_Tension]:
    """A year of reports: a low weekly picture and three spikes after events."""
    start = end - timedelta(days=364)
    places = list(REACH)
    reports: list[_Tension] = []

    def ward_of(place: str) -> tuple[str, str]:
        wards = geo.wards[place]
        return _pick(rng, wards, [MOSQUE_WARDS.get(name, 0.5) for _, name in wards])

    def report(day, place, ward, category, trigger, evidence, level, summary) -> None:
        if start <= day <= end:
            reports.append(
                _Tension(
                    day,
                    place,
                    ward,
                    category,
                    trigger,
                    evidence,
                    level,
                    summary,
                    _pick(rng, TENSION_ACTIONS[category]),
                )
            )

    def after(day: date, low: int, high: int) -> date:
        return day + timedelta(days=int(rng.integers(low, high)))

    # 1. national anti-asylum protests, the year's highest spike
    day = start + timedelta(days=int(rng.integers(120, 220)))
    place = _pick(rng, places[:3])
    ward = ward_of(place)
    loc = _pick(rng, LOCALITIES.get(ward[1], (ward[1],)))
    report(
        day,
        None,
        None,
        "anti-asylum-protest",
        "national",
        "potential",
        3,
        "National protests outside hotels housing asylum seekers; calls online for local ones.",
    )
    report(
        after(day, 2, 5),
        place,
        ward,
        "anti-asylum-protest",
        "national",
        "evidenced",
        5 if rng.random() < 0.4 else 4,
        f"A protest of around {int(rng.integers(8, 25)) * 10} people outside a hotel housing "
        f"asylum seekers near {loc}; a counter-protest gathered nearby.",
    )
    report(
        after(day, 5, 9),
        place,
        ward,
        "online-rumour",
        "national",
        "experienced",
        3,
        f"False claims shared online about asylum seekers housed near {loc}.",
    )
    report(
        after(day, 14, 21),
        place,
        ward,
        "anti-asylum-protest",
        "national",
        "experienced",
        2,
        f"Smaller gathering near {loc}; tensions easing but online activity continues.",
    )
    # 2. an international conflict, felt locally
    day = start + timedelta(days=int(rng.integers(20, 100)))
    place = _pick(rng, places[:3])
    ward = ward_of(place)
    loc = _pick(rng, LOCALITIES.get(ward[1], (ward[1],)))
    report(
        day,
        place,
        ward,
        "hate-incident",
        "international",
        "evidenced",
        3,
        f"Abuse shouted at worshippers leaving a mosque in {loc} after events overseas.",
    )
    report(
        after(day, 3, 8),
        None,
        None,
        "media-reporting",
        "international",
        "potential",
        int(rng.integers(2, 4)),
        "International conflict dominating the news; heated exchanges in local online groups.",
    )
    report(
        after(day, 9, 15),
        place,
        ward,
        "hate-incident",
        "international",
        "experienced",
        2,
        f"Leaflets about the conflict left on cars near {loc}; some residents upset.",
    )
    # 3. a local incident and the rumours after it, while the engagement is under way
    first = _month_start(end, 3)
    day = first + timedelta(days=int(rng.integers(7, max(8, (end - first).days - 21))))
    place = _pick(rng, places)
    ward = ward_of(place)
    loc = _pick(rng, LOCALITIES.get(ward[1], (ward[1],)))
    report(
        day,
        place,
        ward,
        "online-rumour",
        "local",
        "experienced",
        3,
        f"Rumours on social media about a serious assault in {loc}; false claims about "
        "those involved.",
    )
    report(
        after(day, 2, 5),
        place,
        ward,
        "media-reporting",
        "local",
        "evidenced",
        3,
        f"Local press coverage of the assault in {loc} repeating claims made online.",
    )
    report(
        after(day, 8, 13),
        place,
        ward,
        "online-rumour",
        "local",
        "experienced",
        2,
        f"Online comment about the assault in {loc} dying down after a police statement.",
    )
    # 4. the routine weekly picture: low levels
    busy = {r.day.toordinal() // 7 for r in reports}
    categories = list(ROUTINE_CATEGORIES)
    odds = [p for p, _ in ROUTINE_CATEGORIES.values()]
    week = start
    while week <= end:
        if week.toordinal() // 7 not in busy and rng.random() < 0.8:
            category = _pick(rng, categories, odds)
            place = _pick(rng, places)
            ward = ward_of(place) if rng.random() < 0.85 else None
            loc = _pick(rng, geo.localities(place, ward[1] if ward else None))
            report(
                week + timedelta(days=int(rng.integers(0, 5))),
                place,
                ward,
                category,
                _pick(rng, TRIGGERS, ROUTINE_CATEGORIES[category][1]),
                _pick(rng, EVIDENCE, (0.3, 0.4, 0.3)),
                1 if rng.random() < 0.6 else 2,
                _pick(rng, TENSION_SUMMARIES[category]).format(loc=loc),
            )
        week += timedelta(days=7)
    return sorted(reports, key=lambda r: (r.day, r.place or "", r.category))


# -- engagements ----------------------------------------------------------------------------
def _feeling(rng, day: date, place: str, incidents: list[_Tension]) -> str:
    after = any((t.place in (None, place)) and 0 <= (day - t.day).days <= 21 for t in incidents)
    return _pick(rng, FEELINGS, FEELING_P_AFTER_INCIDENT if after else FEELING_P)


def _concerns(rng, place: str, organisation: str) -> list[str]:
    p = dict(CONCERN_P)
    for extra in (
        CONCERN_P_BY_PLACE.get(place, {}),
        CONCERN_P_BY_ORGANISATION.get(organisation, {}),
    ):
        for concern, add in extra.items():
            p[concern] = p[concern] + add
    draws = rng.random(len(p))
    chosen = [c for c, u in zip(p, draws, strict=True) if u < p[c]]
    if len(chosen) > MAX_CONCERNS:
        keep = rng.permutation(len(chosen))[:MAX_CONCERNS]
        chosen = [chosen[i] for i in sorted(keep)]
    return chosen


def _notes(rng, feeling: str, concerns: list[str], locality: str) -> str:
    parts = [_pick(rng, FEELING_NOTES[feeling])]
    for concern in concerns[:2]:
        parts.append(_pick(rng, CONCERN_NOTES[concern]).format(loc=locality))
    return " ".join(parts)


def _engagements(
    rng: np.random.Generator, geo: _Geography, end: date, incidents: list[_Tension]
) -> list[dict[str, object]]:
    first = _month_start(end, 3)
    days = _days(first, end)
    day_weights = [
        0.05 if _holiday(d) else (1.0, 1.0, 1.0, 1.0, 1.0, 0.3, 0.1)[d.weekday()] for d in days
    ]
    records: list[dict] = []
    for place, reach in REACH.items():
        wards = geo.wards[place]
        # the organisations engaged with: the seed's mosques and other faith groups exactly,
        # then other organisations (one group each at least, so no more than the groups
        # left) and street conversations with individuals only
        spare_groups = reach.groups - reach.mosques - reach.other_faith
        others = min(int(rng.integers(spare_groups // 3, spare_groups // 2 + 1)), 150)
        street = int(rng.integers(20, 61))
        kinds = list(OTHER_ORGANISATIONS)
        organisations = (
            ["mosque"] * reach.mosques
            + ["other_faith"] * reach.other_faith
            + [_pick(rng, kinds, list(OTHER_ORGANISATIONS.values())) for _ in range(others)]
            + ["none"] * street
        )
        organisations = [organisations[i] for i in rng.permutation(len(organisations))]
        n = len(organisations)
        if reach.individuals < n:
            raise ValueError(f"{place}: {n} engagements for {reach.individuals} individuals")
        groups = np.array([0 if o == "none" else 1 for o in organisations])
        with_groups = [i for i, o in enumerate(organisations) if o != "none"]
        groups[with_groups] += _split(
            rng,
            reach.groups - int(groups.sum()),
            [GROUP_WEIGHT[organisations[i]] for i in with_groups],
        )
        people = 1 + _split(rng, reach.individuals - n, [PEOPLE_WEIGHT[o] for o in organisations])
        place_records = []
        for i, organisation in enumerate(organisations):
            day = _pick(rng, days, day_weights)
            if rng.random() < 0.08:
                ward = None
            elif organisation == "mosque":
                ward = _pick(rng, wards, [MOSQUE_WARDS.get(name, 0.3) for _, name in wards])
            else:
                ward = _pick(rng, wards)
            feeling = _feeling(rng, day, place, incidents)
            concerns = _concerns(rng, place, organisation)
            place_records.append(
                {
                    "day": day,
                    "place": place,
                    "ward": ward,
                    "organisation": organisation,
                    "team": _pick(
                        rng, TEAMS, TEAMS_BY_ORGANISATION.get(organisation, TEAMS_DEFAULT)
                    ),
                    "individuals": int(people[i]),
                    "groups": int(groups[i]),
                    "feeling": feeling,
                    "concerns": concerns,
                }
            )
        _asb_first(rng, place_records)
        for record in place_records:
            ward_name = record["ward"][1] if record["ward"] else None
            location = _location(rng, geo, place, ward_name)
            locality = location.split(", ")[-1]
            record["notes"] = _notes(rng, record["feeling"], record["concerns"], locality)
            record["strengths"] = _pick(rng, STRENGTHS[record["organisation"]])
            record["locations"] = location if record["concerns"] or rng.random() < 0.3 else ""
        records.extend(place_records)
    records.sort(key=lambda r: (r["day"], r["place"], r["organisation"], r["individuals"]))
    rows = []
    for n, r in enumerate(records, start=1):
        rows.append(
            {
                "engagement_id": f"ENG-{r['day']:%Y%m}-{n:04d}",
                "date": r["day"].isoformat(),
                "team": r["team"],
                "place": r["place"],
                "ward_code": r["ward"][0] if r["ward"] else "",
                "organisation_type": r["organisation"],
                "individuals": r["individuals"],
                "groups": r["groups"],
                "feeling": r["feeling"],
                "concerns": ";".join(c for c in TAXONOMY if c in r["concerns"]),
                "notes": r["notes"],
                "strengths": r["strengths"],
                "locations": r["locations"],
            }
        )
    return rows


def _asb_first(rng: np.random.Generator, records: list[dict]) -> None:
    """Make ASB the concern raised most often in the place, strictly (the seed says so)."""

    tally: dict[str, int] = {}
    for record in records:
        for concern in record["concerns"]:
            tally[concern] = tally.get(concern, 0) + 1
    runner_up = max((v for k, v in tally.items() if k != "asb"), default=0)
    lacking = [r for r in records if "asb" not in r["concerns"]]
    order = rng.permutation(len(lacking))
    short = runner_up + 1 - tally.get("asb", 0)
    for i in order[: max(short, 0)]:
        lacking[i]["concerns"] = ["asb", *lacking[i]["concerns"]]


# -- councillor ward meetings ---------------------------------------------------------------
def _councillor_sessions(
    rng: np.random.Generator, geo: _Geography, end: date
) -> list[dict[str, object]]:
    first, last = _month_start(end, 3), _month_start(end, 1) - timedelta(days=1)
    days = [d for d in _days(first, last) if d.weekday() < 5 and not _holiday(d)]
    wards = [(place, code, name) for place in REACH for code, name in geo.wards[place]]
    skipped = int(rng.integers(len(wards)))
    meeting = [w for i, w in enumerate(wards) if i != skipped][:COUNCILLOR_WARDS]
    # every ward sent at least one councillor; the rest of the 47 fill up to three a ward
    extra_slots = np.repeat(np.arange(len(meeting)), MAX_COUNCILLORS_PER_WARD - 1)
    chosen = rng.choice(len(extra_slots), COUNCILLORS - len(meeting), replace=False)
    attending = np.ones(len(meeting), dtype=int) + np.bincount(
        extra_slots[chosen], minlength=len(meeting)
    )
    # each place's concerns from the seed, every one raised in at least one of its wards
    raised: dict[str, list[list[str]]] = {}
    for place in REACH:
        n = sum(1 for w in meeting if w[0] == place)
        listed = [
            COUNCILLOR_CONCERNS[place][i] for i in rng.permutation(len(COUNCILLOR_CONCERNS[place]))
        ]
        per_ward: list[list[str]] = [[] for _ in range(n)]
        for i, concern in enumerate(listed):
            per_ward[i % n].append(concern)
        for concerns in per_ward:
            for concern in rng.choice(listed, int(rng.integers(1, 3)), replace=False):
                if concern not in concerns:
                    concerns.append(str(concern))
            common = list(COMMON_COUNCILLOR_CONCERNS)
            for _ in range(int(rng.integers(1, 3))):
                concern = _pick(rng, common, list(COMMON_COUNCILLOR_CONCERNS.values()))
                if concern not in concerns:
                    concerns.append(concern)
        raised[place] = per_ward
    rows = []
    seen: dict[str, int] = {}
    for (place, code, _name), count in zip(meeting, attending, strict=True):
        concerns = raised[place][seen.get(place, 0)]
        seen[place] = seen.get(place, 0) + 1
        # the seed's praise for Operation Trimburg comes first where it names it
        trimburg = [i for i, text in enumerate(PRAISE[place]) if "Trimburg" in text][:1]
        rest = [i for i in range(len(PRAISE[place])) if i not in trimburg]
        picked = trimburg + [int(i) for i in rng.permutation(rest)][: 2 - len(trimburg)]
        praise = [PRAISE[place][i] for i in picked]
        suggestions = [_pick(rng, SUGGESTIONS[place]), _pick(rng, COMMON_SUGGESTIONS)]
        rows.append(
            {
                "date": _pick(rng, days),
                "ward_code": code,
                "councillors_attending": int(count),
                "concerns": ";".join(concerns),
                "praise": "; ".join(praise),
                "suggestions": "; ".join(dict.fromkeys(suggestions)),
                "reporting_routes_known": _pick(
                    rng, ROUTES_KNOWN, ROUTES_P.get(place, ROUTES_P_DEFAULT)
                ),
            }
        )
    rows.sort(key=lambda r: (r["date"], r["ward_code"]))
    for n, row in enumerate(rows, start=1):
        row["session_id"] = f"CWM-{n:02d}"
        row["date"] = row["date"].isoformat()
    return rows


# -- officer sessions -------------------------------------------------------------------------
def _officer_sessions(rng: np.random.Generator, end: date) -> list[dict[str, object]]:
    first, last = _month_start(end, 2), _month_start(end, 0) - timedelta(days=1)
    days = [d for d in _days(first, last) if d.weekday() < 5 and not _holiday(d)]
    plan = [(place, theme, issues) for place in REACH for theme, issues in OFFICER_SESSIONS[place]]
    total = int(rng.integers(OFFICERS_OVER + 5, OFFICERS_OVER + 31))
    weights = [2.0 if theme is None else 1.0 for _, theme, _ in plan]
    officers = MIN_OFFICERS_PER_SESSION + _split(
        rng, total - MIN_OFFICERS_PER_SESSION * len(plan), weights
    )
    rows = []
    for (place, theme, issues), count in zip(plan, officers, strict=True):
        issues = list(issues)
        if rng.random() < 0.4:
            extra = _pick(rng, CROSS_CUTTING_ISSUES)
            if extra not in issues:
                issues.append(extra)
        rows.append(
            {
                "date": _pick(rng, days),
                "place": place,
                "theme": theme or "",
                "officers_attending": int(count),
                "issues": ";".join(issues),
            }
        )
    rows.sort(key=lambda r: (r["date"], r["place"], r["theme"]))
    for n, row in enumerate(rows, start=1):
        row["session_id"] = f"OFS-{n:02d}"
        row["date"] = row["date"].isoformat()
    return rows


# -- the pack -------------------------------------------------------------------------------
def write_insight_sources(
    out_dir: Path, partnership: Partnership, seed: int, end: date
) -> dict[str, list[Path]]:
    """Write the insight sources under ``out_dir/<source>/``; returns {source: files}.

    ``end`` is the pack's last day; no record falls after it. The same seed writes
    byte-identical files.
    """
    out_dir = Path(out_dir)
    geo = _Geography.of(partnership)
    rng = np.random.default_rng([seed, 0x5A1])
    tension_rng, engagement_rng, councillor_rng, officer_rng = rng.spawn(4)

    tensions = _tension_reports(tension_rng, geo, end)
    incidents = [t for t in tensions if t.level >= 3]
    engagements = _engagements(engagement_rng, geo, end, incidents)
    files: dict[str, list[Path]] = {source: [] for source in SOURCES}

    by_month: dict[str, list[dict]] = {}
    for row in engagements:
        by_month.setdefault(str(row["date"])[:7], []).append(row)
    for month, rows in by_month.items():
        files[ENGAGEMENT].append(
            _write(out_dir / ENGAGEMENT / f"engagements-{month}.csv", ENGAGEMENT, rows)
        )
    files[COUNCILLOR_SESSION].append(
        _write(
            out_dir / COUNCILLOR_SESSION / "councillor-ward-meetings.csv",
            COUNCILLOR_SESSION,
            _councillor_sessions(councillor_rng, geo, end),
        )
    )
    files[OFFICER_SESSION].append(
        _write(
            out_dir / OFFICER_SESSION / "officer-sessions.csv",
            OFFICER_SESSION,
            _officer_sessions(officer_rng, end),
        )
    )
    tension_rows = [
        {
            "report_id": f"CTR-{n:04d}",
            "date": t.day.isoformat(),
            "place": t.place or "",
            "ward_code": t.ward[0] if t.ward else "",
            "category": t.category,
            "trigger": t.trigger,
            "evidence": t.evidence,
            "level": t.level,
            "summary": t.summary,
            "actions": t.actions,
        }
        for n, t in enumerate(tensions, start=1)
    ]
    files[TENSION].append(_write(out_dir / TENSION / "tension-reports.csv", TENSION, tension_rows))
    return files
