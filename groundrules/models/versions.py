import hashlib
import json
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from groups.models import Group, Timestamped
from groups.models.base import changed_by_field

TEXT_LIMIT = 500
SHORT_LIMIT = 300
COMMENT_LIMIT = 2000


class Category(models.TextChoices):
    CONFIDENTIALITY = "confidentiality", _("Confidentiality and its limits")
    RESPECT = "respect", _("Respect")
    SHARING = "sharing", _("Choosing to share or stay quiet")
    TIME_OUT = "time_out", _("Taking time out")
    TOPICS = "topics", _("Talking about difficult topics")
    PHONES = "phones", _("Phones")
    ONLINE = "online", _("Online conduct")
    VENUE = "venue", _("Venue and safety")
    OTHER = "other", _("Other")


# The parts of a rule, in the order people read them.
RULE_PARTS = ("text", "why", "category", "if_broken")


class SuggestionsFrom(models.TextChoices):
    EVERYONE = "everyone", _("Every member of the group")
    UPHOLDERS = "upholders", _("Only those who uphold the rules")


class Rulebook(Timestamped):
    """A group's settings and 'getting started' answers for its ground rules."""

    class WantRules(models.TextChoices):
        YES = "yes", _("Yes, we want ground rules")
        UNSURE = "unsure", _("We are not sure yet")
        NO = "no", _("No, not for now")

    group = models.OneToOneField(
        Group, on_delete=models.CASCADE, related_name="rulebook", verbose_name=_("group")
    )
    review_every_months = models.PositiveSmallIntegerField(
        _("review the rules every"),
        default=6,
        choices=[(3, _("3 months")), (6, _("6 months")), (12, _("12 months"))],
    )
    want_rules = models.CharField(
        _("do we want or need ground rules?"), max_length=8, choices=WantRules, blank=True
    )
    advantages = models.TextField(
        _("what are the advantages of having them, or of not having them?"),
        max_length=COMMENT_LIMIT,
        blank=True,
    )
    who_writes = models.TextField(
        _("who should be involved in writing them?"), max_length=COMMENT_LIMIT, blank=True
    )
    how_shared = models.TextField(
        _("how will we tell everyone who needs to know about them?"),
        max_length=COMMENT_LIMIT,
        blank=True,
    )
    if_broken = models.TextField(
        _("what will we do if someone breaks a ground rule?"),
        max_length=COMMENT_LIMIT,
        blank=True,
    )
    # "No, not for now": when the group will look at it again, and a word for the group.
    decided_on = models.DateField(_("decided on"), null=True, blank=True, editable=False)
    revisit_on = models.DateField(_("when shall we look at this again?"), null=True, blank=True)
    note_for_group = models.TextField(
        _("a short note for the group"),
        max_length=SHORT_LIMIT,
        blank=True,
        help_text=_("Shown on the group's rules page, for example why you decided this."),
    )
    suggestions_from = models.CharField(
        _("who may suggest rules and changes?"),
        max_length=10,
        choices=SuggestionsFrom,
        default=SuggestionsFrom.EVERYONE,
    )
    time_out_space = models.CharField(
        _("where can people take a moment away during a meeting?"),
        max_length=200,
        blank=True,
        help_text=_("For example “the quiet room next door”, or “turn your camera off”."),
    )
    review_reminder_sent_for = models.DateField(
        _("review reminder sent for"), null=True, blank=True, editable=False
    )
    changed_by = changed_by_field()

    class Meta:
        verbose_name = _("rulebook")
        verbose_name_plural = _("rulebooks")

    def __str__(self):
        return f"Rulebook of {self.group}"


class VersionQuerySet(models.QuerySet):
    def adopted(self):
        """The group's current rules (at most one per group)."""
        return self.filter(status=Version.Status.ADOPTED)

    def in_round(self):
        """The version with the group for agreement (at most one per group)."""
        return self.filter(status=Version.Status.IN_ROUND)

    def draft(self):
        return self.filter(status=Version.Status.DRAFT)


