"""PDF: the HTML report and profiles printed by WeasyPrint (A4, page numbers, contents).

Writes ``sia-report.pdf``, ``wards/<ward>.pdf`` and ``places/<place>.pdf`` from the very
HTML the html writer makes; the print rules in ``report.css`` give each page its number
("Page n of m"), the report's title in the footer, and the contents their page numbers.

WeasyPrint's layout is most of the time ``sia report`` takes, and each document is laid out
on its own, so they are printed in parallel: the profiles by worker processes (one for each
core but one), the report, the longest, by this process meanwhile. The pictures are
rendered once, in this process: the report's as PNG (WeasyPrint draws its many maps and
charts far faster as pictures than it lays out their SVG paths), each profile's one map as
the SVG of its HTML (as fast to print as a PNG is to make, and sharp). The workers are
started by a fork server (a fresh process that has imported this module), never forked
from this one: the warehouse's and vl-convert's threads must not be copied into a child.
The files are the same as when printed one after another (``SIA_REPORT_WORKERS=1``).
"""

from __future__ import annotations

import atexit
import logging
import multiprocessing
import os
from collections.abc import Iterator
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from functools import cache
from importlib import resources
from pathlib import Path

from sia.report.context import ReportContext
from sia.report.writers import Writer
from sia.report.writers.html import inline_png, profile_path, render_profile, render_report

REPORT_FILE = "sia-report.pdf"
logger = logging.getLogger(__name__)


FONT_FAMILY = "SIA Liberation Sans"
#: The environment variable that sets how many processes print the PDFs, this one included
#: (default: one a core; 1 prints them all here, one after another).
WORKERS_VARIABLE = "SIA_REPORT_WORKERS"


@cache
def _fonts():
    """One font configuration, and the style sheet that embeds the shipped Liberation Sans
    (SIL OFL) so the PDF looks the same on every machine."""
    from weasyprint import CSS
    from weasyprint.text.fonts import FontConfiguration

    config = FontConfiguration()
    # drop it before the interpreter tears its modules down (its __del__ needs them)
    atexit.register(_fonts.cache_clear)
    folder = resources.files("sia.report").joinpath("static", "fonts")
    faces = "".join(
        f'@font-face {{ font-family: "{FONT_FAMILY}"; font-weight: {weight}; '
        f'src: url("{Path(str(folder.joinpath(name))).as_uri()}"); }}'
        for name, weight in (("LiberationSans-Regular.ttf", 400), ("LiberationSans-Bold.ttf", 700))
    )
    faces += f'html {{ font-family: "{FONT_FAMILY}", Arial, sans-serif; }}'
    faces += f'@page {{ @bottom-left {{ font-family: "{FONT_FAMILY}"; }} '
    faces += f'@bottom-right {{ font-family: "{FONT_FAMILY}"; }} }}'
    return config, CSS(string=faces, font_config=config)


def html_to_pdf(html: str, target: Path) -> Path:
    """Print ``html`` to ``target`` (one font configuration shared by every document)."""
    from weasyprint import HTML

    # WeasyPrint logs every CSS property it does not support (the screen-only grid, the
    # focus shadows); they are expected, not errors.
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    config, fonts = _fonts()
    HTML(string=html, base_url=None).write_pdf(target, stylesheets=[fonts], font_config=config)
    return target


def workers() -> int:
    """How many processes print the PDFs: ``SIA_REPORT_WORKERS`` when set, else one a core
    this process may use."""
    value = os.environ.get(WORKERS_VARIABLE, "").strip()
    if value:
        try:
            n = int(value)
        except ValueError:
            raise ValueError(
                f"{WORKERS_VARIABLE}={value!r} is not a whole number of processes"
            ) from None
        if n < 1:
            raise ValueError(f"{WORKERS_VARIABLE} must be at least 1, not {n}")
        return n
    usable = os.sched_getaffinity(0) if hasattr(os, "sched_getaffinity") else None
    return len(usable) if usable else (os.cpu_count() or 1)


class _InProcess(Executor):
    """Prints each document when it is submitted (one worker: no process to start)."""

    def submit(self, fn, /, *args, **kwargs) -> Future:  # type: ignore[override]
        future: Future = Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except BaseException as exc:  # handed to whoever reads the result, as a pool would
            future.set_exception(exc)
        return future


@contextmanager
def printers(n: int) -> Iterator[Executor]:
    """An executor for :func:`html_to_pdf`: ``n`` worker processes started by a fork server
    that has imported this module, or none (each document printed here when submitted)."""
    if n < 1:
        yield _InProcess()
        return
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")
    if context.get_start_method() == "forkserver":
        context.set_forkserver_preload([__name__])
    with ProcessPoolExecutor(max_workers=n, mp_context=context) as pool:
        yield pool


def _result(future: Future, html: str, target: Path) -> Path:
    """The worker's file; printed here instead if the worker process died (a worker that
    cannot start, for one: a script that runs ``sia.report`` without an
    ``if __name__ == "__main__":`` guard is imported again by each worker)."""
    try:
        return future.result()
    except BrokenProcessPool:
        logger.warning("a PDF worker process stopped; printing %s here instead", target.name)
        return html_to_pdf(html, target)


def write(context: ReportContext, out_dir: Path) -> list[Path]:
    profiles = [*context.wards, *context.places]
    with printers(min(workers() - 1, len(profiles))) as pool:
        # each profile goes to a worker as soon as its HTML is made
        jobs = []
        for area in profiles:
            target = profile_path(out_dir, area, ".pdf")
            target.parent.mkdir(parents=True, exist_ok=True)
            html = render_profile(context, area)
            jobs.append((pool.submit(html_to_pdf, html, target), html, target))
        report = html_to_pdf(render_report(context, picture=inline_png), out_dir / REPORT_FILE)
        return [report, *(_result(*job) for job in jobs)]


WRITER = Writer(
    name="pdf",
    describe="sia-report.pdf (WeasyPrint, page numbers and contents) and profile PDFs",
    write=write,
)
