"""Every create, update and delete of the app's insight records goes into the history,
whoever or whatever saves them (a page, the admin, a shell): the person is the request's
(``AuditUserMiddleware``), or none outside a request."""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save, pre_save

from webapp.audit.records import current_user, diff, plain, record_audit

#: Bookkeeping fields left out of the history.
IGNORED = {"id", "created_at", "updated_at", "version", "recorded_by"}


def audited_models() -> dict[type, str]:
    """The audited models, with the record type the history names them by."""
    from webapp.engagement.models import Engagement
    from webapp.meetings.models import CouncillorMeeting, OfficerSession
    from webapp.tension.models import TensionReport

    return {
        Engagement: "engagement",
        CouncillorMeeting: "councillor meeting",
        OfficerSession: "officer session",
        TensionReport: "tension report",
    }


def state(instance) -> dict:
    """The record's values by field (foreign keys by id)."""
    return {
        f.name: getattr(instance, f.attname)
        for f in instance._meta.concrete_fields
        if f.name not in IGNORED
    }


def describe(instance, record_type: str) -> str:
    """A line naming the record in the history: its kind, date and place or ward."""
    where = getattr(instance, "place", "") or getattr(instance, "ward_code", "")
    when = plain(getattr(instance, "date", None))
    return f"{record_type.capitalize()} of {when}" + (f", {where}" if where else "")


def _before_save(sender, instance, raw=False, **kwargs):
    if raw:
        return
    old = sender.objects.filter(pk=instance.pk).first() if instance.pk else None
    instance._audit_before = state(old) if old is not None else None


def _after_save(sender, instance, created, raw=False, **kwargs):
    if raw:
        return
    before = getattr(instance, "_audit_before", None)
    changes = diff(before or {}, state(instance))
    if before is not None and not changes:
        return  # saved unchanged: nothing to keep
    action = "create" if created or before is None else "update"
    kind = audited_models()[sender]
    record_audit(current_user.get(), action, kind, instance.pk, changes, describe(instance, kind))


def _after_delete(sender, instance, **kwargs):
    changes = diff(state(instance), {})
    kind = audited_models()[sender]
    record_audit(current_user.get(), "delete", kind, instance.pk, changes, describe(instance, kind))


def connect() -> None:
    for model in audited_models():
        uid = f"audit-{model._meta.label}"
        pre_save.connect(_before_save, sender=model, dispatch_uid=f"{uid}-pre")
        post_save.connect(_after_save, sender=model, dispatch_uid=f"{uid}-post")
        post_delete.connect(_after_delete, sender=model, dispatch_uid=f"{uid}-delete")
