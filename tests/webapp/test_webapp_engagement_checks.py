"""The web form's checks give the loader's verdict on every row.

Each row below is loaded through the real loader (``sia ingest engagement``'s
:func:`sia.sources.tabular.load_file`, into a Kirklees warehouse) and checked by
:class:`webapp.engagement.checks.EngagementChecks`: a row the loader loads has no problem,
and a row it rejects has, as its first problem, the field the loader names. The expected
verdicts are written by hand from docs/insight-sources.md, so a change on either side
shows here.
"""

from __future__ import annotations

import csv
from datetime import date, timedelta
from pathlib import Path

import pytest

from sia.config import load_partnership
from sia.sources.insight import ENGAGEMENT
from sia.sources.tabular import load_file
from sia.warehouse import Warehouse
from webapp.engagement.checks import EngagementChecks, parse_date, place_key

HEADER = [c.header for c in ENGAGEMENT.columns]
CHECKS = EngagementChecks(load_partnership("kirklees"))
TODAY = date.today()
TOMORROW = (TODAY + timedelta(days=1)).isoformat()
GOOD = {
    "date": "2026-03-02",
    "team": "community_plus",
    "place": "Huddersfield",
    "ward_code": "E05008558",  # Almondbury, in Huddersfield
    "organisation_type": "mosque",
    "individuals": "12",
    "groups": "2",
    "feeling": "mixed",
    "concerns": "asb;drug-use;",
    "notes": "Parents worried about bikes in the park",
}

#: (what is changed, the field the loader rejects or None when it loads)
CASES = [
    ({}, None),
    ({"date": "02/03/2026"}, None),  # DD/MM/YYYY
    ({"team": "Community_Plus"}, None),  # choices ignore case
    ({"place": "huddersfield", "ward_code": ""}, None),
    ({"place": "batley and spen", "ward_code": "E05001390"}, None),  # "and" is "&"
    ({"place": "", "ward_code": "e05008558"}, None),  # the ward alone; code in lower case
    ({"individuals": "", "groups": "", "feeling": "", "organisation_type": ""}, None),
    ({"individuals": "+4"}, None),
    ({"individuals": "0"}, None),
    ({"concerns": "", "notes": ""}, None),
    ({"date": TODAY.isoformat()}, None),
    ({"date": ""}, "date"),
    ({"date": "2026-02-30"}, "date"),
    ({"date": "03/30/2026"}, "date"),  # American order
    ({"date": "1899-12-31"}, "date"),
    ({"date": TOMORROW}, "date"),
    ({"team": ""}, "team"),
    ({"team": "police"}, "team"),
    ({"place": "Leeds", "ward_code": ""}, "place"),
    ({"place": "", "ward_code": "E05000001"}, "ward_code"),
    ({"place": "Huddersfield", "ward_code": "E05001390"}, "ward_code"),  # Batley East
    ({"place": "", "ward_code": ""}, "place"),
    ({"organisation_type": "church"}, "organisation_type"),
    ({"individuals": "2.5"}, "individuals"),
    ({"individuals": "1e3"}, "individuals"),
    ({"individuals": "twelve"}, "individuals"),
    ({"individuals": "-1"}, "individuals"),
    ({"groups": "2.0"}, "groups"),
    ({"feeling": "angry"}, "feeling"),
    ({"team": "", "individuals": "x"}, "team"),  # the first bad field of the row
    ({"date": TOMORROW, "place": "Leeds"}, "date"),
]


def _rows() -> list[dict[str, str]]:
    rows = []
    for n, (changes, _) in enumerate(CASES, start=1):
        row = {h: "" for h in HEADER} | GOOD | changes
        row["engagement_id"] = f"case-{n}"
        rows.append(row)
    return rows


@pytest.fixture(scope="module")
def loader_verdicts(tmp_path_factory) -> dict[str, str | None]:
    """engagement_id -> the field the loader rejected it for, or None if loaded."""
    folder = tmp_path_factory.mktemp("engagement-checks")
    path = folder / "engagements.csv"
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=HEADER, lineterminator="\n")
        writer.writeheader()
        writer.writerows(_rows())
    with Warehouse.open(load_partnership("kirklees"), folder) as wh:
        result = load_file(wh, Path(path), {ENGAGEMENT.name: ENGAGEMENT})
        loaded = {r["engagement_id"] for r in wh.rows("SELECT engagement_id FROM engagements")}
    assert result.read == len(CASES)
    verdicts: dict[str, str | None] = {i: None for i in loaded}
    for reject in result.rejects:
        verdicts[f"case-{reject.line - 1}"] = reject.field
    assert len(verdicts) == len(CASES)
    return verdicts


@pytest.mark.parametrize(("n", "case"), list(enumerate(CASES, start=1)), ids=str)
def test_the_form_checks_agree_with_the_loader(loader_verdicts, n, case):
    expected = case[1]
    row = _rows()[n - 1]
    assert loader_verdicts[row["engagement_id"]] == expected, "the loader changed its rules"
    problems = CHECKS.check(row, today=TODAY)
    if expected is None:
        assert problems == []
    else:
        assert problems, f"the form accepts what the loader rejects for {expected}"
        assert problems[0].field == expected


def test_every_problem_of_a_row_is_reported_not_just_the_first():
    row = {h: "" for h in HEADER} | {"engagement_id": "e1", "individuals": "x", "feeling": "no"}
    problems = CHECKS.check(row, today=TODAY)
    assert [(p.field, p.code) for p in problems] == [
        ("date", "blank"),
        ("team", "blank"),
        ("individuals", "int"),
        ("feeling", "choice"),
        ("place", "no-location"),
    ]


def test_places_are_compared_as_the_loader_compares_them():
    assert place_key("Batley & Spen") == place_key("batley and spen") == "batleyspen"
    assert place_key("Dewsbury & Mirfield") == place_key(" DEWSBURY  &  MIRFIELD ")
    assert place_key("Sandbanks") != place_key("Sand & Banks and more")


def test_dates_are_iso_or_british():
    assert parse_date("2026-03-02") == parse_date("02/03/2026") == date(2026, 3, 2)
    assert parse_date("2026-02-29") is None  # 2026 is not a leap year
    assert parse_date("2101-01-01") is None
