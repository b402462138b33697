"""How fast sia writes the Kirklees report in every format, profiles included.

This is a measurement, not a test: it prints figures and never fails because the goal is
missed. It exits non-zero only when a measured command fails.

1. Builds the demo pack and its assessment once with the real CLI (``sia --data-dir DIR
   demo`` and ``sia --data-dir DIR assess``, DIR under ``--work-dir``; reused when a previous
   build finished).
2. Times ``sia --data-dir DIR report --out OUT`` (every format: HTML, PDF, Word, Excel, and
   the 23 ward and 4 place profiles in HTML and PDF) in a fresh subprocess, then each format
   alone (``--format NAME``), so the cost of each writer is visible (each of those runs
   builds the context again).
3. Prints Markdown tables with the files written, their sizes, and the goal: all formats for
   Kirklees including the 27 profiles in under 30 s.
4. With ``--phases``, times the steps of ``sia report`` one by one in a fresh process
   (imports, the context, the pictures, each writer, the report's PDF and the profiles' PDFs
   printed in this one process), wall and CPU seconds each, to show where the time goes.

Seconds are the wall time of the whole subprocess (interpreter start and imports included);
CPU seconds are those of every process it ran (the PDF workers and their fork server too:
on Linux this script adopts them when ``sia`` exits and reads their usage with
``os.wait4``); peak memory is the largest maximum resident set size of any of them. The
machine's load is printed: other work on the machine slows every figure.

Usage::

    .venv/bin/python benchmarks/report.py
    .venv/bin/python benchmarks/report.py --only-all     # just the all-formats run
    .venv/bin/python benchmarks/report.py --only-all --phases
"""

from __future__ import annotations

import argparse
import ctypes
import dataclasses
import os
import sys
import time
from pathlib import Path

from measure import Run, machine, mib, run_measured, sia_command, verdict

GOAL_SECONDS = 30.0
FORMATS = ("html", "pdf", "docx", "xlsx")
#: How many processes print the PDFs (sia.report.writers.pdf.WORKERS_VARIABLE).
WORKERS = "SIA_REPORT_WORKERS"


def _build(work: Path) -> Path:
    data = work / "kirklees"
    done = data / ".assessed"
    if done.exists():
        return data
    for step in (["demo"], ["assess"]):
        run = run_measured(step[0], [*sia_command(), "--data-dir", str(data), *step], work)
        if run.returncode != 0:
            sys.exit(f"sia {step[0]} failed:\n{run.stderr[-2000:]}")
    done.touch()
    return data


def _adopt_orphans() -> bool:
    """Make this process the reaper of its orphaned descendants (Linux), so the PDF
    workers' fork server, which outlives ``sia`` by a moment, is waited for here."""
    if not sys.platform.startswith("linux"):
        return False
    pr_set_child_subreaper = 36
    libc = ctypes.CDLL(None, use_errno=True)
    return libc.prctl(pr_set_child_subreaper, 1, 0, 0, 0) == 0


def _run_tree(tool: str, argv: list[str], scratch: Path) -> Run:
    """:func:`run_measured`, with the CPU time and peak memory of the processes ``sia``
    started that were still running when it exited."""
    run = run_measured(tool, argv, scratch)
    cpu, peak = run.cpu_seconds, run.peak_bytes
    while True:
        try:
            _, _, usage = os.wait4(-1, 0)
        except ChildProcessError:
            break
        cpu += usage.ru_utime + usage.ru_stime
        peak = max(peak, usage.ru_maxrss * (1 if sys.platform == "darwin" else 1024))
    return dataclasses.replace(run, cpu_seconds=cpu, peak_bytes=peak)


def _files(folder: Path) -> tuple[int, int]:
    paths = [p for p in folder.rglob("*") if p.is_file()]
    return len(paths), sum(p.stat().st_size for p in paths)


class _Clock:
    """Wall and CPU seconds of each step since the previous one (this process and its
    finished children)."""

    def __init__(self) -> None:
        self.rows: list[tuple[str, float, float]] = []
        self.wall, self.cpu = time.perf_counter(), self._cpu()

    @staticmethod
    def _cpu() -> float:
        t = os.times()
        return t.user + t.system + t.children_user + t.children_system

    def lap(self, step: str) -> None:
        wall, cpu = time.perf_counter(), self._cpu()
        self.rows.append((step, wall - self.wall, cpu - self.cpu))
        self.wall, self.cpu = wall, cpu


