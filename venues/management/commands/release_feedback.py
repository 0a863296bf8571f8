from django.core.management.base import BaseCommand

from venues.services import release_due_feedback


class Command(BaseCommand):
    help = (
        "Release peers' waiting anonymous answers wherever at least 3 of them now count "
        "(for cron, daily; it matters on the first day of each quarter)."
    )

    def handle(self, *args, **options):
        released = release_due_feedback()
        self.stdout.write(f"Released {released} batches of answers.")
