"""Partner file formats. Every source registers here, and ``sia ingest <name>`` loads it.

A source is a name, a one-line description for the command's help, and the formats whose
header identifies a file of that source (:class:`sia.sources.tabular.TabularFormat`).
Built-in sources register the same way any later one would.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import import_module


@dataclass(frozen=True)
class SourceEntry:
    name: str
    help: str
    module: str  # the module holding FORMATS

    def formats(self) -> dict:
        return import_module(self.module).FORMATS


REGISTRY: dict[str, SourceEntry] = {}


def register(name: str, help: str, module: str) -> None:
    if name in REGISTRY:
        raise ValueError(f"source {name!r} is registered twice")
    REGISTRY[name] = SourceEntry(name, help, module)


register("police-uk", "police.uk street-level crime and outcomes CSVs.", "sia.sources.police_uk")
register(
    "asb-council",
    "Council anti-social behaviour and environmental reports (CSV or XLSX).",
    "sia.sources.asb_council",
)
register("fire", "Fire and rescue incidents (CSV or XLSX).", "sia.sources.fire")
register(
    "health-istv",
    "Emergency department assault attendances, ISTV minimum data set (CSV or XLSX).",
    "sia.sources.health_istv",
)
register(
    "force-extract",
    "The police force's offence-level crime extract (CSV or XLSX).",
    "sia.sources.force_extract",
)
register("engagement", "Community engagement records (CSV or XLSX).", "sia.sources.engagement")
register(
    "councillor-session",
    "Councillor ward meetings (CSV or XLSX).",
    "sia.sources.councillor_session",
)
register("officer-session", "Officer session records (CSV or XLSX).", "sia.sources.officer_session")
register("tension", "Community tension reports (CSV or XLSX).", "sia.sources.tension")
register("stats19", "DfT STATS19 road collisions, casualties and vehicles.", "sia.sources.stats19")
register("indicator", "Partner indicators by period and area (CSV).", "sia.sources.indicator")
