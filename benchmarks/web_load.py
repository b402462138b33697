"""Fifty people using the web app at once: dashboard reads and engagement writes, on SQLite
and then on PostgreSQL.

This is a measurement, not a test: it prints figures and never fails because the goal is
missed. It exits non-zero only when the app cannot be set up or started.

1. A warehouse with an assessment and a prioritisation for the dashboard to read: the
   Kirklees demo, built once under ``--work-dir`` with the real CLI (``sia demo``, ``sia
   assess``, ``sia prioritise``) and reused, or ``--data-dir DIR``. It is only read.
2. For each database, a fresh app database: SQLite in a scratch data directory (the app's
   own settings: WAL journal, 20 s busy timeout; the warehouse linked into it), then a
   scratch PostgreSQL database created on ``--postgres`` and dropped at the end. ``manage.py
   migrate`` and ``--users`` officers (one password hash, made once).
3. The app under gunicorn on loopback (``--workers`` processes of ``--threads`` threads,
   ``SIA_ENV`` left in development mode so that plain HTTP works, debug off), warmed up
   until a round of dashboard views is fast (each worker builds the report's context once).
4. ``--users`` clients, one thread each, sign in through the sign-in form (with its CSRF
   token) and then, for ``--seconds``, view the dashboard or (one request in
   ``1/--write-share``) record an engagement through the form, pausing ``--think`` seconds
   on average (exponential) between requests. Each engagement carries a unique mark in its
   notes; at the end the marks stored in the database are read back.
5. Prints, side by side: requests, throughput, p50/p95 latency (all, dashboard, writes),
   errors (an exception or an unexpected status), writes accepted (redirected after
   saving) against stored, and the goal: p95 < 300 ms, 0 errors, 0 lost writes.

The clients run on the same machine as the server and share its cores: the figures are of
the whole machine under that load. Its cores and load are printed.

Usage::

    .venv/bin/python benchmarks/web_load.py
    .venv/bin/python benchmarks/web_load.py --seconds 20 --users 10 --only sqlite
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import requests
from measure import machine, sia_command, verdict

REPO = Path(__file__).resolve().parents[1]
GOAL_P95_MS = 300.0
PASSWORD = "load-test-password-" + uuid.uuid4().hex[:12]
ENGAGEMENT = {
    "date_day": "2",
    "date_month": "3",
    "date_year": "2026",
    "team": "community_plus",
    "place": "",
    "ward_code": "E05008558",  # Almondbury, in Huddersfield
    "organisation_type": "mosque",
    "individuals": "12",
    "groups": "2",
    "feeling": "mixed",
    "concerns": ["asb", "drugs-alcohol"],
    "strengths": "A strong mosque committee",
    "locations": "Almondbury park",
}


# -- the warehouse ----------------------------------------------------------------------------
def _demo(work: Path) -> Path:
    data = work / "kirklees"
    done = data / ".prioritised"
    if done.exists():
        return data
    for step in (["demo"], ["assess"], ["prioritise"]):
        print(f"sia {step[0]} ...", flush=True)
        run = subprocess.run(
            [*sia_command(), "--data-dir", str(data), *step], capture_output=True, text=True
        )
        if run.returncode != 0:
            sys.exit(f"sia {step[0]} failed:\n{run.stderr[-2000:]}")
    done.touch()
    return data


# -- the app database ---------------------------------------------------------------------------
@dataclass
class Database:
    name: str
    env: dict[str, str]
    drop: Callable[[], None] | None = None


def _sqlite(scratch: Path, warehouse_dir: Path) -> Database:
    data = scratch / "sqlite-data"
    data.mkdir()
    (data / "warehouse.duckdb").symlink_to(warehouse_dir / "warehouse.duckdb")
    return Database("SQLite", {"SIA_DATA_DIR": str(data)})


def _postgres(url: str, scratch: Path, warehouse_dir: Path) -> Database:
    import psycopg

    name = f"sia_web_load_{os.getpid()}"
    with psycopg.connect(url, autocommit=True) as con:
        con.execute(f"CREATE DATABASE {name}")

    def drop() -> None:
        with psycopg.connect(url, autocommit=True) as con:
            con.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")

    data = scratch / "postgres-data"
    data.mkdir()
    (data / "warehouse.duckdb").symlink_to(warehouse_dir / "warehouse.duckdb")
    base = url.rsplit("/", 1)[0]
    return Database(
        "PostgreSQL", {"SIA_DATA_DIR": str(data), "DATABASE_URL": f"{base}/{name}"}, drop
    )


def _django(env: dict[str, str], script: str) -> str:
    """Run ``script`` with the app's Django set up, in a fresh process; its output."""
    code = (
        "import os, sys, django\n"
        f"sys.path.insert(0, {str(REPO)!r})\n"
        "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'webapp.settings')\n"
        "django.setup()\n" + script
    )
    run = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, cwd=REPO
    )
    if run.returncode != 0:
        sys.exit(f"the app's database could not be set up:\n{run.stderr[-3000:]}")
    return run.stdout


