from django.conf import settings
from django.core.management.base import BaseCommand

from groundrules.services import remind_due_reviews


class Command(BaseCommand):
    help = "Email facilitators of groups whose ground rules review is due (for cron, daily)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--base-url",
            default=settings.SITE_URL,
            help="The site's address, for links in the emails.",
        )

    def handle(self, *args, base_url, **options):
        sent = remind_due_reviews(base_url=base_url)
        self.stdout.write(f"Sent {sent} review reminders.")
