"""Ground-rules facts for many groups at once, in a fixed number of queries.

Used by the dashboard, the safety page and the home pages: never a query per group.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Count, F, OuterRef, Q, Subquery
from django.utils import timezone

from groups.dates import add_months
from groups.models import Group, Membership

from .models import Agreement, Breach, Proposal, Review, Rulebook, Version

DEFAULT_REVIEW_MONTHS = 6


def review_due(first_adopted_at, last_review_on, months) -> date:
    """The next review date: `months` after the group's last review or, before its first
    review, after it first adopted ground rules.

    Only a review moves it. Adopting a new version is not a review: a version changed
    in one place leaves the others as unexamined as before, so an overdue review stays
    overdue until the group records one."""
    held = [d for d in (timezone.localdate(first_adopted_at), last_review_on) if d is not None]
    return add_months(max(held), months or DEFAULT_REVIEW_MONTHS)


def next_reviews(current_versions: dict) -> dict:
    """When each group's current rules are next due a review, in two queries.

    `current_versions` maps group ids to their adopted version (groups without one
    are left out, and get no date)."""
    ids = list(current_versions)
    months = dict(
        Rulebook.objects.filter(group_id__in=ids).values_list("group_id", "review_every_months")
    )
    first_adopted = (
        Version.objects.filter(group=OuterRef("pk"), closed_at__isnull=False)
        .filter(status__in=[Version.Status.ADOPTED, Version.Status.SUPERSEDED])
        .order_by("closed_at")
        .values("closed_at")[:1]
    )
    last_review = (
        Review.objects.filter(group=OuterRef("pk")).order_by("-held_on").values("held_on")[:1]
    )
    clocks = {
        gid: (first or current_versions[gid].closed_at, last)
        for gid, first, last in Group.objects.filter(pk__in=ids)
        .annotate(first=Subquery(first_adopted), last=Subquery(last_review))
        .values_list("pk", "first", "last")
    }
    return {
        gid: review_due(*clocks[gid], months.get(gid)) for gid in current_versions if gid in clocks
    }


@dataclass
class RulesFacts:
    current: Version | None = None
    in_round: Version | None = None
    has_draft: bool = False
    members: int = 0
    agreed_current: int = 0  # current members who agreed to the current version
    answered_current: int = 0  # current members who answered it at all
    round_answered: int = 0
    round_agreed: int = 0
    next_review: date | None = None
    review_overdue: bool = False
    breaches_90d: int = 0
    open_proposals: int = 0
    open_talks: list = field(default_factory=list)  # (version, count) with talk requests open
    waiting_user_ids: set = field(default_factory=set)  # not answered the current version
    round_waiting_user_ids: set = field(default_factory=set)  # not answered the open round

    @property
    def status(self) -> str:
        if self.in_round is not None:
            return "round"
        if self.current is not None:
            return "adopted"
        return "draft" if self.has_draft else "none"

    # Counts that add up to `members`: agreed + want to talk + not answered.
    @property
    def talk_current(self) -> int:
        return self.answered_current - self.agreed_current

    @property
    def not_answered_current(self) -> int:
        return self.members - self.answered_current

    @property
    def round_talk(self) -> int:
        return self.round_answered - self.round_agreed

    @property
    def round_not_answered(self) -> int:
        return self.members - self.round_answered

    @property
    def all_agreed(self) -> bool:
        return (
            self.current is not None and self.members > 0 and (self.agreed_current == self.members)
        )


def rules_facts(group_ids, today=None) -> dict:
    group_ids = list(group_ids)
    today = today or timezone.localdate()
    facts = {gid: RulesFacts() for gid in group_ids}
    # Current members, once: counted, and used to tell whose answers count.
    members_of = {gid: set() for gid in group_ids}
    for group_id, user_id in (
        Membership.objects.current()
        .filter(group_id__in=group_ids)
        .values_list("group_id", "user_id")
    ):
        members_of[group_id].add(user_id)
    for gid, members in members_of.items():
        facts[gid].members = len(members)

    versions = (
        Version.objects.filter(
            group_id__in=group_ids,
            status__in=[Version.Status.ADOPTED, Version.Status.IN_ROUND, Version.Status.DRAFT],
        )
        .only("id", "group_id", "number", "status", "content_hash", "closed_at", "round_opened_at")
        .annotate(
            open_talks=Count("talk_requests", filter=Q(talk_requests__talked_about_at__isnull=True))
        )
    )
    frozen = {}
    for version in versions:
        f = facts[version.group_id]
        if version.open_talks:
            f.open_talks.append((version, version.open_talks))
        if version.status == Version.Status.ADOPTED:
            f.current = version
            frozen[version.pk] = version
        elif version.status == Version.Status.IN_ROUND:
            f.in_round = version
            frozen[version.pk] = version
        else:
            f.has_draft = True

    # Answers bound to each version's exact text, by people who are members now.
    answered_by_version = {pk: set() for pk in frozen}
    answers = Agreement.objects.filter(
        version_id__in=list(frozen), content_hash=F("version__content_hash")
    ).values_list("version_id", "user_id", "answer")
    for version_id, user_id, answer in answers:
        version = frozen[version_id]
        if user_id not in members_of[version.group_id]:
            continue
        f = facts[version.group_id]
        answered_by_version[version_id].add(user_id)
        if version.status == Version.Status.ADOPTED:
            f.answered_current += 1
            f.agreed_current += answer == Agreement.Answer.AGREE
        else:
            f.round_answered += 1
            f.round_agreed += answer == Agreement.Answer.AGREE

    # Who has not answered the current version (the newcomer prompt) or the open round.
    for version in frozen.values():
        waiting = members_of[version.group_id] - answered_by_version[version.pk]
        f = facts[version.group_id]
        if version.status == Version.Status.ADOPTED:
            f.waiting_user_ids = waiting
        else:
            f.round_waiting_user_ids = waiting

    due = next_reviews({gid: f.current for gid, f in facts.items() if f.current is not None})
    for gid, when in due.items():
        facts[gid].next_review = when
        facts[gid].review_overdue = when < today

    since = today - timedelta(days=90)
    for row in (
        Breach.objects.filter(group_id__in=group_ids, occurred_on__gte=since)
        .values("group_id")
        .annotate(n=Count("id"))
    ):
        facts[row["group_id"]].breaches_90d = row["n"]
    for row in (
        Proposal.objects.filter(group_id__in=group_ids, status=Proposal.Status.OPEN)
        .values("group_id")
        .annotate(n=Count("id"))
    ):
        facts[row["group_id"]].open_proposals = row["n"]
    return facts
