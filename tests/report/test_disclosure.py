"""Disclosure control on constructed tables, including the subtraction attack.

The attack is run independently of the module's own audit: for each group whose total is
published, every assignment of whole numbers to the hidden cells that agrees with what a
reader sees (shown cells, the total, "<5" meaning 1-4, "[c]" meaning any count up to the
total) is enumerated by brute force, and a hidden cell is exposed when all assignments agree.
"""

from __future__ import annotations

import itertools

import pytest

from sia.report.disclosure import (
    SECONDARY_LABEL,
    Group,
    Policy,
    sensitive_by_default,
    suppress,
)


def brute_force_exposed(result, groups, threshold=5):
    """Hidden cells whose value is the same in every assignment consistent with the table.

    Enumerates hidden cells jointly across all published groups (small tables only), so a
    chain of subtractions (a place worked out from its wards, then a ward from the place)
    is caught too."""
    cells = result.cells
    hidden = [k for k, c in cells.items() if c.suppressed]
    biggest = max(g.total for g in groups)

    def domain(k):
        if cells[k].status == "primary":
            return range(1, threshold)
        # no cell exceeds a total it is part of (every cell is 0 or more)
        within = [g.total for g in groups if k in g.members]
        return range(0, min(within, default=biggest) + 1)

    seen = {k: set() for k in hidden}
    for combo in itertools.product(*(domain(k) for k in hidden)):
        guess = {k: c.value or 0 for k, c in cells.items()}
        guess.update(dict(zip(hidden, combo, strict=True)))
        ok = True
        for g in groups:
            total_visible = g.total_key is None or not cells[g.total_key].suppressed
            true_remainder = g.total - sum(cells[k].value or 0 for k in g.members)
            implied = sum(guess[k] for k in g.members) + true_remainder
            target = g.total if total_visible else guess[g.total_key]
            if implied != target:
                ok = False
                break
        if ok:
            for k, v in zip(hidden, combo, strict=True):
                seen[k].add(v)
    return {k for k, values in seen.items() if len(values) == 1}


def test_primary_suppression_hides_one_to_four_only():
    result = suppress({"a": 0, "b": 1, "c": 4, "d": 5, "e": None})
    shown = {k: c.shown for k, c in result.cells.items()}
    assert shown == {"a": "0", "b": "<5", "c": "<5", "d": "5", "e": ""}


def test_threshold_and_label_come_from_the_policy():
    result = suppress({"a": 6, "b": 7, "c": 8}, policy=Policy(threshold=8, label="<8"))
    assert [c.shown for c in result.cells.values()] == ["<8", "<8", "8"]


def test_a_lone_suppressed_cell_takes_the_smallest_other_with_it():
    values = {"a": 3, "b": 12, "c": 9, "d": 40}
    groups = [Group(total=64, members=list(values))]
    result = suppress(values, groups)
    assert result.cells["a"].shown == "<5"
    assert result.cells["c"].shown == SECONDARY_LABEL  # 9 is the smallest shown non-zero
    assert result.cells["b"].shown == "12"
    assert result.suppressed() == {"a", "c"}


def test_subtraction_attack_without_secondary_suppression_would_work():
    # The attack itself can fail: with only primary suppression, 64 - 12 - 9 - 40 = 3.
    values = {"a": 3, "b": 12, "c": 9, "d": 40}
    groups = [Group(total=64, members=list(values))]
    primary_only = suppress(values)  # no published total given: nothing secondary
    assert primary_only.suppressed() == {"a"}
    assert brute_force_exposed(primary_only, groups) == {"a"}
    assert brute_force_exposed(suppress(values, groups), groups) == set()


def test_two_ones_are_both_exposed_by_their_sum_so_a_third_cell_is_hidden():
    # 22 - 20 = 2 = 1 + 1: two "<5" cells are not enough on their own.
    values = {"a": 1, "b": 1, "c": 20, "d": 30}
    groups = [Group(total=52, members=list(values))]
    result = suppress(values, groups)
    assert result.cells["c"].status == "secondary"
    assert brute_force_exposed(result, groups) == set()


