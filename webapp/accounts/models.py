"""What the app knows of a person beyond their user account: their ward.

A councillor's :class:`Membership` names the ward they represent, so that their ward's
profile and their ward meetings are theirs (``rules.councillor_of_ward``). Other roles may
have a ward too (a place officer's patch) but nothing depends on it yet.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models


def ward_names() -> dict[str, str]:
    """The partnership's wards, name by code (``sia.config``)."""
    from webapp.partnership import partnership

    return {w.code: w.name for w in partnership().wards}


def check_ward_code(code: str) -> None:
    """Refuse a ward code that is not one of the partnership's wards."""
    if code and code not in ward_names():
        raise ValidationError(
            f"{code} is not a ward of the partnership: give a ward code such as "
            f"{next(iter(ward_names()))}",
            code="ward",
        )


class Membership(models.Model):
    """A person's ward (blank for none)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="membership"
    )
    ward_code = models.CharField(
        "ward",
        max_length=9,
        blank=True,
        validators=[check_ward_code],
        help_text="The ward code, e.g. E05001390; a councillor's ward",
    )

    class Meta:
        verbose_name = "ward"
        verbose_name_plural = "ward"

    def __str__(self) -> str:
        return ward_names().get(self.ward_code, self.ward_code) or "No ward"


def set_ward(user, ward_code: str | None) -> None:
    """Give the person the ward ``ward_code`` (``None`` or blank: no ward)."""
    code = (ward_code or "").strip().upper()
    check_ward_code(code)
    Membership.objects.update_or_create(user=user, defaults={"ward_code": code})
