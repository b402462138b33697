"""How fast, and in how much memory, ``sia ingest police-uk`` loads a large police.uk file.

This is a measurement, not a test: it prints figures and never fails because a goal is missed.
It exits non-zero only when one of the measured commands fails.

1. Makes a police.uk street-level CSV of ``--rows`` rows by resampling the real City of London
   rows shipped in ``data/police_uk/city-of-london`` with a seeded RNG. Every resampled row
   that has a Crime ID gets a fresh random 64-hex Crime ID (so the rows are distinct crimes,
   not duplicates); anti-social behaviour rows keep their blank Crime ID, as police.uk
   publishes them. The file is reused when one of the same size and seed already exists.
2. Runs on that file, each in a fresh subprocess so that its peak memory is its own:

   - ``sia --config city-of-london --data-dir <fresh dir> ingest police-uk FILE`` (measured);
   - DuckDB: ``CREATE TABLE t AS SELECT * FROM read_csv(FILE)`` into a fresh DuckDB file;
   - pandas: ``read_csv(FILE)``.

   Seconds are the wall time of the whole subprocess (interpreter start and imports
   included, as a user would see them); peak memory is the subprocess's maximum resident set
   size, read with ``os.wait4``.
3. Prints a table and the ratios the project tracks.

Usage::

    .venv/bin/python benchmarks/ingest.py                    # 1,000,000 rows
    .venv/bin/python benchmarks/ingest.py --rows 6000000     # one year of England and Wales
    .venv/bin/python benchmarks/ingest.py --rows 200000 --repeat 3
"""

from __future__ import annotations

import argparse
import csv
import io
import shutil
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from measure import Run, machine, mib, run_measured, sia_command, verdict

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_SOURCE = ROOT / "data" / "police_uk" / "city-of-london"
DEFAULT_WORK_DIR = ROOT / "benchmarks" / "out" / "ingest"

HEADER = (
    "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,"
    "LSOA code,LSOA name,Crime type,Last outcome category,Context"
)
#: Rows drawn per RNG call. Part of what makes a file reproducible: do not change it lightly.
CHUNK = 500_000

#: The ratios the project tracks.
GOAL_VS_DUCKDB = 0.7
GOAL_VS_PANDAS = 1.5
GOAL_PEAK_BYTES = int(1.5 * 2**30)

DUCKDB_CODE = """
import sys, duckdb
path, db = sys.argv[1], sys.argv[2]
con = duckdb.connect(db)
con.execute("CREATE TABLE t AS SELECT * FROM read_csv('" + path.replace("'", "''") + "')")
print(con.execute("SELECT count(*) FROM t").fetchone()[0])
con.close()
"""

PANDAS_CODE = """
import sys, pandas
print(len(pandas.read_csv(sys.argv[1])))
"""


# -- the input file ------------------------------------------------------------------------
def source_rows(source_dir: Path) -> tuple[list[bool], list[bytes]]:
    """Every street row under ``source_dir``: whether it has a Crime ID, and its line after it.

    The line after the Crime ID starts with the comma that ends the Crime ID field, so a row
    is written as ``crime_id + rest`` (or ``rest`` alone when it has no Crime ID).
    """
    keyed: list[bool] = []
    rests: list[bytes] = []
    files = sorted(source_dir.rglob("*.csv"))
    for path in files:
        with path.open(newline="", encoding="utf-8-sig") as fh:
            reader = csv.reader(fh)
            if next(reader, None) != HEADER.split(","):
                continue
            for row in reader:
                buf = io.StringIO()
                csv.writer(buf, lineterminator="\n").writerow(row[1:])
                keyed.append(bool(row[0].strip()))
                rests.append(("," + buf.getvalue()).encode("utf-8"))
    if not rests:
        sys.exit(f"no police.uk street rows found under {source_dir}")
    return keyed, rests


def make_csv(rows: int, seed: int, work_dir: Path, source_dir: Path) -> tuple[Path, bool]:
    """The benchmark file for ``rows`` and ``seed``; True when it was made now."""
    path = work_dir / f"police-uk-street-{rows}-seed{seed}.csv"
    if path.exists():
        return path, False
    keyed, rests = source_rows(source_dir)
    rng = np.random.default_rng(seed)
    partial = path.with_name(path.name + ".partial")
    with partial.open("wb") as out:
        out.write((HEADER + "\n").encode("ascii"))
        done = 0
        while done < rows:
            n = min(CHUNK, rows - done)
            picks = rng.integers(0, len(rests), n).tolist()
            ids = rng.bytes(32 * n).hex().encode("ascii")
            out.write(
                b"".join(
                    ids[64 * k : 64 * k + 64] + rests[j] if keyed[j] else rests[j]
                    for k, j in enumerate(picks)
                )
            )
            done += n
    partial.replace(path)
    return path, True


# -- running one tool ----------------------------------------------------------------------


def commands(path: Path, scratch: Path) -> dict[str, list[str]]:
    return {
        "sia": [
            *sia_command(),
            "--config",
            "city-of-london",
            "--data-dir",
            str(scratch / "sia-data"),
            "ingest",
            "police-uk",
            str(path),
        ],
        "duckdb": [sys.executable, "-c", DUCKDB_CODE, str(path), str(scratch / "baseline.duckdb")],
        "pandas": [sys.executable, "-c", PANDAS_CODE, str(path)],
    }


