"""Reminder emails: actions fallen due, and venues due a check."""

from django.urls import reverse
from django.utils import timezone

from groups.selectors import facilitator_emails

from .. import emails
from ..facts import venue_facts
from ..models import Action, VenueUse


def remind_due(*, base_url, today=None) -> tuple[int, int]:
    """Email owners of actions that have fallen due, and facilitators of groups whose venue
    is due a check; each reminder once, however often this runs. Returns (actions, checks)."""
    base = base_url.rstrip("/")
    today = today or timezone.localdate()
    due = Action.objects.filter(
        status=Action.Status.OPEN, due_on__lte=today, due_reminder_sent=False
    ).select_related("owner", "group")
    by_owner = {}
    for action in due:
        if action.owner_id:
            by_owner.setdefault(action.owner.email, []).append(action)
    sent = 0
    for email, actions in by_owner.items():
        link = base + reverse("venues:group", args=[actions[0].group.slug])
        sent += emails.send("actions_due", [email], link)
        Action.objects.filter(pk__in=[a.pk for a in actions]).update(due_reminder_sent=True)

    uses = list(
        VenueUse.objects.select_related("group").filter(
            group__archived_at__isnull=True, venue__archived_at__isnull=True
        )
    )
    facts = venue_facts({use.group_id for use in uses}, today)
    states = {(gid, s.venue_id): s for gid, f in facts.items() for s in f.venues}
    reminded = 0
    for use in uses:
        state = states[(use.group_id, use.venue_id)]
        # Never checked: due from the day the group started meeting there.
        when = state.due or state.using_since
        if when > today or use.reminder_sent_for == when:
            continue
        recipients = facilitator_emails(use.group_id)
        link = base + reverse("venues:group", args=[use.group.slug])
        reminded += emails.send("reassessment_due", recipients, link)
        use.reminder_sent_for = when
        use.save(update_fields=["reminder_sent_for", "updated"])
    return sent, reminded
