"""Venue facts for many groups at once, in a fixed number of queries."""

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Avg, Count, Q
from django.utils import timezone

from groups.dates import add_months, quarter
from groups.models import Group

from .models import Action, Assessment, FeedbackResponse, VenueUse
from .selectors import FEEDBACK_THRESHOLD


@dataclass
class VenueState:
    venue_id: int
    venue_name: str
    venue_uuid: str
    latest: Assessment | None = None
    due: date | None = None
    overdue: bool = True


@dataclass
class VenueFacts:
    venues: list = field(default_factory=list)  # VenueState per venue the group uses
    open_actions: int = 0
    overdue_actions: int = 0
    feedback_count: int = 0
    feedback_score: float | None = None  # average of all answers, 1–5; None under threshold

    @property
    def latest(self):
        """The most recent submitted assessment across the group's venues."""
        dated = [v.latest for v in self.venues if v.latest is not None]
        return max(dated, key=lambda a: a.submitted_at) if dated else None

    @property
    def critical_flag(self) -> bool:
        return any(v.latest is not None and v.latest.critical_flag for v in self.venues)

    @property
    def reassessment_due(self) -> bool:
        return any(v.overdue for v in self.venues)

    @property
    def next_check(self):
        dates = [v.due for v in self.venues if v.due is not None]
        return min(dates) if dates else None


def venue_facts(group_ids, today=None) -> dict:
    group_ids = list(group_ids)
    today = today or timezone.localdate()
    facts = {gid: VenueFacts() for gid in group_ids}
    months = dict(
        Group.objects.filter(pk__in=group_ids).values_list(
            "pk", "organisation__reassess_every_months"
        )
    )
    uses = (
        VenueUse.objects.filter(group_id__in=group_ids)
        .select_related("venue")
        .order_by("venue__name")
    )
    states = {}
    for use in uses:
        state = VenueState(use.venue_id, use.venue.name, str(use.venue.uuid))
        facts[use.group_id].venues.append(state)
        states[(use.group_id, use.venue_id)] = state
    latest = (
        Assessment.objects.filter(group_id__in=group_ids, submitted_at__isnull=False)
        .order_by("group_id", "venue_id", "-submitted_at")
        .only(
            "id",
            "uuid",
            "group_id",
            "venue_id",
            "submitted_at",
            "being_safe_score",
            "feeling_safe_score",
            "critical_flag",
        )
    )
    for assessment in latest:
        state = states.get((assessment.group_id, assessment.venue_id))
        if state is not None and state.latest is None:
            state.latest = assessment
    for (group_id, _venue_id), state in states.items():
        if state.latest is not None:
            submitted = timezone.localdate(state.latest.submitted_at)
            state.due = (
                submitted if state.latest.critical_flag else add_months(submitted, months[group_id])
            )
            state.overdue = state.due <= today

    for row in (
        Action.objects.filter(group_id__in=group_ids, status=Action.Status.OPEN)
        .values("group_id")
        .annotate(n=Count("id"), late=Count("id", filter=Q(due_on__lt=today)))
    ):
        facts[row["group_id"]].open_actions = row["n"]
        facts[row["group_id"]].overdue_actions = row["late"]

    averages = {f"avg_{name}": Avg(name) for name in FeedbackResponse.SCORE_FIELDS}
    for row in (
        FeedbackResponse.objects.filter(group_id__in=group_ids, period=quarter(today))
        .values("group_id")
        .annotate(n=Count("id"), **averages)
    ):
        f = facts[row["group_id"]]
        f.feedback_count = row["n"]
        if row["n"] >= FEEDBACK_THRESHOLD:
            values = [row[key] for key in averages]
            f.feedback_score = round(sum(values) / len(values), 1)
    return facts