def test_two_fours_are_exposed_too():
    values = {"a": 4, "b": 4, "c": 11, "d": 30}
    groups = [Group(total=49, members=list(values))]
    result = suppress(values, groups)
    assert result.cells["c"].status == "secondary"
    assert brute_force_exposed(result, groups) == set()


def test_a_one_and_a_three_protect_each_other():
    # 1 + 3 = 4 could be 1+3, 2+2 or 3+1: no secondary cell is needed.
    values = {"a": 1, "b": 3, "c": 11, "d": 30}
    groups = [Group(total=45, members=list(values))]
    result = suppress(values, groups)
    assert result.suppressed() == {"a", "b"}
    assert brute_force_exposed(result, groups) == set()


def test_events_without_location_count_for_the_total_only():
    # District 70 with 6 events in no ward: 70 - 6 unplaced - 12 - 9 - 40 = 3 is the worst case.
    values = {"a": 3, "b": 12, "c": 9, "d": 40}
    groups = [Group(total=70, members=list(values))]
    result = suppress(values, groups)
    assert result.suppressed() == {"a", "c"}
    assert brute_force_exposed(result, groups) == set()


def test_places_and_wards_chain():
    # Wards w1..w4; place P = w1 + w2, place Q = w3 + w4; district = P + Q.
    values = {"P": 17, "Q": 50, "w1": 2, "w2": 15, "w3": 20, "w4": 30}
    groups = [
        Group(total=67, members=["P", "Q"]),
        Group(total=67, members=["w1", "w2", "w3", "w4"]),
        Group(total=17, members=["w1", "w2"], total_key="P"),
        Group(total=50, members=["w3", "w4"], total_key="Q"),
    ]
    result = suppress(values, groups)
    assert result.cells["w1"].shown == "<5"
    assert brute_force_exposed(result, groups) == set()
    assert result.unprotected == set()


def test_a_place_hidden_by_secondary_suppression_cannot_be_rebuilt_from_its_wards():
    values = {"P": 3, "Q": 50, "w1": 3, "w2": 0, "w3": 20, "w4": 30}
    groups = [
        Group(total=53, members=["P", "Q"]),
        Group(total=53, members=["w1", "w2", "w3", "w4"]),
        Group(total=3, members=["w1", "w2"], total_key="P"),
        Group(total=50, members=["w3", "w4"], total_key="Q"),
    ]
    result = suppress(values, groups)
    assert result.cells["w1"].suppressed and result.cells["P"].suppressed
    assert brute_force_exposed(result, groups) == set()


def test_when_nothing_is_left_to_hide_it_says_so():
    values = {"a": 3, "b": 0}
    result = suppress(values, [Group(total=3, members=["a", "b"])])
    assert result.unprotected == {"a"}


@pytest.mark.parametrize("seed", range(40))
def test_random_tables_resist_the_attack(seed):
    import random

    rng = random.Random(seed)
    n = rng.randint(2, 5)
    values = {f"w{i}": rng.choice([0, 1, 2, 3, 4, 5, 6, 9, 15]) for i in range(n)}
    unplaced = rng.choice([0, 0, 2])
    groups = [Group(total=sum(values.values()) + unplaced, members=list(values))]
    result = suppress(values, groups)
    if result.unprotected:
        # only when every other cell is hidden or zero
        assert all(result.cells[k].suppressed or (result.cells[k].value or 0) == 0 for k in values)
    else:
        assert brute_force_exposed(result, groups) == set()


def test_unknown_group_member_is_an_error():
    with pytest.raises(KeyError, match="not cells"):
        suppress({"a": 3}, [Group(total=3, members=["a", "z"])])


def test_threshold_below_one_is_refused():
    with pytest.raises(ValueError, match=r"disclosure\.threshold"):
        Policy(threshold=0)


