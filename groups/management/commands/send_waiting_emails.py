"""Queue again every email still waiting in the outbox after ten minutes.

A safety net for the background queue: an email whose task was lost (a worker stopped
for good, a queue emptied by hand) or that is waiting for a retry is offered to the
workers again. Sending stays once-only: the task that gets there first sends it, the
others find it gone. Safe to run on several servers at once (run it from the daily
jobs, or more often)."""

from datetime import timedelta

from django.core.management.base import BaseCommand
from django.utils import timezone

from groups.models import OutgoingEmail
from groups.tasks import deliver_email


class Command(BaseCommand):
    help = "Offer the emails still waiting after ten minutes to the workers again."

    def handle(self, *args, **options):
        cutoff = timezone.now() - timedelta(minutes=10)
        waiting = OutgoingEmail.objects.filter(failed_at__isnull=True, updated__lt=cutoff)
        ids = [str(pk) for pk in waiting.values_list("pk", flat=True)]
        for email_id in ids:
            deliver_email.enqueue(email_id)
        self.stdout.write(f"{len(ids)} waiting emails queued again")
