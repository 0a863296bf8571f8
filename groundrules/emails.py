"""Emails about ground rules. Subjects never name the group or say what it is for."""

from django.core.mail import send_mass_mail
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

SUBJECTS = {
    "round_opened": lambda: _("Your group has ground rules to agree on SafeSpace"),
    "reminder": lambda: _("Reminder: your group is waiting for your answer on SafeSpace"),
    "adopted": lambda: _("Your group's ground rules have been updated on SafeSpace"),
    "proposal_outcome": lambda: _("There is an answer to your suggestion on SafeSpace"),
    "review_due": lambda: _("A group you facilitate is due to review its ground rules"),
}


def send(kind: str, recipients, link: str, **context) -> int:
    """One email per recipient (nobody sees anyone else's address)."""
    body = render_to_string(f"groundrules/emails/{kind}.txt", {"link": link, **context})
    subject = SUBJECTS[kind]()
    messages = [(subject, body, None, [email]) for email in sorted(set(recipients)) if email]
    return send_mass_mail(messages) if messages else 0
