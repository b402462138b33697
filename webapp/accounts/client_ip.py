"""The address a request came from, for the sign-in rate limit (django-axes)."""

from __future__ import annotations

from django.conf import settings


def client_ip(request) -> str | None:
    """``REMOTE_ADDR``; behind a proxy (``SIA_BEHIND_PROXY``), the last address of
    ``X-Forwarded-For``, the one the partnership's own proxy added (earlier ones are
    whatever the client chose to send)."""
    if settings.SIA_BEHIND_PROXY:
        forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        if forwarded and forwarded[-1]:
            return forwarded[-1]
    return request.META.get("REMOTE_ADDR")
