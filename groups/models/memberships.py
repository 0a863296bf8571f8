import hashlib
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .base import Timestamped
from .organisations import Group, Organisation


class MembershipQuerySet(models.QuerySet):
    def current(self):
        """Memberships that have not ended: the people who count for agreement."""
        return self.filter(left_at__isnull=True)

    def facilitators(self):
        return self.filter(role=Membership.Role.FACILITATOR)


class InvitationProblem(Exception):
    """Why an invitation cannot be used; `code` is one of the class constants."""

    UNKNOWN = "unknown"
    EXPIRED = "expired"
    USED = "used"
    REVOKED = "revoked"
    ARCHIVED = "archived"
    WRONG_ACCOUNT = "wrong_account"
    ACCOUNT_EXISTS = "account_exists"

    def __init__(self, code):
        super().__init__(code)
        self.code = code


def hash_token(token: str) -> str:
    """What is stored of an invitation token: its SHA-256, never the token itself."""
    return hashlib.sha256(token.encode()).hexdigest()


class InvitationQuerySet(models.QuerySet):
    def pending(self):
        """Not yet accepted, revoked or expired."""
        return self.filter(
            accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now()
        )


class Membership(Timestamped):
    class Role(models.TextChoices):
        FACILITATOR = "facilitator", _("Facilitator")
        PEER = "peer", _("Peer")

    class Ending(models.TextChoices):
        LEFT = "left", _("Left the group")
        REMOVED = "removed", _("Removed")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    group = models.ForeignKey(
        Group, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("group")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("user"),
    )
    role = models.CharField(_("role"), max_length=16, choices=Role, default=Role.PEER)
    joined_at = models.DateTimeField(_("joined"), default=timezone.now)
    left_at = models.DateTimeField(_("left"), null=True, blank=True)
    ending = models.CharField(_("how it ended"), max_length=16, choices=Ending, blank=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["group", "user"],
                condition=Q(left_at__isnull=True),
                name="membership_one_current_per_user",
            ),
            models.CheckConstraint(
                condition=Q(left_at__isnull=True, ending="")
                | Q(left_at__isnull=False) & ~Q(ending=""),
                name="membership_ending_matches_left_at",
            ),
        ]

    def __str__(self):
        return f"{self.user} in {self.group}"

    @property
    def is_current(self) -> bool:
        return self.left_at is None


class Invitation(Timestamped):
    """A single-use, expiring invitation. Only a hash of the token is stored."""

    class Role(models.TextChoices):
        COORDINATOR = "coordinator", _("Coordinator")
        FACILITATOR = "facilitator", _("Facilitator")
        PEER = "peer", _("Peer")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="invitations",
        verbose_name=_("organisation"),
    )
    group = models.ForeignKey(
        Group,
        on_delete=models.CASCADE,
        related_name="invitations",
        null=True,
        blank=True,
        verbose_name=_("group"),
    )
    role = models.CharField(_("role"), max_length=16, choices=Role)
    email = models.EmailField(
        _("email address"),
        blank=True,
        help_text=_("Forgotten once the invitation is accepted, revoked or expired."),
    )
    token_hash = models.CharField(_("token hash"), max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("invited by"),
    )
    expires_at = models.DateTimeField(_("expires"))
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("accepted by"),
    )
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created"]
        constraints = [
            models.CheckConstraint(
                condition=Q(role="coordinator", group__isnull=True)
                | (~Q(role="coordinator") & Q(group__isnull=False)),
                name="invitation_group_matches_role",
            ),
            models.CheckConstraint(
                condition=Q(accepted_at__isnull=True) | Q(revoked_at__isnull=True),
                name="invitation_not_both_accepted_and_revoked",
            ),
        ]

    def __str__(self):
        return f"{self.get_role_display()} invitation"

    @property
    def is_pending(self) -> bool:
        return (
            self.accepted_at is None
            and self.revoked_at is None
            and self.expires_at > timezone.now()
        )

    @staticmethod
    def check_usable(invitation) -> None:
        """InvitationProblem saying why `invitation` (None: no such token) can't be used."""
        if invitation is None:
            raise InvitationProblem(InvitationProblem.UNKNOWN)
        # Before "revoked": archiving a group also revokes its pending invitations, and
        # the person should be told the group has closed, not that someone withdrew them.
        if invitation.group is not None and invitation.group.archived_at is not None:
            raise InvitationProblem(InvitationProblem.ARCHIVED)
        if invitation.revoked_at is not None:
            raise InvitationProblem(InvitationProblem.REVOKED)
        if invitation.accepted_at is not None:
            raise InvitationProblem(InvitationProblem.USED)
        if invitation.expires_at <= timezone.now():
            raise InvitationProblem(InvitationProblem.EXPIRED)
