"""A scan of every file the report writes, under both disclosure profiles: no small count of
a sensitive measure (nor its rate) is printed in any of them, in a table, a chart's data, a
picture's text or its text alternative.

Two kinds of check. Positional: the hidden cells and their true values come from the
context, and each file's cell at that place must show a label. Whole-file: every count of a
sensitive measure anywhere in a file (each table of each HTML, Word and Excel file, each
chart's data, each picture's text and alternative) must be 0 or at least the threshold,
whatever the context says; under the public profile every shown ward and place count must
be a multiple of 5, and no hidden cell may be worked out from a published total.

The true counts come from the assessment document (wards and places) and from the
warehouse's monthly counts (the district series), independently of the report.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from docx import Document
from openpyxl import load_workbook
from pypdf import PdfReader
from typer.testing import CliRunner

from sia.cli import app
from sia.config import load_partnership
from sia.months import add_months, months_between
from sia.report import report_context
from sia.report.context import ReportContext, ReportTable
from sia.report.disclosure import SECONDARY_LABEL, Policy, policy_for, sensitive_by_default
from sia.report.writers.xlsx import NOTES_SHEET, sheet_names
from sia.warehouse import Warehouse

pytestmark = pytest.mark.slow

COUNT_COLUMNS = ("Count", "Previous period", "This period")


@dataclass
class Reported:
    profile: str
    out: Path
    context: ReportContext
    policy: Policy

    @property
    def labels(self) -> tuple[str, ...]:
        return (self.policy.label, SECONDARY_LABEL, "–")


@pytest.fixture(scope="session", params=["internal", "public"])
def reported(request, built) -> Reported:
    partnership = load_partnership("kirklees")
    policy = policy_for(partnership.disclosure, request.param)
    if request.param == "internal":
        return Reported("internal", built.out, built.context, policy)
    out = built.data_dir / "report-public"
    made = CliRunner().invoke(
        app,
        ["--data-dir", str(built.data_dir), "report", "--out", str(out), "--disclosure", "public"],
    )
    assert made.exit_code == 0, made.output
    with Warehouse.open(partnership, built.data_dir, read_only=True) as wh:
        context = report_context(wh, partnership, "public")
    assert context.disclosure_profile == "public"
    return Reported("public", out, context, policy)


def _sensitive(m: dict) -> bool:
    return m["sensitive"] or sensitive_by_default(m["id"], m["name"])


def _sensitive_measures(built) -> list[dict]:
    return [m for p in built.document["priorities"] for m in p["measures"] if _sensitive(m)]


def _all_tables(context: ReportContext) -> list[ReportTable]:
    return context.tables() + [p.figures for p in [*context.wards, *context.places]]


def _hidden_cells(context: ReportContext) -> dict:
    """{table id: {(row key, column): true value}} for every hidden cell."""
    return {t.id: {(k, c): t.raw[f"{k}|{c}"] for k, c in t.hidden} for t in _all_tables(context)}


def _check(cell_text: str, raw: str, where: str, reported: Reported) -> None:
    assert cell_text.strip() in reported.labels, f"{where}: shows {cell_text!r} (true {raw})"


def _number(text) -> int | None:
    """A printed whole count, or None for a label or an empty cell."""
    if isinstance(text, bool) or text is None:
        return None
    if isinstance(text, int):
        return text
    if isinstance(text, float):
        return int(text) if text.is_integer() else None
    bare = str(text).strip().replace(",", "")
    return int(bare) if re.fullmatch(r"\d+", bare) else None


def _check_count(value, where: str, reported: Reported, area: bool) -> None:
    """A printed count of a sensitive measure: 0 or at least the threshold; under the public
    profile a ward or place count is a multiple of the rounding too."""
    n = _number(value)
    if n is None:
        assert str(value).strip() in reported.labels, f"{where}: {value!r}"
        return
    assert n == 0 or n >= reported.policy.threshold, f"{where}: shows {n}"
    if area:
        assert n % reported.policy.rounding == 0, f"{where}: {n} is not rounded"


# -- the truth, independently -------------------------------------------------------------
def test_every_small_sensitive_count_is_among_the_hidden(built, reported):
    hidden = _hidden_cells(reported.context)
    expected = 0
    for m in _sensitive_measures(built):
        for level in ("ward", "place"):
            for a in m[f"by_{level}"]:
                key = a["code"] if level == "ward" else a["name"]
                for field, column in (("count", "Count"), ("previous_count", "Previous period")):
                    if reported.policy.is_small(a[field]):
                        assert (key, column) in hidden[f"{m['id']}-{level}s"], (m["id"], key)
                        expected += 1
    assert expected >= 10


@pytest.fixture(scope="session")
def monthly_truth(built) -> dict[str, dict]:
    """{measure id: {first day of month: count}} straight from the warehouse."""
    from sia.queries import connect_duckdb, events_table, monthly_counts

    partnership = load_partnership("kirklees")
    with Warehouse.open(partnership, built.data_dir, read_only=True) as wh:
        events = events_table(connect_duckdb(wh))
        frame = monthly_counts(events, partnership, by="district").to_pandas()
    truth: dict[str, dict] = {}
    for row in frame.itertuples():
        month = row.month.date() if hasattr(row.month, "date") else row.month
        truth.setdefault(row.measure_id, {})[month.replace(day=1)] = int(row.count)
    return truth


def test_every_small_month_of_a_sensitive_measure_is_hidden(built, reported, monthly_truth):
    """Each series sheet's rows against the warehouse's monthly counts: a month (or a block
    of three, summed here) from 1 to threshold - 1 shows the label, a shown one its true
    count."""
    from datetime import date

    checked = small = 0
    period_end = date.fromisoformat(built.document["period"]["end"])
    for m in _sensitive_measures(built):
        table = next(t for t in reported.context.tables() if t.id == f"{m['id']}-series")
        truth = monthly_truth.get(m["id"], {})
        for key, row in zip(table.keys, table.rows, strict=True):
            first = date.fromisoformat(key + "-01")
            if table.columns[0] == "Month":
                true = truth.get(first, 0)
            else:
                # a block: three months ending with the period's end, counted back
                assert months_between(first, period_end) % 3 == 0, (m["id"], key)
                true = sum(truth.get(add_months(first, i), 0) for i in range(3))
            if reported.policy.is_small(true):
                assert row[1] == reported.policy.label, (m["id"], key, row, true)
                small += 1
            elif row[1] != SECONDARY_LABEL:
                assert _number(row[1]) == true, (m["id"], key, row, true)
            checked += 1
    assert checked > 100 and small >= 5


# -- tables, by position --------------------------------------------------------------------
def test_html_files_print_no_hidden_count(reported):
    hidden = _hidden_cells(reported.context)
    files = [reported.out / "sia-report.html", *sorted(reported.out.glob("*/*.html"))]
    checked = 0
    for path in files:
        soup = BeautifulSoup(path.read_text("utf-8"), "html.parser")
        for table_id, cells in hidden.items():
            table = soup.find("table", id=f"table-{table_id}")
            if table is None:
                continue
            columns = [th.get_text(strip=True) for th in table.select("thead th")]
            for (key, column), raw in cells.items():
                row = table.find("tr", attrs={"data-key": key})
                text = row.find_all(["th", "td"])[columns.index(column)].get_text()
                _check(text, raw, f"{path.name} {table_id} {key} {column}", reported)
                checked += 1
    assert checked > 50


def test_the_excel_file_prints_no_hidden_count(reported):
    hidden = _hidden_cells(reported.context)
    tables = reported.context.tables()
    book = load_workbook(reported.out / "sia-tables.xlsx", read_only=True)
    checked = 0
    for name, t in zip(sheet_names(tables), tables, strict=True):
        if not hidden.get(t.id):
            continue
        rows = list(book[name].iter_rows(values_only=True))
        for (key, column), raw in hidden[t.id].items():
            value = rows[1 + t.keys.index(key)][t.columns.index(column)]
            _check(str(value), raw, f"xlsx {name} {key} {column}", reported)
            checked += 1
    assert checked > 20


def test_the_word_file_prints_no_hidden_count(reported):
    hidden = _hidden_cells(reported.context)
    by_title = {t.title: t for t in reported.context.tables() if hidden.get(t.id)}
    doc = Document(str(reported.out / "sia-report.docx"))
    caption = None
    checked = 0
    for element in doc.element.body.iterchildren():
        tag = element.tag.rsplit("}", 1)[-1]
        if tag == "p":
            caption = "".join(t.text or "" for t in element.iter() if t.tag.endswith("}t"))
        elif tag == "tbl" and caption in by_title:
            t = by_title[caption]
            table = next(x for x in doc.tables if x._tbl is element)
            for (key, column), raw in hidden[t.id].items():
                cell = table.rows[1 + t.keys.index(key)].cells[t.columns.index(column)]
                _check(cell.text, raw, f"docx {t.id} {key} {column}", reported)
                checked += 1
    assert checked > 20


def test_the_pdf_files_print_no_hidden_count(reported):
    hidden = _hidden_cells(reported.context)
    checked = 0
    pdfs = [reported.out / "sia-report.pdf", *sorted(reported.out.glob("*/*.pdf"))]
    tables = {t.id: t for t in _all_tables(reported.context)}
    for path in pdfs:
        text = " ".join(p.extract_text() for p in PdfReader(path).pages)
        text = re.sub(r"\s+", " ", text)
        for table_id, cells in hidden.items():
            t = tables[table_id]
            start = text.find(t.title + " " + " ".join(t.columns[:2]))
            if start < 0 or not cells:
                continue
            chunk = text[start : start + 6000]
            for (key, column), raw in cells.items():
                row = t.rows[t.keys.index(key)]
                # the row's leading words (ward or priority and measure), then its cells
                lead = (
                    re.escape(row[0])
                    if table_id.endswith(("wards", "places"))
                    else (re.escape(row[0]) + " " + re.escape(row[1]))
                )
                match = re.search(lead + r" (\S+) (\S+) (\S+)", chunk)
                assert match, (path.name, table_id, key)
                offset = 0 if table_id.endswith(("wards", "places")) else 1
                index = t.columns.index(column) - 1 - offset
                _check(
                    match.group(1 + index), raw, f"{path.name} {table_id} {key} {column}", reported
                )
                checked += 1
    assert checked > 50


# -- every count of a sensitive measure in every file ---------------------------------------
def _sensitive_ids(built) -> set[str]:
    """Sensitive measures, and partner indicators that are sensitive counts."""
    indicators = {
        i.id
        for i in load_partnership("kirklees").indicators
        if i.unit == "count" and (i.sensitive or sensitive_by_default(i.id, i.name))
    }
    return {m["id"] for m in _sensitive_measures(built)} | indicators


def _scan_rows(t: ReportTable, columns: list[str], rows, where: str, reported, ids) -> int:
    """Check the count columns of one printed table; returns the cells checked."""
    checked = 0
    area = t.id.endswith(("-wards", "-places", "-figures"))
    for key, row in zip(t.keys, rows, strict=True):
        if t.id.endswith(("-figures", "-indicators")) and key not in ids:
            continue  # a profile's row of a measure, or an indicator, that is not sensitive
        for column in COUNT_COLUMNS:
            if column in columns:
                _check_count(row[columns.index(column)], f"{where} {key} {column}", reported, area)
                checked += 1
    return checked


def test_every_count_of_a_sensitive_measure_in_every_html_table(built, reported):
    ids = _sensitive_ids(built)
    by_id = {t.id: t for t in _all_tables(reported.context) if t.sensitive}
    checked = 0
    for path in sorted(reported.out.rglob("*.html")):
        soup = BeautifulSoup(path.read_text("utf-8"), "html.parser")
        for table in soup.find_all("table"):
            t = by_id.get(table.get("id", "").removeprefix("table-"))
            if t is None:
                continue
            columns = [th.get_text(strip=True) for th in table.select("thead th")]
            rows = [
                [c.get_text(strip=True) for c in tr.find_all(["th", "td"])]
                for tr in table.select("tbody tr")
            ]
            checked += _scan_rows(t, columns, rows, f"{path.name} {t.id}", reported, ids)
    assert checked > 400


def test_every_count_of_a_sensitive_measure_in_every_excel_file(built, reported):
    """Which sheets are sensitive is read from each workbook's Notes sheet, not the context."""
    ids = _sensitive_ids(built)
    by_title = {t.title: t for t in reported.context.tables()}
    checked = 0
    for path in sorted(reported.out.rglob("*.xlsx")):
        book = load_workbook(path, read_only=True)
        notes = list(book[NOTES_SHEET].iter_rows(values_only=True))
        header = notes.index(("Sheet", "Table", "Measure", "Sensitive", "Notes"))
        for sheet, title, measure, sensitive, _ in notes[header + 1 :]:
            if sensitive != "yes":
                assert measure not in ids or title.endswith("(LSOAs)"), (path.name, sheet)
                continue
            rows = list(book[sheet].iter_rows(values_only=True))
            t = by_title[title]
            checked += _scan_rows(t, list(rows[0]), rows[1:], f"{path.name} {sheet}", reported, ids)
    assert checked > 500


