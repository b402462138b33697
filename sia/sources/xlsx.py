"""Excel workbooks, as Microsoft Forms and Excel export them, turned into the engine's CSV.

:func:`xlsx_to_csv` reads the first worksheet of a ``.xlsx`` workbook and writes a UTF-8
CSV that :func:`sia.sources.tabular.load_file` reads like any partner CSV. The rules:

* The first row is the header. Each header cell is stripped of surrounding whitespace;
  blank header cells at the right-hand end (Excel's used range often runs past the last
  column) are dropped.
* Microsoft Forms puts its own columns before the questions. When the header starts with
  exactly ``ID, Start time, Completion time, Email, Name`` (as Forms writes them,
  optionally followed by ``Last modified time``), those columns are dropped, except any
  named in ``keep_forms_columns``. A header that merely contains some of them elsewhere is
  left alone.
* Values: dates and date-times are written as ``YYYY-MM-DD`` (the time is dropped);
  times as ``HH:MM:SS``; whole numbers stored as floats as integers (``5.0`` becomes
  ``5``), other numbers as the shortest exact decimal; ``TRUE``/``FALSE`` as ``yes``/``no``;
  empty cells as empty fields; formulas as their last calculated value. Line breaks inside
  a cell become spaces, so every record is one line.
* Line numbers stay the sheet's row numbers: a blank row between records is written as a
  row of empty fields (the engine then rejects it, naming its line, rather than losing it
  silently); blank rows after the last record are dropped. Cells to the right of the
  header are dropped when empty and kept otherwise, so the engine rejects that line as
  having too many fields.

A file that is not a workbook, a first worksheet with nothing in it, or one whose first
row is blank raises :class:`sia.sources.base.SourceError` naming the file.
"""

from __future__ import annotations

import csv
import math
from collections.abc import Collection, Iterator
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from sia.sources.base import MAGIC, SourceError

#: The columns Microsoft Forms writes before the questions, in order.
FORMS_COLUMNS = ("ID", "Start time", "Completion time", "Email", "Name")
#: Written after ``Name`` by newer Forms exports.
FORMS_LAST_MODIFIED = "Last modified time"

_ZIP = b"PK\x03\x04"
_OLE = b"\xd0\xcf\x11\xe0"


def xlsx_to_csv(path: Path, out: Path, *, keep_forms_columns: Collection[str] = ()) -> None:
    """Write the first worksheet of the workbook ``path`` to ``out`` as a UTF-8 CSV.

    See the module's documentation for the rules. ``keep_forms_columns`` names Microsoft
    Forms columns (e.g. ``"ID"``) that a format needs and that must therefore be kept.
    ``out`` is overwritten; it is removed again if the workbook turns out to be unreadable.
    """
    path, out = Path(path), Path(out)
    _check_is_workbook(path)
    from openpyxl import load_workbook

    try:
        fh = path.open("rb")
    except OSError as exc:
        raise SourceError(path, f"cannot be read: {exc.strerror}") from exc
    try:
        try:
            # A file object, not the path, so openpyxl does not judge by the extension.
            wb = load_workbook(fh, read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises many kinds for a damaged workbook
            raise SourceError(
                path, f"not a readable Excel .xlsx workbook ({_describe(exc)})"
            ) from exc
        try:
            _write(path, out, wb, frozenset(keep_forms_columns))
        finally:
            wb.close()
    finally:
        fh.close()


def _write(path: Path, out: Path, wb, keep: frozenset[str]) -> None:
    if not wb.worksheets:
        raise SourceError(path, "the workbook has no worksheet")
    ws = wb.worksheets[0]
    ws.reset_dimensions()  # do not trust the stored used range: read every row there is
    rows = _rows(path, ws)
    header_row = next(rows, None)
    if header_row is None:
        raise SourceError(path, f"the first worksheet ({ws.title!r}) is empty")
    header = [_text(v).strip() for v in header_row]
    while header and not header[-1]:
        header.pop()
    if not header:
        has_data = any(any(_text(v) for v in row) for row in rows)
        problem = "the header must be on the first row" if has_data else "the sheet is empty"
        raise SourceError(path, f"the first row of {ws.title!r} is blank: {problem}", line=1)
    dropped = _forms_columns(header, keep)
    width = len(header)
    kept = [i for i in range(width) if i not in dropped]
    try:
        with out.open("w", newline="", encoding="utf-8") as fh:
            writer = csv.writer(fh, lineterminator="\n")
            writer.writerow([header[i] for i in kept])
            pending_blank = 0  # blank rows are written only if a record follows them
            for row in rows:
                values = [_text(v) for v in row]
                if not any(values):
                    pending_blank += 1
                    continue
                writer.writerows([""] * len(kept) for _ in range(pending_blank))
                pending_blank = 0
                values += [""] * (width - len(values))
                extra = values[width:]
                while extra and not extra[-1]:
                    extra.pop()
                writer.writerow([values[i] for i in kept] + extra)
    except BaseException:
        out.unlink(missing_ok=True)
        raise


def _rows(path: Path, ws) -> Iterator[tuple[Any, ...]]:
    """The sheet's rows; a damaged sheet raises :class:`SourceError` naming the file."""
    try:
        yield from ws.iter_rows(values_only=True)
    except Exception as exc:  # zip, XML and value errors of a damaged sheet
        raise SourceError(
            path, f"the worksheet {ws.title!r} could not be read ({_describe(exc)})"
        ) from exc


def _forms_columns(header: list[str], keep: frozenset[str]) -> set[int]:
    """Positions of the leading Microsoft Forms columns to drop (none if not a Forms export)."""
    n = len(FORMS_COLUMNS)
    if tuple(header[:n]) != FORMS_COLUMNS:
        return set()
    if len(header) > n and header[n] == FORMS_LAST_MODIFIED:
        n += 1
    return {i for i in range(n) if header[i] not in keep}


def _text(value: Any) -> str:
    """One cell as the engine reads it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, time):
        return value.replace(microsecond=0).isoformat()
    if isinstance(value, float):
        if math.isfinite(value) and value.is_integer():
            return str(int(value))
        return repr(value)
    if isinstance(value, timedelta):
        return str(value)
    text = str(value)
    # One record, one line: a line break in a cell (Alt+Enter in Excel) becomes a space.
    return " ".join(text.splitlines())


def _check_is_workbook(path: Path) -> None:
    try:
        with path.open("rb") as fh:
            head = fh.read(8)
    except IsADirectoryError as exc:
        raise SourceError(path, "is a folder, not a file") from exc
    except OSError as exc:
        raise SourceError(path, f"cannot be read: {exc.strerror}") from exc
    if not head:
        raise SourceError(path, "the file is empty (0 bytes)")
    if head.startswith(_ZIP):
        return
    if head.startswith(_OLE):
        raise SourceError(
            path,
            "not an .xlsx workbook: it is an old Excel .xls file or a password-protected "
            "workbook; open it in Excel and save it as .xlsx without a password",
        )
    what = next((w for magic, w in MAGIC.items() if head.startswith(magic)), None)
    if what:
        raise SourceError(path, f"not an Excel .xlsx workbook: it is {what}")
    raise SourceError(path, "not an Excel .xlsx workbook (if it is a CSV file, name it .csv)")


def _describe(exc: BaseException) -> str:
    text = str(exc).strip()
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__
