"""Councillor ward meeting records.

One format, declared with the other insight formats in :mod:`sia.sources.insight`.
"""

from __future__ import annotations

from sia.sources.insight import COUNCILLOR_SESSION

FORMATS = {COUNCILLOR_SESSION.name: COUNCILLOR_SESSION}
