"""How fast, and in how much memory, sia assesses a partnership and aggregates national data.

This is a measurement, not a test: it prints figures and never fails because a goal is missed.
It exits non-zero only when one of the measured commands fails (or the two national
aggregations disagree).

1. **The full Kirklees assessment.** Builds the demo pack once with the real CLI
   (``sia --data-dir DIR demo``, DIR under ``--work-dir``; reused when a previous build
   finished), then times ``sia --data-dir DIR assess --json`` in a fresh subprocess.
2. **A national-scale aggregation.** Makes a Parquet file of ``--events`` events over 60
   months with the columns of the warehouse's ``events`` table that matter here (``source``,
   ``month``, ``lsoa_code``, ``ward_code``, ``district_code``, ``category``). The geography
   is synthesised, not real: 35,000 LSOAs (``E01000000``...), 5 to a ward, giving 7,000
   wards (``E05000000``...), spread evenly over 300 districts (``E08000000``...), about the
   cardinality of England and Wales (35,672 LSOAs, ~7,000 wards, ~300 districts and
   community safety partnerships). Events are drawn with a seeded RNG: the LSOA with
   gamma-distributed weights (some areas are much busier than others), the category from
   the 14 police.uk crime types with fixed weights, the month uniformly from 2020-01 to
   2024-12. The string columns are written as plain strings (not dictionary types), so
   pandas reads them as strings rather than categoricals. The file is reused when one of
   the same size and seed already exists.

   Then :mod:`sia.national` encodes the file once into its keyed form (integer area,
   category and month keys in ``facts.parquet``, the codes in ``areas.parquet`` and
   ``categories.parquet``), in a subprocess whose time is printed on its own; the folder
   is reused with the file.

   Then, each in a fresh subprocess, the fastest of ``--repeat`` runs (default 3), two
   monthly counts (district x category x month and ward x category x month) by:

   - **sia, integer keys**: what sia runs at national scale, :func:`sia.national.keyed_counts`
     on the keyed form opened with :func:`sia.national.open_keyed_duckdb` (views over the
     Parquet files on DuckDB, tuned for its perfect hash aggregate), one Ibis group-by per
     level, fetched as Arrow and turned into pandas;
   - **pandas, integer keys**: ``pandas.read_parquet`` of the same ``facts.parquet`` (the
     key columns) and ``groupby(...).size()``, a control: pandas given sia's keyed form;
   - **sia, codes**: as :func:`sia.queries.monthly_counts` groups, one Ibis group-by per
     level on the national file's own text columns (``ibis.duckdb.connect().read_parquet``),
     fetched as Arrow and turned into pandas: sia's way before the keyed form;
   - **pandas, codes**: the baseline, ``pandas.read_parquet`` of the national file's needed
     columns and ``groupby(...).size()``.

   Each prints, per count, the number of groups and the sum of the counts, which must agree
   between all four and sum to the number of events.
3. Prints Markdown tables and the ratios against the goals: assessment < 10 s; national
   aggregation < 5 minutes, < 8 GiB, >= 5x pandas. The ratio is printed against both pandas
   runs: the baseline on the events as they come (codes), and the control on sia's keyed
   form.

Seconds are the wall time of the whole subprocess (interpreter start and imports included);
peak memory is the subprocess's maximum resident set size, read with ``os.wait4``.

Usage::

    .venv/bin/python benchmarks/assess.py                     # 30,000,000 events
    .venv/bin/python benchmarks/assess.py --events 3000000    # a quick run
    .venv/bin/python benchmarks/assess.py --skip-assess       # national part only
    .venv/bin/python benchmarks/assess.py --repeat 1          # one run of each count
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import time
from pathlib import Path

import numpy as np
from measure import Run, machine, mib, run_measured, sia_command, verdict

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_WORK_DIR = ROOT / "benchmarks" / "out" / "assess"

#: Synthetic geography, about the size of England and Wales.
N_DISTRICTS = 300
N_WARDS = 7_000
LSOAS_PER_WARD = 5
N_LSOAS = N_WARDS * LSOAS_PER_WARD
FIRST_YEAR, N_MONTHS = 2020, 60
#: The 14 police.uk crime types, with rough national shares.
CATEGORIES = {
    "violent-crime": 0.33,
    "anti-social-behaviour": 0.20,
    "public-order": 0.08,
    "criminal-damage-arson": 0.07,
    "shoplifting": 0.06,
    "other-theft": 0.06,
    "vehicle-crime": 0.05,
    "burglary": 0.04,
    "drugs": 0.03,
    "other-crime": 0.02,
    "theft-from-the-person": 0.02,
    "bicycle-theft": 0.015,
    "robbery": 0.01,
    "possession-of-weapons": 0.005,
}
#: Rows drawn per RNG call (and per Parquet row group). Part of what makes a file reproducible.
CHUNK = 2_000_000

#: The goals the project tracks.
GOAL_ASSESS_SECONDS = 10.0
GOAL_NATIONAL_SECONDS = 300.0
GOAL_NATIONAL_PEAK_BYTES = 8 * 2**30
GOAL_VS_PANDAS = 5.0

#: The two counts, by level: the code columns each groups by in the national file.
AGGREGATIONS = {
    "district": ["district_code", "category", "month"],
    "ward": ["ward_code", "category", "month"],
}

#: The same counts in the keyed form (``sia.national``): the integer columns of its facts.
KEYED_AGGREGATIONS = {
    "district": ["district_key", "category_key", "month_key"],
    "ward": ["ward_key", "category_key", "month_key"],
}

ENCODE_CODE = """
import sys, time
import duckdb, ibis
from sia.national import encode_events, write_keyed
start = time.perf_counter()
con = ibis.duckdb.from_connection(duckdb.connect())
write_keyed(encode_events(con.read_parquet(sys.argv[1])), sys.argv[2])
print(time.perf_counter() - start)
"""

SIA_KEYED_CODE = """
import json, sys, time
from sia.national import keyed_counts, open_keyed_duckdb
start = time.perf_counter()
# sia.national: views over the keyed Parquet files on DuckDB, tuned for its perfect hash
# aggregate; one Ibis group-by on integer keys per level, fetched as Arrow, then pandas
con, keyed = open_keyed_duckdb(sys.argv[1])
result = {}
for name in json.loads(sys.argv[2]):
    frame = keyed_counts(keyed, by=name).to_pyarrow().to_pandas()
    result[name] = {"groups": len(frame), "total": int(frame["count"].sum())}
