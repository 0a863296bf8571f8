"""State changes for organisations, groups, memberships and invitations.

Each function runs in one transaction and locks the rows whose state it reads.
"""

import secrets
import string
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import audit, emails, limits, summaries
from .conflicts import Clash, refuse_stale
from .dates import add_months
from .models import (
    AuditEvent,
    Concern,
    Coordinator,
    Group,
    GroupNeed,
    HelpService,
    Invitation,
    InvitationProblem,
    Membership,
    Organisation,
    hash_token,
    normalise_email,
)
from .selectors import concern_recipients

_SLUG_ALPHABET = string.ascii_lowercase + string.digits


def new_group_slug() -> str:
    """An opaque slug: group URLs in browser history must not reveal what the group is for."""
    while True:
        slug = "".join(secrets.choice(_SLUG_ALPHABET) for _ in range(10))
        if not Group.objects.filter(slug=slug).exists():
            return slug


def _set_needs(group, needs):
    wanted = set(needs)
    GroupNeed.objects.filter(group=group).exclude(need__in=wanted).delete()
    existing = set(GroupNeed.objects.filter(group=group).values_list("need", flat=True))
    GroupNeed.objects.bulk_create(GroupNeed(group=group, need=n) for n in sorted(wanted - existing))


@transaction.atomic
def create_group(*, organisation, fields: dict, needs) -> Group:
    group = Group.objects.create(organisation=organisation, slug=new_group_slug(), **fields)
    _set_needs(group, needs)
    summaries.refresh([group.pk])
    return group


def _needs_clash(group, needs) -> list:
    """The group's specific needs as typed and as stored, when they differ."""
    stored = set(GroupNeed.objects.filter(group=group).values_list("need", flat=True))
    if set(needs) == stored:
        return []

    def shown(values):
        return ", ".join(str(GroupNeed.Need(v).label) for v in sorted(values))

    return [Clash("needs", str(_("Specific needs")), shown(needs), shown(stored))]


@transaction.atomic
def update_group(*, group, fields: dict, needs, base=None, by=None) -> Group:
    """Change a group's details; EditConflict if they changed since `base` (the stamp
    its form carried). `by` is named to whoever's later save is refused."""
    locked = Group.objects.select_for_update().get(pk=group.pk)
    if base is not None:
        refuse_stale(locked, base, fields, more=_needs_clash(locked, needs))
    for name, value in fields.items():
        setattr(locked, name, value)
    locked.changed_by = by
    locked.save()
    _set_needs(locked, needs)
    summaries.refresh([locked.pk])
    return locked


@transaction.atomic
def archive_group(group) -> None:
    Group.objects.filter(pk=group.pk, archived_at__isnull=True).update(
        archived_at=timezone.now(), updated=timezone.now()
    )
    # Invitations to an archived group can no longer be used, so their addresses go too.
    Invitation.objects.filter(
        group=group, accepted_at__isnull=True, revoked_at__isnull=True
    ).update(revoked_at=timezone.now(), email="", updated=timezone.now())
    summaries.refresh([group.pk])


@transaction.atomic
def restore_group(group) -> None:
    Group.objects.filter(pk=group.pk).update(archived_at=None, updated=timezone.now())
    summaries.refresh([group.pk])


# Invitations ---------------------------------------------------------------


@transaction.atomic
def invite(*, organisation, group, role, email, invited_by, accept_url) -> Invitation:
    """Create an invitation and email its link. `accept_url(token)` builds the absolute link.

    LimitReached (and nothing made) when the sender or the address has had too many."""
    email = normalise_email(email)
    limits.take("invitation", sender=invited_by.pk if invited_by else None, recipient=email)
    token = secrets.token_urlsafe(32)
    invitation = Invitation.objects.create(
        organisation=organisation,
        group=group,
        role=role,
        email=email,
        token_hash=hash_token(token),
        invited_by=invited_by,
        expires_at=timezone.now() + timedelta(days=settings.INVITATION_DAYS),
    )
    audit.record(
        AuditEvent.Action.INVITATION_SENT,
        actor=invited_by,
        organisation=organisation,
        group=group,
        target=invitation,
    )
    link = accept_url(token)
    transaction.on_commit(lambda: emails.send_invitation(invitation, link))
    return invitation