def test_every_count_of_a_sensitive_measure_in_the_word_file(built, reported):
    ids = _sensitive_ids(built)
    by_title = {t.title: t for t in reported.context.tables() if t.sensitive}
    doc = Document(str(reported.out / "sia-report.docx"))
    caption, checked = None, 0
    for element in doc.element.body.iterchildren():
        tag = element.tag.rsplit("}", 1)[-1]
        if tag == "p":
            caption = "".join(t.text or "" for t in element.iter() if t.tag.endswith("}t"))
        elif tag == "tbl" and caption in by_title:
            table = next(x for x in doc.tables if x._tbl is element)
            columns = [c.text for c in table.rows[0].cells]
            rows = [[c.text for c in r.cells] for r in table.rows[1:]]
            t = by_title[caption]
            checked += _scan_rows(t, columns, rows, f"docx {t.id}", reported, ids)
    assert checked > 300


# -- charts: data, pictures and their words ---------------------------------------------------
def _walk(value, path=""):
    """Every (path, key, value) of a JSON document."""
    if isinstance(value, dict):
        for k, v in value.items():
            yield path, k, v
            yield from _walk(v, f"{path}/{k}")
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _walk(v, f"{path}/{i}")


def test_chart_specs_hold_no_small_count_nor_a_hidden_rate(built, reported):
    ids = _sensitive_ids(built)
    hidden_rates = {}
    for m in _sensitive_measures(built):
        hidden_rates[m["id"]] = {
            round(w["rate"], 6)
            for w in m["by_ward"]
            if reported.policy.is_small(w["count"]) and w["rate"] is not None
        }
    checked = 0
    for chart in reported.context.charts():
        kind, _, measure = chart.id.partition("-")
        if measure not in ids:
            continue
        for _, key, value in _walk(chart.spec):
            if kind == "trend" and key == "count" and value is not None:
                _check_count(value, f"{chart.id} spec", reported, area=False)
                checked += 1
            if kind == "map" and key == "rate" and value is not None:
                assert round(value, 6) not in hidden_rates[measure], (chart.id, value)
                checked += 1
    assert checked > 100


