from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .base import Timestamped, changed_by_field


class Organisation(Timestamped):
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
    concern_retention_months = models.PositiveSmallIntegerField(
        _("keep private messages for (months)"),
        default=12,
        help_text=_(
            "Messages members send privately to facilitators or coordinators are deleted "
            "this many months after someone has followed them up."
        ),
    )
    facilitators_need_second_factor = models.BooleanField(
        _("facilitators must use a second factor"),
        default=False,
        help_text=_(
            "Ask the facilitators of this organisation's groups to confirm every sign-in with "
            "an authenticator app or a passkey, as coordinators do."
        ),
    )

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Coordinator(Timestamped):
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

    class Meta:
        verbose_name = _("coordinator")
        verbose_name_plural = _("coordinators")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "user"], name="coordinator_unique"),
        ]

    def __str__(self):
        return f"{self.user} ({self.organisation})"


class Group(Timestamped):
    class Format(models.TextChoices):
        IN_PERSON = "in_person", _("In person")
        ONLINE = "online", _("Online")
        HYBRID = "hybrid", _("Hybrid")

    class UpheldBy(models.TextChoices):
        FACILITATORS = "facilitators", _("Facilitators")
        MODERATORS = "moderators", _("Moderators")
        EVERYONE = "everyone", _("Everyone in the group, together")

    class QuickExit(models.TextChoices):
        AUTO = "auto", _("Show it if this group is for survivors of abuse or violence")
        ON = "on", _("Always show it")
        OFF = "off", _("Never show it")

    @staticmethod
    def quick_exit_shown(prefix=""):
        """A filter for groups whose members see the quick exit (as shows_quick_exit says);
        `prefix` is the path to the group, e.g. "group__" from a membership."""
        return models.Q(**{f"{prefix}quick_exit": "on"}) | models.Q(
            **{f"{prefix}quick_exit": "auto", f"{prefix}for_survivors": True}
        )

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
    for_survivors = models.BooleanField(
        _("this group is for survivors of abuse or violence"),
        default=False,
        help_text=_("Survivors' groups get a quick exit button unless you turn it off below."),
    )
    quick_exit = models.CharField(
        _("quick exit button"),
        max_length=8,
        choices=QuickExit,
        default=QuickExit.AUTO,
        help_text=_(
            "A button on every page members of this group see, which leaves SafeSpace at "
            "once for a weather page (or press Esc twice), without keeping SafeSpace in the "
            "browser's back button."
        ),
    )
    archived_at = models.DateTimeField(_("archived"), null=True, blank=True)
    changed_by = changed_by_field()

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

    @property
    def shows_quick_exit(self) -> bool:
        """Said here and in quick_exit_shown (for queries): keep the two the same."""
        return self.quick_exit == self.QuickExit.ON or (
            self.quick_exit == self.QuickExit.AUTO and self.for_survivors
        )


class GroupNeed(Timestamped):
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

    class Meta:
        verbose_name = _("specific need")
        verbose_name_plural = _("specific needs")
        constraints = [
            models.UniqueConstraint(fields=["group", "need"], name="group_need_unique"),
        ]

    def __str__(self):
        return self.get_need_display()
