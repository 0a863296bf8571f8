"""Emails about groups. Subjects and bodies never name the group or its purpose:
an email may be read over someone's shoulder."""

from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils.translation import gettext as _


def send_invitation(invitation, link) -> None:
    context = {"invitation": invitation, "link": link}
    send_mail(
        subject=_("You've been invited to join a group on SafeSpace"),
        message=render_to_string("groups/emails/invitation.txt", context),
        from_email=None,
        recipient_list=[invitation.email],
    )
