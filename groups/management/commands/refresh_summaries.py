"""Work out every group's summary row again, from scratch (groups.summaries).

Run daily (one of `run_scheduled`'s jobs) for what changes with the date alone, and
once after `migrate` on a database that has groups but no summaries yet. Safe to run at
any time, on several servers at once: each chunk of rows is locked while it is rewritten.
"""

from django.core.management.base import BaseCommand

from groups import summaries


class Command(BaseCommand):
    help = "Work out every group's safety summary again (the dashboard reads them)."

    def handle(self, *args, **options):
        count = summaries.refresh_all()
        self.stdout.write(f"{count} group summaries worked out again")
