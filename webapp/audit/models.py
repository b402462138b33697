"""One row per create, update or delete of an audited record.

A small model of its own rather than django-auditlog or django-simple-history: the history
also holds priority overrides, which live in the warehouse and are no Django model, so an
entry names its record by type and id (text) rather than by a content type, and one list
serves every kind.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class AuditEntry(models.Model):
    CREATE, UPDATE, DELETE = "create", "update", "delete"
    ACTIONS = [(CREATE, "Created"), (UPDATE, "Changed"), (DELETE, "Deleted")]

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    #: Kept as text too: the history outlives the account.
    username = models.CharField(max_length=150, blank=True)
    action = models.CharField(max_length=6, choices=ACTIONS)
    record_type = models.CharField(max_length=50, db_index=True)
    record_id = models.CharField(max_length=100)
    description = models.CharField(max_length=200, blank=True)
    #: field -> [before, after], as text, lists or numbers (None: no value)
    changes = models.JSONField(default=dict)

    class Meta:
        ordering = ("-at", "-id")
        verbose_name_plural = "audit entries"

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.record_type} {self.record_id}"
