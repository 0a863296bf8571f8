"""Emails about ground rules. Subjects never name the group or say what it is for."""

from django.utils.translation import gettext as _

from groups.notify import send_each

SUBJECTS = {
    "round_opened": lambda: _("Your group has ground rules to agree on SafeSpace"),
    "reminder": lambda: _("Reminder: your group is waiting for your answer on SafeSpace"),
    "adopted": lambda: _("Your group's ground rules have been updated on SafeSpace"),
    "proposal_outcome": lambda: _("There is an answer to your suggestion on SafeSpace"),
    "review_due": lambda: _("A group you facilitate is due to review its ground rules"),
    "talk_requested": lambda: _("Someone would like to talk about their group's ground rules"),
}


def send(kind: str, recipients, link: str, **context) -> int:
    return send_each(
        SUBJECTS[kind](), f"groundrules/emails/{kind}.txt", recipients, {"link": link, **context}
    )
