"""Writing the audit trail (groups.models.AuditEvent) and purging it.

Service functions call `record` inside their own transaction, so an event is kept exactly
when what it describes happened. Give it people and objects, never words someone wrote.
"""

from datetime import datetime, time

from django.conf import settings
from django.utils import timezone

from .dates import add_months
from .models import AuditEvent


def record(action, *, actor=None, organisation=None, group=None, subject=None, target=""):
    """One event. `group` implies its organisation; anonymous actors are stored as nobody."""
    if actor is not None and not actor.is_authenticated:
        actor = None
    organisation_id = organisation.pk if organisation is not None else None
    if organisation_id is None and group is not None:
        organisation_id = group.organisation_id
    return AuditEvent.objects.create(
        action=action,
        actor=actor,
        subject=subject,
        organisation_id=organisation_id,
        group=group,
        target=str(target)[:80],
    )


def purge_old_events(today=None) -> int:
    """Delete events older than AUDIT_RETENTION_MONTHS (12 unless set)."""
    today = today or timezone.localdate()
    cutoff = add_months(today, -settings.AUDIT_RETENTION_MONTHS)
    start = timezone.make_aware(datetime.combine(cutoff, time.min))
    deleted, _by_model = AuditEvent.objects.filter(created__lt=start).delete()
    return deleted