def _numbers_said(words: str) -> list[str]:
    """The counts a trend chart's text alternative gives: its range and its latest value."""
    found = re.findall(r"from ([\d,]+) to ([\d,]+) in (?:a|the)", words)
    said = [n for pair in found for n in pair]
    said += re.findall(r"([\d,]+) in the latest", words)
    return said


def _check_alt(words: str, where: str, reported: Reported) -> None:
    for n in _numbers_said(words):
        _check_count(n, where, reported, area=False)


def test_alt_texts_and_svg_text_print_no_small_count(built, reported):
    ids = {m["id"] for m in _sensitive_measures(built)}
    trend_alts = {
        c.id: c.alt for c in reported.context.charts() if c.id.removeprefix("trend-") in ids
    }
    assert len(trend_alts) == len(ids)
    for chart_id, words in trend_alts.items():
        _check_alt(words, chart_id, reported)
    checked = 0
    for path in sorted(reported.out.rglob("*.html")):
        soup = BeautifulSoup(path.read_text("utf-8"), "html.parser")
        for chart_id in trend_alts:
            figure = soup.find("figure", id=f"figure-{chart_id}")
            if figure is None:
                continue
            svg = figure.find("svg")
            _check_alt(svg["aria-label"], f"{path.name} {chart_id} aria-label", reported)
            _check_alt(figure.figcaption.get_text(), f"{path.name} {chart_id} caption", reported)
            # a number drawn in the picture is an axis tick, never a point's value
            for text in svg.find_all("text"):
                if re.search(r"\d", text.get_text()):
                    roles = " ".join(text.parent.get("class", []))
                    assert (
                        "role-axis-label" in roles
                        or "role-legend-label" in roles
                        or ("role-title-text" in roles)
                    ), (path.name, chart_id, text.get_text(), roles)
            checked += 1
    doc = Document(str(reported.out / "sia-report.docx"))
    alts = [s._inline.docPr.get("descr") for s in doc.inline_shapes]
    for words in alts:
        if words in trend_alts.values():
            _check_alt(words, "docx picture", reported)
            checked += 1
    assert checked == 2 * len(ids)