result["inner_seconds"] = time.perf_counter() - start
print(json.dumps(result))
"""

SIA_CODES_CODE = """
import json, sys, time
import ibis
start = time.perf_counter()
con = ibis.duckdb.connect()
events = con.read_parquet(sys.argv[1], table_name="events")
aggs = json.loads(sys.argv[2])
# as sia.queries.monthly_counts: one Ibis group-by per level, counted by DuckDB on the
# Parquet file's own (text) columns and handed over as Arrow, then pandas
result = {}
for name, keys in aggs.items():
    frame = events.group_by(keys).aggregate(count=events.count()).to_pyarrow().to_pandas()
    result[name] = {"groups": len(frame), "total": int(frame["count"].sum())}
result["inner_seconds"] = time.perf_counter() - start
print(json.dumps(result))
"""

PANDAS_CODE = """
import json, sys, time
import pandas as pd
start = time.perf_counter()
aggs = json.loads(sys.argv[2])
columns = sorted({c for keys in aggs.values() for c in keys})
frame = pd.read_parquet(sys.argv[1], columns=columns)
result = {}
for name, keys in aggs.items():
    counts = frame.groupby(keys, observed=True).size()
    result[name] = {"groups": len(counts), "total": int(counts.sum())}
result["inner_seconds"] = time.perf_counter() - start
print(json.dumps(result))
"""


# -- the national file ---------------------------------------------------------------------
def make_parquet(events: int, seed: int, work_dir: Path) -> tuple[Path, bool]:
    """The national events file for ``events`` and ``seed``; True when it was made now."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    path = work_dir / f"national-events-{events}-seed{seed}.parquet"
    if path.exists():
        return path, False
    rng = np.random.default_rng(seed)
    lsoa_weights = rng.gamma(2.0, 1.0, N_LSOAS)
    lsoa_weights /= lsoa_weights.sum()
    lsoa_codes = pa.array([f"E01{i:06d}" for i in range(N_LSOAS)], pa.string())
    ward_of_lsoa = np.arange(N_LSOAS) // LSOAS_PER_WARD
    ward_codes = pa.array([f"E05{i:06d}" for i in range(N_WARDS)], pa.string())
    district_of_ward = np.arange(N_WARDS) * N_DISTRICTS // N_WARDS
    district_codes = pa.array([f"E08{i:06d}" for i in range(N_DISTRICTS)], pa.string())
    names = list(CATEGORIES)
    shares = np.array(list(CATEGORIES.values()))
    shares /= shares.sum()
    category_codes = pa.array(names, pa.string())
    months = np.array(
        [np.datetime64(f"{FIRST_YEAR + m // 12}-{m % 12 + 1:02d}-01", "D") for m in range(60)]
    )
    schema = pa.schema(
        [
            ("source", pa.string()),
            ("month", pa.date32()),
            ("lsoa_code", pa.string()),
            ("ward_code", pa.string()),
            ("district_code", pa.string()),
            ("category", pa.string()),
        ]
    )
    partial = path.with_name(path.name + ".partial")
    with pq.ParquetWriter(partial, schema, compression="snappy") as writer:
        done = 0
        while done < events:
            n = min(CHUNK, events - done)
            lsoa = rng.choice(N_LSOAS, n, p=lsoa_weights)
            ward = ward_of_lsoa[lsoa]
            category = rng.choice(len(names), n, p=shares)
            month = months[rng.integers(0, N_MONTHS, n)]
            is_asb = category == names.index("anti-social-behaviour")
            batch = pa.table(
                {
                    "source": pa.array(np.where(is_asb, "police-uk-asb", "police-uk")),
                    "month": pa.array(month, pa.date32()),
                    "lsoa_code": lsoa_codes.take(pa.array(lsoa)),
                    "ward_code": ward_codes.take(pa.array(ward)),
                    "district_code": district_codes.take(pa.array(district_of_ward[ward])),
                    "category": category_codes.take(pa.array(category)),
                },
                schema=schema,
            )
            writer.write_table(batch, row_group_size=CHUNK)
            done += n
    partial.replace(path)
    return path, True


