"""The ``sia`` command."""

from __future__ import annotations

import csv
import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from sia.config import ConfigError, load_partnership
from sia.sources.base import LoadResult, SourceError, find_csv_files

app = typer.Typer(
    help="Strategic Intelligence Assessments for Community Safety Partnerships.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
ingest_app = typer.Typer(help="Load partner files into the warehouse.", no_args_is_help=True)
config_app = typer.Typer(help="Check partnership configuration files.", no_args_is_help=True)
app.add_typer(ingest_app, name="ingest")
app.add_typer(config_app, name="config")

# Wide enough for file names when the output goes to a file, a pipe or CI.
console = Console(width=None if sys.stdout.isatty() else 160)
errors = Console(stderr=True, width=None if sys.stderr.isatty() else 160)


@dataclass
class Settings:
    config: str | None
    data_dir: str | None


@app.callback()
def main_options(
    ctx: typer.Context,
    config: Annotated[
        str | None,
        typer.Option(
            "--config",
            help="Partnership: a bundled name (kirklees, city-of-london) "
            "or a YAML file. Default: kirklees.",
        ),
    ] = None,
    data_dir: Annotated[
        str | None,
        typer.Option(
            "--data-dir",
            envvar="SIA_DATA_DIR",
            help="Folder for the warehouse. Default: ./sia-data.",
        ),
    ] = None,
) -> None:
    ctx.obj = Settings(config=config, data_dir=data_dir)


def _partnership(settings: Settings):
    try:
        return load_partnership(settings.config)
    except ConfigError as exc:
        _fail(str(exc))


def _warehouse(settings: Settings, read_only: bool = False, external_access: bool = True):
    from sia.warehouse import Warehouse, WarehouseError

    try:
        return Warehouse.open(
            _partnership(settings),
            settings.data_dir,
            read_only=read_only,
            external_access=external_access,
        )
    except WarehouseError as exc:
        _fail(str(exc))


def _fail(message: str, code: int = 1) -> None:
    errors.print(f"[bold red]Error:[/] {escape(message)}", highlight=False, soft_wrap=True)
    raise typer.Exit(code)


# -- ingest ------------------------------------------------------------------------------
def _ingest(ctx: typer.Context, source: str, paths: list[Path]) -> None:
    from sia.sources import REGISTRY

    _ingest_formats(ctx, source, REGISTRY[source].formats(), paths)


def _ingest_formats(ctx: typer.Context, label: str, formats: dict, paths: list[Path]) -> None:
    settings: Settings = ctx.obj
    try:
        files = find_csv_files(paths)
    except SourceError as exc:
        _fail(str(exc))
    if not _load_files(settings, [(label, formats, files)]):
        raise typer.Exit(1)


def _load_files(settings: Settings, batches: list[tuple[str, dict, list[Path]]]) -> bool:
    """Load each batch (label, formats, files); print what became of every file. True when
    every file could be read."""
    from sia.sources.tabular import load_file

    wh = _warehouse(settings)
    results: list[LoadResult] = []
    failures: list[SourceError] = []
    total = sum(len(files) for _, _, files in batches)
    with (
        wh,
        Progress(
            TextColumn("[bold]{task.description}"),
            BarColumn(),
            TaskProgressColumn(),
            TextColumn("{task.fields[file]}"),
            TimeElapsedColumn(),
            console=errors,
            transient=True,
            disable=not errors.is_terminal,
        ) as progress,
    ):
        task = progress.add_task("Loading", total=total, file="")
        for label, formats, files in batches:
            for path in files:
                progress.update(task, description=label, file=path.name)
                try:
                    results.append(load_file(wh, path, formats))
                except SourceError as exc:
                    failures.append(exc)
                progress.advance(task)
    _print_results(results, failures)
    return not failures


def _ingest_command(source: str, help_text: str):
    def command(
        ctx: typer.Context,
        paths: Annotated[
            list[Path], typer.Argument(help="CSV files or folders (searched recursively)")
        ],
    ) -> None:
        _ingest(ctx, source, paths)

    command.__doc__ = f"Load {help_text[0].lower()}{help_text[1:]}"
    return command


def _register_ingest_commands() -> None:
    from sia.sources import REGISTRY

    for entry in REGISTRY.values():
        ingest_app.command(entry.name)(_ingest_command(entry.name, entry.help))


_register_ingest_commands()


@ingest_app.command("mapped")
def ingest_mapped(
    ctx: typer.Context,
    mapping: Annotated[
        Path, typer.Option("--mapping", help="The YAML that describes the files' columns")
    ],
    paths: Annotated[
        list[Path], typer.Argument(help="CSV or XLSX files or folders (searched recursively)")
    ],
) -> None:
    """Load a partner's one-off spreadsheet, described by a mapping YAML."""
    from sia.sources.mapped import formats_for_mapping

    try:
        formats = formats_for_mapping(mapping)
    except SourceError as exc:
        _fail(str(exc))
    _ingest_formats(ctx, "mapped", formats, paths)


@ingest_app.command("app")
def ingest_web_app(
    ctx: typer.Context,
    database: Annotated[
        str | None,
        typer.Option(
            help="The web app's database: a SQLite file or a postgres:// URL. Default: "
            "DATABASE_URL, else <data-dir>/app.sqlite3"
        ),
    ] = None,
) -> None:
    """Load the records typed into the web app (engagements, ward meetings, officer
    sessions, tension reports) by id and version: new and edited ones load, deleted ones
    are withdrawn."""
    from sia.sources.app import app_database, ingest_app
    from sia.warehouse import data_dir

    settings: Settings = ctx.obj
    source = database or app_database(data_dir(settings.data_dir))
    with _warehouse(settings) as wh:
        try:
            loads = ingest_app(wh, source)
        except SourceError as exc:
            _fail(str(exc))
    _print_results([load.result for load in loads], [])
    for load in loads:
        if load.replaced or load.withdrawn:
            console.print(
                f"{load.result.file}: {load.replaced:,} replaced by a new version, "
                f"{load.withdrawn:,} withdrawn (deleted in the app)",
                soft_wrap=True,
            )


def _print_results(results: list[LoadResult], failures: list[SourceError]) -> None:
    """A table on a terminal; one plain line per file otherwise (logs, pipes, CI)."""
    lines = []
    for r in results:
        if r.already_loaded:
            lines.append((r.file, None))
            continue
        skipped = ", ".join(f"{n:,} {k}" for k, n in sorted(r.skipped.items())) or "0"
        lines.append(
            (
                r.file,
                (f"{r.read:,}", f"{r.loaded:,}", f"{r.duplicates:,}", skipped, f"{r.rejected:,}"),
            )
        )
    if console.is_terminal:
        table = Table(title="Files loaded", title_justify="left")
        for name in ("file", "read", "loaded", "duplicates", "skipped", "rejected"):
            table.add_column(name, justify="left" if name == "file" else "right")
        for file, counts in lines:
            if counts is None:
                table.add_row(Path(file).name, "-", "already loaded (no change)", "", "", "")
            else:
                table.add_row(Path(file).name, *counts)
        console.print(table)
    else:
        for file, counts in lines:
            if counts is None:
                console.print(f"{file}: already loaded (no change)", soft_wrap=True)
            else:
                read, loaded, dups, skipped, rejected = counts
                console.print(
                    f"{file}: {read} read, {loaded} loaded, {dups} duplicates, "
                    f"skipped {skipped}, {rejected} rejected",
                    soft_wrap=True,
                )
    new = [r for r in results if not r.already_loaded]
    if new:
        totals = {
            k: sum(getattr(r, k) for r in new) for k in ("read", "loaded", "duplicates", "rejected")
        }
        skipped = sum(r.skipped_total for r in new)
        console.print(
            f"{len(new)} file(s): {totals['read']:,} rows read = {totals['loaded']:,} loaded "
            f"+ {totals['duplicates']:,} duplicates + {skipped:,} skipped "
            f"+ {totals['rejected']:,} rejected",
            soft_wrap=True,
        )
    for r in new:
        if r.rejects:
            console.print(f"[yellow]Rejected rows in {r.file}:[/]")
            for reject in r.rejects[:10]:
                console.print(f"  {reject}", highlight=False, markup=False)
            if len(r.rejects) > 10:
                console.print(f"  ... and {len(r.rejects) - 10:,} more (see the rejects table)")
    for exc in failures:
        errors.print(
            f"[bold red]Not loaded:[/] {escape(str(exc))}", highlight=False, soft_wrap=True
        )


# -- assess ----------------------------------------------------------------------------
@app.command()
def assess(
    ctx: typer.Context,
    period: Annotated[
        str | None,
        typer.Option(help="YYYY-MM:YYYY-MM; default: the latest 12 months with events"),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the whole document")] = False,
) -> None:
    """Build and store the assessment for a period, and summarise it."""
    from sia.assessment import SUMMARY_COLUMNS, AssessmentError, PeriodError, assess_cli

    settings: Settings = ctx.obj
    with _warehouse(settings) as wh:
        try:
            if as_json:
                assessment, _ = assess_cli(wh, wh.partnership, period)
            else:
                with errors.status("Assessing..."):
                    assessment, _ = assess_cli(wh, wh.partnership, period)
        except (PeriodError, AssessmentError) as exc:
            _fail(str(exc))
    if as_json:
        sys.stdout.write(assessment.to_json() + "\n")
        return
    table = Table(
        title=f"{assessment.partnership_name}: {assessment.period.start:%b %Y} to "
        f"{assessment.period.end:%b %Y}",
        title_justify="left",
    )
    for name in SUMMARY_COLUMNS:
        table.add_column(name)
    for row in assessment.summary_rows():
        table.add_row(*(row[c] for c in SUMMARY_COLUMNS))
    console.print(table)
    for issue in assessment.data_quality.issues:
        console.print(f"[yellow]Data quality:[/] {escape(issue.message)}", soft_wrap=True)


# -- prioritise --------------------------------------------------------------------------
@app.command()
def prioritise(
    ctx: typer.Context,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print, per priority, status, criteria, figures...")
    ] = False,
) -> None:
    """Recommend a status per priority from the latest assessment, store it and show it."""
    from sia.prioritise.recommend import PrioritiseError, prioritise_cli
    from sia.prioritise.render import print_recommendation

    settings: Settings = ctx.obj
    with _warehouse(settings) as wh:
        try:
            recommendation, _ = prioritise_cli(wh)
        except PrioritiseError as exc:
            _fail(str(exc))
    if as_json:
        sys.stdout.write(recommendation.rows_json() + "\n")
        return
    print_recommendation(console, recommendation)


@app.command()
def override(
    ctx: typer.Context,
    priority: Annotated[str, typer.Argument(help="The priority's id, e.g. road-safety")],
    status: Annotated[str, typer.Option(help="high-focus, monitor or cross-cutting")],
    reason: Annotated[str, typer.Option(help="Why the recommendation is overridden")],
    by: Annotated[str, typer.Option("--by", help="Who decides")],
) -> None:
    """Keep an analyst's decision on a priority's status, with who and when."""
    from sia.prioritise.store import OverrideError, override_history, record_override

    settings: Settings = ctx.obj
    with _warehouse(settings) as wh:
        try:
            kept = record_override(wh, priority, status, reason, by)
        except OverrideError as exc:
            _fail(str(exc))
        history = override_history(wh, priority)
    recommended = kept.recommended_status or "no recommendation yet"
    console.print(
        f"Decision {kept.override_id} kept: {escape(priority)} is {kept.status} "
        f"(recommended: {recommended}), by {escape(kept.decided_by)} at "
        f"{kept.decided_at:%Y-%m-%d %H:%M} UTC.",
        soft_wrap=True,
    )
    if len(history) > 1:
        console.print(f"{len(history)} decisions on {escape(priority)}, newest last:")
        for o in history:
            console.print(
                f"  {o.decided_at:%Y-%m-%d %H:%M}  {o.status:<13} {escape(o.decided_by)}: "
                f"{escape(o.reason)}",
                soft_wrap=True,
            )


# -- insight -----------------------------------------------------------------------------
@app.command()
def insight(
    ctx: typer.Context,
    period: Annotated[
        str | None,
        typer.Option(help="YYYY-MM:YYYY-MM; default: the same 12 months as sia assess"),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the whole summary")] = False,
    top: Annotated[int, typer.Option(min=1, help="Concerns and links to list")] = 10,
    explain: Annotated[
        str | None,
        typer.Option(help="A concern id: list the records tagged with it and what matched"),
    ] = None,
) -> None:
    """Summarise community, councillor, officer and tension insight for a period."""
    from sia.assessment import PeriodError, parse_period
    from sia.insight.summary import (
        InsightError,
        build_insight,
        default_period,
        explain_concern,
    )
    from sia.insight.tables import explain_table, insight_tables

    settings: Settings = ctx.obj
    with _warehouse(settings, read_only=True) as wh:
        try:
            start, end = parse_period(period) if period else default_period(wh)
            if explain:
                records = explain_concern(wh, wh.partnership, start, end, explain)
            else:
                summary = build_insight(wh, wh.partnership, start, end)
        except (PeriodError, InsightError) as exc:
            _fail(str(exc))
    if explain:
        if as_json:
            sys.stdout.write(
                json.dumps([r.model_dump(mode="json") for r in records], indent=2) + "\n"
            )
        else:
            console.print(explain_table(explain, records, start, end))
        return
    if as_json:
        sys.stdout.write(summary.to_json() + "\n")
        return
    if not wh.partnership.concerns:
        console.print(
            "[yellow]The partnership has no concerns configured:[/] nothing is tagged "
            "(see the concerns section of docs/partnership-config.md)."
        )
    for table in insight_tables(summary, top):
        console.print(table)
    if summary.unmapped_labels:
        listed = ", ".join(f"{k} ({v})" for k, v in summary.unmapped_labels.items())
        console.print(f"[yellow]Labels that mean no concern:[/] {escape(listed)}", soft_wrap=True)


# -- report ----------------------------------------------------------------------------
@app.command()
def report(
    ctx: typer.Context,
    out: Annotated[
        Path | None, typer.Option(help="Folder for the report. Default: <data dir>/report")
    ] = None,
    formats: Annotated[
        str | None,
        typer.Option("--format", help="Comma-separated: html,pdf,docx,xlsx. Default: all"),
    ] = None,
    disclosure: Annotated[
        str | None,
        typer.Option(
            help="Disclosure profile of sensitive measures: internal, or public (counts 1-7 "
            "hidden, other small-area counts rounded to 5). Default: the configured one"
        ),
    ] = None,
) -> None:
    """Write the SIA report of the stored assessment, and the ward and place profiles."""
    import time

    from sia.report import ReportError, make_report, parse_formats
    from sia.report.disclosure import PROFILES
    from sia.warehouse import data_dir

    settings: Settings = ctx.obj
    try:
        chosen = parse_formats(formats)
    except ValueError as exc:
        _fail(str(exc))
    if disclosure is not None and disclosure not in PROFILES:
        _fail(f"--disclosure {disclosure!r} is not one of: {', '.join(PROFILES)}")
    target = out or data_dir(settings.data_dir) / "report"
    started = time.perf_counter()
    with (
        _warehouse(settings, read_only=True) as wh,
        Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            TaskProgressColumn(),
            TimeElapsedColumn(),
            console=errors,
            transient=True,
        ) as bar,
    ):
        task = bar.add_task("Report", total=len(chosen))
        done: list[str] = []

        def step(name: str) -> None:
            if done and done[-1] != "context":
                bar.advance(task)
            done.append(name)
            bar.update(task, description=f"Report: {name}")

        try:
            _, written = make_report(
                wh, wh.partnership, target, chosen, progress=step, disclosure=disclosure
            )
        except ReportError as exc:
            _fail(str(exc))
    for name, paths in written.items():
        console.print(f"{name}: {len(paths)} file(s)", highlight=False)
    console.print(
        f"Report written to {target} in {time.perf_counter() - started:.1f} s.", soft_wrap=True
    )


# -- demo ------------------------------------------------------------------------------
@app.command()
def demo(
    ctx: typer.Context,
    seed: Annotated[
        int, typer.Option(help="Seed of the generator; the same seed writes the same files")
    ] = 2026,
) -> None:
    """Write the Kirklees demo pack under <data dir>/demo-pack and load it."""
    import time

    from sia.demo.pack import write_pack
    from sia.warehouse import data_dir

    settings: Settings = ctx.obj
    partnership = _partnership(settings)
    out = data_dir(settings.data_dir) / "demo-pack"
    started = time.perf_counter()
    with errors.status("Writing the demo pack..."):
        files = write_pack(out, partnership, seed=seed)
    written = time.perf_counter() - started
    console.print(
        f"Demo pack for {partnership.name} written to {out} "
        f"({sum(map(len, files.values()))} files, {written:.1f} s)",
        soft_wrap=True,
    )
    from sia.sources import REGISTRY

    ok = _load_files(
        settings, [(name, REGISTRY[name].formats(), paths) for name, paths in files.items()]
    )
    console.print(f"Done in {time.perf_counter() - started:.1f} s.")
    if not ok:
        raise typer.Exit(1)


# -- status ------------------------------------------------------------------------------
@app.command()
def status(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help="Print the loads as JSON")] = False,
) -> None:
    """Show every file loaded and what became of its rows."""
    settings: Settings = ctx.obj
    with _warehouse(settings, read_only=True) as wh:
        loads = wh.loads()
        events = wh.scalar("SELECT count(*) FROM events")
        span = wh.con.execute("SELECT min(month), max(month) FROM events").fetchone()
    if as_json:
        out = [
            {
                "file": row["file"],
                "sha256": row["sha256"],
                "source": row["source"],
                "format": row["format"],
                "loaded_at": row["loaded_at"].isoformat(),
                "read": row["read"],
                "loaded": row["loaded"],
                "duplicates": row["duplicates"],
                "skipped": row["skipped"],
                "skipped_by_reason": dict(row["skipped_by_reason"]),
                "rejected": row["rejected"],
                "first_month": _iso(row["first_month"]),
                "last_month": _iso(row["last_month"]),
            }
            for row in loads
        ]
        sys.stdout.write(json.dumps(out, indent=2) + "\n")
        return
    partnership = _partnership(settings)
    console.print(f"[bold]{partnership.name}[/] — warehouse in {wh.path}")
    table = Table()
    for name in ("file", "source", "read", "loaded", "duplicates", "skipped", "rejected"):
        table.add_column(
            name, justify="left" if name in ("file", "source") else "right", no_wrap=name == "file"
        )
    for row in loads:
        table.add_row(
            Path(row["file"]).name,
            row["source"],
            f"{row['read']:,}",
            f"{row['loaded']:,}",
            f"{row['duplicates']:,}",
            f"{row['skipped']:,}",
            f"{row['rejected']:,}",
        )
    console.print(table)
    by_source: dict[str, list[int]] = {}
    for row in loads:
        totals = by_source.setdefault(row["source"], [0] * 6)
        for i, key in enumerate(("read", "loaded", "duplicates", "skipped", "rejected")):
            totals[i] += row[key]
        totals[5] += 1
    if len(by_source) > 1:
        summary = Table(title="By source", title_justify="left")
        for name in ("source", "files", "read", "loaded", "duplicates", "skipped", "rejected"):
            summary.add_column(name, justify="left" if name == "source" else "right")
        for source, (read, loaded, dups, skipped, rejected, files) in by_source.items():
            summary.add_row(
                source,
                f"{files:,}",
                f"{read:,}",
                f"{loaded:,}",
                f"{dups:,}",
                f"{skipped:,}",
                f"{rejected:,}",
            )
        console.print(summary)
    first, last = span
    console.print(
        f"{len(loads)} file(s) loaded; {events:,} events"
        + (f" from {first:%b %Y} to {last:%b %Y}" if first else "")
    )


