"""Sending email: one message per person, so nobody sees another's address, each written
to the outbox and sent by a background task (groups.tasks.deliver_email)."""

from django.template.loader import render_to_string

from .models import OutgoingEmail


def queue(subject: str, body: str, recipients) -> int:
    """Queue `body` to each address, in the current transaction; returns how many."""
    from .tasks import deliver_email

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
