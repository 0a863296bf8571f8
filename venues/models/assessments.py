import uuid
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from groups.models import Group, Timestamped
from groups.models.base import changed_by_field

from .library import Question, Template, Venue

NOTE_LIMIT = 500
REOPEN_WINDOW = timedelta(days=1)


class AssessmentQuerySet(models.QuerySet):
    def submitted(self):
        return self.filter(submitted_at__isnull=False)

    def in_progress(self):
        return self.filter(submitted_at__isnull=True)


class Assessment(Timestamped):
    """A facilitator's check of one venue for one group, against one template version."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    group = models.ForeignKey(
        Group, on_delete=models.CASCADE, related_name="assessments", verbose_name=_("group")
    )
    venue = models.ForeignKey(
        Venue, on_delete=models.CASCADE, related_name="assessments", verbose_name=_("venue")
    )
    template = models.ForeignKey(
        Template,
        on_delete=models.PROTECT,
        related_name="assessments",
        verbose_name=_("questions version"),
    )
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("started by"),
    )
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("submitted by"),
    )
    # Written once, at submission, by venues.scoring from the stored answers.
    being_safe_score = models.DecimalField(
        _("being safe score (%)"), max_digits=5, decimal_places=1, null=True, blank=True
    )
    feeling_safe_score = models.DecimalField(
        _("feeling safe score (%)"), max_digits=5, decimal_places=1, null=True, blank=True
    )
    critical_flag = models.BooleanField(_("a critical question was answered No"), default=False)
    # Its author may reopen a submitted check to correct it for a day after it was first
    # submitted (REOPEN_WINDOW); while reopened it is not submitted, so the venue's latest
    # submitted check is the one before it until it is submitted again.
    first_submitted_at = models.DateTimeField(_("first submitted"), null=True, blank=True)
    reopened_at = models.DateTimeField(_("last reopened"), null=True, blank=True)
    reopened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("last reopened by"),
    )

    objects = AssessmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        ordering = ["-created"]
        constraints = [
            models.UniqueConstraint(
                fields=["group", "venue"],
                condition=Q(submitted_at__isnull=True),
                name="assessment_one_in_progress",
            ),
            models.CheckConstraint(
                condition=Q(reopened_at__isnull=True) | Q(first_submitted_at__isnull=False),
                name="assessment_reopened_after_submission",
            ),
        ]

    def __str__(self):
        return f"Assessment of {self.venue}"

    @property
    def is_submitted(self) -> bool:
        return self.submitted_at is not None

    @property
    def reopen_until(self):
        """Until when its author may reopen it: a day after it was first submitted (None
        if it never was). Corrections after that are a new check."""
        submitted = [t for t in (self.first_submitted_at, self.submitted_at) if t is not None]
        return min(submitted) + REOPEN_WINDOW if submitted else None


class Answer(Timestamped):
    class Value(models.TextChoices):
        YES = "yes", _("Yes")
        PARTLY = "partly", _("Partly")
        NO = "no", _("No")
        NOT_APPLICABLE = "na", _("Not applicable")
        DONT_KNOW = "dont_know", _("Don't know")

    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="answers", verbose_name=_("assessment")
    )
    question = models.ForeignKey(
        Question, on_delete=models.PROTECT, related_name="answers", verbose_name=_("question")
    )
    value = models.CharField(_("answer"), max_length=10, choices=Value)
    note = models.TextField(_("note"), max_length=NOTE_LIMIT, blank=True)
    changed_by = changed_by_field()

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            models.UniqueConstraint(fields=["assessment", "question"], name="answer_once"),
        ]

    def __str__(self):
        return self.get_value_display()


class ActionQuerySet(models.QuerySet):
    def in_order(self):
        """Critical actions first, then by the date they are due."""
        critical_first = models.Case(
            models.When(priority=Action.Priority.CRITICAL, then=0), default=1
        )
        return self.order_by(critical_first, "due_on", "created")


class Action(Timestamped):
    """A follow-up to an answer that is not fully safe (the unsafe one, or Partly)."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        DONE = "done", _("Done")
        WONT_DO = "wont_do", _("Won't do")

    class Priority(models.IntegerChoices):
        # Lower comes first: lists of actions are ordered by it, then by due date.
        CRITICAL = 1, _("Critical: before the group meets there again")
        HIGH = 2, _("High")
        NORMAL = 3, _("Normal")

    # How long a new action has, by priority, unless the person setting it chooses.
    DAYS_TO_DO = {Priority.CRITICAL: 7, Priority.HIGH: 30, Priority.NORMAL: 90}

    @classmethod
    def priority_for(cls, answer):
        """The priority an action on `answer` starts with: critical for a critical
        question answered unsafely, high for any unsafe answer, normal for Partly."""
        if answer.question.raises_flag(answer.value):
            return cls.Priority.CRITICAL
        if answer.value == answer.question.unsafe_answer:
            return cls.Priority.HIGH
        return cls.Priority.NORMAL

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    answer = models.ForeignKey(
        Answer, on_delete=models.CASCADE, related_name="actions", verbose_name=_("answer")
    )
    venue = models.ForeignKey(
        Venue, on_delete=models.CASCADE, related_name="actions", verbose_name=_("venue")
    )
    group = models.ForeignKey(
        Group, on_delete=models.CASCADE, related_name="venue_actions", verbose_name=_("group")
    )
    what = models.TextField(_("what needs doing"), max_length=NOTE_LIMIT)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="venue_actions",
        verbose_name=_("who will do it"),
    )
    due_on = models.DateField(_("due by"))
    priority = models.PositiveSmallIntegerField(
        _("priority"), choices=Priority, default=Priority.NORMAL
    )
    status = models.CharField(_("status"), max_length=8, choices=Status, default=Status.OPEN)
    closing_note = models.TextField(_("note"), max_length=NOTE_LIMIT, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    due_reminder_sent = models.BooleanField(default=False, editable=False)

    objects = ActionQuerySet.as_manager()

    class Meta:
        verbose_name = _("action")
        verbose_name_plural = _("actions")
        ordering = ["due_on", "created"]
        indexes = [models.Index(fields=["group", "status"], name="action_group_status")]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="open", closed_at__isnull=True)
                | (~Q(status="open") & Q(closed_at__isnull=False) & ~Q(closing_note="")),
                name="action_closed_with_note",
            ),
        ]

    def __str__(self):
        return self.what[:60]
