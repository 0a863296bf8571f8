"""Peers' anonymous "how safe do you feel here" check.

A response row holds no user, no timestamp (only the date) and a random UUID
key, so neither its columns nor its position can be tied to who gave it. A
separate receipt records only that someone answered in a period, so nobody
answers twice.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from groups.models import Group

from .library import Venue

SCALE = [
    (1, _("1 – not at all")),
    (2, _("2")),
    (3, _("3 – somewhat")),
    (4, _("4")),
    (5, _("5 – completely")),
]


class FeedbackResponse(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    group = models.ForeignKey(
        Group, on_delete=models.CASCADE, related_name="+", verbose_name=_("group")
    )
    venue = models.ForeignKey(
        Venue, on_delete=models.CASCADE, related_name="feedback", verbose_name=_("venue")
    )
    period = models.CharField(_("period"), max_length=7)  # e.g. 2026-Q4
    answered_on = models.DateField(_("date"))
    welcome = models.PositiveSmallIntegerField(_("I feel welcome here"), choices=SCALE)
    physically_safe = models.PositiveSmallIntegerField(
        _("I feel physically safe getting there and being there"), choices=SCALE
    )
    safe_to_talk = models.PositiveSmallIntegerField(
        _("I feel safe to talk about difficult experiences"), choices=SCALE
    )
    time_out = models.PositiveSmallIntegerField(
        _("There is somewhere I can take a moment away if I need to"), choices=SCALE
    )
    comfortable_with_others = models.PositiveSmallIntegerField(
        _("I feel comfortable with the other people around when we meet"), choices=SCALE
    )
    comment = models.TextField(_("anything else?"), max_length=1000, blank=True)

    SCORE_FIELDS = [
        "welcome",
        "physically_safe",
        "safe_to_talk",
        "time_out",
        "comfortable_with_others",
    ]

    class Meta:
        verbose_name = _("anonymous feedback")
        verbose_name_plural = _("anonymous feedback")
        indexes = [models.Index(fields=["group", "period"], name="feedback_group_period")]

    def __str__(self):
        return f"Feedback for {self.period}"


class FeedbackReceipt(models.Model):
    """Only that this person answered for this group and venue in this period."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("member"),
    )
    group = models.ForeignKey(
        Group, on_delete=models.CASCADE, related_name="+", verbose_name=_("group")
    )
    venue = models.ForeignKey(
        Venue, on_delete=models.CASCADE, related_name="+", verbose_name=_("venue")
    )
    period = models.CharField(_("period"), max_length=7)

    class Meta:
        verbose_name = _("feedback receipt")
        verbose_name_plural = _("feedback receipts")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "group", "venue", "period"], name="feedback_once_per_period"
            ),
        ]

    def __str__(self):
        return f"Answered for {self.period}"
