"""The partnership config: bundled files, and errors that name the key and line."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
import yaml

from sia.config import BUNDLED, ConfigError, StatutoryDuty, bundled_path, load_partnership

# The priorities named in section 4.1 of the Kirklees plan outline (it says 17, names 16).
SEED_PRIORITIES = {
    "Serious Violence",
    "Domestic Abuse",
    "VAWG",
    "Modern Slavery",
    "Youth Exploitation",
    "ASB",
    "Neighbourhood crime",
    "Community Tensions",
    "Hate Crime",
    "Prevent",
    "Migration",
    "Inclusive communities",
    "Drugs & Alcohol",
    "Road Safety",
    "Water safety",
    "Reoffending",
}
REPO = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("name", BUNDLED)
def test_bundled_partnerships_load(name):
    p = load_partnership(name)
    assert p.id == name
    assert len(p.priorities) >= 1


def test_kirklees_wards_match_the_ons_lookup_shipped_with_the_package():
    p = load_partnership("kirklees")
    lookup = REPO / "sia" / "data" / "geography" / "lsoa_ward.csv"
    with lookup.open(encoding="utf-8") as fh:
        wards = {
            (r["ward_code"], r["ward_name"])
            for r in csv.DictReader(fh)
            if r["district_code"] == "E08000034"
        }
    assert {(w.code, w.name) for w in p.wards} == wards
    assert len(p.wards) == 23
    assert p.district.code == "E08000034"


def test_kirklees_places_follow_the_agreed_grouping():
    p = load_partnership("kirklees")
    place = p.place_of_ward()
    names = {w.code: w.name for w in p.wards}
    by_place: dict[str, set[str]] = {}
    for code, pl in place.items():
        by_place.setdefault(pl, set()).add(names[code])
    assert by_place == {
        "Batley & Spen": {
            "Batley East",
            "Batley West",
            "Birstall and Birkenshaw",
            "Cleckheaton",
            "Heckmondwike",
            "Liversedge and Gomersal",
        },
        "Dewsbury & Mirfield": {"Dewsbury East", "Dewsbury South", "Dewsbury West", "Mirfield"},
        "Huddersfield": {
            "Almondbury",
            "Ashbrow",
            "Crosland Moor and Netherton",
            "Dalton",
            "Golcar",
            "Greenhead",
            "Lindley",
            "Newsome",
        },
        "Rural": {
            "Colne Valley",
            "Denby Dale",
            "Holme Valley North",
            "Holme Valley South",
            "Kirkburton",
        },
    }


def _normalise(name: str) -> str:
    return (
        name.lower()
        .replace("(adults)", "")
        .replace("violence against women and girls", "")
        .replace("(", "")
        .replace(")", "")
        .replace("anti-social behaviour", "")
        .strip()
    )


def test_kirklees_has_every_seed_priority_in_its_four_themes():
    p = load_partnership("kirklees")
    assert len(p.themes) == 4
    names = {_normalise(pr.name) for pr in p.priorities}
    for seed in SEED_PRIORITIES:
        assert any(_normalise(seed) in n or n in _normalise(seed) for n in names), seed
    # the count comes from the config: 16 named in the seed, none invented
    assert len(p.priorities) == len(SEED_PRIORITIES)


def test_kirklees_duties_and_owning_partnerships():
    p = load_partnership("kirklees")
    owner = {pr.id: pr.owning_partnership for pr in p.priorities}
    assert owner["youth-exploitation"] == "Kirklees Safeguarding Children Partnership"
    assert owner["road-safety"] == "Vision Zero / Highways"
    assert "existing" in owner["modern-slavery"]
    duties = {pr.id: set(pr.statutory_duties) for pr in p.priorities}
    assert StatutoryDuty.SERIOUS_VIOLENCE in duties["serious-violence"]
    assert StatutoryDuty.DOMESTIC_ABUSE in duties["domestic-abuse"]
    assert StatutoryDuty.PREVENT in duties["prevent"]
    assert StatutoryDuty.REDUCING_REOFFENDING in duties["reoffending"]
    assert StatutoryDuty.SUBSTANCE_MISUSE in duties["drugs-alcohol"]
    assert StatutoryDuty.CRIME_AND_DISORDER in duties["asb"]


def test_kirklees_measures_from_the_issue():
    p = load_partnership("kirklees")
    measures = {m.id: m for _, m in p.measures()}
    assert set(measures["neighbourhood-crime"].categories) == {
        "Burglary",
        "Robbery",
        "Theft from the person",
        "Vehicle crime",
        "Bicycle theft",
    }
    assert measures["asb-police"].categories == ["Anti-social behaviour"]
    assert measures["drug-offences"].categories == ["Drugs"]
    assert set(measures["serious-violence-proxy"].categories) == {
        "Possession of weapons",
        "Robbery",
    }
    assert measures["domestic-abuse-crimes"].sensitive


def _write(tmp_path: Path, data: dict) -> Path:
    path = tmp_path / "p.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


def _kirklees() -> dict:
    return yaml.safe_load(bundled_path("kirklees").read_text(encoding="utf-8"))


def _problems(path: Path) -> list:
    with pytest.raises(ConfigError) as info:
        load_partnership(path)
    return info.value.problems


def test_unknown_police_category_names_the_measure_key_and_line(tmp_path):
    data = _kirklees()
    data["priorities"][6]["measures"][0]["categories"] = ["Burglery"]
    path = _write(tmp_path, data)
    [problem] = _problems(path)
    assert problem.key == "priorities[6:neighbourhood-crime].measures[0:neighbourhood-crime]"
    assert "Burglery" in problem.message and "not police.uk crime types" in problem.message
    line = path.read_text().splitlines()[problem.line - 1]
    assert "id: neighbourhood-crime" in line


def test_bad_ward_code_and_unknown_key_are_both_reported(tmp_path):
    data = _kirklees()
    data["wards"][0]["code"] = "X123"
    data["colour"] = "blue"
    problems = _problems(_write(tmp_path, data))
    keys = {p.key for p in problems}
    assert "wards[0:Almondbury].code" in keys
    assert "colour" in keys
    assert all(p.line for p in problems)


def test_ward_in_no_place_is_an_error(tmp_path):
    data = _kirklees()
    data["places"][3]["wards"].remove("Kirkburton")
    [problem] = _problems(_write(tmp_path, data))
    assert "Kirkburton" in problem.message and "no place" in problem.message


def test_priority_with_unknown_theme_is_an_error(tmp_path):
    data = _kirklees()
    data["priorities"][0]["theme"] = "nonsense"
    [problem] = _problems(_write(tmp_path, data))
    assert "nonsense" in problem.message


def test_invalid_yaml_gives_the_line(tmp_path):
    path = tmp_path / "broken.yaml"
    path.write_text("id: x\nname: [unclosed\n", encoding="utf-8")
    [problem] = _problems(path)
    assert problem.key == "(yaml)"
    assert problem.line is not None


def test_missing_file_names_bundled_choices(tmp_path):
    [problem] = _problems(tmp_path / "nope.yaml")
    assert "kirklees" in problem.message


def test_a_parent_must_be_a_measure(tmp_path):
    data = _kirklees()
    measures = data["priorities"][0]["measures"]
    child = next(m for m in measures if m.get("parent"))
    child["parent"] = "no-such-measure"
    [problem] = _problems(_write(tmp_path, data))
    assert "no-such-measure" in problem.message and child["id"] in problem.message
