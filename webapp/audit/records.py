"""Writing the audit history: :func:`record_audit` for any record (e.g. a priority override
kept in the warehouse), and :func:`diff` for two states of a record."""

from __future__ import annotations

from contextvars import ContextVar
from datetime import date, datetime
from decimal import Decimal
from uuid import UUID

#: The person of the request being served (set by ``AuditUserMiddleware``).
current_user: ContextVar = ContextVar("audit_current_user", default=None)


def plain(value):
    """A value as the history keeps it: text, a number, a list or None."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, UUID):
        return str(value)
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    return str(value)


def diff(before: dict, after: dict) -> dict[str, list]:
    """``{field: [before, after]}`` for the fields whose values differ (a field missing on
    one side is None there); blank text and None are the same."""
    changes = {}
    for name in dict.fromkeys([*before, *after]):
        old, new = plain(before.get(name)), plain(after.get(name))
        if (old in ("", None, [])) and (new in ("", None, [])):
            continue
        if old != new:
            changes[name] = [old, new]
    return changes


def record_audit(user, action: str, obj_type: str, obj_id, changes: dict, description: str = ""):
    """Keep one entry of the history: ``user`` (a user, or None for the system) did
    ``action`` (``"create"``, ``"update"`` or ``"delete"``) to the record ``obj_type``
    ``obj_id``; ``changes`` is ``{field: [before, after]}`` (see :func:`diff`)."""
    from webapp.audit.models import AuditEntry

    if action not in dict(AuditEntry.ACTIONS):
        raise ValueError(f"unknown action {action!r}: create, update or delete")
    signed_in = user is not None and getattr(user, "is_authenticated", False)
    return AuditEntry.objects.create(
        user=user if signed_in else None,
        username=user.get_username() if signed_in else "",
        action=action,
        record_type=obj_type,
        record_id=str(obj_id),
        description=description[:200],
        changes={str(k): [plain(v[0]), plain(v[1])] for k, v in changes.items()},
    )