def check_output(run: Run, rows: int) -> str | None:
    """A warning when a tool did not read the whole file (the figures would be meaningless)."""
    if run.tool == "sia":
        summary = next((ln for ln in run.stdout.splitlines() if "rows read" in ln), "")
        if f"{rows:,} rows read" not in summary:
            return f"sia did not report {rows:,} rows read: {summary or run.stdout[-300:]!r}"
        return None
    lines = run.stdout.strip().splitlines()
    if not lines or lines[-1].strip() != str(rows):
        return f"{run.tool} read {lines[-1] if lines else '?'} rows, not {rows:,}"
    return None


# -- reporting -----------------------------------------------------------------------------


def print_report(
    rows: int, path: Path, best: dict[str, Run], peaks: dict[str, int], repeat: int
) -> None:
    print()
    print(f"rows: {rows:,}  file: {path} ({path.stat().st_size / 2**20:,.0f} MiB)")
    for name, value in machine(("duckdb", "pandas")):
        print(f"{name}: {value}")
    note = f"best of {repeat}" if repeat > 1 else "one run"
    print()
    print(f"| tool | seconds ({note}) | rows/s | CPU seconds | peak memory (MiB) |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for tool, run in best.items():
        if run.returncode:
            print(f"| {tool} | failed (exit {run.returncode}) | | | |")
            continue
        print(
            f"| {tool} | {run.seconds:,.2f} | {rows / run.seconds:,.0f} "
            f"| {run.cpu_seconds:,.2f} | {mib(peaks[tool])} |"
        )
    print()
    ok = {t: r for t, r in best.items() if not r.returncode}
    if "sia" not in ok:
        print("sia failed: no ratios.")
        return

    def rate(tool: str) -> float:
        return rows / ok[tool].seconds

    if "duckdb" in ok:
        ratio = rate("sia") / rate("duckdb")
        print(
            f"sia rows/s / DuckDB rows/s = {ratio:.2f}  (goal >= {GOAL_VS_DUCKDB}: "
            f"{verdict(ratio >= GOAL_VS_DUCKDB)})"
        )
    if "pandas" in ok:
        ratio = rate("sia") / rate("pandas")
        print(
            f"sia rows/s / pandas rows/s = {ratio:.2f}  (goal >= {GOAL_VS_PANDAS}: "
            f"{verdict(ratio >= GOAL_VS_PANDAS)})"
        )
    peak = peaks["sia"]
    print(
        f"sia peak memory = {peak / 2**30:.2f} GiB  (goal <= {GOAL_PEAK_BYTES / 2**30} GiB: "
        f"{verdict(peak <= GOAL_PEAK_BYTES)})"
    )


# -- main ----------------------------------------------------------------------------------
def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000, help="rows in the file")
    parser.add_argument("--seed", type=int, default=1, help="RNG seed for the resampling")
    parser.add_argument(
        "--work-dir",
        type=Path,
        default=DEFAULT_WORK_DIR,
        help="where the CSV is made (and reused) and the tools write (default: %(default)s)",
    )
    parser.add_argument(
        "--source-dir",
        type=Path,
        default=DEFAULT_SOURCE,
        help="real police.uk street CSVs to resample (default: %(default)s)",
    )
    parser.add_argument("--repeat", type=int, default=1, help="runs of each tool; best reported")
    parser.add_argument(
        "--tools",
        default="sia,duckdb,pandas",
        help="comma-separated subset of sia,duckdb,pandas (default: all)",
    )
    parser.add_argument(
        "--keep", action="store_true", help="keep each run's warehouse and logs in the work dir"
    )
    args = parser.parse_args(argv)
    if args.rows < 1 or args.repeat < 1:
        parser.error("--rows and --repeat must be at least 1")
    args.tools = [t.strip() for t in args.tools.split(",") if t.strip()]
    unknown = set(args.tools) - {"sia", "duckdb", "pandas"}
    if unknown:
        parser.error(f"unknown tool(s): {', '.join(sorted(unknown))}")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    work_dir: Path = args.work_dir.resolve()
    work_dir.mkdir(parents=True, exist_ok=True)

    start = time.perf_counter()
    path, made = make_csv(args.rows, args.seed, work_dir, args.source_dir)
    size = path.stat().st_size / 2**20
    if made:
        print(f"made {path} ({size:,.0f} MiB) in {time.perf_counter() - start:.1f} s")
    else:
        print(f"reusing {path} ({size:,.0f} MiB)")

    best: dict[str, Run] = {}
    peaks: dict[str, int] = {}
    failed = False
    for attempt in range(1, args.repeat + 1):
        for tool in args.tools:
            scratch = Path(tempfile.mkdtemp(prefix=f"{tool}-", dir=work_dir))
            run = run_measured(tool, commands(path, scratch)[tool], scratch)
            if run.returncode:
                failed = True
                print(f"{tool} (run {attempt}) FAILED with exit code {run.returncode}:")
                print((run.stderr or run.stdout)[-3000:])
            else:
                print(
                    f"{tool} (run {attempt}): {run.seconds:,.2f} s, peak {mib(run.peak_bytes)} MiB"
                )
                warning = check_output(run, args.rows)
                if warning:
                    print(f"  warning: {warning}")
            peaks[tool] = max(peaks.get(tool, 0), run.peak_bytes)
            previous = best.get(tool)
            if previous is None or (
                not run.returncode and (previous.returncode or run.seconds < previous.seconds)
            ):
                best[tool] = run
            if args.keep:
                print(f"  kept in {scratch}")
            else:
                shutil.rmtree(scratch, ignore_errors=True)

    print_report(args.rows, path, best, peaks, args.repeat)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
