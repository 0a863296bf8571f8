from django.conf import settings
from django.core.management.base import BaseCommand

from groundrules.services import remind_open_rounds


class Command(BaseCommand):
    help = (
        "Remind members who have not answered the ground rules put to their group, every few "
        "days until the round's closing date (for cron, daily)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--base-url",
            default=settings.SITE_URL,
            help="The site's address, for links in the emails.",
        )

    def handle(self, *args, base_url, **options):
        sent = remind_open_rounds(base_url=base_url)
        self.stdout.write(f"Sent {sent} reminders to answer the ground rules.")
