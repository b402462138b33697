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

Seconds are the wall time of the whole subprocess (interpreter start and imports included);
peak memory is the subprocess's maximum resident set size, read with ``os.wait4``. The
machine's load is printed: other work on the machine slows every figure.

Usage::

    .venv/bin/python benchmarks/report.py
    .venv/bin/python benchmarks/report.py --only-all     # just the all-formats run
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from measure import machine, mib, run_measured, sia_command, verdict

GOAL_SECONDS = 30.0
FORMATS = ("html", "pdf", "docx", "xlsx")


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


def _files(folder: Path) -> tuple[int, int]:
    paths = [p for p in folder.rglob("*") if p.is_file()]
    return len(paths), sum(p.stat().st_size for p in paths)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--work-dir", type=Path, default=Path("benchmarks/out/report"))
    parser.add_argument("--only-all", action="store_true")
    args = parser.parse_args()
    work = args.work_dir.resolve()
    data = _build(work)
    rows = []
    for name in ("all", *(() if args.only_all else FORMATS)):
        out = work / f"out-{name}"
        argv = [*sia_command(), "--data-dir", str(data), "report", "--out", str(out)]
        if name != "all":
            argv += ["--format", name]
        run = run_measured(f"report-{name}", argv, work)
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
    print("| machine | |\n| --- | --- |")
    for key, value in machine(("weasyprint", "vl-convert-python", "altair", "python-docx")):
        print(f"| {key} | {value} |")


if __name__ == "__main__":
    main()
