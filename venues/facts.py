"""Venue facts for many groups or venues at once, in a fixed number of queries.

The one place that works out a venue's latest submitted check and when the next
one is due: the dashboard, the homes, the group's and the library's venue pages
and the reminders all read it from here.

And the one place that works out what peers' released answers say
(`released_results`): the venue's results page, the safety page, the dashboard,
its CSV and print view all read them from here, so every figure obeys the same
release and threshold (docs/privacy.md).
"""

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Max, OuterRef, Q, Subquery, Sum
from django.utils import timezone

from groups.dates import add_months, quarter
from groups.models import Group

from .models import Action, Answer, Assessment, FeedbackRelease, ReleasedAnswer, VenueUse


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
class PeerResults:
    """What peers' released answers say: those released in the current period or, when
    none has been yet, in the last period that had a release (`current` is then False).
    Built only from releases, each of at least THRESHOLD answers that count."""

    periods: list  # the periods the answers were released in, oldest first
    current: bool  # every answer shown was released in the current period
    count: int  # how many answers
    sums: dict  # {score field: sum of its answers}
    released_on: date | None = None  # the latest release shown
    comments: list = field(default_factory=list)  # only when asked for

    @property
    def period(self) -> str:
        return ", ".join(self.periods)

    @property
    def averages(self) -> list:
        """[(field name, statement, average 1–5)], in the form's order."""
        return [
            (name, ReleasedAnswer._meta.get_field(name).verbose_name, self.average(name))
            for name in ReleasedAnswer.SCORE_FIELDS
        ]

    def average(self, name) -> float:
        return round(self.sums[name] / self.count, 1)

    @property
    def score(self) -> float:
        """The average of the statements' averages, 1–5."""
        exact = [self.sums[n] / self.count for n in ReleasedAnswer.SCORE_FIELDS]
        return round(sum(exact) / len(exact), 1)

    @classmethod
    def combine(cls, parts):
        """One figure from several venues' results (None if there are none)."""
        parts = [p for p in parts if p is not None]
        if not parts:
            return None
        return cls(
            periods=sorted({period for p in parts for period in p.periods}),
            current=all(p.current for p in parts),
            count=sum(p.count for p in parts),
            sums={n: sum(p.sums[n] for p in parts) for n in ReleasedAnswer.SCORE_FIELDS},
            released_on=max(p.released_on for p in parts),
        )


def released_results(group_ids, today=None, *, venue_id=None, comments=False) -> dict:
    """{(group id, venue id): PeerResults} of each venue that has a release, in one query
    (two with `comments`). Only released answers are read: never the waiting ones."""
    today = today or timezone.localdate()
    period = quarter(today)
    latest = (
        FeedbackRelease.objects.filter(
            group_id=OuterRef("release__group_id"),
            venue_id=OuterRef("release__venue_id"),
            period__lte=period,
        )
        .order_by("-period")
        .values("period")[:1]
    )
    answers = ReleasedAnswer.objects.filter(
        release__group_id__in=list(group_ids), release__period=Subquery(latest)
    )
    if venue_id is not None:
        answers = answers.filter(release__venue_id=venue_id)
    results = {}
    for row in (
        answers.values("release__group_id", "release__venue_id", "release__period")
        .annotate(
            n=Count("id"),
            last=Max("release__released_on"),
            **{f"sum_{n}": Sum(n) for n in ReleasedAnswer.SCORE_FIELDS},
        )
        .order_by()
    ):
        results[(row["release__group_id"], row["release__venue_id"])] = PeerResults(
            periods=[row["release__period"]],
            current=row["release__period"] == period,
            count=row["n"],
            sums={n: row[f"sum_{n}"] for n in ReleasedAnswer.SCORE_FIELDS},
            released_on=row["last"],
        )
    if comments and results:
        # Ordered by their random keys: the same on every view, unrelated to who wrote them.
        for group_id, venue_id, comment in (
            answers.exclude(comment="")
            .order_by("id")
            .values_list("release__group_id", "release__venue_id", "comment")
        ):
            results[(group_id, venue_id)].comments.append(comment)
    return results


# Where the facilitator's checklist and peers' anonymous check ask about the same thing:
# (checklist question key, peers' statement). The checklist says whether the venue is
# safe; peers say whether they feel it.
MEETING_POINTS = [
    ("safe-area", "physically_safe"),
    ("welcoming", "welcome"),
    ("other-users", "comfortable_with_others"),
    ("moment-away", "time_out"),
]

# A released average below this (the scale's "3 – somewhat") is low.
LOW_AVERAGE = 3
# A released average at or above this agrees with a Yes.
HIGH_AVERAGE = 4


@dataclass
class Comparison:
    """One meeting point: the checklist's answer beside peers' released average."""

    question: str  # the checklist question, as the check asked it
    answer: str  # the checklist's answer (an Answer.Value)
    statement: str  # peers' statement
    average: float  # peers' released average, 1–5

    @property
    def answer_label(self) -> str:
        return Answer.Value(self.answer).label

    @property
    def disagreement(self) -> str:
        """Whether they disagree: "peers_lower" when the checklist says Yes and peers'
        answers are low, "peers_higher" when it says No and peers feel it, else ""."""
        if self.answer == Answer.Value.YES and self.average < LOW_AVERAGE:
            return "peers_lower"
        if self.answer == Answer.Value.NO and self.average >= HIGH_AVERAGE:
            return "peers_higher"
        return ""


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
    for assessment_id, key, text, value in (
        Answer.objects.filter(assessment_id__in=list(both), question__key__in=statements)
        .order_by("question__position")
        .values_list("assessment_id", "question__key", "question__text", "value")
    ):
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

    released = released_results(group_ids, today)
    for key, state in states.items():
        state.peers = released.get(key)
    if compare:
        _compare(states.values())
    return facts
