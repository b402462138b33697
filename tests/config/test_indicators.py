"""Partner indicators in the partnership config: the Kirklees ones, and their validation."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from sia.config import ConfigError, bundled_path, load_partnership
from sia.config.schema import Indicator, Polarity, Unit

# The indicators section 4.2 of the Kirklees plan outline implies: priority and owner.
SEED_INDICATORS = {
    "prevent-referrals": "prevent",
    "asylum-arrivals": "migration",
    "asylum-dispersals": "migration",
    "proven-reoffending-rate": "reoffending",
    "substance-misuse-treatment": "drugs-alcohol",
    "water-incidents": "water-safety",
    "children-at-risk-of-exploitation": "youth-exploitation",
    "feel-safe-after-dark": "inclusive-communities",
}


def test_kirklees_declares_the_indicators_of_the_plan():
    p = load_partnership("kirklees")
    assert {i.id: i.priority for i in p.indicators} == SEED_INDICATORS
    owner = {i.id: i.owner for i in p.indicators}
    assert owner["proven-reoffending-rate"] == "Probation Service"
    assert owner["asylum-arrivals"] == owner["asylum-dispersals"] == "Home Office / asylum support"
    assert owner["substance-misuse-treatment"] == "Combatting Drugs Partnership"
    assert owner["water-incidents"] == "West Yorkshire Fire and Rescue Service"
    assert owner["children-at-risk-of-exploitation"] == (
        "Kirklees Safeguarding Children Partnership"
    )
    assert "survey" in owner["feel-safe-after-dark"]
    assert "to be confirmed" in owner["prevent-referrals"]  # the plan names no supplier
    sensitive = {i.id for i in p.indicators if i.sensitive}
    assert sensitive == {"prevent-referrals", "children-at-risk-of-exploitation"}
    safe = p.indicator("feel-safe-after-dark")
    assert (safe.unit, safe.polarity) == (Unit.PERCENTAGE, Polarity.DOWN_IS_BAD)
    assert p.indicator("proven-reoffending-rate").unit is Unit.PERCENTAGE


def test_every_priority_whose_figures_come_from_partner_indicators_has_one():
    p = load_partnership("kirklees")
    covered = {i.priority for i in p.indicators}
    for priority in p.priorities:
        if priority.note and "partner indicators" in priority.note:
            assert priority.id in covered, priority.id


def test_indicators_are_optional():
    assert load_partnership("city-of-london").indicators == []


def test_indicator_defaults():
    i = Indicator(id="x", name="X", priority="p", owner="Someone", unit="count")
    assert (i.polarity, i.sensitive, i.target, i.note) == (Polarity.UP_IS_BAD, False, None, None)


# -- errors name the key and the line ---------------------------------------------------
def _kirklees() -> dict:
    return yaml.safe_load(bundled_path("kirklees").read_text(encoding="utf-8"))


def _problems(tmp_path: Path, data: dict) -> tuple[list, list[str]]:
    path = tmp_path / "p.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_partnership(path)
    return info.value.problems, path.read_text(encoding="utf-8").splitlines()


def test_an_indicator_of_an_unknown_priority(tmp_path):
    data = _kirklees()
    data["indicators"][5]["priority"] = "drowning"
    [problem], lines = _problems(tmp_path, data)
    assert problem.key == "indicators[5:water-incidents]"
    assert "'drowning'" in problem.message and "not in priorities" in problem.message
    assert "id: water-incidents" in lines[problem.line - 1]


def test_indicator_ids_are_unique_across_measures_and_indicators(tmp_path):
    data = _kirklees()
    data["indicators"][0]["id"] = "knife-crime"  # a measure of serious-violence
    [problem], _ = _problems(tmp_path, data)
    assert problem.key == "indicators[0:knife-crime]"
    assert "also a measure id" in problem.message

    data = _kirklees()
    data["indicators"][1]["id"] = data["indicators"][0]["id"]
    [problem], _ = _problems(tmp_path, data)
    assert problem.key == "indicators"
    assert "'prevent-referrals' appears more than once" in problem.message


@pytest.mark.parametrize(
    ("field", "value", "fragment"),
    [
        ("unit", "people", "'count'"),
        ("polarity", "up", "'up-is-bad'"),
        ("id", "Water Incidents", "pattern"),
        ("sensitive", "perhaps", "boolean"),
        ("target", {"value": "ten"}, "number"),
    ],
)
def test_a_bad_indicator_value_names_its_key(tmp_path, field, value, fragment):
    data = _kirklees()
    data["indicators"][5][field] = value
    problems, _ = _problems(tmp_path, data)
    assert any(p.key.startswith("indicators[5:") and field in p.key for p in problems), problems
    assert any(fragment in p.message for p in problems), problems
    assert all(p.line for p in problems)


def test_an_indicator_needs_owner_and_unit_and_knows_no_other_keys(tmp_path):
    data = _kirklees()
    del data["indicators"][2]["owner"]
    del data["indicators"][2]["unit"]
    data["indicators"][2]["colour"] = "blue"
    problems, _ = _problems(tmp_path, data)
    keys = {p.key: p.message for p in problems}
    assert keys["indicators[2:asylum-dispersals].owner"] == "Field required"
    assert keys["indicators[2:asylum-dispersals].unit"] == "Field required"
    assert "indicators[2:asylum-dispersals].colour" in keys


def test_an_indicator_may_have_a_target(tmp_path):
    data = _kirklees()
    data["indicators"][5]["target"] = {"value": 10, "per": "year"}
    path = tmp_path / "p.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    target = load_partnership(path).indicator("water-incidents").target
    assert (target.value, target.per, target.kind) == (10, "year", "at-most")
