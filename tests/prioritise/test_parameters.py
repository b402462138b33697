"""The parameters object: stated defaults, overrides from the YAML, clear errors."""

from __future__ import annotations

import pytest
import yaml

from sia.config import ConfigError, bundled_path, load_partnership
from sia.prioritise.parameters import DEFAULT_FOCUS_DUTIES, MorileScales, PrioritisationParameters


def _kirklees_with(tmp_path, **changes):
    data = yaml.safe_load(bundled_path("kirklees").read_text(encoding="utf-8"))
    data.update(changes)
    path = tmp_path / "p.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


def test_defaults_are_stated():
    p = PrioritisationParameters()
    assert p.significance_level is None
    assert p.focus_duties == list(DEFAULT_FOCUS_DUTIES)
    assert "crime-and-disorder" not in p.focus_duties
    assert (p.most_raised_rank, p.min_mentions, p.mentions_rise_ratio) == (3, 5, 1.25)
    assert (p.tension_high_level, p.underreporting_ratio) == (4, 0.5)
    assert p.morile.harm_bands == [50.0, 250.0, 1000.0]
    assert p.morile.likelihood_bands == [1.0, 5.0, 15.0]


def test_the_partnership_level_is_used_unless_set():
    assert PrioritisationParameters().alpha(0.01) == 0.01
    assert PrioritisationParameters(significance_level=0.1).alpha(0.01) == 0.1


def test_min_links_is_a_share_of_the_other_priorities_rounded_up():
    p = PrioritisationParameters()
    assert p.min_links(16) == 5  # 15 others / 3
    assert p.min_links(17) == 6  # 16 / 3 = 5.33
    assert PrioritisationParameters(cross_cutting_min_share=0.5).min_links(16) == 8


def test_bands_score_one_to_four():
    scales = MorileScales()
    assert [scales.harm_band(w) for w in (8.6, 50, 144, 250, 999, 1000, 5760)] == [
        1,
        2,
        2,
        3,
        3,
        4,
        4,
    ]
    assert [scales.likelihood_band(r) for r in (0.03, 1.0, 4.9, 11.6, 18.5)] == [1, 2, 2, 3, 4]


@pytest.mark.parametrize(
    ("changes", "fragment"),
    [
        ({"most_raised_rank": 0}, "greater than or equal to 1"),
        ({"mentions_rise_ratio": 1.0}, "greater than 1"),
        ({"tension_high_level": 6}, "less than or equal to 5"),
        ({"underreporting_ratio": 1.5}, "less than 1"),
        ({"focus_duties": ["statutory-fun"]}, "not statutory duties"),
        ({"morile": {"harm_bands": [50, 40, 100]}}, "must increase"),
        ({"morile": {"likelihood_bands": [1, 5]}}, "needs 3 thresholds"),
        ({"unknown_key": 1}, "Extra inputs are not permitted"),
    ],
)
def test_bad_parameters_are_errors_naming_the_key(tmp_path, changes, fragment):
    path = _kirklees_with(tmp_path, prioritisation=changes)
    with pytest.raises(ConfigError) as err:
        load_partnership(str(path))
    text = str(err.value)
    assert "prioritisation" in text and fragment in text


def test_parameters_are_read_from_the_yaml(tmp_path):
    path = _kirklees_with(tmp_path, prioritisation={"most_raised_rank": 1, "min_mentions": 10})
    p = load_partnership(str(path)).prioritisation
    assert (p.most_raised_rank, p.min_mentions) == (1, 10)
    assert p.tension_high_level == 4  # untouched keys keep their defaults


def test_drives_must_name_priorities(tmp_path):
    data = yaml.safe_load(bundled_path("kirklees").read_text(encoding="utf-8"))
    data["priorities"][0]["drives"] = ["no-such-priority"]
    path = tmp_path / "p.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    with pytest.raises(ConfigError, match="drives \\['no-such-priority'\\]"):
        load_partnership(str(path))
    data["priorities"][0]["drives"] = [data["priorities"][0]["id"]]
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    with pytest.raises(ConfigError, match="cannot drive itself"):
        load_partnership(str(path))


def test_morile_grades_are_one_to_four(tmp_path):
    data = yaml.safe_load(bundled_path("kirklees").read_text(encoding="utf-8"))
    data["priorities"][0]["morile"] = {"harm": 5}
    path = tmp_path / "p.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    with pytest.raises(ConfigError, match="less than or equal to 4"):
        load_partnership(str(path))
