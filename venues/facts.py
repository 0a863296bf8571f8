"""Venue facts for many groups or venues at once, in a fixed number of queries.

The one place that works out a venue's latest submitted check and when the next
one is due: the dashboard, the homes, the group's and the library's venue pages
and the reminders all read it from here.
"""

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Avg, Count, Q
from django.utils import timezone

from groups.dates import add_months, quarter
from groups.models import Group

from .models import Action, Assessment, FeedbackResponse, VenueUse
from .selectors import FEEDBACK_THRESHOLD


def reassessment_due(assessment, months) -> date | None:
    """When a venue is due to be checked again after `assessment` (its latest submitted
    check): at once after a critical No, else `months` later. None if never checked."""
    if assessment is None or assessment.submitted_at is None:
        return None
    submitted = timezone.localdate(assessment.submitted_at)
    return submitted if assessment.critical_flag else add_months(submitted, months)


@dataclass
class CheckState:
    """A venue's latest submitted check and when the next is due (overdue if never checked)."""

    latest: Assessment | None = None
    due: date | None = None
    overdue: bool = True

    def settle(self, months, today):
        self.due = reassessment_due(self.latest, months)
        self.overdue = self.due is None or self.due <= today


@dataclass
class VenueState(CheckState):
    venue_id: int = 0
    venue_name: str = ""
    venue_uuid: str = ""
    using_since: date | None = None  # when the group started meeting there


_LATEST_FIELDS = (
    "id",
    "uuid",
    "group_id",
    "venue_id",
    "submitted_at",
    "submitted_by",
    "being_safe_score",
    "feeling_safe_score",
    "critical_flag",
)


def _latest_first(**filters):
    """Submitted checks, newest first within each group and venue."""
    return (
        Assessment.objects.submitted()
        .filter(**filters)
        .order_by("venue_id", "-submitted_at")
        .only(*_LATEST_FIELDS)
    )


def check_state(checks, *, months, today=None) -> CheckState:
    """The state of one venue from checks already loaded (any order; unsubmitted ignored)."""
    submitted = [c for c in checks if c.submitted_at is not None]
    state = CheckState(latest=max(submitted, key=lambda c: c.submitted_at, default=None))
    state.settle(months, today or timezone.localdate())
    return state


def venue_checks(venues, *, months, groups=None, today=None) -> dict:
    """{venue id: CheckState} from the checks of any group (or only of `groups`)."""
    today = today or timezone.localdate()
    states = {venue.pk: CheckState() for venue in venues}
    filters = {"venue__in": list(states)}
    if groups is not None:
        filters["group__in"] = groups
    for assessment in _latest_first(**filters):
        state = states[assessment.venue_id]
        if state.latest is None:
            state.latest = assessment
    for state in states.values():
        state.settle(months, today)
    return states


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
        state = VenueState(
            venue_id=use.venue_id,
            venue_name=use.venue.name,
            venue_uuid=str(use.venue.uuid),
            using_since=timezone.localdate(use.created),
        )
        facts[use.group_id].venues.append(state)
        states[(use.group_id, use.venue_id)] = state
    for assessment in _latest_first(group_id__in=group_ids):
        state = states.get((assessment.group_id, assessment.venue_id))
        if state is not None and state.latest is None:
            state.latest = assessment
    for (group_id, _venue_id), state in states.items():
        state.settle(months[group_id], today)

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
