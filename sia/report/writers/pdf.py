"""PDF: the HTML report and profiles printed by WeasyPrint (A4, page numbers, contents).

Writes ``sia-report.pdf``, ``wards/<ward>.pdf`` and ``places/<place>.pdf`` from the very
HTML the html writer makes; the print rules in ``report.css`` give each page its number
("Page n of m"), the report's title in the footer, and the contents their page numbers.
"""

from __future__ import annotations

import logging
from functools import cache
from pathlib import Path

from sia.report.context import ReportContext
from sia.report.writers import Writer
from sia.report.writers.html import inline_png, profile_path, render_profile, render_report

REPORT_FILE = "sia-report.pdf"


@cache
def _fonts():
    from weasyprint.text.fonts import FontConfiguration

    return FontConfiguration()


def html_to_pdf(html: str, target: Path) -> Path:
    """Print ``html`` to ``target`` (one font configuration shared by every document)."""
    from weasyprint import HTML

    # WeasyPrint logs every CSS property it does not support (the screen-only grid, the
    # focus shadows); they are expected, not errors.
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    HTML(string=html, base_url=None).write_pdf(target, font_config=_fonts())
    return target


def write(context: ReportContext, out_dir: Path) -> list[Path]:
    html = render_report(context, picture=inline_png)
    written = [html_to_pdf(html, out_dir / REPORT_FILE)]
    for area in [*context.wards, *context.places]:
        target = profile_path(out_dir, area, ".pdf")
        target.parent.mkdir(parents=True, exist_ok=True)
        written.append(html_to_pdf(render_profile(context, area), target))
    return written


WRITER = Writer(
    name="pdf",
    describe="sia-report.pdf (WeasyPrint, page numbers and contents) and profile PDFs",
    write=write,
)
