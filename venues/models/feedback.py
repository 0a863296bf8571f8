"""Peers' anonymous "how safe do you feel here" check.

Nothing stored here may tie an answer to the person who gave it: not a column,
not a key, not a time, not the order of rows, not the transaction that wrote
them. So the check is kept in five tables, none of them linked to another
person by person (docs/privacy.md says it in plain words):

- `FeedbackReceipt`: that a person answered about a venue in a period (so
  nobody answers twice). It names the person, and holds no time and no link to
  an answer.
- `PooledAnswer`: answers waiting to be released. No person, no time, no
  period, a random key; the whole pool of a group and venue is rewritten, in
  random order with fresh keys, whenever an answer joins it.
- `PoolCount`: how many of the waiting answers count towards a release from
  which period (an answer from someone who joined this period counts from the
  next). Counts only: which waiting answer is which is not kept.
- `FeedbackRelease` and `ReleasedAnswer`: a batch of answers, at least
  `THRESHOLD` of which count, moved out of the pool at once, in random order
  with fresh keys; each carries its release (period and date), never the day it
  was given.

None of these tables has `created`/`updated` timestamps, on purpose.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from groups.models import Group

from .library import Venue

# Answers are released in batches holding at least this many answers from members who
# belonged to the group before the period began.
THRESHOLD = 3

SCALE = [
    (1, _("1 – not at all")),
    (2, _("2")),
    (3, _("3 – somewhat")),
    (4, _("4")),
    (5, _("5 – completely")),
]


class AnswerFields(models.Model):
    """One person's answers: five statements on a 1–5 scale and an optional comment."""

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
    FIELDS = [*SCORE_FIELDS, "comment"]

    class Meta:
        abstract = True


class PooledAnswer(AnswerFields):
    """An answer waiting for its release. No person, no time, no period, a random key."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    group = models.ForeignKey(
        Group, on_delete=models.CASCADE, related_name="+", verbose_name=_("group")
    )
    venue = models.ForeignKey(
        Venue, on_delete=models.CASCADE, related_name="+", verbose_name=_("venue")
    )

    class Meta:
        verbose_name = _("waiting answer")
        verbose_name_plural = _("waiting answers")
        indexes = [models.Index(fields=["group", "venue"], name="pool_group_venue")]

    def __str__(self):
        return "Waiting answer"


class PoolCount(models.Model):
    """How many waiting answers of a group about a venue count towards a release from
    `counts_from` on (a period such as 2026-Q4). Which waiting answer is which is not kept."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    group = models.ForeignKey(
        Group, on_delete=models.CASCADE, related_name="+", verbose_name=_("group")
    )
    venue = models.ForeignKey(
        Venue, on_delete=models.CASCADE, related_name="+", verbose_name=_("venue")
    )
    counts_from = models.CharField(_("counts from"), max_length=7)
    waiting = models.PositiveIntegerField(_("answers waiting"), default=0)

    class Meta:
        verbose_name = _("waiting answers count")
        verbose_name_plural = _("waiting answers counts")
        constraints = [
            models.UniqueConstraint(
                fields=["group", "venue", "counts_from"], name="pool_count_once"
            ),
        ]

    def __str__(self):
        return f"{self.waiting} waiting, counting from {self.counts_from}"


class FeedbackRelease(models.Model):
    """A batch of answers released together: the period and the day it was released."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    group = models.ForeignKey(
        Group, on_delete=models.CASCADE, related_name="+", verbose_name=_("group")
    )
    venue = models.ForeignKey(
        Venue,
        on_delete=models.CASCADE,
        related_name="feedback_releases",
        verbose_name=_("venue"),
    )
    period = models.CharField(_("period"), max_length=7)  # e.g. 2026-Q4
    released_on = models.DateField(_("released on"))
    answers = models.PositiveIntegerField(_("answers"))

    class Meta:
        verbose_name = _("release of anonymous answers")
        verbose_name_plural = _("releases of anonymous answers")
        indexes = [
            models.Index(fields=["group", "venue", "period"], name="release_group_venue_period")
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(answers__gte=THRESHOLD), name="release_holds_enough_answers"
            ),
        ]

    def __str__(self):
        return f"Released {self.released_on} ({self.period})"


class ReleasedAnswer(AnswerFields):
    """An answer as released: a fresh random key and its release, nothing else."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    release = models.ForeignKey(
        FeedbackRelease,
        on_delete=models.CASCADE,
        related_name="released_answers",
        verbose_name=_("release"),
    )

    class Meta:
        verbose_name = _("released answer")
        verbose_name_plural = _("released answers")

    def __str__(self):
        return "Released answer"


class FeedbackReceipt(models.Model):
    """Only that this person answered for this group and venue in this period: no time,
    no link to the answer."""

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
