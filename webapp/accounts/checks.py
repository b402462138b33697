"""System checks: production mode refuses the development secret key (``sia.E001``)."""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Error, register

#: Shorter keys than this are refused in production mode (Django's own advice is 50).
MINIMUM_KEY_LENGTH = 50


@register()
def secret_key_check(app_configs=None, **kwargs) -> list[Error]:
    """In production mode the secret key must be set, and not be the development one."""
    if not getattr(settings, "PRODUCTION", False):
        return []
    key = settings.SECRET_KEY or ""
    if key == settings.DEVELOPMENT_SECRET_KEY or key.startswith("django-insecure"):
        return [
            Error(
                "SIA_ENV is production but the secret key is the development one.",
                hint="Set SIA_SECRET_KEY to a long random value kept outside git, e.g. "
                "python -c 'import secrets; print(secrets.token_urlsafe(50))'.",
                id="sia.E001",
            )
        ]
    if len(key) < MINIMUM_KEY_LENGTH or len(set(key)) < 5:
        return [
            Error(
                f"SIA_SECRET_KEY is too weak for production: it needs at least "
                f"{MINIMUM_KEY_LENGTH} characters and 5 different ones.",
                hint="python -c 'import secrets; print(secrets.token_urlsafe(50))'",
                id="sia.E002",
            )
        ]
    return []


@register()
def allowed_hosts_check(app_configs=None, **kwargs) -> list[Error]:
    """In production mode the host names must be given (``SIA_ALLOWED_HOSTS``)."""
    if getattr(settings, "PRODUCTION", False) and not settings.ALLOWED_HOSTS:
        return [
            Error(
                "SIA_ENV is production but SIA_ALLOWED_HOSTS is not set.",
                hint="Set SIA_ALLOWED_HOSTS to the host names of the app, separated by commas.",
                id="sia.E003",
            )
        ]
    return []
