"""groups' part of deleting someone's account (safespace.accounts.erasure runs every app's).

The person's row stays, emptied, so that what the group keeps (an agreement that counted,
a suggestion that was accepted, an action's history, the audit trail) is still credited to
someone: "a former member". Their name, address and password go; so do their roles.
"""

import uuid

from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from . import summaries
from .models import Concern, Coordinator, Invitation, Membership, User


def erased_email() -> str:
    """A unique address that is nobody's and can receive nothing (.invalid, RFC 2606)."""
    return f"former-member-{uuid.uuid4().hex}@erased.invalid"


@transaction.atomic
def forget_person(user) -> None:
    now = timezone.now()
    email = user.email
    # The admin's history names objects as they were shown: a person, their memberships
    # and roles were shown with their display name.
    _forget_in_admin_history(user)
    left = list(Membership.objects.current().filter(user=user).values_list("group_id", flat=True))
    Membership.objects.current().filter(user=user).update(
        left_at=now, ending=Membership.Ending.LEFT, updated=now
    )
    summaries.refresh(left)
    Coordinator.objects.filter(user=user).delete()
    # Invitations they sent that are still open stop working; any sent to their address
    # forget it (and stop working, so nobody joins in their name).
    Invitation.objects.filter(accepted_at__isnull=True, revoked_at__isnull=True).filter(
        invited_by=user
    ).update(revoked_at=now, email="", updated=now)
    Invitation.objects.filter(
        email=email, accepted_at__isnull=True, revoked_at__isnull=True
    ).update(revoked_at=now, email="", updated=now)
    Invitation.objects.filter(email=email).update(email="", updated=now)
    # Messages they sent stay with the people looking after them, from "a former member".
    Concern.objects.filter(sender=user).update(sender=None, updated=now)
    User.objects.filter(pk=user.pk).update(
        email=erased_email(),
        # Every page that names people shows them so; the name they chose is gone.
        display_name=gettext("a former member"),
        password="!" + uuid.uuid4().hex,  # unusable: no password matches it
        is_active=False,
        is_staff=False,
        is_superuser=False,
        last_login=None,
        session_token=uuid.uuid4().hex,
        updated=now,
    )
    user.groups.clear()
    user.user_permissions.clear()


def _forget_in_admin_history(user) -> None:
    objects = [
        (User, [user.pk]),
        (Membership, list(Membership.objects.filter(user=user).values_list("pk", flat=True))),
        (Coordinator, list(Coordinator.objects.filter(user=user).values_list("pk", flat=True))),
    ]
    for model, pks in objects:
        if pks:
            LogEntry.objects.filter(
                content_type=ContentType.objects.get_for_model(model),
                object_id__in=[str(pk) for pk in pks],
            ).update(object_repr="a former member", change_message="")
