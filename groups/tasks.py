"""Background work of the ground floor: sending the emails in the outbox.

`deliver_email` sends one queued email and deletes it, in one transaction holding the
row: run twice (two workers, a retry after a crash), it sends once. A mail server that
fails or is slow (EMAIL_TIMEOUT_SECONDS) is tried again later, each time waiting longer,
and after the last try the email is kept without its words for the operator (the log
says so, naming no address).

The one window left is a crash between the mail server taking the email and the row's
deletion being committed: the email is then sent again. Each try of one email carries
the same Message-ID (the row's id), so a mail system can tell the copies apart.
"""

import logging
import smtplib
from datetime import timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.tasks import task
from django.utils import timezone

from .models import OutgoingEmail

log = logging.getLogger(__name__)

# How long an email given up on is kept (without its words) for the operator to see.
FAILED_EMAIL_DAYS = 7
# How long to wait before each further try: 1 minute, 5, 30, 2 hours, 12 hours.
RETRY_AFTER = [timedelta(minutes=m) for m in (1, 5, 30, 120, 720)]


@task
def deliver_email(email_id: str) -> str:
    """ "sent", "retry", "failed" or "gone" (already sent, or given up on)."""
    with transaction.atomic():
        email = (
            OutgoingEmail.objects.select_for_update()
            .filter(pk=email_id, failed_at__isnull=True)
            .first()
        )
        if email is None:
            return "gone"
        try:
            EmailMessage(
                email.subject, email.body, None, [email.to], headers=_headers(email)
            ).send()
        except (OSError, smtplib.SMTPException) as error:
            return _not_sent(email, error)
        email.delete()
        return "sent"


def _headers(email) -> dict:
    host = urlsplit(settings.SITE_URL).hostname or "safespace.invalid"
    return {"Message-ID": f"<{email.pk}@{host}>"}


def _not_sent(email, error) -> str:
    email.attempts += 1
    if email.attempts > len(RETRY_AFTER):
        email.failed_at, email.body = timezone.now(), ""
        email.save(update_fields=["attempts", "failed_at", "body", "updated"])
        log.error("Email %s not sent after %d tries: %s", email.pk, email.attempts, type(error))
        return "failed"
    email.save(update_fields=["attempts", "updated"])
    if deliver_email.get_backend().supports_defer:
        wait = RETRY_AFTER[email.attempts - 1]
        deliver_email.using(run_after=timezone.now() + wait).enqueue(str(email.pk))
    # Else (tasks run at once, in development) the next `manage.py send_waiting_emails` tries.
    log.warning("Email %s not sent (try %d): %s", email.pk, email.attempts, type(error))
    return "retry"


def forget_failed_emails(now=None) -> int:
    """Delete emails given up on more than FAILED_EMAIL_DAYS ago (housekeeping)."""
    cutoff = (now or timezone.now()) - timedelta(days=FAILED_EMAIL_DAYS)
    deleted, _by_model = OutgoingEmail.objects.filter(failed_at__lt=cutoff).delete()
    return deleted
