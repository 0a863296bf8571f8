"""Emails about groups. Subjects and bodies never name the group or its purpose:
an email may be read over someone's shoulder."""

from django.utils.translation import gettext as _

from .notify import send_each


def send_invitation(invitation, link) -> None:
    send_each(
        _("You've been invited to join a group on SafeSpace"),
        "groups/emails/invitation.txt",
        [invitation.email],
        {"invitation": invitation, "link": link},
    )


def send_concern_notice(recipients, link) -> int:
    """One email each to the people who read a private message: it names neither the
    group nor who sent it, and holds none of the words (only a link to sign in and read)."""
    return send_each(
        _("Someone in a group you support has sent you a message on SafeSpace"),
        "groups/emails/concern.txt",
        recipients,
        {"link": link},
    )