# -- running one command -------------------------------------------------------------------


def report_failure(run: Run) -> None:
    print(f"{run.tool} FAILED with exit code {run.returncode}:")
    print((run.stderr or run.stdout)[-3000:])


# -- reporting -----------------------------------------------------------------------------


# -- the two parts -------------------------------------------------------------------------
def assessment_part(work_dir: Path) -> bool:
    """Build (or reuse) the demo warehouse and time ``assess --json``; False on failure."""
    data = work_dir / "sia-data"
    marker = work_dir / "demo.built"
    print("## Kirklees assessment")
    print()
    if marker.exists():
        print(f"reusing the demo warehouse in {data}")
    else:
        shutil.rmtree(data, ignore_errors=True)
        build = run_measured("demo", [*sia_command(), "--data-dir", str(data), "demo"], work_dir)
        if build.returncode:
            report_failure(build)
            return False
        marker.write_text(time.strftime("%Y-%m-%dT%H:%M:%S") + "\n")
        print(f"built the demo warehouse in {data} in {build.seconds:,.1f} s")
    run = run_measured(
        "assess", [*sia_command(), "--data-dir", str(data), "assess", "--json"], work_dir
    )
    if run.returncode:
        report_failure(run)
        return False
    try:
        doc = json.loads(run.stdout)
        period = doc.get("period") or {}
        what = (
            f"{len(doc.get('priorities', []))} priorities, "
            f"{period.get('start')} to {period.get('end')}"
        )
    except json.JSONDecodeError:
        what = "output is not JSON"
    print()
    print("| command | seconds | CPU seconds | peak memory (MiB) |")
    print("| --- | ---: | ---: | ---: |")
    print(
        f"| sia assess --json | {run.seconds:,.2f} | {run.cpu_seconds:,.2f} "
        f"| {mib(run.peak_bytes)} |"
    )
    print()
    print(f"({what})")
    print(
        f"assess seconds = {run.seconds:.2f}  (goal < {GOAL_ASSESS_SECONDS:g} s: "
        f"{verdict(run.seconds < GOAL_ASSESS_SECONDS)})"
    )
    return True


