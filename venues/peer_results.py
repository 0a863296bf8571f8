"""What peers' released answers say, and where they meet the facilitator's checklist.

The one place that works out what peers' anonymous answers say (`released_results`): the
venue's results page, the safety page, the dashboard, its CSV and print view all read them
from here (through venues.facts), so every figure obeys the same release and threshold
(docs/privacy.md). Only released answers are ever read.
"""

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Max, OuterRef, Subquery, Sum
from django.utils import timezone

from groups.dates import quarter
from groups.prepared import Prepared

from .models import Answer, FeedbackRelease, ReleasedAnswer


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
    group_ids = list(group_ids)
    answers = None  # built only where it is read: building its subquery is not free
    if venue_id is not None:
        answers = _released(group_ids, period).filter(release__venue_id=venue_id)
        rows = _sums(answers)
    else:
        rows = _sums_for_groups(groups=group_ids, period=period)
    results = {}
    for row in rows:
        results[(row["release__group_id"], row["release__venue_id"])] = PeerResults(
            periods=[row["release__period"]],
            current=row["release__period"] == period,
            count=row["n"],
            sums={n: row[f"sum_{n}"] for n in ReleasedAnswer.SCORE_FIELDS},
            released_on=row["last"],
        )
    if comments and results:
        if answers is None:
            answers = _released(group_ids, period)
        # Ordered by their random keys: the same on every view, unrelated to who wrote them.
        for group_id, venue_id, comment in (
            answers.exclude(comment="")
            .order_by("id")
            .values_list("release__group_id", "release__venue_id", "comment")
        ):
            results[(group_id, venue_id)].comments.append(comment)
    return results


def _released(groups, period):
    """The released answers of each of `groups`' venues: those of its latest release up
    to `period` (a quarter, "2026-Q4")."""
    latest = (
        FeedbackRelease.objects.filter(
            group_id=OuterRef("release__group_id"),
            venue_id=OuterRef("release__venue_id"),
            period__lte=period,
        )
        .order_by("-period")
        .values("period")[:1]
    )
    return ReleasedAnswer.objects.filter(
        release__group_id__in=groups, release__period=Subquery(latest)
    )


def _sums(answers):
    """Per group and venue: how many answers, when released, and each score's sum."""
    return (
        answers.values("release__group_id", "release__venue_id", "release__period")
        .annotate(
            n=Count("id"),
            last=Max("release__released_on"),
            **{f"sum_{n}": Sum(n) for n in ReleasedAnswer.SCORE_FIELDS},
        )
        .order_by()
    )


# Compiled once for each number of groups (groups.prepared): the homes and the safety
# page ask it on every view.
_sums_for_groups = Prepared(
    lambda groups, period: _sums(_released(groups, period)), groups=list, period=str
)


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