class Version(Timestamped):
    """One version of a group's ground rules."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        IN_ROUND = "in_round", _("Put to the group")
        ADOPTED = "adopted", _("Current")
        SUPERSEDED = "superseded", _("Replaced")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    group = models.ForeignKey(
        Group, on_delete=models.CASCADE, related_name="rule_versions", verbose_name=_("group")
    )
    number = models.PositiveIntegerField(_("number"))
    status = models.CharField(_("status"), max_length=12, choices=Status, default=Status.DRAFT)
    based_on = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("based on"),
    )
    content_hash = models.CharField(_("content hash"), max_length=64, blank=True)
    notes = models.TextField(_("notes for this draft"), max_length=COMMENT_LIMIT, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    round_opened_at = models.DateTimeField(_("put to the group"), null=True, blank=True)
    closes_on = models.DateField(
        _("answers asked for by"),
        null=True,
        blank=True,
        help_text=_("Reminders stop after this day, and the facilitators are asked to decide."),
    )
    round_opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("put to the group by"),
    )
    closed_at = models.DateTimeField(_("adopted or withdrawn"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("adopted or withdrawn by"),
    )
    outcome = models.TextField(
        _("outcome"),
        max_length=COMMENT_LIMIT,
        blank=True,
        help_text=_("What was talked about, and what the group decided."),
    )
    # How many current members had agreed to exactly these words when it was adopted, of
    # how many: what every page and print-out says ("agreed by 5 of 6 members").
    agreed_when_adopted = models.PositiveIntegerField(
        _("members who had agreed when it was adopted"), null=True, blank=True
    )
    members_when_adopted = models.PositiveIntegerField(
        _("members when it was adopted"), null=True, blank=True
    )

    objects = VersionQuerySet.as_manager()

    class Meta:
        verbose_name = _("ground rules version")
        verbose_name_plural = _("ground rules versions")
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["group", "number"], name="version_number_unique"),
            models.UniqueConstraint(
                fields=["group"], condition=Q(status="draft"), name="version_one_draft"
            ),
            models.UniqueConstraint(
                fields=["group"], condition=Q(status="in_round"), name="version_one_round"
            ),
            models.UniqueConstraint(
                fields=["group"], condition=Q(status="adopted"), name="version_one_current"
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | ~Q(content_hash=""),
                name="version_frozen_has_hash",
            ),
        ]

    def __str__(self):
        return f"Version {self.number}"

    @property
    def is_editable(self) -> bool:
        return self.status == self.Status.DRAFT

    @property
    def everyone_agreed(self) -> bool:
        """Whether every member had agreed when it was adopted (None if not recorded)."""
        if self.members_when_adopted is None:
            return None
        return self.members_when_adopted > 0 and (
            self.agreed_when_adopted == self.members_when_adopted
        )


class Rule(Timestamped):
    version = models.ForeignKey(
        Version, on_delete=models.CASCADE, related_name="rules", verbose_name=_("version")
    )
    lineage = models.UUIDField(
        _("lineage"), default=uuid.uuid4, help_text=_("The same rule across versions.")
    )
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    position = models.PositiveIntegerField(_("position"), default=0)
    text = models.TextField(_("the rule"), max_length=TEXT_LIMIT)
    why = models.TextField(_("why we have it"), max_length=TEXT_LIMIT, blank=True)
    category = models.CharField(_("category"), max_length=20, choices=Category)
    if_broken = models.TextField(
        _("what happens if it is broken"),
        max_length=SHORT_LIMIT,
        blank=True,
        help_text=_("The response the group agreed, for example a quiet word from a facilitator."),
    )
    changed_by = changed_by_field()

    class Meta:
        verbose_name = _("ground rule")
        verbose_name_plural = _("ground rules")
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["version", "lineage"], name="rule_lineage_once"),
        ]

    def __str__(self):
        return self.text[:60]

    def content(self) -> dict:
        return {
            "text": self.text,
            "why": self.why,
            "category": self.category,
            "if_broken": self.if_broken,
        }


def hash_rules(rules) -> str:
    """A stable hash of exactly what members read: every rule's words, in order."""
    payload = [rule.content() for rule in rules]
    return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()


class Agreement(Timestamped):
    """A member's answer to one version, bound to the exact text they saw."""

    class Answer(models.TextChoices):
        AGREE = "agree", _("I agree")
        TALK = "talk", _("I'd like to talk about this")

    class Visibility(models.TextChoices):
        GROUP = "group", _("The whole group")
        FACILITATORS = "facilitators", _("Facilitators only")

    version = models.ForeignKey(
        Version, on_delete=models.CASCADE, related_name="agreements", verbose_name=_("version")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="rule_agreements",
        verbose_name=_("member"),
    )
    answer = models.CharField(_("answer"), max_length=8, choices=Answer)
    comment = models.TextField(_("comment"), max_length=COMMENT_LIMIT, blank=True)
    visibility = models.CharField(
        _("who can read the comment"),
        max_length=12,
        choices=Visibility,
        default=Visibility.FACILITATORS,
    )
    content_hash = models.CharField(_("content hash"), max_length=64)

    class Meta:
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")
        constraints = [
            models.UniqueConstraint(fields=["version", "user"], name="agreement_once_per_version"),
            models.CheckConstraint(
                condition=Q(answer="agree") | ~Q(comment=""), name="agreement_talk_has_comment"
            ),
        ]

    def __str__(self):
        return f"{self.get_answer_display()} ({self.version})"