def _prepare(env: dict[str, str], users: int) -> None:
    _django(
        env,
        "from django.core.management import call_command\n"
        "call_command('migrate', verbosity=0)\n"
        "from django.contrib.auth.hashers import make_password\n"
        "from django.contrib.auth.models import Group, User\n"
        "from webapp.accounts.roles import ensure_roles\n"
        "ensure_roles()\n"
        f"hashed = make_password({PASSWORD!r})\n"
        "made = User.objects.bulk_create(\n"
        f"    [User(username=f'load-{{i:02d}}', password=hashed) for i in range({users})]\n"
        ")\n"
        "officer = Group.objects.get(name='officer')\n"
        "officer.user_set.add(*User.objects.filter(username__startswith='load-'))\n",
    )


def _stored_marks(env: dict[str, str]) -> set[str]:
    out = _django(
        env,
        "import json\n"
        "from webapp.engagement.models import Engagement\n"
        "print(json.dumps(list(Engagement.objects.filter(notes__startswith='load ')"
        ".values_list('notes', flat=True))))\n",
    )
    return set(json.loads(out.strip().splitlines()[-1]))


# -- the server ---------------------------------------------------------------------------------
def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _start(env: dict[str, str], port: int, workers: int, threads: int) -> subprocess.Popen:
    gunicorn = Path(sys.executable).with_name("gunicorn")
    argv = [
        str(gunicorn),
        "webapp.wsgi:application",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--worker-class",
        "gthread",
        "--threads",
        str(threads),
        "--timeout",
        "120",
        # longer than a client's longest pause: an idle connection is not closed under it
        # (a proxy in front keeps its connections open the same way)
        "--keep-alive",
        "75",
        "--log-level",
        "warning",
    ]
    server = subprocess.Popen(argv, env=env, cwd=REPO, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit(f"gunicorn stopped:\n{server.stderr.read()[-3000:]}")
        try:
            if requests.get(f"http://127.0.0.1:{port}/sign-in/", timeout=60).status_code == 200:
                return server
        except requests.RequestException:
            time.sleep(0.5)
    _stop(server)
    sys.exit("gunicorn did not answer in 300 s")


def _stop(server: subprocess.Popen) -> None:
    server.terminate()
    try:
        server.wait(30)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


# -- the clients --------------------------------------------------------------------------------
def _sign_in(base: str, username: str) -> requests.Session:
    session = requests.Session()
    session.get(f"{base}/sign-in/", timeout=60)
    response = session.post(
        f"{base}/sign-in/",
        data={
            "username": username,
            "password": PASSWORD,
            "csrfmiddlewaretoken": session.cookies["csrftoken"],
        },
        allow_redirects=False,
        timeout=60,
    )
    if response.status_code != 302:
        raise RuntimeError(f"{username} could not sign in: HTTP {response.status_code}")
    return session


@dataclass
class Tally:
    latencies: dict[str, list[float]] = field(default_factory=lambda: {"read": [], "write": []})
    errors: list[str] = field(default_factory=list)
    accepted: set[str] = field(default_factory=set)
    attempted: int = 0
    seconds: float = 0.0
    lock: threading.Lock = field(default_factory=threading.Lock)


def _client(base, username, seconds, think, write_share, start, tally, seed) -> None:
    rng = random.Random(seed)
    try:
        session = _sign_in(base, username)
    except (requests.RequestException, RuntimeError, KeyError) as exc:
        with tally.lock:
            tally.errors.append(f"sign-in: {exc}")
        return
    start.wait()
    stop = time.monotonic() + seconds
    n = 0
    while time.monotonic() < stop:
        n += 1
        write = rng.random() < write_share
        mark = f"load {username} {n}"
        began = time.perf_counter()
        try:
            if write:
                data = {**ENGAGEMENT, "notes": mark}
                data["csrfmiddlewaretoken"] = session.cookies["csrftoken"]
                response = session.post(
                    f"{base}/engagements/new/", data=data, allow_redirects=False, timeout=120
                )
                ok = response.status_code == 302 and response.headers.get("Location", "").endswith(
                    "/engagements/"
                )
            else:
                response = session.get(f"{base}/dashboard/", timeout=120)
                ok = response.status_code == 200 and 'id="priority-table"' in response.text
            problem = None if ok else f"HTTP {response.status_code}"
        except requests.RequestException as exc:
            problem = f"{type(exc).__name__} ({str(exc)[:120]})"
        elapsed = time.perf_counter() - began
        with tally.lock:
            tally.latencies["write" if write else "read"].append(elapsed)
            if write:
                tally.attempted += 1
            if problem:
                tally.errors.append(f"{'write' if write else 'read'}: {problem}")
            elif write:
                tally.accepted.add(mark)
        if think:
            time.sleep(min(rng.expovariate(1 / think), 10 * think))


def _warm_up(base: str, workers: int) -> None:
    """Until a round of dashboard views (two per worker thread slot) is fast: each worker
    process reads the warehouse and builds the report's context on its first view."""
    sessions = [_sign_in(base, f"load-{i:02d}") for i in range(min(4 * workers, 8))]
    times: list[float] = []

    def view(s: requests.Session) -> None:
        began = time.perf_counter()
        s.get(f"{base}/dashboard/", timeout=300)
        times.append(time.perf_counter() - began)

    for _ in range(20):
        times.clear()
        round_ = [threading.Thread(target=view, args=(s,)) for s in sessions * 2]
        for t in round_:
            t.start()
        for t in round_:
            t.join()
        print(f"  a round of {len(times)} views: slowest {max(times):.1f} s", flush=True)
        if max(times) < 1.0:
            return


def _drive(base: str, args) -> Tally:
    tally = Tally()
    start = threading.Barrier(args.users + 1)
    clients = [
        threading.Thread(
            target=_client,
            args=(
                base,
                f"load-{i:02d}",
                args.seconds,
                args.think,
                args.write_share,
                start,
                tally,
                i,
            ),
        )
        for i in range(args.users)
    ]
    for c in clients:
        c.start()
    start.wait()  # every client has signed in
    began = time.monotonic()
    for c in clients:
        c.join()
    tally.seconds = time.monotonic() - began
    return tally


# -- one database -------------------------------------------------------------------------------
@dataclass
class Result:
    database: str
    seconds: float
    tally: Tally
    stored: set[str]

    def ms(self, kind: str | None, q: float) -> float | None:
        values = (
            self.tally.latencies["read"] + self.tally.latencies["write"]
            if kind is None
            else self.tally.latencies[kind]
        )
        return float(np.percentile(values, q) * 1000) if values else None

    @property
    def requests(self) -> int:
        return sum(len(v) for v in self.tally.latencies.values())

    @property
    def lost(self) -> int:
        return len(self.tally.accepted - self.stored)

    @property
    def met(self) -> bool:
        p95 = self.ms(None, 95)
        return p95 is not None and p95 < GOAL_P95_MS and not self.tally.errors and not self.lost


def _run(database: Database, args) -> Result:
    env = {
        **os.environ,
        **database.env,
        "SIA_CONFIG": args.config,
        "SIA_ENV": "development",
        "SIA_DEBUG": "",
        "PYTHONPATH": str(REPO),
    }
    print(f"{database.name}: migrating, {args.users} users ...", flush=True)
    _prepare(env, args.users)
    port = _free_port()
    server = _start(env, port, args.workers, args.threads)
    base = f"http://127.0.0.1:{port}"
    try:
        print(f"{database.name}: warming up ...", flush=True)
        _warm_up(base, args.workers)
        print(f"{database.name}: {args.users} users for {args.seconds:g} s ...", flush=True)
        tally = _drive(base, args)
    finally:
        _stop(server)
    return Result(database.name, tally.seconds, tally, _stored_marks(env))


# -- the report ---------------------------------------------------------------------------------
def _fmt(x: float | None) -> str:
    return "–" if x is None else f"{x:,.0f}"


def _print(results: list[Result], args) -> None:
    head = "| | " + " | ".join(r.database for r in results) + " |"
    print()
    print(head)
    print("|---" * (len(results) + 1) + "|")

    def row(label: str, values: list[str]) -> None:
        print(f"| {label} | " + " | ".join(values) + " |")

    row("requests", [f"{r.requests:,}" for r in results])
    row("requests a second", [f"{r.requests / r.seconds:,.1f}" for r in results])
    row("all: p50 / p95 ms", [f"{_fmt(r.ms(None, 50))} / {_fmt(r.ms(None, 95))}" for r in results])
    row(
        "dashboard: p50 / p95 ms",
        [f"{_fmt(r.ms('read', 50))} / {_fmt(r.ms('read', 95))}" for r in results],
    )
    row(
        "engagement writes: p50 / p95 ms",
        [f"{_fmt(r.ms('write', 50))} / {_fmt(r.ms('write', 95))}" for r in results],
    )
    row("errors", [f"{len(r.tally.errors):,}" for r in results])
    row(
        "writes sent / accepted / stored",
        [f"{r.tally.attempted:,} / {len(r.tally.accepted):,} / {len(r.stored):,}" for r in results],
    )
    row("lost writes (accepted, not stored)", [f"{r.lost:,}" for r in results])
    row(
        f"goal: p95 < {GOAL_P95_MS:.0f} ms, 0 errors, 0 lost",
        [verdict(r.met) for r in results],
    )
    for r in results:
        if r.tally.errors:
            kinds: dict[str, int] = {}
            for e in r.tally.errors:
                kinds[e] = kinds.get(e, 0) + 1
            print(f"\n{r.database} errors: " + "; ".join(f"{k} ×{n}" for k, n in kinds.items()))
    print(
        f"\n{args.users} users, {args.seconds:g} s, think {args.think:g} s on average, "
        f"{args.write_share:.0%} writes; gunicorn {args.workers} workers × {args.threads} "
        f"threads; load average before: {args.load_before}"
    )
    for name, value in machine(("Django", "gunicorn", "psycopg", "requests")):
        print(f"- {name}: {value}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--think", type=float, default=1.0, help="mean pause, seconds")
    parser.add_argument("--write-share", type=float, default=0.2)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--config", default="kirklees")
    parser.add_argument("--data-dir", type=Path, help="a data directory with an assessment")
    parser.add_argument(
        "--work-dir", type=Path, default=Path(tempfile.gettempdir()) / "sia-web-load"
    )
    parser.add_argument("--postgres", default="postgres://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--only", choices=("sqlite", "postgres"))
    args = parser.parse_args(argv)
    # stopped (Ctrl-C, a timeout): the finally blocks stop gunicorn and drop the database
    signal.signal(signal.SIGTERM, lambda *_: sys.exit("stopped"))
    if shutil.which("gunicorn") is None and not Path(sys.executable).with_name("gunicorn").exists():
        sys.exit("gunicorn is not installed: pip install -e '.[dev]'")
    args.work_dir.mkdir(parents=True, exist_ok=True)
    warehouse = (args.data_dir or _demo(args.work_dir)).resolve()
    if not (warehouse / "warehouse.duckdb").is_file():
        sys.exit(f"no warehouse in {warehouse}: run sia demo, assess and prioritise there")
    args.load_before = " ".join(f"{x:.2f}" for x in os.getloadavg())
    results = []
    with tempfile.TemporaryDirectory(prefix="sia-web-load-") as scratch:
        scratch = Path(scratch)
        if args.only in (None, "sqlite"):
            results.append(_run(_sqlite(scratch, warehouse), args))
        if args.only in (None, "postgres"):
            database = _postgres(args.postgres, scratch, warehouse)
            try:
                results.append(_run(database, args))
            finally:
                database.drop()
    _print(results, args)


if __name__ == "__main__":
    main()
