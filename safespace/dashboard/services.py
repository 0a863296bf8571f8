"""The dashboard's state changes: putting its exports on the organisation's audit trail,
and keeping each organisation's trends month by month."""

from django.db import transaction
from django.utils import timezone

from groups import audit
from groups.models import Organisation

from .models import TrendMonth
from .trends import last_months, rules_share


@transaction.atomic
def note_export(*, organisation, by, action) -> None:
    """`action` is AuditEvent.Action.DASHBOARD_CSV or DASHBOARD_PRINT."""
    audit.record(action, actor=by, organisation=organisation)


def snapshot_trends(today=None) -> int:
    """Keep each organisation's ground-rules figure for every month of the last twelve
    that has ended and is not kept yet (the first run keeps eleven, then one a month).
    Safe to run twice, or on two servers at once: a month is kept once. How many kept."""
    today = today or timezone.localdate()
    ended = last_months(today)[:-1]
    kept = 0
    for organisation in Organisation.objects.only("pk"):
        have = set(
            TrendMonth.objects.filter(organisation=organisation, month__in=ended).values_list(
                "month", flat=True
            )
        )
        missing = [m for m in ended if m not in have]
        if not missing:
            continue
        points = rules_share(organisation, missing, today)
        made = TrendMonth.objects.bulk_create(
            [
                TrendMonth(
                    organisation=organisation, month=p["month"], groups=p["groups"], good=p["good"]
                )
                for p in points
            ],
            ignore_conflicts=True,
        )
        kept += len(made)
    return kept
