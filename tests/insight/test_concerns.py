"""The concern taxonomy in the partnership config: what Kirklees carries, and errors."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from sia.config import ConfigError, bundled_path, load_partnership
from sia.config.schema import Concern
from sia.demo.insight import CROSS_CUTTING_ISSUES, TAXONOMY, TENSION_ACTIONS

# The cross-cutting themes of section 6 of the Kirklees plan outline, by the words the
# outline uses, against the concern ids of kirklees.yaml.
SECTION_6_THEMES = {
    "Deprivation & Inequality": "deprivation-inequality",
    "Trusted Relationships": "trusted-relationships",
    "Mental Health & Substance Misuse": "mental-health-substance-misuse",
    "Safe and Stable Accommodation": "safe-accommodation",
    "Support for adults with complex needs": "complex-needs",
    "Loneliness, isolation and neurodiversity": "loneliness-isolation-neurodiversity",
    "Online Risks": "online-risks",
    "Underreporting": "underreporting",
    "Community Perceptions: Anxiety about safety, especially after dark": (
        "perceptions-after-dark"
    ),
    "Place-Based (including Town Centre) Working": "place-based-working",
}


def test_kirklees_has_a_concern_for_every_priority_and_every_section_6_theme():
    p = load_partnership("kirklees")
    by_priority = {c.priority: c for c in p.concerns if c.kind == "priority"}
    assert set(by_priority) == {q.id for q in p.priorities}
    for priority_id, concern in by_priority.items():
        assert concern.id == priority_id
    themes = {c.id for c in p.concerns if c.kind == "theme"}
    assert set(SECTION_6_THEMES.values()) <= themes
    for concern in p.concerns:
        assert concern.keywords or concern.synonyms


def test_every_label_the_demo_pack_records_means_a_concern():
    p = load_partnership("kirklees")
    claimed = {label for c in p.concerns for label in (c.id, *c.labels)}
    recorded = set(TAXONOMY) | set(CROSS_CUTTING_ISSUES) | set(TENSION_ACTIONS)
    assert recorded - claimed == set()
    # the pack's own link from label to priority is kept where the label is a priority's
    owner = {label: c for c in p.concerns for label in (c.id, *c.labels)}
    for label, (_name, priority) in TAXONOMY.items():
        if priority is not None and owner[label].kind == "priority":
            assert owner[label].priority == priority, label


def test_city_of_london_has_no_concerns():
    assert load_partnership("city-of-london").concerns == []


@pytest.mark.parametrize(
    ("fields", "fragment"),
    [
        ({"kind": "priority"}, "has kind priority but no priority"),
        ({"kind": "theme", "priority": "asb"}, "has kind theme but names priority"),
        ({"kind": "theme", "keywords": [], "synonyms": []}, "needs at least one keyword"),
        ({"kind": "issue"}, "'priority' or 'theme'"),
        ({"kind": "theme", "labels": ["Not A Slug"]}, "should match pattern"),
    ],
)
def test_a_concern_checks_itself(fields, fragment):
    base = {"id": "x", "name": "X", "keywords": ["x"], **fields}
    with pytest.raises(ValueError, match=fragment):
        Concern(**base)


# -- errors name the key and the line ---------------------------------------------------
def _kirklees() -> dict:
    return yaml.safe_load(bundled_path("kirklees").read_text(encoding="utf-8"))


def _problems(tmp_path: Path, data: dict) -> tuple[list, list[str]]:
    path = tmp_path / "p.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_partnership(path)
    return info.value.problems, path.read_text(encoding="utf-8").splitlines()


def test_a_concern_of_an_unknown_priority(tmp_path):
    data = _kirklees()
    data["concerns"][3]["priority"] = "slavery"
    [problem], lines = _problems(tmp_path, data)
    assert problem.key == "concerns[3:modern-slavery]"
    assert "'slavery'" in problem.message and "not in priorities" in problem.message
    assert "id: modern-slavery" in lines[problem.line - 1]


def test_concern_ids_are_unique(tmp_path):
    data = _kirklees()
    data["concerns"][1]["id"] = data["concerns"][0]["id"]
    [problem], _ = _problems(tmp_path, data)
    assert problem.key == "concerns"
    assert "concern id 'serious-violence' appears more than once" in problem.message


def test_a_label_means_one_concern(tmp_path):
    data = _kirklees()
    data["concerns"][1].setdefault("labels", []).append("knife-crime")  # serious violence's
    [problem], _ = _problems(tmp_path, data)
    assert problem.key == "concerns"
    assert "label 'knife-crime' belongs to concerns 'serious-violence' and 'domestic-abuse'" in (
        problem.message
    )
