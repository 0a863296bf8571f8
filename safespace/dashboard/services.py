"""The dashboard's one state change: putting its exports on the organisation's audit trail."""

from django.db import transaction

from groups import audit


@transaction.atomic
def note_export(*, organisation, by, action) -> None:
    """`action` is AuditEvent.Action.DASHBOARD_CSV or DASHBOARD_PRINT."""
    audit.record(action, actor=by, organisation=organisation)
