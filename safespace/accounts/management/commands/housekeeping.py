"""Every retention period, enforced in one place (for cron or a systemd timer, daily).

Each step deletes or forgets only what is past its time, so running it again, or on
several servers at once, does no harm.
"""

from django.contrib.sessions.models import Session
from django.core.management.base import BaseCommand
from django.utils import timezone

from groundrules.services import purge_expired_breaches
from groups import audit, limits
from groups.services import forget_invitation_emails, purge_old_concerns
from safespace.accounts import throttle
from safespace.accounts.downloads import forget_download_links


def _expired_sessions() -> int:
    deleted, _by_model = Session.objects.filter(expire_date__lt=timezone.now()).delete()
    return deleted


STEPS = [
    ("breach records past their organisation's retention period deleted", purge_expired_breaches),
    (
        "private messages followed up longer ago than their organisation's retention period "
        "deleted",
        purge_old_concerns,
    ),
    ("invitation email addresses forgotten", forget_invitation_emails),
    ("expired sessions deleted", _expired_sessions),
    ("old counts of emails sent deleted", limits.forget_old),
    ("old sign-in throttle records deleted", throttle.forget_old),
    ("audit events older than AUDIT_RETENTION_MONTHS deleted", audit.purge_old_events),
    ("used or expired download links deleted", forget_download_links),
]


class Command(BaseCommand):
    help = "Delete or forget everything past its retention period (daily, from cron)."

    def handle(self, *args, **options):
        for label, step in STEPS:
            self.stdout.write(f"{step()} {label}")
