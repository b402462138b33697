"""A partner's one-off spreadsheet, loaded into ``events`` without code.

A small YAML file (a *mapping*) describes the CSV: its columns in order, each with a kind
from the loading engine (:data:`sia.sources.tabular.Kind`), which column is the key, which
the date, which give the location and the category, and the ``source`` name the events
get. :func:`format_from_mapping` turns it into a :class:`TabularFormat`, so the file then
loads like any built-in source: header checked, every field typed and checked, rows placed,
duplicates counted, all in one transaction.

Example (``docs/examples/mapped-cctv.yaml``)::

    source: council-cctv
    columns:
      - {header: incident_ref, kind: text}
      - {header: date, kind: date, required: true}
      - {header: incident_type, kind: text}
      - {header: lsoa_code, kind: lsoa}
    key: incident_ref
    date: date
    location: {lsoa: lsoa_code}
    category:
      column: incident_type
      values: {Assault: violence, Fight: violence}
      other: reject

Category values are compared without regard to case or surrounding spaces. A value the
map does not name is rejected (``other: reject``, the default) or kept as written
(``other: keep``). Every problem in a mapping is reported with its key and line, as
``sia config check`` does for a partnership.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Annotated, Literal, get_args

import yaml
from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
)

from sia.config import ConfigProblem, key_path, yaml_line
from sia.config.schema import SLUG_PATTERN, Source
from sia.sources.base import SourceError
from sia.sources.tabular import Column, Kind, TabularFormat

Slug = Annotated[str, StringConstraints(pattern=SLUG_PATTERN)]
Text = Annotated[str, StringConstraints(min_length=1, strip_whitespace=True)]
Header = Annotated[str, StringConstraints(min_length=1)]

#: A value that means blank: text, or a whole number as YAML reads ``-1`` (not yes/no).
MissingValue = Annotated[
    str,
    BeforeValidator(lambda v: str(v) if isinstance(v, int) and not isinstance(v, bool) else v),
]

_NUMERIC: tuple[str, ...] = ("int", "number", "longitude", "latitude", "easting", "northing")
#: Column names the loader gives columns of its own staging tables; a file column read
#: as one of them would be mistaken for it (``lsoa`` is allowed as the location column).
_ENGINE_NAMES = ("rowid", "rec", "bad", "content_key", "lsoa")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class MappedColumn(_Strict):
    """One column of the file, in order: its header as written and its kind."""

    header: Header
    kind: Kind = "text"
    required: bool = False
    choices: list[Text] = Field(default_factory=list)
    minimum: float | None = None
    maximum: float | None = None
    missing: list[MissingValue] = Field(
        default_factory=list, description="Values that mean blank, e.g. N/A or -1"
    )


class Location(_Strict):
    """The columns that place a row: an LSOA code and/or a pair of coordinates."""

    lsoa: Header | None = None
    easting: Header | None = None
    northing: Header | None = None
    longitude: Header | None = None
    latitude: Header | None = None


class Category(_Strict):
    column: Header
    values: dict[str, Text] | None = Field(
        default=None, description="Raw value -> category; compared without regard to case"
    )
    other: Literal["reject", "keep"] = "reject"


class Mapping(_Strict):
    """A partner's CSV, described: validated by pydantic, then cross-checked."""

    name: Text | None = None
    source: Slug
    columns: list[MappedColumn] = Field(min_length=1)
    key: Header | None = None
    date: Header
    location: Location | None = None
    unlocated: Literal["skip", "keep"] = "skip"
    category: Category
    subcategory: Header | None = None
    flags: list[Header] = Field(default_factory=list)
    attributes: list[Header] = Field(default_factory=list)


class MappingError(SourceError):
    """A mapping that cannot be used, with every problem found in it (key and line)."""

    def __init__(self, path: str | Path, problems: list[ConfigProblem]):
        self.problems = problems
        lines = "\n".join(f"  - {p}" for p in problems)
        super().__init__(path, f"{len(problems)} problem(s) in the mapping\n{lines}")


