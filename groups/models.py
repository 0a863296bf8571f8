import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Organisation(models.Model):
    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    breach_retention_months = models.PositiveSmallIntegerField(
        _("keep breach records for (months)"),
        default=12,
        help_text=_("Records of broken ground rules are deleted after this many months."),
    )
    reassess_every_months = models.PositiveSmallIntegerField(
        _("reassess venues every (months)"),
        default=12,
        help_text=_("A venue's assessment falls due again after this many months."),
    )
    created = models.DateTimeField(_("created"), auto_now_add=True)
    updated = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Coordinator(models.Model):
    """A person who coordinates an organisation's groups."""

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="coordinators",
        verbose_name=_("organisation"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="coordinator_roles",
        verbose_name=_("user"),
    )
    created = models.DateTimeField(_("created"), auto_now_add=True)
    updated = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("coordinator")
        verbose_name_plural = _("coordinators")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "user"], name="coordinator_unique"),
        ]

    def __str__(self):
        return f"{self.user} ({self.organisation})"


class Group(models.Model):
    class Format(models.TextChoices):
        IN_PERSON = "in_person", _("In person")
        ONLINE = "online", _("Online")
        HYBRID = "hybrid", _("Hybrid")

    class UpheldBy(models.TextChoices):
        FACILITATORS = "facilitators", _("Facilitators")
        MODERATORS = "moderators", _("Moderators")
        EVERYONE = "everyone", _("Everyone in the group, together")

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="groups",
        verbose_name=_("organisation"),
    )
    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    purpose = models.TextField(
        _("purpose"),
        max_length=1000,
        blank=True,
        help_text=_("Who the group is for and what it offers, in a sentence or two."),
    )
    format = models.CharField(_("format"), max_length=16, choices=Format)
    meeting_time = models.CharField(
        _("usual meeting time"),
        max_length=120,
        blank=True,
        help_text=_("For example: Tuesdays, 7pm to 8:30pm."),
    )
    meeting_place = models.CharField(
        _("usual meeting place"),
        max_length=200,
        blank=True,
        help_text=_("A room, an address or an online platform."),
    )
    other_needs = models.CharField(
        _("other specific needs"),
        max_length=300,
        blank=True,
        help_text=_("Anything else the place or platform must offer this group."),
    )
    upheld_by = models.CharField(
        _("who upholds the ground rules"),
        max_length=16,
        choices=UpheldBy,
        default=UpheldBy.FACILITATORS,
    )
    archived_at = models.DateTimeField(_("archived"), null=True, blank=True)
    created = models.DateTimeField(_("created"), auto_now_add=True)
    updated = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("group")
        verbose_name_plural = _("groups")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "name"], name="group_name_unique_in_org"
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None


class GroupNeed(models.Model):
    """A specific need the group's meeting place or platform must meet."""

    class Need(models.TextChoices):
        WOMEN_ONLY = "women_only", _("Women-only space")
        ALCOHOL_FREE = "alcohol_free", _("Alcohol-free surroundings")
        STEP_FREE = "step_free", _("Step-free access")
        QUIET_ROOM = "quiet_room", _("A quiet room to take time out")
        CAPTIONS = "captions", _("Captions or transcripts online")

    group = models.ForeignKey(
        Group, on_delete=models.CASCADE, related_name="needs", verbose_name=_("group")
    )
    need = models.CharField(_("need"), max_length=20, choices=Need)
    created = models.DateTimeField(_("created"), auto_now_add=True)
    updated = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("specific need")
        verbose_name_plural = _("specific needs")
        constraints = [
            models.UniqueConstraint(fields=["group", "need"], name="group_need_unique"),
        ]

    def __str__(self):
        return self.get_need_display()


class Membership(models.Model):
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
    created = models.DateTimeField(_("created"), auto_now_add=True)
    updated = models.DateTimeField(_("updated"), auto_now=True)

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


class Invitation(models.Model):
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
    email = models.EmailField(_("email address"))
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
    created = models.DateTimeField(_("created"), auto_now_add=True)
    updated = models.DateTimeField(_("updated"), auto_now=True)

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
