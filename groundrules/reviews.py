"""Reviews of the ground rules and the confidential breach log: reads and changes."""

from django.db import transaction
from django.db.models import Max, Prefetch
from django.utils import timezone

from groups.dates import add_months
from groups.models import Organisation

from .facts import review_due
from .models import Breach, Review, ReviewItem, Rule, Rulebook, Version
from .services import current_version, start_draft

_UNKNOWN = object()


def next_review_due(group, current=None, rulebook=_UNKNOWN):
    """When the current rules should next be reviewed, or None without adopted rules."""
    current = current if current is not None else current_version(group)
    if current is None:
        return None
    if rulebook is _UNKNOWN:
        rulebook = Rulebook.objects.filter(group=group).first()
    last = Review.objects.filter(group=group).aggregate(d=Max("held_on"))["d"]
    return review_due(current.closed_at, last, rulebook.review_every_months if rulebook else None)


def reviews_of(group):
    return Review.objects.filter(group=group).select_related("version", "recorded_by")


def review_with_items(group, review_uuid):
    return (
        Review.objects.filter(group=group, uuid=review_uuid)
        .select_related("version", "recorded_by")
        .prefetch_related(
            Prefetch(
                "items",
                queryset=ReviewItem.objects.select_related("rule").order_by(
                    "rule__position", "rule__id"
                ),
            )
        )
        .first()
    )


def breaches_of(group):
    return (
        Breach.objects.filter(group=group)
        .select_related("recorded_by")
        .prefetch_related(Prefetch("rules", queryset=Rule.objects.order_by("position")))
    )


def rules_flagged_not_working(group, since=None):
    """Rules that breach records said are not working, since the last review."""
    breaches = Breach.objects.filter(group=group, not_working=True)
    if since is not None:
        breaches = breaches.filter(occurred_on__gt=since)
    return Rule.objects.filter(breaches__in=breaches).distinct()


@transaction.atomic
def record_review(*, group, by, held_on, participants, outcome, notes, items) -> Review:
    """`items` maps each rule of the current version to (working, notes)."""
    version = current_version(group)
    if version is None:
        raise ValueError("A review needs adopted rules.")
    review = Review.objects.create(
        group=group,
        version=version,
        held_on=held_on,
        participants=participants,
        outcome=outcome,
        notes=notes,
        recorded_by=by,
    )
    ReviewItem.objects.bulk_create(
        ReviewItem(review=review, rule=rule, working=working, notes=item_notes)
        for rule, (working, item_notes) in items.items()
    )
    if outcome == Review.Outcome.REVISE:
        draft = start_draft(group=group, by=by)
        draft = Version.objects.select_for_update().get(pk=draft.pk)
        lines = [f"Review of {held_on:%d %B %Y}: {notes}".strip().rstrip(":")]
        for rule, (working, item_notes) in items.items():
            if working != ReviewItem.Working.YES:
                label = ReviewItem.Working(working).label
                lines.append(f"- {rule.text[:80]}: {label}. {item_notes}".strip())
        draft.notes = "\n".join([draft.notes, *lines]).strip()[:2000]
        draft.save(update_fields=["notes", "updated"])
    return review


@transaction.atomic
def save_review_interval(*, group, months) -> Rulebook:
    rulebook, _ = Rulebook.objects.get_or_create(group=group)
    rulebook.review_every_months = months
    rulebook.save(update_fields=["review_every_months", "updated"])
    return rulebook


@transaction.atomic
def record_breach(
    *, group, by, occurred_on, rules, what_happened, response_taken, follow_up, not_working
) -> Breach:
    breach = Breach.objects.create(
        group=group,
        occurred_on=occurred_on,
        what_happened=what_happened,
        response_taken=response_taken,
        follow_up=follow_up,
        not_working=not_working,
        recorded_by=by,
    )
    breach.rules.set(rules)
    return breach


@transaction.atomic
def delete_breach(breach) -> None:
    breach.delete()


def purge_expired_breaches(today=None) -> int:
    """Delete breach records older than their organisation's retention period."""
    today = today or timezone.localdate()
    deleted = 0
    for org in Organisation.objects.only("pk", "breach_retention_months"):
        cutoff = add_months(today, -org.breach_retention_months)
        _total, per_model = Breach.objects.filter(
            group__organisation=org, occurred_on__lt=cutoff
        ).delete()
        deleted += per_model.get("groundrules.Breach", 0)
    return deleted
