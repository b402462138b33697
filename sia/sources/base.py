"""What every source shares: file checks, the error a bad file raises, the load result."""

from __future__ import annotations

import csv
import hashlib
import io
from dataclasses import dataclass, field
from pathlib import Path

#: Leading bytes of formats people send by mistake instead of a CSV.
MAGIC = {
    b"\x1f\x8b": "gzip-compressed data",
    b"PK\x03\x04": "a ZIP archive (perhaps an Excel .xlsx workbook)",
    b"\x89PNG": "a PNG image",
    b"%PDF": "a PDF document",
    b"\xff\xd8\xff": "a JPEG image",
    b"\xd0\xcf\x11\xe0": "an old Excel or Word file",
}


class SourceError(Exception):
    """A whole file that cannot be loaded. Names the file, and the line and field if known."""

    def __init__(
        self, path: str | Path, message: str, line: int | None = None, field: str | None = None
    ):
        self.path = str(path)
        self.line = line
        self.field = field
        self.message = message
        where = self.path
        if line is not None:
            where += f", line {line}"
        if field:
            where += f", field {field!r}"
        super().__init__(f"{where}: {message}")


@dataclass
class Reject:
    line: int | None
    field: str | None
    reason: str
    raw: str | None = None

    def __str__(self) -> str:
        where = f"line {self.line}" if self.line is not None else "line ?"
        if self.field:
            where += f", field {self.field!r}"
        return f"{where}: {self.reason}"


@dataclass
class LoadResult:
    """What became of every row of one file. ``loaded + duplicates + skipped + rejected = read``."""

    file: str
    source: str
    format: str
    sha256: str
    read: int = 0
    loaded: int = 0
    duplicates: int = 0
    skipped: dict[str, int] = field(default_factory=dict)
    rejected: int = 0
    rejects: list[Reject] = field(default_factory=list)
    load_id: int | None = None
    already_loaded: bool = False

    @property
    def skipped_total(self) -> int:
        return sum(self.skipped.values())

    def balanced(self) -> bool:
        return self.loaded + self.duplicates + self.skipped_total + self.rejected == self.read


def sha256_of(path: Path, chunk: int = 1 << 20) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while block := fh.read(chunk):
            digest.update(block)
    return digest.hexdigest()


def read_header(path: Path, expected: dict[str, tuple[str, ...]]) -> tuple[str, bool]:
    """Check that ``path`` is a CSV whose header is one of ``expected`` (format -> columns).

    Returns the format name and whether the file starts with a UTF-8 byte order mark.
    Raises :class:`SourceError` for an empty file, a binary file, a header that is not one
    of the expected ones, or a file with a header and no data rows.
    """
    try:
        with path.open("rb") as fh:
            head = fh.read(64 * 1024)
    except IsADirectoryError as exc:
        raise SourceError(path, "is a folder, not a file") from exc
    except OSError as exc:
        raise SourceError(path, f"cannot be read: {exc.strerror}") from exc
    if not head:
        raise SourceError(path, "the file is empty (0 bytes)")
    for magic, what in MAGIC.items():
        if head.startswith(magic):
            raise SourceError(path, f"not a CSV file: it is {what}")
    if b"\x00" in head:
        raise SourceError(path, "not a CSV file: it contains binary (NUL) bytes")
    bom = head.startswith(b"\xef\xbb\xbf")
    first_line = head.split(b"\n", 1)[0].rstrip(b"\r")
    try:
        text = first_line.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise SourceError(path, "the header is not UTF-8 text", line=1) from exc
    columns = tuple(next(csv.reader(io.StringIO(text)), []))
    fmt = next((name for name, cols in expected.items() if columns == cols), None)
    if fmt is None:
        raise SourceError(path, _header_problem(columns, expected), line=1)
    rest = head[len(first_line) :].lstrip(b"\r\n")
    if not rest.strip() and path.stat().st_size <= len(head):
        raise SourceError(path, "the file has a header but no data rows", line=2)
    return fmt, bom


def _header_problem(found: tuple[str, ...], expected: dict[str, tuple[str, ...]]) -> str:
    # Explain against the expected header that is closest (most columns in place).
    def in_place(item: tuple[str, tuple[str, ...]]) -> int:
        return sum(a == b for a, b in zip(item[1], found, strict=False))

    name, cols = max(expected.items(), key=in_place)
    if not found or found == ("",):
        return f"the first line is blank; expected the {name} header: {','.join(cols)}"
    if sorted(found) == sorted(cols):
        moved = [
            f"column {i + 1} is {f!r} where {c!r} was expected"
            for i, (f, c) in enumerate(zip(found, cols, strict=False))
            if f != c
        ]
        return f"the {name} columns are in the wrong order: " + "; ".join(moved[:3])
    missing = [c for c in cols if c not in found]
    extra = [f for f in found if f not in cols]
    parts = []
    if missing:
        parts.append(f"missing column(s) {missing}")
    if extra:
        parts.append(f"unexpected column(s) {extra}")
    return f"not a {name} header: " + "; ".join(parts) + f". Expected: {','.join(cols)}"


#: File endings a folder is searched for.
DATA_SUFFIXES = (".csv", ".xlsx")


def find_csv_files(paths: list[Path]) -> list[Path]:
    """Expand folders (recursively) into the CSV and XLSX files they hold, in a stable order."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            found = sorted(
                p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in DATA_SUFFIXES
            )
            if not found:
                raise SourceError(path, "the folder holds no .csv or .xlsx file")
            files.extend(found)
        elif path.exists():
            files.append(path)
        else:
            raise SourceError(path, "no such file or folder")
    return files
