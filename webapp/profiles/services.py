"""The report's context for the web app: ward and place profiles, and the dashboard's map.

The pages show :class:`sia.report.context.ReportContext` as the report builds it, with
disclosure control already applied: the app never computes a figure of its own. Building
the context takes a couple of seconds, so it is kept for as long as what it is made from
stays the same: its *version* is the latest assessment, load, prioritisation and override
(a new load can change what was raised in a ward; an override changes a status). The
version is read only when the warehouse's files have changed, so most page views open
nothing at all.

The areas themselves (which wards and places there are) come from the partnership's
configuration, so that a page can be found, and refused, before any data is loaded.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb
from pydantic import ValidationError
from sia.config import Partnership
from sia.config.schema import slugify
from sia.warehouse import Warehouse, WarehouseError

from webapp.dashboard.services import file_state

if TYPE_CHECKING:  # the report brings in the statistics libraries: seconds to import
    from sia.report.context import AreaProfile, ReportContext

WARD = "ward"
PLACE = "place"


@dataclass(frozen=True)
class Area:
    """A ward or a place of the partnership, as the URLs and the permissions see it.

    ``code`` is the ward's ONS code, or the place's name (places have no code); ``place``
    is the place a ward belongs to."""

    kind: str
    slug: str
    code: str
    name: str
    place: str | None = None


def areas(partnership: Partnership, kind: str) -> list[Area]:
    """The partnership's wards (``kind="ward"``) or places, in the configuration's order."""
    if kind == WARD:
        place_of = partnership.place_of_ward()
        return [
            Area(WARD, slugify(w.name), w.code, w.name, place_of.get(w.code))
            for w in partnership.wards
        ]
    return [Area(PLACE, slugify(p.name), p.name, p.name) for p in partnership.places]


def find_area(partnership: Partnership, kind: str, slug: str) -> Area | None:
    return next((a for a in areas(partnership, kind) if a.slug == slug), None)


@dataclass
class Published:
    """The report's context of the latest assessment, or why there is none to show."""

    problem: str | None = None
    context: ReportContext | None = None

    def profile(self, area: Area) -> AreaProfile | None:
        """The area's profile in the context (None when there is no context)."""
        if self.context is None:
            return None
        found = self.context.wards if area.kind == WARD else self.context.places
        return next((p for p in found if p.code == area.code), None)


NO_DATA = "No partner data has been loaded yet, so there are no figures to show."
BUSY = "The warehouse is being updated (a load or an assessment is running). Try again in a minute."
NO_ASSESSMENT = "No assessment has been stored yet. An analyst makes one with sia assess."

#: The version of the warehouse's files last seen, and the context by version.
_VERSION_OF_FILES: dict[tuple, tuple] = {}
_CONTEXTS: dict[tuple, Published] = {}
_LOCK = threading.Lock()

#: What the context is made from: when none of these changes, neither does the context.
_VERSION_SQL = {
    "assessment": "SELECT max(assessment_id) FROM assessments",
    "load": "SELECT max(load_id) FROM loads",
    "prioritisation": "SELECT max(prioritisation_id) FROM prioritisations",
    "override": "SELECT max(override_id) FROM priority_overrides",
}


def _version(wh: Warehouse) -> tuple:
    found = []
    for sql in _VERSION_SQL.values():
        try:
            found.append(wh.scalar(sql))
        except duckdb.CatalogException:  # a warehouse made before that table existed
            found.append(None)
    return tuple(found)


def published(partnership: Partnership, path: Path) -> Published:
    """The report's context of the warehouse at ``path``, built once per version.

    One request at a time builds it (others wait for it rather than build it again)."""
    files = (partnership.id, *file_state(path))
    with _LOCK:
        version = _VERSION_OF_FILES.get(files)
        if version is not None and version in _CONTEXTS:
            return _CONTEXTS[version]
        result, version = _read(partnership, path)
        if version is not None:
            _VERSION_OF_FILES.clear()
            _VERSION_OF_FILES[files] = version
            if version not in _CONTEXTS:
                _CONTEXTS.clear()  # only the newest version is ever shown
                _CONTEXTS[version] = result
            return _CONTEXTS[version]
        return result


def _read(partnership: Partnership, path: Path) -> tuple[Published, tuple | None]:
    """The context and its version; no version when there is nothing to keep."""
    if not path.exists():
        return Published(problem=NO_DATA), None
    try:
        wh = Warehouse(path, partnership, read_only=True)
    except WarehouseError as exc:
        return Published(problem=f"The warehouse cannot be read: {exc}."), None
    except duckdb.Error:  # another process is writing it
        return Published(problem=BUSY), None
    try:
        version = (partnership.id, *_version(wh))
        if version in _CONTEXTS:
            return _CONTEXTS[version], version
        if version[1] is None:
            return Published(problem=NO_ASSESSMENT), version
        from sia.report import ReportError, report_context

        try:
            context = report_context(wh, partnership)
        except ValidationError:
            return Published(
                problem="The latest stored assessment was made by another version of sia: "
                "run sia assess again to see its figures here."
            ), version
        except ReportError as exc:
            return Published(problem=f"The figures cannot be shown: {exc}."), version
        return Published(context=_published_only(context)), version
    finally:
        wh.close()


def _published_only(context: ReportContext) -> ReportContext:
    """The context without the true values of suppressed cells (``ReportTable.raw``, which
    the report keeps for its scan test): the app keeps only what may be shown."""
    return type(context).model_validate_json(context.model_dump_json())


def forget() -> None:
    """Drop what is kept (for the tests)."""
    with _LOCK:
        _VERSION_OF_FILES.clear()
        _CONTEXTS.clear()
