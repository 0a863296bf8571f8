"""The one entry point for scheduled work: run it from cron or a systemd timer on every
server, as often as you like (every 15 minutes, say).

Each job runs at most once a day, on whichever server claims it first: the claim is a row
with a unique (job, day), so two servers starting together cannot both run it. A run that
did not finish (the server stopped) may be taken over after an hour. The jobs themselves
are also safe to run twice (each sends a reminder once and deletes only what is past its
time), so a taken-over run repeats nothing.
"""

import io
from datetime import timedelta

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import IntegrityError, transaction
from django.utils import timezone

from safespace.accounts.models import ScheduledRun

# In this order: answers released before anything reads them; the groups' summaries
# worked out for the new day once they are, and the month that ended kept for the
# trends; emails last but one, so reminders queued today go out; housekeeping last.
DAILY = [
    "release_feedback",
    "refresh_summaries",
    "snapshot_trends",
    "send_review_reminders",
    "send_round_reminders",
    "send_venue_reminders",
    "send_waiting_emails",
    "housekeeping",
]
TAKE_OVER_AFTER = timedelta(hours=1)


def claim(job, day, now) -> bool:
    """Whether this server may run `job` for `day`: a new claim, or an unfinished one
    older than TAKE_OVER_AFTER (taken over by updating it, so only one server does)."""
    try:
        with transaction.atomic():
            ScheduledRun.objects.create(job=job, day=day)
        return True
    except IntegrityError:
        stale = ScheduledRun.objects.filter(
            job=job, day=day, finished_at__isnull=True, started_at__lt=now - TAKE_OVER_AFTER
        )
        return stale.update(started_at=now) == 1


class Command(BaseCommand):
    help = "Run each daily job once a day, on one server (safe to run on every server, often)."

    def handle(self, *args, **options):
        now = timezone.now()
        day = timezone.localdate(now)
        for job in DAILY:
            if not claim(job, day, now):
                self.stdout.write(f"{job}: already run today, or running elsewhere")
                continue
            out = io.StringIO()
            call_command(job, stdout=out)
            ScheduledRun.objects.filter(job=job, day=day).update(finished_at=timezone.now())
            self.stdout.write(f"{job}: {out.getvalue().strip()}".replace("\n", "; "))
        # The claims themselves are kept a month, then forgotten.
        ScheduledRun.objects.filter(day__lt=day - timedelta(days=30)).delete()