def _iso(value) -> str | None:
    return value.isoformat() if value is not None else None


# -- sql ---------------------------------------------------------------------------------
@app.command("sql")
def sql_command(
    ctx: typer.Context,
    query: Annotated[str, typer.Argument(help="A SELECT query over the warehouse")],
    as_csv: Annotated[bool, typer.Option("--csv", help="Print CSV instead of a table")] = False,
) -> None:
    """Run a read-only SQL query against the warehouse."""
    import duckdb

    settings: Settings = ctx.obj
    with _warehouse(settings, read_only=True, external_access=False) as wh:
        try:
            cursor = wh.con.execute(query)
        except duckdb.Error as exc:
            _fail(f"the query failed: {exc}")
        if cursor.description is None:
            _fail("the query returned no table")
        names = [d[0] for d in cursor.description]
        rows = cursor.fetchall()
    if as_csv:
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(names)
        writer.writerows(rows)
        return
    table = Table()
    for name in names:
        table.add_column(name)
    for row in rows:
        table.add_row(*("" if v is None else str(v) for v in row))
    console.print(table)
    console.print(f"{len(rows):,} row(s)")


# -- the web app (webapp/, imported only by these commands) ------------------------------
def _django(settings: Settings, *argv: str) -> None:
    """Run one of the web app's Django commands for this data directory and partnership."""
    import os

    folder = Path(settings.data_dir or os.environ.get("SIA_DATA_DIR") or "sia-data")
    folder.mkdir(parents=True, exist_ok=True)
    os.environ["SIA_DATA_DIR"] = str(folder)
    if settings.config:
        os.environ["SIA_CONFIG"] = settings.config
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "webapp.settings")
    checkout = Path(__file__).resolve().parents[1]  # the web app lives beside sia/
    if (checkout / "webapp" / "settings.py").exists() and str(checkout) not in sys.path:
        sys.path.insert(0, str(checkout))
    try:
        from django.core.management import execute_from_command_line
    except ImportError:
        _fail("the web app needs Django: install sia's web dependencies (see docs/webapp.md)")
    execute_from_command_line(["sia", *argv])


