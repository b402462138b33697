"""The MoRiLE-style score, the ranking and the rationale text."""

from __future__ import annotations

from constructed import assessment, kirklees, measure, with_priority

from sia.assessment import DataQualityIssue
from sia.prioritise.recommend import recommend

HARM = {
    "method": "css",
    "total": 5760.7 * 27,
    "previous_total": 5000.0 * 22,
    "harm_ratio": 1.4,
    "count_ratio": 1.2,
    "z": 1.0,
    "p_value": 0.3,
    "rising_in_falling_total": False,
    "top_codes": ["1"],
    "top_share": 0.9,
}


def _rec(partnership, measures):
    return recommend(assessment(partnership, measures), partnership)


def test_harm_times_likelihood_from_the_figures():
    p = kirklees()
    # VAWG-like: 362 CSS weight per offence -> harm 3 (250 <= w < 1,000);
    # 18.5 per 1,000 -> likelihood 4 (>= 15)
    vawg = measure(
        "vawg-crimes", 8178, 7892, "stable", rate=18.5, harm={**HARM, "total": 362.0 * 8178}
    )
    score = _rec(p, {"vawg": [vawg]}).call("vawg").score
    assert (score.harm, score.likelihood, score.risk) == (3, 4, 12)
    assert "362 Crime Severity Score weight per offence" in score.harm_basis
    assert score.confidence == "high"


def test_the_gravest_measure_sets_harm_and_a_concern_raises_likelihood():
    p = kirklees()
    proxy = measure("proxy", 642, 733, "down", rate=1.45, harm={**HARM, "total": 541.0 * 642})
    homicides = measure("homicides", 44, 17, "up", rate=0.1, harm=HARM)
    score = _rec(p, {"serious-violence": [proxy, homicides]}).call("serious-violence").score
    # 5,760.7 per offence -> 4; 1.45 per 1,000 -> 2, +1 for the significant rise -> 3
    assert (score.harm, score.likelihood, score.risk) == (4, 3, 12)
    assert "+1" in score.likelihood_basis


def test_every_measure_improving_lowers_likelihood():
    p = kirklees()
    nc = measure(
        "neighbourhood-crime", 5111, 5318, "down", rate=11.6, harm={**HARM, "total": 260.8 * 5111}
    )
    score = _rec(p, {"neighbourhood-crime": [nc]}).call("neighbourhood-crime").score
    assert (score.harm, score.likelihood) == (3, 2)  # 11.6 -> 3, -1 as it fell


def test_the_partnership_grades_replace_the_computed_ones_and_position_stays_apart():
    p = with_priority(kirklees(), "asb", morile={"harm": 2, "organisational_position": 3})
    asb = measure("asb-police", 5133, 5597, "stable", rate=11.6)
    call = _rec(p, {"asb": [asb]}).call("asb")
    assert (call.score.harm, call.score.likelihood, call.score.risk) == (2, 3, 6)
    assert call.score.harm_basis == "graded by the partnership"
    assert call.score.organisational_position == 3


def test_no_harm_weight_and_no_grade_means_no_score_and_no_rank():
    p = kirklees()
    ksi = measure("road-casualties-ksi", 152, 173, "stable", rate=0.34)
    call = _rec(p, {"road-safety": [ksi]}).call("road-safety")
    assert call.score.risk is None and call.rank is None
    assert call.score.likelihood == 1


def _weighted(measure_id, count, previous, rate, weight):
    return measure(measure_id, count, previous, rate=rate, harm={**HARM, "total": weight * count})


def test_ranking_is_by_risk():
    p = kirklees()
    measures = {
        "vawg": [_weighted("v", 8178, 7892, 18.5, 362.0)],
        "hate-crime": [_weighted("h", 556, 598, 1.26, 44.2)],
        "drugs-alcohol": [_weighted("d", 1190, 1142, 2.7, 8.6)],
    }
    rec = _rec(p, measures)
    ranked = sorted((c for c in rec.priorities if c.rank), key=lambda c: c.rank)
    # ties: equal harm (1), then more criteria (drugs: cross-cutting and a duty)
    assert [(c.id, c.score.risk) for c in ranked] == [
        ("vawg", 12),
        ("drugs-alcohol", 2),
        ("hate-crime", 2),
    ]


def test_confidence_falls_with_data_quality_issues():
    p = kirklees()
    issue = DataQualityIssue(source="police-uk", kind="missing-month", message="gap")
    a = assessment(p, {"asb": [measure("asb-police", 5133, 5597)]})
    a = a.model_copy(update={"data_quality": a.data_quality.model_copy(update={"issues": [issue]})})
    call = recommend(a, p).call("asb")
    assert call.score.confidence == "low"
    assert recommend(assessment(p, {}), p).call("water-safety").score.confidence == "low"


def test_the_rationale_is_built_from_the_figures():
    p = kirklees()
    offences = measure("most-serious-violence", 94, 100, "stable")
    homicides = measure("homicide-attempted-murder", 7, 3, "too-few", sensitive=True)
    text = _rec(p, {"serious-violence": [offences, homicides]}).call("serious-violence").rationale
    assert text.startswith(
        "High focus. Subject to a statutory duty on the partnership: the Serious Violence Duty."
    )
    assert "Most serious violence down 6% (not significant)" in text
    # a sensitive count below the disclosure threshold (5) is written as its label
    assert "Homicide attempted murder up from <5 to 7 (too few to call)" in text


def test_a_monitored_priority_says_why_and_that_no_insight_was_available():
    p = kirklees()
    text = (
        _rec(p, {"neighbourhood-crime": [measure("nc", 90, 100, "down")]})
        .call("neighbourhood-crime")
        .rationale
    )
    assert text.startswith("Continue to monitor. Nc down 10% (significant).")
    assert "Performance stable or improving (1 of 1 improving)" in text
    assert text.endswith("No community insight was available.")
