"""The one error the geography module raises."""

from __future__ import annotations

__all__ = ["GeographyError"]


class GeographyError(Exception):
    """The shipped geography cannot serve a partnership, or something asked of it is absent.

    ``problems`` lists every problem found, one sentence each, naming the ward, LSOA,
    district or file concerned.
    """

    def __init__(self, message: str, problems: list[str] | None = None):
        self.problems = list(problems) if problems else [message]
        if problems:
            message = message + "\n" + "\n".join(f"  - {p}" for p in self.problems)
        super().__init__(message)
