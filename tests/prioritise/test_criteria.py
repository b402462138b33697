"""Each rule of the recommendation on constructed assessments: each can fail.

Neighbourhood crime is the subject of most tests: in the Kirklees config it carries only
the general crime-and-disorder duty and no other board owns it, so with quiet figures it is
"monitor", and each test makes one criterion hold and sees the status change, naming it.
"""

from __future__ import annotations

import pytest
from constructed import assessment, community, kirklees, measure, with_priority
from scipy import stats

from sia.prioritise.evidence import CommunityInput, ConcernPair
from sia.prioritise.recommend import recommend

NC = "neighbourhood-crime"


def _call(partnership, measures=None, insight=None, priority_id=NC):
    rec = recommend(assessment(partnership, measures or {}), partnership, insight)
    return rec.call(priority_id)


def _kinds(call):
    return [c.kind for c in call.criteria]


@pytest.fixture(scope="module")
def partnership():
    return kirklees()


def test_quiet_figures_are_monitor_with_the_reasons(partnership):
    call = _call(partnership, {NC: [measure(NC, 95, 100, "stable")]}, community())
    assert call.status == "monitor"
    assert _kinds(call) == ["stable-or-improving", "community-not-escalating"]
    assert "Continue to monitor" in call.rationale


def test_a_significant_rise_on_an_up_is_bad_measure_is_high_focus(partnership):
    rising = measure(NC, 130, 100, "up", p_value=0.004)
    call = _call(partnership, {NC: [rising]})
    assert call.status == "high-focus"
    (c,) = call.criteria
    assert c.kind == "significant-rise" and c.measure_id == NC
    assert c.figures["count"] == 130 and c.figures["previous_count"] == 100
    assert c.figures["p_value"] == 0.004
    assert "up 30% (significant)" in call.rationale


def test_a_rise_is_no_concern_when_up_is_good_or_neutral(partnership):
    for polarity in ("down-is-bad", "neutral"):
        call = _call(partnership, {NC: [measure(NC, 130, 100, "up", polarity=polarity)]})
        assert call.status == "monitor", polarity


def test_a_significant_fall_on_a_down_is_bad_measure_is_high_focus(partnership):
    call = _call(partnership, {NC: [measure(NC, 70, 100, "down", polarity="down-is-bad")]})
    assert call.status == "high-focus"
    assert _kinds(call) == ["significant-fall"]


def test_a_rise_that_is_not_significant_is_not_a_concern(partnership):
    call = _call(partnership, {NC: [measure(NC, 27, 22, "stable")]})
    assert call.status == "monitor"
    assert "up from 22 to 27 (not significant)" in call.rationale


def test_an_spc_concern_signal_is_high_focus(partnership):
    m = measure(NC, 100, 100, "stable", icon="special cause concerning high")
    call = _call(partnership, {NC: [m]})
    assert call.status == "high-focus"
    assert _kinds(call) == ["spc-concern"]
    assert call.criteria[0].figures["variation_icon"] == "special cause concerning high"
    improving = measure(NC, 100, 100, "stable", icon="special cause improving low")
    assert _call(partnership, {NC: [improving]}).status == "monitor"


def test_harm_rising_inside_a_falling_total_is_high_focus(partnership):
    harm = {
        "method": "css",
        "total": 900.0,
        "previous_total": 600.0,
        "harm_ratio": 1.5,
        "count_ratio": 0.9,
        "z": 3.1,
        "p_value": 0.002,
        "rising_in_falling_total": True,
        "top_codes": ["1"],
        "top_share": 0.6,
    }
    call = _call(partnership, {NC: [measure(NC, 90, 100, "stable", harm=harm)]})
    assert call.status == "high-focus"
    assert _kinds(call) == ["harm-rising"]
    assert call.criteria[0].figures["harm_ratio"] == 1.5
    harm["rising_in_falling_total"] = False
    assert _call(partnership, {NC: [measure(NC, 90, 100, harm=harm)]}).status == "monitor"


def test_a_sub_measure_rising_against_its_parent_is_high_focus(partnership):
    flag = {
        "parent": "x",
        "sub_direction": "up",
        "parent_direction": "down",
        "p_value": 0.01,
        "against_parent": True,
    }
    call = _call(partnership, {NC: [measure(NC, 7, 3, "too-few", against_parent=flag)]})
    assert call.status == "high-focus"
    assert _kinds(call) == ["against-parent"]
    flag["against_parent"] = False
    assert _call(partnership, {NC: [measure(NC, 7, 3, against_parent=flag)]}).status == "monitor"


