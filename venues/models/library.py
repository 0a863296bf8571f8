import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from groups.models import Group, GroupNeed, Organisation, Timestamped
from groups.models.base import changed_by_field


class Venue(Timestamped):
    """A room or an online platform in the organisation's library."""

    class Kind(models.TextChoices):
        PHYSICAL = "physical", _("A physical venue")
        ONLINE = "online", _("An online platform")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="venues",
        verbose_name=_("organisation"),
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind)
    name = models.CharField(_("name"), max_length=120)
    address = models.TextField(_("address"), max_length=300, blank=True)
    postcode = models.CharField(_("postcode"), max_length=10, blank=True)
    directions = models.TextField(_("how to get there"), max_length=1000, blank=True)
    access_notes = models.TextField(_("access notes"), max_length=1000, blank=True)
    join_info = models.TextField(
        _("how sessions are joined"),
        max_length=1000,
        blank=True,
        help_text=_("For online platforms. Don't paste meeting links or passwords here."),
    )
    groups = models.ManyToManyField(
        Group, through="VenueUse", related_name="venues", verbose_name=_("groups")
    )
    archived_at = models.DateTimeField(_("archived"), null=True, blank=True)
    changed_by = changed_by_field()

    class Meta:
        verbose_name = _("venue")
        verbose_name_plural = _("venues")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "name"], name="venue_name_unique_in_org"
            ),
        ]

    def __str__(self):
        return self.name


class VenueUse(Timestamped):
    """A group meets at (or on) this venue."""

    venue = models.ForeignKey(
        Venue, on_delete=models.CASCADE, related_name="uses", verbose_name=_("venue")
    )
    group = models.ForeignKey(
        Group, on_delete=models.CASCADE, related_name="venue_uses", verbose_name=_("group")
    )
    reminder_sent_for = models.DateField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("venue used by a group")
        verbose_name_plural = _("venues used by groups")
        constraints = [
            models.UniqueConstraint(fields=["venue", "group"], name="venue_use_once"),
        ]

    def __str__(self):
        return f"{self.group} at {self.venue}"


class Template(Timestamped):
    """One version of an organisation's venue questions. Never edited once used."""

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="venue_templates",
        verbose_name=_("organisation"),
    )
    version = models.PositiveIntegerField(_("version"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )

    class Meta:
        verbose_name = _("question template")
        verbose_name_plural = _("question templates")
        ordering = ["-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "version"], name="template_version_unique"
            ),
        ]

    def __str__(self):
        return f"Questions, version {self.version}"


class Section(models.TextChoices):
    BEING_SAFE = "being_safe", _("Being safe")
    FEELING_SAFE = "feeling_safe", _("Feeling safe")


class AppliesTo(models.TextChoices):
    PHYSICAL = "physical", _("Physical venues")
    ONLINE = "online", _("Online platforms")
    BOTH = "both", _("Both")


class Question(Timestamped):
    """A question as worded in one template version. Most are phrased so that Yes is the
    safe answer; a few keep the toolkit's wording, where No is (`safe_answer`)."""

    class SafeAnswer(models.TextChoices):
        YES = "yes", _("Yes")
        NO = "no", _("No")

    # What a coordinator reads and edits of a question.
    PARTS = (
        "section",
        "applies_to",
        "need",
        "not_for_need",
        "text",
        "help_text",
        "safe_answer",
        "critical",
    )

    template = models.ForeignKey(
        Template, on_delete=models.CASCADE, related_name="questions", verbose_name=_("template")
    )
    key = models.SlugField(
        _("key"), max_length=60, help_text=_("The same question across template versions.")
    )
    position = models.PositiveIntegerField(_("position"))
    section = models.CharField(_("section"), max_length=12, choices=Section)
    applies_to = models.CharField(_("applies to"), max_length=10, choices=AppliesTo)
    need = models.CharField(
        _("only for groups that need"),
        max_length=20,
        blank=True,
        choices=[("", _("Every group")), *GroupNeed.Need.choices],
    )
    not_for_need = models.CharField(
        _("not asked of groups that need"),
        max_length=20,
        blank=True,
        choices=[("", _("Asked of every group it applies to")), *GroupNeed.Need.choices],
        help_text=_("For a question that a need's own question asks more closely."),
    )
    text = models.CharField(
        _("question"),
        max_length=300,
        help_text=_("Ask one thing. Most questions are worded so that Yes is the safe answer."),
    )
    safe_answer = models.CharField(
        _("the safe answer"),
        max_length=3,
        choices=SafeAnswer,
        default=SafeAnswer.YES,
        help_text=_(
            "Which answer means the venue is safe. No, for a question such as "
            "\u201cDoes the venue feel too clinical?\u201d"
        ),
    )
    help_text = models.CharField(_("hint"), max_length=300, blank=True)
    critical = models.BooleanField(
        _("critical"),
        default=False,
        help_text=_(
            "An unsafe answer to a critical question flags the venue and makes it due for "
            "reassessment straight away."
        ),
    )

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["section", "position"]
        constraints = [
            models.UniqueConstraint(fields=["template", "key"], name="question_key_once"),
        ]

    def __str__(self):
        return self.text

    def applies(self, venue_kind: str, needs: set) -> bool:
        if self.applies_to != AppliesTo.BOTH and self.applies_to != venue_kind:
            return False
        if self.not_for_need and self.not_for_need in needs:
            return False
        return not self.need or self.need in needs

    @property
    def unsafe_answer(self) -> str:
        """The answer that means the venue is not safe: No, or Yes where No is safe."""
        return "no" if self.safe_answer == self.SafeAnswer.YES else "yes"

    def needs_attention(self, value) -> bool:
        """An answer that is not fully safe: the unsafe one, or Partly."""
        return value in (self.unsafe_answer, "partly")

    def raises_flag(self, value) -> bool:
        """The unsafe answer to a critical question."""
        return self.critical and value == self.unsafe_answer
