"""The registry of report writers: one entry per format, all reading one ReportContext.

As datasette's renderers: a writer is a name, the files it writes and a function; the
built-in writers register themselves the same way any later one would (:func:`register`).

Examples
--------
>>> sorted(WRITERS)
['docx', 'html', 'pdf', 'xlsx']
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sia.report.context import ReportContext


@dataclass(frozen=True)
class Writer:
    """One output format.

    ``write(context, out_dir)`` writes the format's files under ``out_dir`` and returns their
    paths; ``describe`` says what it writes (``sia report --help`` and the docs).
    """

    name: str
    describe: str
    write: Callable[[ReportContext, Path], list[Path]]


WRITERS: dict[str, Writer] = {}


def register(writer: Writer) -> Writer:
    """Add a writer to the registry (a name registered twice is an error)."""
    if writer.name in WRITERS:
        raise ValueError(f"a report writer named {writer.name!r} is already registered")
    WRITERS[writer.name] = writer
    return writer


def parse_formats(text: str | None) -> list[str]:
    """``"html,pdf"`` -> ``["html", "pdf"]``; None or ``"all"`` -> every format."""
    if not text or text.strip() == "all":
        return list(WRITERS)
    names = [t.strip().lower() for t in text.split(",") if t.strip()]
    unknown = [n for n in names if n not in WRITERS]
    if unknown:
        raise ValueError(
            f"unknown report format(s) {unknown} in --format; choose from {sorted(WRITERS)}"
        )
    return list(dict.fromkeys(names))


def write_report(
    context: ReportContext,
    out_dir: Path,
    formats: list[str] | None = None,
    progress: Callable[[str], None] | None = None,
) -> dict[str, list[Path]]:
    """Write ``formats`` (default: all) of ``context`` under ``out_dir``."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written: dict[str, list[Path]] = {}
    for name in formats or list(WRITERS):
        if progress:
            progress(name)
        written[name] = WRITERS[name].write(context, out_dir)
    return written


def _register_builtins() -> None:
    from sia.report.writers import docx, html, pdf, xlsx

    for module in (html, pdf, docx, xlsx):
        register(module.WRITER)


_register_builtins()