def test_recording_far_below_expected_is_high_focus(partnership):
    m = measure(NC, 100, 100)
    # the assessment's underreporting field (added by the under-reporting module) is read
    # defensively: set it on a copy whatever the model version
    low = m.model_copy(
        update={
            "underreporting": {
                "recorded": 100,
                "expected": 400.0,
                "ratio": 0.25,
                "ratio_ci": [0.2, 0.3],
            }
        }
    )
    call = _call(partnership, {NC: [low]})
    assert call.status == "high-focus"
    assert _kinds(call) == ["underreporting"]
    near = m.model_copy(update={"underreporting": {"ratio": 0.45, "ratio_ci": [0.4, 0.55]}})
    assert _call(partnership, {NC: [near]}).status == "monitor"


def test_a_statutory_duty_on_the_partnership_is_high_focus(partnership):
    call = _call(partnership, {}, priority_id="prevent")
    assert call.status == "high-focus"
    assert call.criteria[0].kind == "statutory-duty"
    assert call.criteria[0].figures == {"duties": ["prevent-duty"]}


def test_dropping_the_duty_from_the_config_makes_it_monitor(partnership):
    without = with_priority(partnership, "prevent", statutory_duties=[])
    assert _call(without, {}, priority_id="prevent").status == "monitor"


def test_a_duty_held_through_another_board_is_not_on_the_partnership(partnership):
    # youth exploitation carries the Serious Violence Duty but the KSCP owns it
    call = _call(partnership, {}, priority_id="youth-exploitation")
    assert call.status == "monitor"
    assert "owned-elsewhere" in _kinds(call)
    unowned = with_priority(partnership, "youth-exploitation", owning_partnership=None)
    assert _call(unowned, {}, priority_id="youth-exploitation").status == "high-focus"


def test_the_general_crime_and_disorder_duty_alone_is_not_a_focus(partnership):
    # every priority falls under s6(1)(a); neighbourhood crime carries only that
    assert partnership.priority(NC).statutory_duties == ["crime-and-disorder"]
    assert _call(partnership, {}).status == "monitor"
    focus = kirklees(prioritisation={"focus_duties": ["crime-and-disorder"]})
    assert _call(focus, {}).status == "high-focus"


def test_mentions_rising_significantly_is_high_focus(partnership):
    # 40 against 15: exact conditional test p = P(X >= 40 or as unlikely | n = 55, 1/2)
    insight = community(**{NC: {"mentions": 40, "previous_mentions": 15, "rank": 8}})
    call = _call(partnership, {}, insight)
    assert call.status == "high-focus"
    assert _kinds(call) == ["mentions-rising"]
    p = stats.binomtest(40, 55, 0.5).pvalue  # the reference: scipy's exact binomial test
    assert call.criteria[0].figures["p_value"] == pytest.approx(p, rel=1e-9)


def test_mentions_rising_by_chance_or_from_nothing_recorded_is_not_escalation(partnership):
    small = community(**{NC: {"mentions": 12, "previous_mentions": 9, "rank": 8}})
    assert _call(partnership, {}, small).status == "monitor"
    no_before = community(**{NC: {"mentions": 90, "previous_mentions": None, "rank": 1}})
    assert _call(partnership, {}, no_before).status == "monitor"


def test_often_raised_but_not_rising_is_not_escalation(partnership):
    # the seed's road safety: ranked highly by councillors, casualties falling
    insight = community(**{"road-safety": {"mentions": 80, "previous_mentions": 80, "rank": 1}})
    ksi = measure("road-casualties-ksi", 152, 173, "stable")
    call = _call(partnership, {"road-safety": [ksi]}, insight, priority_id="road-safety")
    assert call.status == "monitor"
    assert "owned-elsewhere" in _kinds(call)


def test_most_raised_and_rising_is_high_focus(partnership):
    # a rise of 6 is not significant, but the concern is the most raised
    insight = community(**{NC: {"mentions": 106, "previous_mentions": 100, "rank": 1}})
    call = _call(partnership, {}, insight)
    assert _kinds(call) == ["most-raised-and-rising"]
    lower = community(**{NC: {"mentions": 106, "previous_mentions": 100, "rank": 4}})
    assert _call(partnership, {}, lower).status == "monitor"


