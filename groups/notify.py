"""Sending email: one message per person, so nobody sees another's address, each written
to the outbox and sent by a background task (groups.tasks.deliver_email)."""

from django.db import transaction
from django.template.loader import render_to_string

from .models import OutgoingEmail


def queue(subject: str, body: str, recipients) -> int:
    """Queue `body` to each address, in the current transaction; returns how many.

    Each email and its task are written together or not at all, also when this runs
    after a commit (as most sending does): else an email written just before the
    database went away would wait without a task until the outbox is swept."""
    from .tasks import deliver_email

    with transaction.atomic():
        emails = OutgoingEmail.objects.bulk_create(
            OutgoingEmail(to=address, subject=str(subject)[:200], body=body)
            for address in sorted(set(recipients))
            if address
        )
        for email in emails:
            deliver_email.enqueue(str(email.pk))
    return len(emails)


def send_each(subject: str, template: str, recipients, context: dict) -> int:
    return queue(subject, render_to_string(template, context), recipients)
