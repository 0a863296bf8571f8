"""Sending a notice by email: one message per person, so nobody sees another's address."""

from django.core.mail import send_mass_mail
from django.template.loader import render_to_string


def send_each(subject: str, template: str, recipients, context: dict) -> int:
    body = render_to_string(template, context)
    messages = [(subject, body, None, [email]) for email in sorted(set(recipients)) if email]
    return send_mass_mail(messages) if messages else 0
