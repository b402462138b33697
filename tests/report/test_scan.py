"""A scan of every file the report writes: no small count of a sensitive measure that
disclosure control hid (nor its rate) is printed in any of them.

The hidden cells and their true values come from the assessment document, independently
of the report: every ward and place count from 1 to 4 of a sensitive measure must be hidden,
plus whatever the context hid by secondary suppression.
"""

from __future__ import annotations

import re

import pytest
from bs4 import BeautifulSoup
from docx import Document
from openpyxl import load_workbook
from pypdf import PdfReader

from sia.report.disclosure import sensitive_by_default
from sia.report.writers.xlsx import sheet_names

pytestmark = pytest.mark.slow

HIDDEN_LABELS = ("<5", "[c]", "–")


def _hidden_cells(built):
    """{table id: {(row key, column): true value}} for every hidden cell."""
    found = {}
    for t in built.context.tables() + [
        p.figures for p in [*built.context.wards, *built.context.places]
    ]:
        if t.hidden:
            found[t.id] = {(k, c): t.raw[f"{k}|{c}"] for k, c in t.hidden}
    return found


def test_every_small_sensitive_count_is_among_the_hidden(built):
    hidden = _hidden_cells(built)
    expected = 0
    for p in built.document["priorities"]:
        for m in p["measures"]:
            if not (m["sensitive"] or sensitive_by_default(m["id"], m["name"])):
                continue
            for w in m["by_ward"]:
                if w["count"] and w["count"] < 5:
                    assert ((w["code"], "Count")) in hidden[f"{m['id']}-wards"]
                    expected += 1
    assert expected >= 5


def _check(cell_text: str, raw: str, where: str) -> None:
    assert cell_text.strip() in HIDDEN_LABELS, f"{where}: shows {cell_text!r} (true {raw})"


def test_html_files_print_no_hidden_count(built):
    hidden = _hidden_cells(built)
    files = [built.out / "sia-report.html", *sorted(built.out.glob("*/*.html"))]
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
                _check(text, raw, f"{path.name} {table_id} {key} {column}")
                checked += 1
    assert checked > 50


def test_the_excel_file_prints_no_hidden_count(built):
    hidden = _hidden_cells(built)
    tables = built.context.tables()
    book = load_workbook(built.out / "sia-tables.xlsx", read_only=True)
    checked = 0
    for name, t in zip(sheet_names(tables), tables, strict=True):
        if t.id not in hidden:
            continue
        rows = list(book[name].iter_rows(values_only=True))
        for (key, column), raw in hidden[t.id].items():
            value = rows[1 + t.keys.index(key)][t.columns.index(column)]
            _check(str(value), raw, f"xlsx {name} {key} {column}")
            checked += 1
    assert checked > 20


def test_the_word_file_prints_no_hidden_count(built):
    hidden = _hidden_cells(built)
    by_title = {t.title: t for t in built.context.tables() if t.id in hidden}
    doc = Document(str(built.out / "sia-report.docx"))
    caption = None
    checked = 0
    for element in doc.element.body.iterchildren():
        tag = element.tag.rsplit("}", 1)[-1]
        if tag == "p":
            text = "".join(t.text or "" for t in element.iter() if t.tag.endswith("}t"))
            caption = text
        elif tag == "tbl" and caption in by_title:
            t = by_title[caption]
            table = next(x for x in doc.tables if x._tbl is element)
            for (key, column), raw in hidden[t.id].items():
                cell = table.rows[1 + t.keys.index(key)].cells[t.columns.index(column)]
                _check(cell.text, raw, f"docx {t.id} {key} {column}")
                checked += 1
    assert checked > 20


def test_the_pdf_files_print_no_hidden_count(built):
    hidden = _hidden_cells(built)
    checked = 0
    pdfs = [built.out / "sia-report.pdf", *sorted(built.out.glob("*/*.pdf"))]
    tables = {t.id: t for t in built.context.tables()}
    tables.update({p.figures.id: p.figures for p in [*built.context.wards, *built.context.places]})
    for path in pdfs:
        text = " ".join(p.extract_text() for p in PdfReader(path).pages)
        text = re.sub(r"\s+", " ", text)
        for table_id, cells in hidden.items():
            t = tables[table_id]
            start = text.find(t.title + " " + " ".join(t.columns[:2]))
            if start < 0:
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
                _check(match.group(1 + index), raw, f"{path.name} {table_id} {key} {column}")
                checked += 1
    assert checked > 50
