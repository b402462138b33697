"""Excel: every table of the report, one sheet each, and a Notes sheet on sources.

Writes ``sia-tables.xlsx``. Figures are numbers where the report prints a number; a hidden
cell keeps its label (``<5``, ``[c]``), never the count.
"""

from __future__ import annotations

import re
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from sia.report.context import ReportContext, ReportTable
from sia.report.writers import Writer

TABLES_FILE = "sia-tables.xlsx"
NOTES_SHEET = "Notes"
_BAD = re.compile(r"[\[\]:*?/\\]")


def cell_value(text: str) -> str | int | float | None:
    """A printed cell as Excel should hold it: ``"1,234"`` -> 1234, ``"12.50"`` -> 12.5,
    ``"+3.1%"`` -> 0.031, ``""`` -> an empty cell; anything else stays text."""
    if text == "":
        return None
    bare = text.replace(",", "")
    if re.fullmatch(r"[+-]?\d+", bare):
        return int(bare)
    if re.fullmatch(r"[+-]?\d+\.\d+", bare):
        return float(bare)
    if re.fullmatch(r"[+-]?\d+(\.\d+)?%", bare):
        return round(float(bare[:-1]) / 100, 6)
    return text


def sheet_names(tables: list[ReportTable]) -> list[str]:
    """Unique sheet names of at most 31 characters from the tables' ids."""
    names: list[str] = []
    for t in tables:
        base = _BAD.sub("-", t.id)[:31]
        name, n = base, 2
        while name.lower() in {x.lower() for x in names} or name == NOTES_SHEET:
            suffix = f"-{n}"
            name = base[: 31 - len(suffix)] + suffix
            n += 1
        names.append(name)
    return names


def write(context: ReportContext, out_dir: Path) -> list[Path]:
    tables = context.tables()
    names = sheet_names(tables)
    book = Workbook()
    notes = book.active
    notes.title = NOTES_SHEET
    notes.append([context.title])
    notes["A1"].font = Font(bold=True, size=14)
    notes.append([f"Period: {context.period_label}; previous period: {context.previous_label}."])
    notes.append([context.disclosure])
    notes.append(
        [
            "Sources: the partnership's warehouse; every file loaded is listed on the manifest "
            "sheet with its SHA-256 hash."
        ]
    )
    notes.append([])
    notes.append(["Sheet", "Table", "Measure", "Sensitive", "Notes"])
    for cell in notes[notes.max_row]:
        cell.font = Font(bold=True)
    for name, t in zip(names, tables, strict=True):
        notes.append(
            [name, t.title, t.measure_id or "", "yes" if t.sensitive else "no", " ".join(t.notes)]
        )
        sheet = book.create_sheet(name)
        sheet.append(t.columns)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        for row in t.rows:
            sheet.append([row[0], *(cell_value(c) for c in row[1:])])
        sheet.freeze_panes = "B2"
        for i, column in enumerate(t.columns, start=1):
            width = max([len(column), *(len(r[i - 1]) for r in t.rows)])
            sheet.column_dimensions[get_column_letter(i)].width = min(max(width + 2, 10), 70)
    notes.column_dimensions["A"].width = 32
    notes.column_dimensions["B"].width = 60
    notes.column_dimensions["E"].width = 80
    path = out_dir / TABLES_FILE
    book.save(path)
    return [path]


WRITER = Writer(
    name="xlsx",
    describe="sia-tables.xlsx: every table, one sheet each, and a Notes sheet",
    write=write,
)
