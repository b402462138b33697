"""Build the app's static files from the ``govuk-frontend`` npm package.

Run ``npm ci`` in ``webapp/`` first (it installs the pinned ``govuk-frontend`` and ``sass``
of ``package-lock.json``), then ``python webapp/build_static.py``. It writes
``webapp/static/govuk/``:

- ``sia.css``: GOV.UK Frontend compiled from ``assets/sia.scss`` with Arial instead of GDS
  Transport (the GOV.UK font and crown are for GOV.UK services only) and asset paths
  relative to the stylesheet;
- ``govuk-frontend.min.js`` (and its source map), which ``static/sia.js`` starts;
- ``assets/``: the package's fonts and images.

Nothing is fetched: everything comes from ``node_modules``.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

WEBAPP = Path(__file__).resolve().parent


class BuildError(Exception):
    """The static files cannot be built (the message says why and what to do)."""


def build(webapp: Path = WEBAPP, out: Path | None = None) -> list[Path]:
    """Build the static files into ``out`` (default ``webapp/static/govuk``); return them."""
    modules = webapp / "node_modules"
    dist = modules / "govuk-frontend" / "dist" / "govuk"
    sass = modules / ".bin" / "sass"
    if not dist.is_dir() or not sass.exists():
        raise BuildError(f"{modules} has no govuk-frontend or sass: run `npm ci` in {webapp}")
    out = out or webapp / "static" / "govuk"
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    css = out / "sia.css"
    command = [
        str(sass),
        "--pkg-importer=node",
        "--quiet-deps",
        "--style=compressed",
        "--no-source-map",
        str(webapp / "assets" / "sia.scss"),
        str(css),
    ]
    done = subprocess.run(command, cwd=webapp, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise BuildError(f"sass failed on assets/sia.scss:\n{done.stderr.strip()}")
    written = [css]
    for name in ("govuk-frontend.min.js", "govuk-frontend.min.js.map"):
        shutil.copy2(dist / name, out / name)
        written.append(out / name)
    shutil.copytree(dist / "assets", out / "assets")
    written.extend(sorted(p for p in (out / "assets").rglob("*") if p.is_file()))
    return written


def main() -> None:
    try:
        written = build()
    except BuildError as exc:
        print(f"Error: {exc}", file=sys.stderr)
        raise SystemExit(1) from None
    print(f"wrote {len(written)} files to {written[0].parent}")


if __name__ == "__main__":
    main()
