"""Emails about venues. Subjects never name the group or say what it is for."""

from django.utils.translation import gettext as _

from groups.notify import send_each

SUBJECTS = {
    "action_assigned": lambda: _("A safety action has been given to you on SafeSpace"),
    "actions_due": lambda: _("Safety actions are due on SafeSpace"),
    "reassessment_due": lambda: _("A venue check is due on SafeSpace"),
}


def send(kind: str, recipients, link: str, **context) -> int:
    return send_each(
        SUBJECTS[kind](), f"venues/emails/{kind}.txt", recipients, {"link": link, **context}
    )
