"""Community engagement records.

One format, declared with the other insight formats in :mod:`sia.sources.insight`.
"""

from __future__ import annotations

from sia.sources.insight import ENGAGEMENT

FORMATS = {ENGAGEMENT.name: ENGAGEMENT}