def make_keyed(path: Path, work_dir: Path) -> tuple[Path, Run | None]:
    """The keyed form of the national file (``sia.national``), made now (with its Run) or reused."""
    folder = work_dir / (path.stem + "-keyed")
    if (folder / "facts.parquet").exists():
        return folder, None
    partial = folder.with_name(folder.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    run = run_measured(
        "encode", [sys.executable, "-c", ENCODE_CODE, str(path), str(partial)], work_dir
    )
    if run.returncode == 0:
        shutil.rmtree(folder, ignore_errors=True)
        partial.replace(folder)
    return folder, run


def best_of(tool: str, argv: list[str], work_dir: Path, repeat: int) -> Run:
    """The fastest of ``repeat`` runs of ``argv`` (peak memory: the highest of them)."""
    runs = []
    for _ in range(repeat):
        run = run_measured(tool, argv, work_dir)
        if run.returncode:
            return run
        runs.append(run)
    best = min(runs, key=lambda r: r.seconds)
    best.peak_bytes = max(r.peak_bytes for r in runs)
    return best


def national_part(events: int, seed: int, work_dir: Path, repeat: int) -> bool:
    """Make (or reuse) the national file and its keyed form, time the counts; False on failure."""
    print()
    print("## National aggregation")
    print()
    start = time.perf_counter()
    path, made = make_parquet(events, seed, work_dir)
    size = path.stat().st_size / 2**20
    if made:
        print(f"made {path} ({size:,.0f} MiB) in {time.perf_counter() - start:.1f} s")
    else:
        print(f"reusing {path} ({size:,.0f} MiB)")
    keyed, encoding = make_keyed(path, work_dir)
    if encoding is not None and encoding.returncode:
        report_failure(encoding)
        return False
    keyed_size = sum(f.stat().st_size for f in keyed.iterdir()) / 2**20
    if encoding is None:
        print(f"reusing its keyed form {keyed} ({keyed_size:,.0f} MiB)")
    else:
        print(
            f"encoded it with sia.national in {encoding.seconds:,.1f} s "
            f"({encoding.cpu_seconds:,.1f} CPU s, peak {mib(encoding.peak_bytes)} MiB): "
            f"{keyed} ({keyed_size:,.0f} MiB)"
        )
    facts = str(keyed / "facts.parquet")
    tools = {
        # name: (code, input, the counts' columns)
        "sia, integer keys": (SIA_KEYED_CODE, str(keyed), KEYED_AGGREGATIONS),
        "pandas, integer keys": (PANDAS_CODE, facts, KEYED_AGGREGATIONS),
        "sia, codes": (SIA_CODES_CODE, str(path), AGGREGATIONS),
        "pandas, codes": (PANDAS_CODE, str(path), AGGREGATIONS),
    }
    runs: dict[str, Run] = {}
    results: dict[str, dict] = {}
    failed = False
    for tool, (code, source, aggs) in tools.items():
        argv = [sys.executable, "-c", code, source, json.dumps(aggs)]
        run = best_of(tool.replace(", ", "-").replace(" ", "-"), argv, work_dir, repeat)
        runs[tool] = run
        if run.returncode:
            report_failure(run)
            failed = True
            continue
        results[tool] = json.loads(run.stdout.strip().splitlines()[-1])
        print(f"{tool}: {run.seconds:,.2f} s, peak {mib(run.peak_bytes)} MiB")

    print()
    print(f"events: {events:,}  file: {path.name} ({size:,.0f} MiB); keyed: {keyed_size:,.0f} MiB")
    print(f"best of {repeat} runs of each")
    for name, value in machine(("duckdb", "ibis-framework", "pandas")):
        print(f"{name}: {value}")
    print()
    print(
        "| tool | seconds | rows/s | CPU seconds | peak memory (MiB) "
        "| district groups | ward groups |"
    )
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for tool, run in runs.items():
        if run.returncode:
            print(f"| {tool} | failed (exit {run.returncode}) | | | | | |")
            continue
        r = results[tool]
        print(
            f"| {tool} | {run.seconds:,.2f} | {events / run.seconds:,.0f} "
            f"| {run.cpu_seconds:,.2f} | {mib(run.peak_bytes)} "
            f"| {r['district']['groups']:,} | {r['ward']['groups']:,} |"
        )
    print()
    if results:
        for name in AGGREGATIONS:
            figures = {tool: r[name] for tool, r in results.items()}
            same = all(
                f == next(iter(figures.values())) and f["total"] == events for f in figures.values()
            )
            print(
                f"{name} x category x month: "
                + "; ".join(
                    f"{t} {f['groups']:,} groups summing to {f['total']:,}"
                    for t, f in figures.items()
                )
                + (": agree" if same else ": DISAGREE")
            )
            failed |= not same
    sia_tool = "sia, integer keys"
    if sia_tool in results:
        sia = runs[sia_tool]
        print(
            f"sia seconds = {sia.seconds:,.1f}  (goal < {GOAL_NATIONAL_SECONDS:g} s: "
            f"{verdict(sia.seconds < GOAL_NATIONAL_SECONDS)})"
        )
        print(
            f"sia peak memory = {sia.peak_bytes / 2**30:.2f} GiB  (goal < "
            f"{GOAL_NATIONAL_PEAK_BYTES / 2**30:g} GiB: "
            f"{verdict(sia.peak_bytes < GOAL_NATIONAL_PEAK_BYTES)})"
        )
        for other, what in (
            ("pandas, codes", "the baseline, pandas on the national file's codes"),
            ("pandas, integer keys", "the control, pandas on sia's keyed file"),
        ):
            if other in results:
                ratio = runs[other].seconds / sia.seconds
                print(
                    f"sia rows/s / pandas rows/s against {what} = {ratio:.2f}  "
                    f"(goal >= {GOAL_VS_PANDAS:g}: {verdict(ratio >= GOAL_VS_PANDAS)})"
                )
        if "sia, codes" in results:
            print(
                "sia with integer keys against sia on the codes: "
                f"{runs['sia, codes'].seconds / sia.seconds:.2f} x"
            )
        if encoding is not None and "pandas, codes" in results:
            print(
                f"encoding once and counting: {encoding.seconds + sia.seconds:,.2f} s, "
                f"{runs['pandas, codes'].seconds / (encoding.seconds + sia.seconds):.2f} x "
                "pandas on the codes"
            )
        inner = {t: results[t]["inner_seconds"] for t in results}
        print(
            "time inside the subprocess (excluding interpreter start and imports): "
            + ", ".join(f"{t} {s:,.2f} s" for t, s in inner.items())
        )
    return not failed


# -- main ----------------------------------------------------------------------------------
def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--events", type=int, default=30_000_000, help="events in the national file"
    )
    parser.add_argument("--seed", type=int, default=1, help="RNG seed for the national file")
    parser.add_argument(
        "--work-dir",
        type=Path,
        default=DEFAULT_WORK_DIR,
        help="where the demo warehouse and the national file are made and reused "
        "(default: %(default)s)",
    )
    parser.add_argument(
        "--repeat", type=int, default=3, help="runs of each national count; the best is kept"
    )
    parser.add_argument("--skip-assess", action="store_true", help="skip the Kirklees part")
    parser.add_argument("--skip-national", action="store_true", help="skip the national part")
    args = parser.parse_args(argv)
    if args.events < 1:
        parser.error("--events must be at least 1")
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    work_dir: Path = args.work_dir.resolve()
    work_dir.mkdir(parents=True, exist_ok=True)
    ok = True
    if not args.skip_assess:
        ok &= assessment_part(work_dir)
    if not args.skip_national:
        ok &= national_part(args.events, args.seed, work_dir, args.repeat)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
