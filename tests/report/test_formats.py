"""Word, Excel and PDF: opened by their own libraries, with the report's structure."""

from __future__ import annotations

import re

import pytest
from docx import Document
from openpyxl import load_workbook
from pypdf import PdfReader

from sia.report.writers import WRITERS, parse_formats
from sia.report.writers.docx import SECTIONS
from sia.report.writers.xlsx import NOTES_SHEET, cell_value, sheet_names

pytestmark = pytest.mark.slow


def test_the_registry_has_the_four_formats_and_refuses_others():
    assert sorted(WRITERS) == ["docx", "html", "pdf", "xlsx"]
    assert parse_formats(None) == list(WRITERS)
    assert parse_formats("pdf, html,pdf") == ["pdf", "html"]
    with pytest.raises(ValueError, match="unknown report format"):
        parse_formats("html,odt")


def test_every_file_is_written(built):
    names = {p.name for p in built.out.iterdir()}
    assert {"sia-report.html", "sia-report.pdf", "sia-report.docx", "sia-tables.xlsx"} <= names
    for folder, count in (("wards", 23), ("places", 4)):
        assert len(list((built.out / folder).glob("*.html"))) == count
        assert len(list((built.out / folder).glob("*.pdf"))) == count


# -- Word -------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def document(built):
    return Document(str(built.out / "sia-report.docx"))


def test_word_sections_are_heading_1(document):
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert headings == list(SECTIONS)


def test_word_priorities_are_headings_under_their_themes(document, built):
    level4 = [p.text for p in document.paragraphs if p.style.name == "Heading 4"]
    assert [t.split(":")[0] for t in level4] == [p["name"] for p in built.document["priorities"]]


def test_the_priorities_table_is_a_word_table(document, built):
    table = built.context.priorities_table
    found = [t for t in document.tables if [c.text for c in t.rows[0].cells] == table.columns]
    assert len(found) == 1
    first_column = [row.cells[0].text for row in found[0].rows[1:]]
    assert first_column == [p["name"] for p in built.document["priorities"]]


def test_every_word_picture_has_alt_text(document, built):
    shapes = list(document.inline_shapes)
    assert len(shapes) == len(built.context.charts())
    alts = [s._inline.docPr.get("descr") for s in shapes]
    assert alts == [c.alt for c in built.context.charts()]


# -- Excel ------------------------------------------------------------------------------------
def test_excel_has_one_sheet_per_table_and_notes(built):
    book = load_workbook(built.out / "sia-tables.xlsx", read_only=True)
    tables = built.context.tables()
    assert book.sheetnames == [NOTES_SHEET, *sheet_names(tables)]
    for name, table in zip(book.sheetnames[1:], tables, strict=True):
        rows = list(book[name].iter_rows(values_only=True))
        assert list(rows[0]) == table.columns
        assert len(rows) - 1 == len(table.rows)
        for got, want in zip(rows[1:], table.rows, strict=True):
            assert got[0] == want[0]
            assert list(got[1:]) == [cell_value(c) for c in want[1:]]
    notes = [r[0] for r in book[NOTES_SHEET].iter_rows(values_only=True)]
    for name in book.sheetnames[1:]:
        assert name in notes


def test_cell_values():
    assert cell_value("1,234") == 1234
    assert cell_value("12.50") == 12.5
    assert cell_value("+3.1%") == pytest.approx(0.031)
    assert cell_value("<5") == "<5"
    assert cell_value("[c]") == "[c]"
    assert cell_value("–") == "–"
    assert cell_value("") is None


def test_sheet_names_are_unique_and_short():
    from sia.report.context import ReportTable

    tables = [ReportTable(id="x" * 40, title="", columns=["a"], rows=[]) for _ in range(3)]
    names = sheet_names(tables)
    assert len(set(names)) == 3 and all(len(n) <= 31 for n in names)


# -- PDF --------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def pdf(built):
    return PdfReader(built.out / "sia-report.pdf")


def test_pdf_pages_are_numbered(pdf):
    n = len(pdf.pages)
    assert n > 20
    for i in (0, n // 2, n - 1):
        assert f"Page {i + 1} of {n}" in pdf.pages[i].extract_text()


def test_pdf_contents_give_page_numbers_that_hold_the_sections(pdf):
    contents = pdf.pages[0].extract_text()
    for heading in ("3 Methodology", "4.3 Proposed priorities", "Appendix A: Data manifest"):
        match = re.search(re.escape(heading) + r"[ .]*?(\d+)\s*$", contents, re.MULTILINE)
        assert match, heading
        page = int(match.group(1))
        assert heading in pdf.pages[page - 1].extract_text()


def test_profile_pdfs_open(built):
    reader = PdfReader(built.out / "places" / "huddersfield.pdf")
    text = reader.pages[0].extract_text()
    assert "Huddersfield" in text and "Page 1 of" in text
