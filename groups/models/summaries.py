from django.db import models
from django.utils.translation import gettext_lazy as _

from .base import Timestamped
from .organisations import Group, Organisation


class GroupSummary(Timestamped):
    """One group's safety facts as they stood after its last change (or the daily refresh),
    so the dashboard can filter, sort, count and page them in SQL.

    `groups.summaries` keeps it: every service that changes a fact calls `refresh` in its
    own transaction, and each app fills in its own columns (docs/dashboard.md)."""

    class RulesStatus(models.TextChoices):
        NONE = "none", _("No rules yet")
        DRAFT = "draft", _("Draft only")
        ROUND = "round", _("Round open")
        ADOPTED = "adopted", _("Adopted")

    group = models.OneToOneField(
        Group, on_delete=models.CASCADE, primary_key=True, related_name="summary"
    )
    computed_on = models.DateField(_("worked out on"))
    # groups: the group's organisation, whether it is archived, its name (as it is and in
    # lower case), address and format (so the dashboard filters, sorts and shows its rows
    # without joining the groups), members, and private concerns waiting, by addressee
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="+", null=True
    )
    archived = models.BooleanField(default=False)
    name = models.CharField(max_length=120, blank=True, default="")
    slug = models.CharField(max_length=80, blank=True, default="")
    name_key = models.CharField(max_length=120, blank=True, default="")
    format = models.CharField(max_length=16, blank=True, default="")
    members = models.PositiveIntegerField(_("current members"), default=0)
    concerns_to_coordinators = models.PositiveIntegerField(default=0)
    concerns_to_facilitators = models.PositiveIntegerField(default=0)
    # groundrules
    rules_status = models.CharField(
        max_length=8, choices=RulesStatus.choices, default=RulesStatus.NONE
    )
    current_version = models.PositiveIntegerField(null=True, blank=True)
    agreed_current = models.PositiveIntegerField(default=0)
    answered_current = models.PositiveIntegerField(default=0)
    all_agreed = models.BooleanField(default=False)
    round_version = models.PositiveIntegerField(null=True, blank=True)
    round_agreed = models.PositiveIntegerField(default=0)
    round_answered = models.PositiveIntegerField(default=0)
    next_review = models.DateField(null=True, blank=True)
    review_overdue = models.BooleanField(default=False)
    breaches_90d = models.PositiveIntegerField(default=0)
    # venues
    venues = models.PositiveIntegerField(_("places it meets"), default=0)
    # Each place's latest check: [{"name", "being", "feeling", "checked" (ISO date or
    # None), "critical", "due"}], by name.
    places = models.JSONField(default=list, blank=True)
    # The lowest of the latest checks' scores (%) of the places it meets.
    worst_being = models.DecimalField(max_digits=5, decimal_places=1, null=True, blank=True)
    worst_feeling = models.DecimalField(max_digits=5, decimal_places=1, null=True, blank=True)
    last_checked = models.DateField(null=True, blank=True)
    critical_flag = models.BooleanField(default=False)
    critical_venues = models.TextField(blank=True, default="")
    check_due = models.BooleanField(default=False)
    next_check = models.DateField(null=True, blank=True)
    peers_score = models.FloatField(null=True, blank=True)
    peer_answers = models.PositiveIntegerField(null=True, blank=True)
    peers_period = models.CharField(max_length=60, blank=True, default="")
    peers_current = models.BooleanField(default=False)
    peers_low = models.BooleanField(default=False)
    disagreement = models.BooleanField(default=False)
    open_actions = models.PositiveIntegerField(default=0)
    overdue_actions = models.PositiveIntegerField(default=0)
    # How urgently a coordinator should look at the group: the sum of the weights of the
    # reasons it needs attention, worked out by the dashboard's part (docs/dashboard.md).
    urgency = models.PositiveIntegerField(default=0)
    # Which of those reasons apply, one bit each (also the dashboard's: its REASON_BITS),
    # so the dashboard counts every group by reason from a small index alone.
    reasons = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("group summary")
        verbose_name_plural = _("group summaries")
        indexes = [
            # The dashboard's default order, and each reason's most urgent groups.
            models.Index(
                fields=["organisation", "-urgency", "name_key", "group"],
                name="summary_most_urgent",
                condition=models.Q(archived=False),
            ),
            # The dashboard's counts of groups by format and reason: read from the index.
            models.Index(
                fields=["organisation", "format", "reasons"],
                name="summary_reason_counts",
                condition=models.Q(archived=False),
            ),
        ]

    def __str__(self):
        return f"{self.group_id} on {self.computed_on}"
