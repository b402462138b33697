"""Load and check a partnership's YAML.

>>> p = load_partnership("kirklees")
>>> p.district.name
'Kirklees'
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import yaml
from pydantic import ValidationError

from sia.config.schema import (
    POLICE_UK_CRIME_TYPES,
    Area,
    Measure,
    Partnership,
    Place,
    Polarity,
    Priority,
    Source,
    StatutoryDuty,
    Theme,
)

__all__ = [
    "BUNDLED",
    "POLICE_UK_CRIME_TYPES",
    "Area",
    "ConfigError",
    "ConfigProblem",
    "Measure",
    "Partnership",
    "Place",
    "Polarity",
    "Priority",
    "Source",
    "StatutoryDuty",
    "Theme",
    "bundled_path",
    "load_partnership",
]

#: Partnerships shipped with the package, by the name ``--config`` accepts.
BUNDLED = ("kirklees", "city-of-london")
DEFAULT = "kirklees"


@dataclass(frozen=True)
class ConfigProblem:
    key: str
    message: str
    line: int | None = None

    def __str__(self) -> str:
        where = f"line {self.line}, " if self.line else ""
        return f"{where}{self.key}: {self.message}"


class ConfigError(Exception):
    """A partnership file that cannot be used, with every problem found in it."""

    def __init__(self, path: str, problems: list[ConfigProblem]):
        self.path = path
        self.problems = problems
        lines = "\n".join(f"  - {p}" for p in problems)
        super().__init__(f"{path}: {len(problems)} problem(s) in the partnership config\n{lines}")


def bundled_path(name: str) -> Path:
    return Path(str(resources.files("sia.config").joinpath(f"{name}.yaml")))


def resolve(name_or_path: str | Path | None) -> Path:
    """A bundled name (``kirklees``) or a path to a YAML file."""
    if name_or_path is None:
        name_or_path = DEFAULT
    if str(name_or_path) in BUNDLED:
        return bundled_path(str(name_or_path))
    path = Path(name_or_path)
    if not path.is_file():
        raise ConfigError(
            str(path),
            [ConfigProblem("(file)", f"no such file; bundled partnerships are {list(BUNDLED)}")],
        )
    return path


def load_partnership(name_or_path: str | Path | None = None) -> Partnership:
    path = resolve(name_or_path)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise ConfigError(str(path), [ConfigProblem("(file)", f"not UTF-8 text: {exc}")]) from exc
    try:
        root = yaml.compose(text)
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else None
        raise ConfigError(str(path), [ConfigProblem("(yaml)", str(exc), line)]) from exc
    if not isinstance(data, dict):
        raise ConfigError(str(path), [ConfigProblem("(top level)", "expected a mapping of keys")])
    try:
        return Partnership.model_validate(data)
    except ValidationError as exc:
        problems = []
        for err in exc.errors():
            loc = tuple(err["loc"])
            problems.append(
                ConfigProblem(
                    key_path(loc, data),
                    err["msg"].removeprefix("Value error, "),
                    yaml_line(root, loc),
                )
            )
        raise ConfigError(str(path), problems) from exc


def key_path(loc: tuple, data: object, labels: tuple[str, ...] = ("id", "name")) -> str:
    """A pydantic error location as a readable key path: list items are named by the first
    of ``labels`` they have, e.g. ``priorities[6:neighbourhood-crime].measures[0]``."""
    if not loc:
        return "(top level)"
    parts: list[str] = []
    node = data
    for part in loc:
        if isinstance(part, int):
            label = str(part)
            item = node[part] if isinstance(node, list) and part < len(node) else None
            if isinstance(item, dict):
                ident = next((item[k] for k in labels if item.get(k) is not None), None)
                if ident is not None:
                    label = f"{part}:{ident}"
            parts[-1] = f"{parts[-1]}[{label}]" if parts else f"[{label}]"
            node = item
        else:
            parts.append(str(part))
            node = node.get(part) if isinstance(node, dict) else None
    return ".".join(parts)


def yaml_line(root: yaml.Node | None, loc: tuple) -> int | None:
    """Line (1-based) of the deepest YAML node the location reaches."""
    node = root
    line = node.start_mark.line + 1 if node is not None else None
    for part in loc:
        if isinstance(node, yaml.MappingNode) and isinstance(part, str):
            match = next((v for k, v in node.value if k.value == part), None)
            if match is None:
                # an unknown key: point at the key itself
                key = next((k for k, _ in node.value if k.value == part), None)
                return key.start_mark.line + 1 if key is not None else line
            node = match
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int):
            if part >= len(node.value):
                return line
            node = node.value[part]
        else:
            return line
        line = node.start_mark.line + 1
    return line
