from django.conf import settings
from django.core.management.base import BaseCommand
from django.urls import reverse
from django.utils import timezone

from groundrules import emails
from groundrules.models import Rulebook, Version
from groundrules.reviews import next_review_due
from groups.models import Membership


class Command(BaseCommand):
    help = "Email facilitators of groups whose ground rules review is due (for cron, daily)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--base-url",
            default=getattr(settings, "SITE_URL", ""),
            help="The site's address, for links in the emails.",
        )

    def handle(self, *args, base_url, **options):
        today = timezone.localdate()
        sent = 0
        current = Version.objects.filter(
            status=Version.Status.ADOPTED, group__archived_at__isnull=True
        ).select_related("group")
        for version in current:
            group = version.group
            rulebook, _ = Rulebook.objects.get_or_create(group=group)
            due = next_review_due(group, version, rulebook)
            if due is None or due > today or rulebook.review_reminder_sent_for == due:
                continue
            recipients = Membership.objects.filter(
                group=group, left_at__isnull=True, role=Membership.Role.FACILITATOR
            ).values_list("user__email", flat=True)
            link = base_url.rstrip("/") + reverse("groundrules:reviews", args=[group.slug])
            sent += emails.send("review_due", list(recipients), link)
            rulebook.review_reminder_sent_for = due
            rulebook.save(update_fields=["review_reminder_sent_for", "updated"])
        self.stdout.write(f"Sent {sent} review reminders.")
