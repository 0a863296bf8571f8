from django.conf import settings
from django.core.management.base import BaseCommand

from venues.services import remind_due


class Command(BaseCommand):
    help = "Email owners of due actions and facilitators of venues due a check (for cron, daily)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--base-url",
            default=settings.SITE_URL,
            help="The site's address, for links in the emails.",
        )

    def handle(self, *args, base_url, **options):
        sent, reminded = remind_due(base_url=base_url)
        self.stdout.write(f"Sent {sent} action reminders and {reminded} reassessment reminders.")
