"""The dashboard's state changes: putting its exports on the organisation's audit trail,
and keeping each organisation's trends month by month."""

from django.db import transaction
from django.utils import timezone

from groups import audit
from groups.models import Organisation

from .models import TrendMonth
from .trends import action_counts, last_months, rules_share, venue_scores


@transaction.atomic
def note_export(*, organisation, by, action) -> None:
    """`action` is AuditEvent.Action.DASHBOARD_CSV or DASHBOARD_PRINT."""
    audit.record(action, actor=by, organisation=organisation)


def snapshot_trends(today=None) -> int:
    """Keep each organisation's figures for every month of the last twelve that has
    ended and is not kept yet (the first run keeps eleven, then one a month), and fill in
    the venue checks and actions of months kept before those were. Safe to run twice, or
    on two servers at once: a month is kept once, and filled in with the same figures.
    How many months kept or filled in."""
    today = today or timezone.localdate()
    ended = last_months(today)[:-1]
    done = 0
    for organisation in Organisation.objects.only("pk"):
        have = {
            t.month: t
            for t in TrendMonth.objects.filter(organisation=organisation, month__in=ended)
        }
        missing = [m for m in ended if m not in have]
        unfilled = [m for m in ended if m in have and have[m].checks is None]
        if not missing and not unfilled:
            continue
        with transaction.atomic():
            done += _keep(organisation, today, missing, have, unfilled)
    return done


def _keep(organisation, today, missing, have, unfilled) -> int:
    """Keep `missing` months of `organisation`, fill in `unfilled` ones: how many."""
    done = 0
    figures = _venues_and_actions(organisation, sorted(missing + unfilled))
    if missing:
        made = TrendMonth.objects.bulk_create(
            [
                TrendMonth(
                    organisation=organisation,
                    month=p["month"],
                    groups=p["groups"],
                    good=p["good"],
                    **figures[p["month"]],
                )
                for p in rules_share(organisation, missing, today)
            ],
            ignore_conflicts=True,
        )
        done += len(made)
    for month in unfilled:
        done += TrendMonth.objects.filter(pk=have[month].pk, checks__isnull=True).update(
            **figures[month]
        )
    return done


def _venues_and_actions(organisation, months) -> dict:
    """{month: the TrendMonth fields of its venue checks and actions}, from history."""
    scores = {p["month"]: p for p in venue_scores(organisation, months)}
    actions = {p["month"]: p for p in action_counts(organisation, months)}
    return {
        month: {
            "checks": scores[month]["count"],
            "being": scores[month]["being"],
            "feeling": scores[month]["feeling"],
            "opened": actions[month]["opened"],
            "closed": actions[month]["closed"],
        }
        for month in months
    }