@transaction.atomic
def revoke_invitation(invitation, *, by) -> bool:
    """Withdraw an unused invitation; the address it was sent to is forgotten."""
    revoked = bool(
        Invitation.objects.filter(
            pk=invitation.pk, accepted_at__isnull=True, revoked_at__isnull=True
        ).update(revoked_at=timezone.now(), email="", updated=timezone.now())
    )
    if revoked:
        audit.record(
            AuditEvent.Action.INVITATION_REVOKED,
            actor=by,
            organisation=invitation.organisation,
            group=invitation.group,
            target=invitation,
        )
    return revoked


def forget_invitation_emails() -> int:
    """Blank the address of every invitation that can no longer be used (accepted, revoked
    or expired): it was needed only to send the link and check who accepts it."""
    return (
        Invitation.objects.exclude(email="")
        .filter(
            Q(accepted_at__isnull=False)
            | Q(revoked_at__isnull=False)
            | Q(expires_at__lte=timezone.now())
        )
        .update(email="", updated=timezone.now())
    )


@dataclass
class Acceptance:
    invitation: Invitation
    already_member: bool = False


def _lock_usable(token) -> Invitation:
    invitation = (
        # of=("self",): group is a nullable join, and PostgreSQL refuses FOR UPDATE on it.
        Invitation.objects.select_for_update(of=("self",))
        .select_related("organisation", "group")
        .filter(token_hash=hash_token(token or ""))
        .first()
    )
    Invitation.check_usable(invitation)
    return invitation


def _apply(invitation, user) -> Acceptance:
    now = timezone.now()
    already = False
    if invitation.role == Invitation.Role.COORDINATOR:
        _obj, created = Coordinator.objects.get_or_create(
            organisation=invitation.organisation, user=user
        )
        already = not created
    else:
        # Lock the person: two invitations to the same group accepted at once must not
        # both find "no current membership" and both insert one.
        get_user_model().objects.select_for_update().filter(pk=user.pk).first()
        current = (
            Membership.objects.select_for_update()
            .current()
            .filter(group=invitation.group, user=user)
            .first()
        )
        if current is None:
            Membership.objects.create(
                group=invitation.group, user=user, role=invitation.role, joined_at=now
            )
        else:
            already = True
            if invitation.role == Membership.Role.FACILITATOR and current.role != invitation.role:
                current.role = Membership.Role.FACILITATOR
                current.save(update_fields=["role", "updated"])
                already = False
                audit.record(
                    AuditEvent.Action.ROLE_CHANGED,
                    actor=invitation.invited_by,
                    subject=user,
                    group=invitation.group,
                    target=_("Peer to facilitator"),
                )
    invitation.accepted_at = now
    invitation.accepted_by = user
    invitation.email = ""  # no longer needed: who accepted is recorded instead
    invitation.save(update_fields=["accepted_at", "accepted_by", "email", "updated"])
    audit.record(
        AuditEvent.Action.INVITATION_ACCEPTED,
        actor=user,
        organisation=invitation.organisation,
        group=invitation.group,
        target=invitation,
    )
    if invitation.group_id is not None:
        summaries.refresh([invitation.group_id])
    return Acceptance(invitation=invitation, already_member=already)


@transaction.atomic
def accept_invitation(*, token, user) -> Acceptance:
    invitation = _lock_usable(token)
    if invitation.email != user.email:
        raise InvitationProblem(InvitationProblem.WRONG_ACCOUNT)
    return _apply(invitation, user)