def phases(data: Path, out: Path) -> None:
    """Time each step of ``sia report`` in this process (``--phases-child``)."""
    clock = _Clock()
    from sia.config import load_partnership
    from sia.report import build_context, period_insight, prioritisation_of
    from sia.report.writers import docx, html, pdf, xlsx
    from sia.warehouse import Warehouse

    clock.lap("imports (sia.report and its writers)")
    import weasyprint  # noqa: F401

    clock.lap("import WeasyPrint")
    partnership = load_partnership("kirklees")
    with Warehouse.open(partnership, data, read_only=True) as wh:
        from sia.assessment import latest_assessment

        assessment = latest_assessment(wh)
        insight = period_insight(wh, partnership, assessment)
        recommendation = prioritisation_of(wh, partnership, assessment, insight)
        clock.lap("assessment, insight and prioritisation read")
        context = build_context(wh, partnership, assessment, insight, recommendation)
    clock.lap("context (tables and chart specs)")
    from sia.report import charts

    areas = [*context.wards, *context.places]
    pictures = context.charts() + [a.map_chart for a in areas if a.map_chart]
    for chart in pictures:
        charts.svg(chart)
    clock.lap(f"SVG of {len(pictures)} pictures (vl-convert)")
    for chart in context.charts():
        charts.png(chart)
    clock.lap(f"PNG of the report's {len(context.charts())} pictures (vl-convert)")
    out.mkdir(parents=True, exist_ok=True)
    html.write(context, out)
    clock.lap("HTML writer (report and 27 profiles)")
    pdf.html_to_pdf(html.render_report(context, picture=html.inline_png), out / "report.pdf")
    clock.lap("PDF of the report (WeasyPrint, this process)")
    for area in areas:
        page = html.render_profile(context, area)
        pdf.html_to_pdf(page, out / f"{area.kind}-{area.slug}.pdf")
    clock.lap(f"PDF of the {len(areas)} profiles (WeasyPrint, this process)")
    docx.write(context, out)
    clock.lap("Word writer")
    xlsx.write(context, out)
    clock.lap("Excel writer")
    print("| step | seconds | CPU seconds |\n| --- | ---: | ---: |")
    for step, wall, cpu in clock.rows:
        print(f"| {step} | {wall:.2f} | {cpu:.2f} |")
    total_wall = sum(r[1] for r in clock.rows)
    total_cpu = sum(r[2] for r in clock.rows)
    print(f"| total (after the interpreter started) | {total_wall:.2f} | {total_cpu:.2f} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--work-dir", type=Path, default=Path("benchmarks/out/report"))
    parser.add_argument("--only-all", action="store_true")
    parser.add_argument("--phases", action="store_true", help="time each step too")
    parser.add_argument(
        "--serial",
        action="store_true",
        help="time all formats printed by one process too (SIA_REPORT_WORKERS=1)",
    )
    parser.add_argument("--phases-child", nargs=2, type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.phases_child:
        phases(*args.phases_child)
        return
    work = args.work_dir.resolve()
    data = _build(work)
    if not _adopt_orphans():
        print("(CPU seconds count only the processes sia waited for itself)\n")
    rows = []
    runs = [("all", None, None)]
    if args.serial:
        runs.append(("all, one process", None, "1"))
    if not args.only_all:
        runs += [(name, name, None) for name in FORMATS]
    workers = os.environ.get(WORKERS)
    for name, only, processes in runs:
        out = work / f"out-{only or 'all'}"
        argv = [*sia_command(), "--data-dir", str(data), "report", "--out", str(out)]
        if only:
            argv += ["--format", only]
        if processes:
            os.environ[WORKERS] = processes
        try:
            run = _run_tree(f"report-{only or 'all'}", argv, work)
        finally:
            os.environ.pop(WORKERS, None)
            if workers is not None:
                os.environ[WORKERS] = workers
        if run.returncode != 0:
            sys.exit(f"sia report ({name}) failed:\n{run.stderr[-2000:]}")
        files, size = _files(out)
        rows.append((name, run.seconds, run.cpu_seconds, run.peak_bytes, files, size))
    print("## sia report, Kirklees demo (23 ward and 4 place profiles)\n")
    print("| formats | seconds | CPU seconds | peak MiB | files | MiB written |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    for name, seconds, cpu, peak, files, size in rows:
        print(f"| {name} | {seconds:.1f} | {cpu:.1f} | {mib(peak)} | {files} | {mib(size)} |")
    total = rows[0][1]
    print(
        f"\nAll formats: {total:.1f} s against the goal of {GOAL_SECONDS:.0f} s: "
        f"{verdict(total < GOAL_SECONDS)}."
    )
    print(f"\nLoad average while measured: {' '.join(f'{x:.2f}' for x in os.getloadavg())}\n")
    if args.phases:
        argv = [sys.executable, __file__, "--phases-child", str(data), str(work / "out-phases")]
        run = run_measured("report-phases", argv, work)
        if run.returncode != 0:
            sys.exit(f"the phases run failed:\n{run.stderr[-2000:]}")
        print("## Where the time goes (one process, every step in turn)\n")
        print(run.stdout)
    print("| machine | |\n| --- | --- |")
    for key, value in machine(("weasyprint", "vl-convert-python", "altair", "python-docx")):
        print(f"| {key} | {value} |")


if __name__ == "__main__":
    main()