def test_related_tensions_rising_is_high_focus(partnership):
    insight = community(
        **{NC: {"tension_reports": 20, "previous_tension_reports": 5, "tension_max_level": 3}}
    )
    assert _kinds(_call(partnership, {}, insight)) == ["tensions-rising"]
    level = community(
        **{
            NC: {
                "tension_reports": 5,
                "previous_tension_reports": 5,
                "tension_mean_level": 3.0,
                "previous_tension_mean_level": 1.8,
                "tension_max_level": 3,
            }
        }
    )
    assert _kinds(_call(partnership, {}, level)) == ["tensions-rising"]
    flat = community(
        **{
            NC: {
                "tension_reports": 5,
                "previous_tension_reports": 5,
                "tension_mean_level": 2.0,
                "previous_tension_mean_level": 1.8,
                "tension_max_level": 3,
            }
        }
    )
    assert _call(partnership, {}, flat).status == "monitor"


def test_a_high_tension_level_is_a_current_concern(partnership):
    insight = community(**{NC: {"tension_reports": 3, "tension_max_level": 4}})
    call = _call(partnership, {}, insight)
    assert _kinds(call) == ["tension-high"]
    assert call.criteria[0].figures["max_level"] == 4
    below = community(**{NC: {"tension_reports": 3, "tension_max_level": 3}})
    assert _call(partnership, {}, below).status == "monitor"


def test_underreporting_raised_in_insight_is_high_focus(partnership):
    pair = ConcernPair(a=NC, b="underreporting", records=30, a_records=80, b_records=90, total=1000)
    insight = CommunityInput(theme_pairs=[pair], records=1000)
    call = _call(partnership, {}, insight)
    assert _kinds(call) == ["underreporting-raised"]
    # the reference: Fisher's exact test, one-sided, on the 2 x 2 table of records
    table = [[30, 80 - 30], [90 - 30, 1000 - 80 - 90 + 30]]
    p = stats.fisher_exact(table, alternative="greater").pvalue
    assert call.criteria[0].figures["p_value"] == pytest.approx(p, rel=1e-9)
    # as often as chance (80 x 90 / 1000 = 7.2 expected): no criterion
    chance = pair.model_copy(update={"records": 7})
    assert _call(partnership, {}, CommunityInput(theme_pairs=[chance])).status == "monitor"


def test_cross_cutting_takes_precedence_over_a_duty(partnership):
    # drugs and alcohol carries the substance misuse duty and drives 8 priorities
    call = _call(partnership, {}, priority_id="drugs-alcohol")
    assert call.status == "cross-cutting"
    assert "(8 by driver): Anti-Social Behaviour (ASB), Domestic Abuse," in call.rationale
    assert _kinds(call)[:2] == ["cross-cutting", "statutory-duty"]
    assert call.criteria[0].figures["linked"] == sorted(
        partnership.priority("drugs-alcohol").drives
    )
    no_links = with_priority(partnership, "drugs-alcohol", drives=[])
    assert _call(no_links, {}, priority_id="drugs-alcohol").status == "high-focus"


def test_cross_cutting_needs_enough_links_across_enough_themes(partnership):
    # five links, all in the priority's own theme and one other: not enough themes
    same = with_priority(
        partnership,
        "water-safety",
        drives=["road-safety", "reoffending", "asb", "neighbourhood-crime", "drugs-alcohol"],
    )
    assert _call(same, {}, priority_id="water-safety").status == "monitor"
    wider = with_priority(
        partnership,
        "water-safety",
        drives=["road-safety", "reoffending", "asb", "neighbourhood-crime", "vawg"],
    )
    call = _call(wider, {}, priority_id="water-safety")
    assert call.status == "cross-cutting"
    assert call.criteria[0].figures["themes"] == [
        "asb-neighbourhood-crime",
        "violence-abuse-exploitation",
    ]
    four = with_priority(
        partnership, "water-safety", drives=["road-safety", "asb", "vawg", "hate-crime"]
    )
    assert _call(four, {}, priority_id="water-safety").status == "monitor"


def test_being_driven_by_many_does_not_make_a_priority_cross_cutting(partnership):
    # serious violence is driven by drugs and alcohol and by reoffending: still high focus
    call = _call(partnership, {}, priority_id="serious-violence")
    assert call.status == "high-focus"
    assert {link.source for link in call.links} == set()


def test_every_kind_of_criterion_has_a_name_for_readers():
    import re
    from pathlib import Path

    from sia.prioritise import criteria
    from sia.prioritise.models import CRITERION_NAMES, Criterion

    source = Path(criteria.__file__).read_text(encoding="utf-8")
    kinds = set(re.findall(r'kind="([a-z-]+)"', source)) | {"significant-fall"}
    assert len(kinds) >= 15
    assert kinds <= set(CRITERION_NAMES), sorted(kinds - set(CRITERION_NAMES))
    made = Criterion(kind="harm-rising", group="concern", text="t")
    assert made.name == "Harm rising inside a falling count"
    assert Criterion(kind="new-kind", group="concern", text="t").name == "new-kind"
