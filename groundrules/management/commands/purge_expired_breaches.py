from django.core.management.base import BaseCommand

from groundrules.services import purge_expired_breaches


class Command(BaseCommand):
    help = "Delete breach records older than their organisation's retention period (for cron)."

    def handle(self, *args, **options):
        deleted = purge_expired_breaches()
        self.stdout.write(f"Deleted {deleted} expired breach records.")
