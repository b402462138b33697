"""The roles' Django groups, and giving a person a role."""

from __future__ import annotations

from django.contrib.auth.models import Group

from webapp.accounts.rules import ROLES


def ensure_roles(**kwargs) -> None:
    """Create a group for each role that has none (run after every ``migrate``)."""
    for role in ROLES:
        Group.objects.get_or_create(name=role)


def set_role(user, role: str) -> None:
    """Make ``role`` the person's only role."""
    if role not in ROLES:
        raise ValueError(f"unknown role {role!r}; the roles are: {', '.join(ROLES)}")
    ensure_roles()
    user.groups.set([Group.objects.get(name=role)])
