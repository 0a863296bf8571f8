"""Reviews of the ground rules, and the confidential log of rules being broken."""

from datetime import datetime, time

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from groups import audit
from groups.conflicts import refuse_stale
from groups.dates import add_months
from groups.models import AuditEvent, Organisation
from groups.selectors import facilitator_emails

from .. import emails
from ..facts import next_reviews
from ..models import Breach, Review, ReviewItem, Rulebook, Version
from ..selectors import current_version
from ..summary import refresh as refresh_summary
from .drafting import start_draft


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
    refresh_summary([group.pk])
    return review


@transaction.atomic
def save_review_interval(*, group, months, by=None, base=None) -> Rulebook:
    """How often the rules are reviewed; with `base` (the stamp the form carried, "" before
    the group's settings were first saved), EditConflict if it was changed since."""
    rulebook, created = Rulebook.objects.select_for_update().get_or_create(group=group)
    if base is not None and not created:
        refuse_stale(rulebook, base, {"review_every_months": months})
    rulebook.review_every_months = months
    rulebook.changed_by = by
    rulebook.save(update_fields=["review_every_months", "changed_by", "updated"])
    refresh_summary([group.pk])
    return rulebook


@transaction.atomic
def record_breach(
    *,
    group,
    by,
    occurred_on,
    rules,
    what_happened,
    response_taken,
    follow_up,
    not_working,
    agreed_response="",
) -> Breach:
    """`agreed_response` is the rule's agreed response when that is what was done;
    `response_taken` says in words anything else (or anything more) that was done."""
    breach = Breach.objects.create(
        group=group,
        occurred_on=occurred_on,
        what_happened=what_happened,
        agreed_response=agreed_response,
        response_taken=response_taken,
        follow_up=follow_up,
        not_working=not_working,
        recorded_by=by,
    )
    breach.rules.set(rules)
    refresh_summary([group.pk])
    audit.record(AuditEvent.Action.BREACH_RECORDED, actor=by, group=group, target=breach)
    return breach


@transaction.atomic
def delete_breach(breach, *, by) -> None:
    label = str(breach)
    breach.delete()
    refresh_summary([breach.group_id])
    audit.record(AuditEvent.Action.BREACH_DELETED, actor=by, group=breach.group, target=label)


@transaction.atomic
def note_breach_log_read(*, group, by, breach=None) -> None:
    """Put on the audit trail that `by` opened the group's breach log (or one record of it).
    Reading the confidential log is the one thing a page view records."""
    audit.record(
        AuditEvent.Action.BREACH_LOG_READ,
        actor=by,
        group=group,
        target=breach if breach is not None else "",
    )


def purge_expired_breaches(today=None) -> int:
    """Delete breach records recorded longer ago than their organisation's retention period.

    By the day a record was made, not the day typed in for what happened: a mistyped or
    far-future date must not keep a record for ever."""
    today = today or timezone.localdate()
    deleted = 0
    for org in Organisation.objects.only("pk", "breach_retention_months"):
        cutoff = add_months(today, -org.breach_retention_months)
        start_of_cutoff = timezone.make_aware(datetime.combine(cutoff, time.min))
        expired = Breach.objects.filter(group__organisation=org, created__lt=start_of_cutoff)
        with transaction.atomic():
            touched = set(expired.values_list("group_id", flat=True))
            _total, per_model = expired.delete()
            refresh_summary(touched)
        deleted += per_model.get("groundrules.Breach", 0)
    return deleted


def remind_due_reviews(*, base_url, today=None) -> int:
    """Email the facilitators of each active group whose review has fallen due, once per due
    date however often this runs. Returns the number of emails sent."""
    today = today or timezone.localdate()
    current = {
        v.group_id: v
        for v in Version.objects.adopted()
        .filter(group__archived_at__isnull=True)
        .select_related("group")
    }
    due = {gid: when for gid, when in next_reviews(current).items() if when <= today}
    sent = 0
    for gid, when in due.items():
        with transaction.atomic():
            rulebook, _created = Rulebook.objects.select_for_update().get_or_create(group_id=gid)
            if rulebook.review_reminder_sent_for == when:
                continue
            recipients = facilitator_emails(gid)
            link = base_url.rstrip("/") + reverse(
                "groundrules:reviews", args=[current[gid].group.slug]
            )
            rulebook.review_reminder_sent_for = when
            rulebook.save(update_fields=["review_reminder_sent_for", "updated"])
        sent += emails.send("review_due", recipients, link)
    return sent
