"""Emails about venues. Subjects never name the group or say what it is for."""

from django.core.mail import send_mass_mail
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

SUBJECTS = {
    "action_assigned": lambda: _("A safety action has been given to you on SafeSpace"),
    "actions_due": lambda: _("Safety actions are due on SafeSpace"),
    "reassessment_due": lambda: _("A venue check is due on SafeSpace"),
}


def send(kind: str, recipients, link: str, **context) -> int:
    body = render_to_string(f"venues/emails/{kind}.txt", {"link": link, **context})
    subject = SUBJECTS[kind]()
    messages = [(subject, body, None, [email]) for email in sorted(set(recipients)) if email]
    return send_mass_mail(messages) if messages else 0
