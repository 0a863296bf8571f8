"""Venue facts for many groups or venues at once, in a fixed number of queries.

The one place that works out a venue's latest submitted check and when the next
one is due: the dashboard, the homes, the group's and the library's venue pages
and the reminders all read it from here. Peers' released answers, and where they
meet the checklist, come from venues.peer_results.
"""

from dataclasses import dataclass, field
from datetime import date

from django.db.models import OuterRef
from django.utils import timezone

from groups.dates import add_months
from groups.facts import count_per_group
from groups.models import Group
from groups.prepared import Prepared

from .models import Action, Answer, Assessment, ReleasedAnswer, VenueUse
from .peer_results import LOW_AVERAGE, MEETING_POINTS, Comparison, PeerResults, released_results


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
    peers: PeerResults | None = None  # peers' released answers about this venue
    # The checklist beside peers' answers, where both have something to say (only when
    # venue_facts was asked to compare).
    comparisons: list = field(default_factory=list)

    @property
    def low_statements(self) -> list:
        """[(statement, average)] of peers' released answers that are low."""
        if self.peers is None:
            return []
        return [(label, avg) for _n, label, avg in self.peers.averages if avg < LOW_AVERAGE]

    @property
    def disagreements(self) -> list:
        return [c for c in self.comparisons if c.disagreement]


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

    @property
    def peers(self) -> PeerResults | None:
        """Peers' released answers about the venues the group meets at, as one figure."""
        return PeerResults.combine(v.peers for v in self.venues)

    @property
    def feedback_score(self) -> float | None:
        """Peers' released score, 1–5 (None while nothing is released)."""
        peers = self.peers
        return peers.score if peers is not None else None

    @property
    def feedback_count(self) -> int | None:
        """How many released answers `feedback_score` is from (None while none)."""
        peers = self.peers
        return peers.count if peers is not None else None

    @property
    def worst_being(self):
        """The lowest "being safe" score of the venues' latest checks (None if none)."""
        return _lowest(v.latest.being_safe_score for v in self.venues if v.latest)

    @property
    def worst_feeling(self):
        return _lowest(v.latest.feeling_safe_score for v in self.venues if v.latest)

    @property
    def critical_venues(self) -> list:
        return [v.venue_name for v in self.venues if v.latest and v.latest.critical_flag]

    @property
    def due_venues(self) -> list:
        return [v.venue_name for v in self.venues if v.overdue]

    @property
    def latest(self):
        """The most recent submitted assessment across the group's venues."""
        dated = [v.latest for v in self.venues if v.latest is not None]
        return max(dated, key=lambda a: a.submitted_at) if dated else None

    @property
    def peers_low(self) -> bool:
        """Peers' released answers about a venue are low on some statement."""
        return any(v.low_statements for v in self.venues)

    @property
    def disagreement(self) -> bool:
        """The checklist and peers disagree about a venue (needs venue_facts(compare=True))."""
        return any(v.disagreements for v in self.venues)

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


def _lowest(scores):
    scores = [s for s in scores if s is not None]
    return min(scores) if scores else None


def _compare(states):
    """Put the checklist beside peers' answers on every state that has both: one query."""
    both = {
        state.latest.pk: state
        for state in states
        if state.latest is not None and state.peers is not None
    }
    statements = dict(MEETING_POINTS)
    for assessment_id, key, text, value in _meeting_points(assessments=list(both)):
        state = both[assessment_id]
        field_name = statements[key]
        state.comparisons.append(
            Comparison(
                question=text,
                answer=value,
                statement=ReleasedAnswer._meta.get_field(field_name).verbose_name,
                average=state.peers.average(field_name),
            )
        )


_meeting_points = Prepared(
    lambda assessments: (
        Answer.objects.filter(
            assessment_id__in=assessments, question__key__in=[key for key, _ in MEETING_POINTS]
        )
        .order_by("question__position")
        .values_list("assessment_id", "question__key", "question__text", "value")
    ),
    assessments=list,
)


def venue_comparison(group, venue, peers) -> VenueState:
    """One venue's latest check of `group` beside `peers` (its PeerResults or None)."""
    state = VenueState(venue_id=venue.pk, venue_name=venue.name, peers=peers)
    if peers is not None:
        state.latest = _latest_first(group_id=group.pk, venue_id=venue.pk).first()
        _compare([state])
    return state


def venue_facts(group_ids, today=None, *, compare=False) -> dict:
    """{group id: VenueFacts}; with `compare`, each venue's checklist is put beside
    peers' released answers where they meet (one more query)."""
    group_ids = list(group_ids)
    today = today or timezone.localdate()
    facts = {gid: VenueFacts() for gid in group_ids}
    # Per group, in one query: its organisation's check interval, its open actions and
    # how many of them are overdue.
    months = {}
    for gid, interval, open_actions, overdue in _intervals_and_actions(
        groups=group_ids, today=today
    ):
        months[gid] = interval
        facts[gid].open_actions, facts[gid].overdue_actions = open_actions, overdue
    states = {}
    for use in _uses(groups=group_ids):
        state = VenueState(
            venue_id=use.venue_id,
            venue_name=use.venue.name,
            venue_uuid=str(use.venue.uuid),
            using_since=timezone.localdate(use.created),
        )
        facts[use.group_id].venues.append(state)
        states[(use.group_id, use.venue_id)] = state
    for assessment in _latest_checks(groups=group_ids):
        state = states.get((assessment.group_id, assessment.venue_id))
        if state is not None and state.latest is None:
            state.latest = assessment
    for (group_id, _venue_id), state in states.items():
        state.settle(months[group_id], today)

    released = released_results(group_ids, today)
    for key, state in states.items():
        state.peers = released.get(key)
    if compare:
        _compare(states.values())
    return facts


# The queries of venue_facts, compiled once for each number of groups (groups.prepared):
# the homes and the safety page ask them on every view.
def _intervals_and_actions_query(groups, today):
    actions = Action.objects.filter(group=OuterRef("pk"), status=Action.Status.OPEN)
    return (
        Group.objects.filter(pk__in=groups)
        .order_by()
        .annotate(
            open_actions=count_per_group(actions),
            overdue=count_per_group(actions.filter(due_on__lt=today)),
        )
        .values_list("pk", "organisation__reassess_every_months", "open_actions", "overdue")
    )


_intervals_and_actions = Prepared(_intervals_and_actions_query, groups=list, today=date)
_uses = Prepared(
    lambda groups: (
        VenueUse.objects.filter(group_id__in=groups).select_related("venue").order_by("venue__name")
    ),
    groups=list,
)
_latest_checks = Prepared(lambda groups: _latest_first(group_id__in=groups), groups=list)
