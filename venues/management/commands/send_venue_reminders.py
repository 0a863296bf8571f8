from django.conf import settings
from django.core.management.base import BaseCommand
from django.urls import reverse
from django.utils import timezone

from groups.models import Membership
from venues import emails, selectors
from venues.models import Action, VenueUse


class Command(BaseCommand):
    help = "Email owners of due actions and facilitators of venues due a check (for cron, daily)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--base-url",
            default=settings.SITE_URL,
            help="The site's address, for links in the emails.",
        )

    def handle(self, *args, base_url, **options):
        base = base_url.rstrip("/")
        today = timezone.localdate()
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
        reminded = 0
        for use in VenueUse.objects.select_related("venue", "group__organisation").filter(
            group__archived_at__isnull=True, venue__archived_at__isnull=True
        ):
            latest = selectors.latest_submitted(use.venue, use.group)
            when = selectors.reassessment_due(latest, use.group.organisation.reassess_every_months)
            if when is None:  # never checked: due from the day the group started meeting there
                when = timezone.localdate(use.created)
            if when > today or use.reminder_sent_for == when:
                continue
            recipients = Membership.objects.filter(
                group=use.group, left_at__isnull=True, role=Membership.Role.FACILITATOR
            ).values_list("user__email", flat=True)
            link = base + reverse("venues:group", args=[use.group.slug])
            reminded += emails.send("reassessment_due", list(recipients), link)
            use.reminder_sent_for = when
            use.save(update_fields=["reminder_sent_for", "updated"])
        self.stdout.write(f"Sent {sent} action reminders and {reminded} reassessment reminders.")
