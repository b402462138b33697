"""Officer session records.

One format, declared with the other insight formats in :mod:`sia.sources.insight`.
"""

from __future__ import annotations

from sia.sources.insight import OFFICER_SESSION

FORMATS = {OFFICER_SESSION.name: OFFICER_SESSION}