@pytest.mark.parametrize(
    ("identifier", "name", "expected"),
    [
        ("domestic-abuse-crimes", "Domestic abuse", True),
        ("rape", "Rape and sexual offences", True),
        ("hate-crimes", "Hate crime", True),
        ("modern-slavery-crimes", "", True),
        ("prevent-referrals", "", True),
        ("asb-police", "ASB (police)", False),
    ],
)
def test_sensitive_by_default(identifier, name, expected):
    assert sensitive_by_default(identifier, name) is expected


# -- profiles ---------------------------------------------------------------------------------
def test_the_public_profile_hides_one_to_seven_and_rounds_the_rest_to_five():
    from sia.config.schema import Disclosure
    from sia.report.disclosure import policy_for

    policy = policy_for(Disclosure(), "public")
    assert (policy.threshold, policy.label, policy.rounding) == (8, "<8", 5)
    values = {"a": 7, "b": 8, "c": 12, "d": 13, "e": 0, "f": 102}
    result = suppress(values, policy=policy)
    shown = {k: c.shown for k, c in result.cells.items()}
    # 8 -> 10, 12 -> 10, 13 -> 15, 102 -> 100: the nearest multiple of 5 (no halves arise)
    assert shown == {"a": "<8", "b": "10", "c": "10", "d": "15", "e": "0", "f": "100"}


def test_the_internal_profile_is_the_configured_threshold_unrounded():
    from sia.config.schema import Disclosure
    from sia.report.disclosure import policy_for

    policy = policy_for(Disclosure(threshold=6, sensitive_label="<6"))
    assert (policy.threshold, policy.label, policy.rounding, policy.profile) == (
        6,
        "<6",
        1,
        "internal",
    )
    assert policy_for(Disclosure(profile="public")).profile == "public"
    with pytest.raises(ValueError, match="not one of internal, public"):
        policy_for(Disclosure(), "open")


def test_rounding_to_five_by_hand():
    policy = Policy(rounding=5)
    # each count against its nearest multiple of 5 worked out by hand
    expected = {0: 0, 1: 0, 2: 0, 3: 5, 7: 5, 8: 10, 12: 10, 13: 15, 17: 15, 18: 20, 1234: 1235}
    assert {n: policy.rounded(n) for n in expected} == expected


@pytest.mark.parametrize("seed", range(30))
def test_public_tables_resist_the_attack_with_exact_or_rounded_cells(seed):
    """Secondary suppression under the public profile: the brute force sees the shown cells
    exactly (stronger than a reader, who sees them rounded), and every shown cell is a
    multiple of 5."""
    import random

    rng = random.Random(seed)
    policy = Policy(threshold=8, label="<8", rounding=5, profile="public")
    n = rng.randint(2, 5)
    values = {f"w{i}": rng.choice([0, 1, 3, 6, 7, 8, 9, 12, 15, 22]) for i in range(n)}
    groups = [Group(total=sum(values.values()) + rng.choice([0, 0, 3]), members=list(values))]
    result = suppress(values, groups, policy)
    for k, cell in result.cells.items():
        if not cell.suppressed:
            assert int(cell.shown) % 5 == 0 and abs(int(cell.shown) - values[k]) <= 2
        assert not (cell.shown.isdigit() and 0 < int(cell.shown) < 8 and values[k] < 8)
    if result.unprotected:
        assert all(result.cells[k].suppressed or (result.cells[k].value or 0) == 0 for k in values)
    else:
        assert brute_force_exposed(result, groups, threshold=8) == set()


# -- monthly series -----------------------------------------------------------------------
def _months(first, n):
    from datetime import date

    from sia.months import add_months

    return [add_months(date(*first, 1), i) for i in range(n)]


