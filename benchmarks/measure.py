"""What the benchmark scripts share: running a command in a fresh process and measuring it,
and describing the machine the figures were taken on."""

from __future__ import annotations

import contextlib
import os
import platform
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path


@dataclass
class Run:
    tool: str
    seconds: float
    cpu_seconds: float
    peak_bytes: int
    returncode: int
    stdout: str
    stderr: str


def run_measured(tool: str, argv: list[str], scratch: Path) -> Run:
    """Run ``argv`` in a fresh process; its wall time, CPU time and peak resident memory."""
    scratch.mkdir(parents=True, exist_ok=True)
    out_path, err_path = scratch / f"{tool}.stdout", scratch / f"{tool}.stderr"
    env = dict(os.environ, COLUMNS="200", PYTHONUNBUFFERED="1")
    with out_path.open("wb") as out, err_path.open("wb") as err:
        start = time.perf_counter()
        proc = subprocess.Popen(argv, stdout=out, stderr=err, stdin=subprocess.DEVNULL, env=env)
        # wait4 gives this child's own rusage (RUSAGE_CHILDREN would be the maximum over
        # every child waited for so far).
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - start
    # ru_maxrss is in KiB on Linux, bytes on macOS.
    peak = usage.ru_maxrss if sys.platform == "darwin" else usage.ru_maxrss * 1024
    return Run(
        tool=tool,
        seconds=seconds,
        cpu_seconds=usage.ru_utime + usage.ru_stime,
        peak_bytes=peak,
        returncode=os.waitstatus_to_exitcode(status),
        stdout=out_path.read_text("utf-8", "replace"),
        stderr=err_path.read_text("utf-8", "replace"),
    )


def sia_command() -> list[str]:
    """The ``sia`` command of the running environment."""
    script = Path(sys.executable).with_name("sia")
    if script.exists():
        return [str(script)]
    found = shutil.which("sia")
    if found:
        return [found]
    return [sys.executable, "-c", "from sia.cli import main; main()"]


def machine(packages: tuple[str, ...]) -> list[tuple[str, str]]:
    """Cores, memory, system, Python and the versions of ``packages``."""
    cpu = platform.processor() or platform.machine()
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    memory = "?"
    with contextlib.suppress(ValueError, OSError, AttributeError):
        memory = f"{os.sysconf('SC_PHYS_PAGES') * os.sysconf('SC_PAGE_SIZE') / 2**30:.1f} GiB"
    return [
        ("cores", f"{usable} usable of {os.cpu_count()} ({cpu})"),
        ("memory", memory),
        ("system", f"{platform.system()} {platform.release()}"),
        ("python", platform.python_version()),
        *((name, version(name)) for name in packages),
    ]


def mib(n: int) -> str:
    return f"{n / 2**20:,.0f}"


def verdict(met: bool) -> str:
    return "met" if met else "MISSED"
