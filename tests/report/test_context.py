"""The report context of the Kirklees demo: figures as in the assessment, small counts of
sensitive measures hidden so that no subtraction recovers them."""

from __future__ import annotations

import duckdb
import pytest

from sia.report.disclosure import sensitive_by_default

pytestmark = pytest.mark.slow


def _measures(document):
    return [m for p in document["priorities"] for m in p["measures"]]


def _sensitive(m) -> bool:
    return m["sensitive"] or sensitive_by_default(m["id"], m["name"])


def _table(context, table_id):
    return next(t for t in context.tables() if t.id == table_id)


def _row(table, key):
    return table.rows[table.keys.index(key)]


def test_the_demo_has_small_counts_of_sensitive_measures_to_hide(built):
    # Without small counts the suppression tests below would prove nothing.
    small = [
        (m["id"], w["code"])
        for m in _measures(built.document)
        if _sensitive(m)
        for w in m["by_ward"]
        if w["count"] is not None and 1 <= w["count"] <= 4
    ]
    assert len(small) >= 5


def test_every_small_ward_count_of_a_sensitive_measure_shows_the_label(built):
    for m in _measures(built.document):
        if not _sensitive(m):
            continue
        table = _table(built.context, f"{m['id']}-wards")
        assert table.sensitive
        for w in m["by_ward"]:
            row = _row(table, w["code"])
            if w["count"] is not None and 1 <= w["count"] <= 4:
                assert row[1] == "<5", (m["id"], w["name"], row)
                assert row[3] == "–"  # the rate would give the count back
            if w["previous_count"] is not None and 1 <= w["previous_count"] <= 4:
                assert row[2] == "<5", (m["id"], w["name"], row)


def test_no_hidden_ward_count_can_be_worked_out_from_the_district_total(built):
    # The reader's view: the district count (published), the shown ward counts, "<5" = 1..4,
    # "[c]" = any count. The events with no ward are taken as known (the worst case). A
    # hidden cell is exposed when its interval of possible values is one value.
    for m in _measures(built.document):
        if not _sensitive(m) or not m["count"]:
            continue
        table = _table(built.context, f"{m['id']}-wards")
        true = {w["code"]: w["count"] or 0 for w in m["by_ward"]}
        unplaced = m["count"] - sum(true.values())
        hidden = [k for k, r in zip(table.keys, table.rows, strict=True) if r[1] in ("<5", "[c]")]
        shown = sum(int(r[1].replace(",", "")) for r in table.rows if r[1] not in ("<5", "[c]"))
        hidden_sum = m["count"] - unplaced - shown
        bounds = {k: (1, 4) if _row(table, k)[1] == "<5" else (0, float("inf")) for k in hidden}
        for k in hidden:
            lo = max(bounds[k][0], hidden_sum - sum(b[1] for j, b in bounds.items() if j != k))
            hi = min(bounds[k][1], hidden_sum - sum(b[0] for j, b in bounds.items() if j != k))
            assert lo < hi, (m["id"], k, lo, hi)


def test_other_measures_show_every_ward_count(built):
    for m in _measures(built.document):
        if _sensitive(m):
            continue
        table = _table(built.context, f"{m['id']}-wards")
        for w in m["by_ward"]:
            expected = "–" if w["count"] is None else f"{w['count']:,}"
            assert _row(table, w["code"])[1] == expected


def test_profiles_show_the_same_cells_as_the_ward_tables(built):
    for profile in built.context.wards:
        for measure_id, row in zip(profile.figures.keys, profile.figures.rows, strict=True):
            ward_row = _row(_table(built.context, f"{measure_id}-wards"), profile.code)
            assert row[2] == ward_row[1]


def test_the_manifest_lists_every_load_with_its_hash(built):
    con = duckdb.connect(str(built.data_dir / "warehouse.duckdb"), read_only=True)
    loads = con.execute("SELECT sha256, rows_read FROM loads ORDER BY load_id").fetchall()
    con.close()
    manifest = built.context.manifest
    assert len(manifest.rows) == len(loads) > 100
    assert [r[2] for r in manifest.rows] == [sha for sha, _ in loads]
    assert [r[3] for r in manifest.rows] == [f"{n:,}" for _, n in loads]
    assert built.context.methodology.rows_read == sum(n for _, n in loads)


def test_the_priorities_table_has_every_priority(built):
    ids = [p["id"] for p in built.document["priorities"]]
    assert built.context.priorities_table.keys == ids


def test_twenty_three_wards_and_four_places(built):
    assert len(built.context.wards) == 23
    assert [p.name for p in built.context.places] == [
        "Batley & Spen",
        "Dewsbury & Mirfield",
        "Huddersfield",
        "Rural",
    ]


def test_a_change_too_small_to_test_is_said_in_words_in_every_area_table(built):
    # the assessment marks it "too-few"; readers see words, never the id
    marked = [
        (m["id"], w["code"])
        for m in _measures(built.document)
        for w in m["by_ward"]
        if w.get("direction") == "too-few"
    ]
    assert marked, "the demo should have ward changes too small to test"
    for measure_id, ward in marked:
        row = _row(_table(built.context, f"{measure_id}-wards"), ward)
        assert row[-1] == "too few to test", row
    for table in built.context.tables():
        assert all("too-few" not in str(cell) for row in table.rows for cell in row), table.id
    for profile in built.context.wards + built.context.places:
        cells = [str(c) for row in profile.figures.rows for c in row]
        assert "too-few" not in cells, profile.name