def _series_groups(series, period, previous):
    """The totals a reader of the report knows, worked out here from the true counts: the
    sum of everything charted (the mean times the months), the period's count and the
    previous period's (both in the report)."""
    result_groups = []
    keys = list(range(len(series.points)))
    result_groups.append(Group(sum(p.cell.value for p in series.points), keys))
    for start, end in (period, previous):
        inside = [i for i, p in enumerate(series.points) if start <= p.first and p.last <= end]
        if inside:
            result_groups.append(Group(sum(series.points[i].cell.value for i in inside), inside))
    return result_groups


def test_a_sparse_monthly_series_is_published_in_three_month_blocks():
    from sia.report.disclosure import disclose_series

    months = _months((2021, 2), 60)  # Feb 2021 .. Jan 2026
    counts = [(i * 7) % 5 for i in range(60)]  # 0,2,4,1,3,...: most months small
    series = list(zip(months, counts, strict=True))
    period = (months[48], months[59])
    previous = (months[36], months[47])
    result = disclose_series(series, period, previous, Policy())
    assert result.grain == "quarter"
    assert len(result.points) == 20 and result.dropped == 0
    # the blocks end with the period's last month and are the sums of their months
    assert result.points[-1].first == months[57] and result.points[-1].last == months[59]
    assert [p.cell.value for p in result.points] == [
        sum(counts[i : i + 3]) for i in range(0, 60, 3)
    ]


def test_a_series_with_few_small_months_stays_monthly_and_hides_them():
    from sia.report.disclosure import disclose_series

    months = _months((2024, 1), 24)
    counts = [20 + i for i in range(24)]
    counts[5] = 3  # one small month in the previous period
    result = disclose_series(
        list(zip(months, counts, strict=True)),
        (months[12], months[23]),
        (months[0], months[11]),
        Policy(),
    )
    assert result.grain == "month"
    assert result.points[5].cell.shown == "<5"
    # the previous period's total is published: a second month of it must be hidden too
    hidden_before = [p for p in result.points[:12] if p.cell.suppressed]
    assert len(hidden_before) == 2
    assert result.points[0].cell.shown == "[c]"  # 20, the smallest other


def test_blocks_start_at_the_first_whole_block():
    from sia.report.disclosure import disclose_series

    months = _months((2021, 1), 26)  # Jan 2021 .. Feb 2023: Jan is the only month of its block
    counts = [1] * 26
    result = disclose_series(
        list(zip(months, counts, strict=True)),
        (months[14], months[25]),
        (months[2], months[13]),
        Policy(),
    )
    assert result.grain == "quarter" and result.dropped == 2
    assert result.points[0].first == months[2]


@pytest.mark.parametrize("seed", range(30))
def test_random_series_resist_the_attack(seed):
    import random

    from sia.report.disclosure import disclose_series

    rng = random.Random(seed)
    months = _months((2023, 1), 6)
    counts = [rng.choice([0, 1, 2, 4, 5, 7, 9]) for _ in months]
    period, previous = (months[3], months[5]), (months[0], months[2])
    # quarterly_share=1: stay monthly, so the brute force runs on six cells
    result = disclose_series(
        list(zip(months, counts, strict=True)), period, previous, Policy(), quarterly_share=1
    )
    from sia.report.disclosure import Suppressed

    table = Suppressed({i: p.cell for i, p in enumerate(result.points)})
    groups = _series_groups(result, period, previous)
    for p in result.points:
        assert not (p.cell.shown.isdigit() and 0 < int(p.cell.shown) < 5)
    if result.unprotected:
        assert all(p.cell.suppressed or p.cell.value == 0 for p in result.points)
    else:
        assert brute_force_exposed(table, groups) == set()


def test_sia_report_refuses_an_unknown_profile(tmp_path):
    from typer.testing import CliRunner

    from sia.cli import app

    result = CliRunner().invoke(
        app, ["--data-dir", str(tmp_path), "report", "--disclosure", "open"]
    )
    assert result.exit_code != 0
    assert "--disclosure 'open' is not one of: internal, public" in result.output