@app.command()
def serve(
    ctx: typer.Context,
    host: Annotated[str, typer.Option(help="Address to listen on")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on")] = 8000,
) -> None:
    """Start the web app on HOST:PORT (its database is brought up to date first)."""
    _django(ctx.obj, "migrate", "--no-input", "--verbosity", "0")
    _django(ctx.obj, "runserver", f"{host}:{port}", "--noreload")


@app.command()
def createuser(
    ctx: typer.Context,
    username: Annotated[str, typer.Argument(help="The person's user name")],
    role: Annotated[
        str, typer.Option(help="officer, analyst, partner viewer, councillor or admin")
    ],
    email: Annotated[str, typer.Option(help="Their email address")] = "",
    ward: Annotated[str, typer.Option(help="Their ward's code (a councillor's ward)")] = "",
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Read the password from standard input")
    ] = False,
) -> None:
    """Add a person who can sign in to the web app, with one role."""
    _django(ctx.obj, "migrate", "--no-input", "--verbosity", "0")
    argv = ["createuser", username, "--role", role, "--email", email, "--ward", ward]
    _django(ctx.obj, *argv, *(["--password-stdin"] if password_stdin else []))


# -- config ------------------------------------------------------------------------------
@config_app.command("check")
def config_check(
    file: Annotated[str, typer.Argument(help="A partnership YAML file, or a bundled name")],
) -> None:
    """Validate a partnership YAML; every problem is listed with its key and line."""
    try:
        p = load_partnership(file)
    except ConfigError as exc:
        _fail(str(exc))
    console.print(
        f"[green]OK[/] {p.name}: {len(p.wards)} wards in {len(p.places)} places, "
        f"{len(p.themes)} themes, {len(p.priorities)} priorities, {len(p.measures())} measures"
    )


def main() -> None:
    app()


if __name__ == "__main__":
    main()