# -- reading and checking a mapping -------------------------------------------------------
def read_mapping(path: str | Path) -> Mapping:
    """The mapping in ``path``, or :class:`MappingError` listing every problem."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise MappingError(path, [ConfigProblem("(file)", "no such file")]) from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise MappingError(path, [ConfigProblem("(file)", f"cannot be read: {exc}")]) from exc
    try:
        root = yaml.compose(text)
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else None
        raise MappingError(path, [ConfigProblem("(yaml)", str(exc), line)]) from exc
    if not isinstance(data, dict):
        raise MappingError(path, [ConfigProblem("(top level)", "expected a mapping of keys")])
    quoting = _quoting_problems(root)
    problems = [_problem(loc, msg, data, root) for loc, msg in quoting]
    try:
        mapping = Mapping.model_validate(_without_unquoted(data) if quoting else data)
    except ValidationError as exc:
        problems += [
            _problem(tuple(e["loc"]), e["msg"].removeprefix("Value error, "), data, root)
            for e in exc.errors()
        ]
    else:
        problems += [_problem(loc, msg, data, root) for loc, msg in _cross_check(mapping)]
    if problems:
        raise MappingError(path, problems)
    return mapping


def _problem(loc: tuple, message: str, data: dict, root) -> ConfigProblem:
    return ConfigProblem(key_path(loc, data, labels=("header",)), message, yaml_line(root, loc))


def _quoting_problems(root) -> list[tuple[tuple, str]]:
    """Category values YAML did not read as text (``Yes``, ``No``, ``On``, numbers)."""
    values = _node(root, ("category", "values"))
    if not isinstance(values, yaml.MappingNode):
        return []
    return [
        (
            ("category", "values", key.value),
            f"{key.value} is not read as text (YAML reads Yes, No, On, Off, true, false and "
            f"numbers as other things): put the value in quotes, e.g. '{key.value}': ...",
        )
        for key, _ in values.value
        if isinstance(key, yaml.ScalarNode) and key.tag != "tag:yaml.org,2002:str"
    ]


def _node(root, path: tuple[str, ...]):
    node = root
    for part in path:
        if not isinstance(node, yaml.MappingNode):
            return None
        node = next((v for k, v in node.value if k.value == part), None)
    return node


def _without_unquoted(data: dict) -> dict:
    """``data`` without the category values :func:`_quoting_problems` reported."""
    values = {k: v for k, v in data["category"]["values"].items() if isinstance(k, str)}
    return {**data, "category": {**data["category"], "values": values}}


def _cross_check(m: Mapping) -> list[tuple[tuple, str]]:
    """Every rule that spans keys: each names the key to fix."""
    problems: list[tuple[tuple, str]] = []
    by_header: dict[str, MappedColumn] = {}
    by_name: dict[str, str] = {}
    for i, col in enumerate(m.columns):
        name = Column(col.header).name
        if col.header in by_header:
            problems.append((("columns", i, "header"), f"{col.header!r} is listed twice"))
            continue
        by_header[col.header] = col
        if name in by_name:
            problems.append(
                (
                    ("columns", i, "header"),
                    f"{col.header!r} and {by_name[name]!r} are both read as the column "
                    f"name {name!r}",
                )
            )
        elif not _usable_name(name):
            problems.append(
                (
                    ("columns", i, "header"),
                    f"{col.header!r} is read as the column name {name!r}, which cannot be "
                    "used in SQL (it is blank, starts with a digit or is an SQL keyword)",
                )
            )
        elif name.endswith("__raw") or (
            name in _ENGINE_NAMES
            and not (name == "lsoa" and m.location and m.location.lsoa == col.header)
        ):
            problems.append(
                (
                    ("columns", i, "header"),
                    f"{col.header!r} is read as the column name {name!r}, which the loader "
                    "uses itself",
                )
            )
        by_name[name] = col.header
        if col.choices and col.kind != "choice":
            problems.append((("columns", i, "choices"), "choices are only for kind: choice"))
        if col.kind == "choice" and not col.choices:
            problems.append((("columns", i, "choices"), "kind: choice needs a list of choices"))
        for bound in ("minimum", "maximum"):
            if getattr(col, bound) is not None and col.kind not in _NUMERIC:
                problems.append(
                    (("columns", i, bound), f"{bound} is only for kinds {', '.join(_NUMERIC)}")
                )

    def refer(loc: tuple, header: str | None, kinds: tuple[str, ...] | None = None) -> None:
        if header is None:
            return
        col = by_header.get(header)
        if col is None:
            problems.append((loc, f"{header!r} is not the header of one of the columns"))
        elif kinds and col.kind not in kinds:
            problems.append(
                (loc, f"column {header!r} has kind {col.kind}; it needs kind {' or '.join(kinds)}")
            )

    refer(("key",), m.key)
    refer(("date",), m.date, ("date", "month"))
    refer(("category", "column"), m.category.column, ("text", "code", "choice"))
    refer(("subcategory",), m.subcategory)
    for i, header in enumerate(m.flags):
        refer(("flags", i), header, ("flag",))
    for i, header in enumerate(m.attributes):
        refer(("attributes", i), header)
    loc = m.location
    if loc is None or not any(loc.model_dump().values()):
        if m.unlocated != "keep":
            problems.append(
                (
                    ("location",) if loc else (),
                    "location is missing: give lsoa and/or easting and northing (or longitude "
                    "and latitude), or set unlocated: keep to load every row at district level",
                )
            )
    else:
        refer(("location", "lsoa"), loc.lsoa, ("lsoa",))
        for key in ("easting", "northing", "longitude", "latitude"):
            refer(("location", key), getattr(loc, key), (key,))
        for a, b in (("easting", "northing"), ("longitude", "latitude")):
            if (getattr(loc, a) is None) != (getattr(loc, b) is None):
                missing = b if getattr(loc, b) is None else a
                problems.append((("location",), f"{a} and {b} go together: {missing} is missing"))
        if loc.easting and loc.longitude:
            problems.append(
                (("location",), "give easting and northing or longitude and latitude, not both")
            )
    if m.category.values is not None:
        if not m.category.values:
            problems.append((("category", "values"), "is empty: list values or leave it out"))
        seen: dict[str, str] = {}
        for raw in m.category.values:
            folded = raw.strip().lower()
            if folded in seen:
                problems.append(
                    (
                        ("category", "values", raw),
                        f"{raw!r} and {seen[folded]!r} are the same value (case and "
                        "spaces are ignored)",
                    )
                )
            seen[folded] = raw
    elif m.category.other != "reject":
        problems.append((("category", "other"), "other is only meaningful with values"))
    reserved = sorted({s.value for s in Source} | _registered())
    if m.source in reserved:
        problems.append(
            (
                ("source",),
                f"{m.source!r} is the name of a built-in source; choose a name of the "
                f"partner's own, e.g. council-cctv (built-in: {', '.join(reserved)})",
            )
        )
    return problems


def _registered() -> set[str]:
    from sia.sources import REGISTRY

    return set(REGISTRY)


@cache
def _usable_name(name: str) -> bool:
    """Whether ``name`` works unquoted as a column name in the engine's SQL."""
    import duckdb

    if not name or not name[0].isalpha():
        return False
    con = duckdb.connect()
    try:
        con.execute(
            f"SELECT r.{name}, r.{name}__raw FROM (SELECT 1 AS {name}__raw, 2 AS {name}) r "
            f"WHERE {name} IS NOT NULL"
        )
    except duckdb.Error:
        return False
    finally:
        con.close()
    return True


