"""Keep each organisation's ground-rules trend for the months that have ended (daily, one of
`run_scheduled`'s jobs; each month is kept once, so running it again does nothing)."""

from django.core.management.base import BaseCommand

from safespace.dashboard.services import snapshot_trends


class Command(BaseCommand):
    help = "Keep each organisation's trends for the months that have ended."

    def handle(self, *args, **options):
        kept = snapshot_trends()
        self.stdout.write(f"{kept} months of trends kept")
