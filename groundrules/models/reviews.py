import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from groups.models import Group, Timestamped

from .versions import COMMENT_LIMIT, SHORT_LIMIT, Rule, Version


class Review(Timestamped):
    """A time the group sat down and asked whether its rules are working."""

    class Outcome(models.TextChoices):
        NO_CHANGE = "no_change", _("No change: the rules are working")
        REVISE = "revise", _("Revise: start a new draft")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    group = models.ForeignKey(
        Group, on_delete=models.CASCADE, related_name="rule_reviews", verbose_name=_("group")
    )
    version = models.ForeignKey(
        Version,
        on_delete=models.PROTECT,
        related_name="reviews",
        verbose_name=_("version reviewed"),
    )
    held_on = models.DateField(_("date of the review"))
    participants = models.PositiveSmallIntegerField(_("how many people took part"))
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome)
    notes = models.TextField(_("notes"), max_length=COMMENT_LIMIT, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )

    class Meta:
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        ordering = ["-held_on", "-created"]
        constraints = [
            models.CheckConstraint(
                condition=Q(participants__gte=1), name="review_has_participants"
            ),
        ]

    def __str__(self):
        return f"Review on {self.held_on}"


class ReviewItem(Timestamped):
    class Working(models.TextChoices):
        YES = "yes", _("Yes, it is working")
        NOT_SURE = "not_sure", _("Not sure")
        NO = "no", _("No, it is not working")

    review = models.ForeignKey(
        Review, on_delete=models.CASCADE, related_name="items", verbose_name=_("review")
    )
    rule = models.ForeignKey(
        Rule, on_delete=models.CASCADE, related_name="review_items", verbose_name=_("rule")
    )
    working = models.CharField(_("is it working?"), max_length=10, choices=Working)
    notes = models.TextField(_("notes"), max_length=SHORT_LIMIT, blank=True)

    class Meta:
        verbose_name = _("review answer")
        verbose_name_plural = _("review answers")
        constraints = [
            models.UniqueConstraint(fields=["review", "rule"], name="review_item_once"),
        ]

    def __str__(self):
        return self.get_working_display()


class Breach(Timestamped):
    """A confidential note that a rule was broken. Seen by facilitators and coordinators."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    group = models.ForeignKey(
        Group, on_delete=models.CASCADE, related_name="rule_breaches", verbose_name=_("group")
    )
    occurred_on = models.DateField(_("when it happened"))
    rules = models.ManyToManyField(Rule, related_name="breaches", verbose_name=_("which rules"))
    what_happened = models.TextField(
        _("what happened, in a few words"),
        max_length=SHORT_LIMIT,
        help_text=_("Please don't name anyone. Describe what happened, not who."),
    )
    agreed_response = models.TextField(
        _("the agreed response that was taken"),
        max_length=SHORT_LIMIT,
        blank=True,
        help_text=_("A rule's 'what happens if it is broken', as the group agreed it."),
    )
    response_taken = models.TextField(
        _("what response was taken"), max_length=SHORT_LIMIT, blank=True
    )
    follow_up = models.TextField(_("follow-up"), max_length=SHORT_LIMIT, blank=True)
    not_working = models.BooleanField(
        _("this rule isn't working in practice"),
        default=False,
        help_text=_("Tick if the rule itself needs another look. The next review will show it."),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )

    class Meta:
        verbose_name = _("breach record")
        verbose_name_plural = _("breach records")
        ordering = ["-occurred_on", "-created"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(agreed_response="") | ~Q(response_taken=""),
                name="breach_has_response",
            ),
        ]

    def __str__(self):
        return f"Breach on {self.occurred_on}"
