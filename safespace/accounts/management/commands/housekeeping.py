"""Every retention period, enforced in one place (for cron or a systemd timer, daily).

The periods: breach records and private messages, each organisation's (admin; 12 months
unless changed); the audit trail, AUDIT_RETENTION_MONTHS; invitation addresses, as soon as
an invitation can no longer be used (INVITATION_DAYS at most); sessions, once expired
(SESSION_MAX_HOURS and a day); sign-in throttle rows, a day; counts of emails sent, two
days; download links, once used or expired (DATA_DOWNLOAD_MINUTES); emails given up on (kept
without their words), a week. The privacy page names
each of them (safespace/accounts/privacy.py).

Each step is one condition on time, deleting or forgetting only what is past it: running
the command again does nothing more, and two servers running it at once each delete what
the other has not (tests/accounts/test_housekeeping.py runs two together on PostgreSQL).
"""

from django.contrib.sessions.models import Session
from django.core.management.base import BaseCommand
from django.utils import timezone

from groundrules.services import purge_expired_breaches
from groups import audit, limits
from groups.services import forget_invitation_emails, purge_old_concerns
from groups.tasks import forget_failed_emails
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
    ("emails given up on a week ago deleted", forget_failed_emails),
]


class Command(BaseCommand):
    help = "Delete or forget everything past its retention period (daily, from cron)."

    def handle(self, *args, **options):
        for label, step in STEPS:
            self.stdout.write(f"{step()} {label}")