@transaction.atomic
def sign_up_and_accept(*, token, display_name, password):
    """Create the invited person's account and accept the invitation in one step."""
    invitation = _lock_usable(token)
    user_model = get_user_model()
    if user_model.objects.filter(email=invitation.email).exists():
        raise InvitationProblem(InvitationProblem.ACCOUNT_EXISTS)
    try:
        with transaction.atomic():
            user = user_model.objects.create_user(
                invitation.email, password, display_name=display_name.strip()
            )
    except IntegrityError:
        # Another invitation to this address was used to sign up at the same moment.
        raise InvitationProblem(InvitationProblem.ACCOUNT_EXISTS) from None
    return user, _apply(invitation, user)


# Memberships ---------------------------------------------------------------


@transaction.atomic
def end_membership(membership, *, ending, by=None) -> bool:
    """Mark a current membership as ended (left or removed, by `by`). False if it had
    already ended. A removal is on the audit trail."""
    ended = bool(
        Membership.objects.current()
        .filter(pk=membership.pk)
        .update(left_at=timezone.now(), ending=ending, updated=timezone.now())
    )
    if ended and ending == Membership.Ending.REMOVED:
        audit.record(
            AuditEvent.Action.MEMBER_REMOVED,
            actor=by,
            subject=membership.user,
            group=membership.group,
            target=membership.get_role_display(),
        )
    if ended:
        summaries.refresh([membership.group_id])
    return ended


# Private messages (concerns) --------------------------------------------------------------


class ConcernProblem(Exception):
    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


@transaction.atomic
def send_concern(*, group, sender, to, text, link) -> Concern:
    """Store a member's named message to the group's facilitators or the organisation's
    coordinators, and email each of them (after commit) a notice naming nothing.
    `link(concern)` builds the absolute link to it. LimitReached when the sender has
    sent many lately; ConcernProblem when nobody could read it."""
    recipients = [p for p in concern_recipients(group, to) if p.pk != sender.pk]
    if not recipients:
        raise ConcernProblem(
            _("There is nobody to send this to at the moment. Please choose the other option.")
        )
    limits.take("concern", sender=sender.pk)
    concern = Concern.objects.create(group=group, sender=sender, to=to, text=text.strip())
    summaries.refresh([group.pk])
    addresses = [p.email for p in recipients]
    url = link(concern)
    transaction.on_commit(lambda: emails.send_concern_notice(addresses, url))
    return concern


@transaction.atomic
def follow_up_concern(*, concern, by, note="") -> bool:
    """Mark a private message followed up, by whom and with an optional note. False (and
    nothing changed) if someone else already had."""
    followed = Concern.objects.filter(pk=concern.pk, followed_up_at__isnull=True).update(
        followed_up_at=timezone.now(),
        followed_up_by=by,
        follow_up_note=note.strip(),
        updated=timezone.now(),
    )
    if followed:
        summaries.refresh([concern.group_id])
    return bool(followed)


def purge_old_concerns(today=None) -> int:
    """Delete private messages followed up longer ago than their organisation's retention
    period (12 months unless changed in the admin). Open messages are kept until someone
    follows them up: they are on the home page of everyone who reads them."""
    today = today or timezone.localdate()
    deleted = 0
    for organisation in Organisation.objects.only("pk", "concern_retention_months"):
        cutoff = add_months(today, -organisation.concern_retention_months)
        start_of_cutoff = timezone.make_aware(datetime.combine(cutoff, time.min))
        _total, per_model = Concern.objects.filter(
            group__organisation=organisation, followed_up_at__lt=start_of_cutoff
        ).delete()
        deleted += per_model.get("groups.Concern", 0)
    return deleted


# Lists of help ------------------------------------------------------------------------------


@transaction.atomic
def save_help_service(service: HelpService) -> HelpService:
    service.save()
    return service


@transaction.atomic
def update_help_service(*, service: HelpService, fields: dict, base, by=None) -> HelpService:
    """Change an entry of a list of help; EditConflict if it changed since `base`."""
    locked = HelpService.objects.select_for_update().get(pk=service.pk)
    refuse_stale(locked, base, fields)
    for name, value in fields.items():
        setattr(locked, name, value)
    locked.changed_by = by
    locked.save()
    return locked


@transaction.atomic
def remove_help_service(service: HelpService) -> None:
    HelpService.objects.filter(pk=service.pk).delete()