# -- secondary suppression and rounding --------------------------------------------------------
def test_no_hidden_ward_or_place_count_can_be_worked_out(built, reported):
    """The reader's view of each published total (the district over its wards, over its
    places, each place over its wards when its count is shown): the shown cells (taken at
    their true values, more than a reader of rounded figures knows), the label meaning 1 to
    threshold - 1 and [c] any count. A hidden cell is exposed when only one value fits."""
    partnership = load_partnership("kirklees")
    ward_code = {w.name: w.code for w in partnership.wards}
    t = reported.policy.threshold
    checked = 0
    for m in _sensitive_measures(built):
        if not m["count"]:
            continue
        tables = {
            level: next(x for x in reported.context.tables() if x.id == f"{m['id']}-{level}s")
            for level in ("ward", "place")
        }
        true = {("ward", a["code"]): a["count"] or 0 for a in m["by_ward"]}
        true.update({("place", a["name"]): a["count"] or 0 for a in m["by_place"]})
        shown = {
            (level, key): row[1]
            for level, table in tables.items()
            for key, row in zip(table.keys, table.rows, strict=True)
        }
        groups = [
            (m["count"], [k for k in true if k[0] == "ward"]),
            (m["count"], [k for k in true if k[0] == "place"]),
        ]
        for place in partnership.places:
            if shown[("place", place.name)] not in reported.labels:
                members = [("ward", ward_code[w]) for w in place.wards]
                groups.append((true[("place", place.name)], members))
        for total, members in groups:
            hidden = [k for k in members if shown[k] in reported.labels]
            known = sum(true[k] for k in members if k not in hidden)
            unplaced = total - sum(true[k] for k in members)
            rest = total - unplaced - known
            bounds = {
                k: (1, t - 1) if shown[k] == reported.policy.label else (0, rest) for k in hidden
            }
            for k in hidden:
                lo = max(bounds[k][0], rest - sum(b[1] for j, b in bounds.items() if j != k))
                hi = min(bounds[k][1], rest - sum(b[0] for j, b in bounds.items() if j != k))
                assert lo < hi, (reported.profile, m["id"], k, lo, hi)
                checked += 1
    assert checked > 20


def test_rates_are_worked_out_from_the_counts_shown(built, reported):
    """Under the public profile from the rounded count (the exact rate and the population
    would give the exact count back); under the internal one the two are the same."""
    populations = {}
    for m in _sensitive_measures(built):
        for w in m["by_ward"]:
            if w["count"] and w["rate"]:
                populations[w["code"]] = w["count"] / w["rate"] * 1000
    checked = 0
    for m in _sensitive_measures(built):
        table = next(x for x in reported.context.tables() if x.id == f"{m['id']}-wards")
        for key, row in zip(table.keys, table.rows, strict=True):
            count = _number(row[1])
            if count is None or key not in populations:
                continue
            expected = count / populations[key] * 1000
            assert abs(float(row[3].replace(",", "")) - expected) < 0.0051, (m["id"], key, row)
            checked += 1
    assert checked > 50


def test_the_report_states_the_rule_of_its_profile(reported):
    html = (reported.out / "sia-report.html").read_text("utf-8")
    assert f"{reported.profile} disclosure profile" in html
    if reported.profile == "public":
        assert "rounded to the nearest 5" in html