# -- from a mapping to a format -----------------------------------------------------------
def _literal(text: str) -> str:
    """An SQL string literal. ``$`` is spelt chr(36): the loader binds ``$name`` parameters
    by searching the SQL text, and must not find one inside a partner's value."""
    quoted = "'" + text.replace("'", "''") + "'"
    return quoted.replace("$", "' || chr(36) || '")


def to_format(m: Mapping) -> TabularFormat:
    """The :class:`TabularFormat` a (checked) mapping describes."""
    name_of = {c.header: Column(c.header).name for c in m.columns}
    key_header = m.key
    required = {key_header, m.date, m.category.column} - {None}
    columns = tuple(
        Column(
            c.header,
            c.kind,
            required=c.required or c.header in required,
            choices=tuple(c.choices),
            minimum=c.minimum,
            maximum=c.maximum,
            missing=tuple(c.missing),
        )
        for c in m.columns
    )
    kinds = {c.header: c.kind for c in m.columns}
    date = name_of[m.date]
    category = name_of[m.category.column]

    checks: list[tuple[str, ...]] = []
    category_sql = f"r.{category}::VARCHAR"
    if m.category.values:
        folded = {raw.strip().lower(): value for raw, value in m.category.values.items()}
        cases = " ".join(
            f"WHEN {_literal(raw)} THEN {_literal(value)}" for raw, value in folded.items()
        )
        other = f"r.{category}::VARCHAR" if m.category.other == "keep" else "NULL"
        category_sql = f"CASE lower(trim(r.{category}::VARCHAR)) {cases} ELSE {other} END"
        if m.category.other == "reject":
            listed = ", ".join(_literal(raw) for raw in folded)
            shown = list(m.category.values)
            words = ", ".join(shown[:12]) + (", ..." if len(shown) > 12 else "")
            checks.append(
                (
                    f"{category} IS NOT NULL AND lower(trim({category}::VARCHAR)) "
                    f"NOT IN ({listed})",
                    m.category.column,
                    f"is not one of the values the mapping names: {words}",
                    f"{category}__raw",
                )
            )

    fields = {
        "month": f"date_trunc('month', r.{date})::DATE",
        "occurred_on": f"r.{date}" if kinds[m.date] == "date" else "NULL",
        "category": category_sql,
        "subcategory": f"r.{name_of[m.subcategory]}::VARCHAR" if m.subcategory else "NULL",
        "flags": (
            "list_filter(["
            + ", ".join(
                f"CASE WHEN r.{name_of[f]} THEN {_literal(name_of[f])} END" for f in m.flags
            )
            + "], lambda x: x IS NOT NULL)"
            if m.flags
            else "[]::VARCHAR[]"
        ),
        "attributes": (
            "json_object(" + ", ".join(f"{_literal(h)}, r.{name_of[h]}" for h in m.attributes) + ")"
            if m.attributes
            else "NULL"
        ),
    }
    loc = m.location or Location()
    place_by = None
    pairs: tuple[tuple[str, str], ...] = ()
    if loc.easting and loc.northing:
        place_by = ("bng", name_of[loc.easting], name_of[loc.northing])
    elif loc.longitude and loc.latitude:
        place_by = ("lonlat", name_of[loc.longitude], name_of[loc.latitude])
        fields["longitude"] = f"r.{name_of[loc.longitude]}"
        fields["latitude"] = f"r.{name_of[loc.latitude]}"
    if place_by:
        pairs = ((place_by[1], place_by[2]),)
    return TabularFormat(
        name=m.name or f"{m.source} (mapped)",
        source=m.source,
        columns=columns,
        period=date,
        fields=fields,
        key=f"CAST(r.{name_of[key_header]} AS VARCHAR)" if key_header else None,
        content_key=() if key_header else tuple(c.header for c in m.columns),
        lsoa=name_of[loc.lsoa] if loc.lsoa else None,
        place_by=place_by,
        pairs=pairs,
        unlocated=m.unlocated,
        extra_checks=tuple(checks),
    )


def format_from_mapping(path: str | Path) -> TabularFormat:
    """The format the mapping YAML at ``path`` describes (:class:`MappingError` if bad)."""
    return to_format(read_mapping(path))


def formats_for_mapping(path: str | Path) -> dict[str, TabularFormat]:
    """``{name: format}`` for :func:`sia.sources.tabular.load_file` (``--mapping``)."""
    fmt = format_from_mapping(path)
    return {fmt.name: fmt}


#: The kinds a mapped column may have, for the documentation and error messages.
KINDS: tuple[str, ...] = get_args(Kind)
