"""Ground-rules facts for many groups at once, in a fixed number of queries.

Used by the dashboard, the safety page and the home pages: never a query per group.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Count, F, OuterRef, Q, Subquery
from django.utils import timezone

from groups.dates import add_months
from groups.facts import count_per_group
from groups.models import Group, Membership
from groups.prepared import Prepared

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


def _review_clocks() -> dict:
    """Annotations of a Group queryset: its review interval (`months`), when it first
    adopted rules (`first`) and when it last held a review (`last`)."""
    first_adopted = (
        Version.objects.filter(group=OuterRef("pk"), closed_at__isnull=False)
        .filter(status__in=[Version.Status.ADOPTED, Version.Status.SUPERSEDED])
        .order_by("closed_at")
        .values("closed_at")[:1]
    )
    last_review = (
        Review.objects.filter(group=OuterRef("pk")).order_by("-held_on").values("held_on")[:1]
    )
    months = Rulebook.objects.filter(group=OuterRef("pk")).values("review_every_months")[:1]
    return {
        "months": Subquery(months),
        "first": Subquery(first_adopted),
        "last": Subquery(last_review),
    }


def next_reviews(current_versions: dict) -> dict:
    """When each group's current rules are next due a review, in one query.

    `current_versions` maps group ids to their adopted version (groups without one
    are left out, and get no date)."""
    clocks = (
        Group.objects.filter(pk__in=list(current_versions)).order_by().annotate(**_review_clocks())
    )
    return {
        gid: review_due(first or current_versions[gid].closed_at, last, months)
        for gid, months, first, last in clocks.values_list("pk", "months", "first", "last")
    }


def next_review(current: Version) -> date:
    """When a group's current rules (`current`, its adopted version) are next due a review:
    `next_reviews` for one group, through a query compiled once (its pages ask every time)."""
    months, first, last = _one_groups_clocks(group=current.group_id)[0]
    return review_due(first or current.closed_at, last, months)


_one_groups_clocks = Prepared(
    lambda group: (
        Group.objects.filter(pk=group)
        .order_by()
        .annotate(**_review_clocks())
        .values_list("months", "first", "last")
    ),
    group=int,
)


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
    for group_id, user_id in _members(groups=group_ids):
        members_of[group_id].add(user_id)
    for gid, members in members_of.items():
        facts[gid].members = len(members)

    frozen = {}
    for version in _live_versions(groups=group_ids):
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
    for version_id, user_id, answer in _answers_to_their_text(versions=list(frozen)):
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

    # Review clocks, breaches in the last 90 days and open suggestions, in one query.
    for gid, months, first, last, breaches, proposals in _clocks_and_counts(
        groups=group_ids, since=today - timedelta(days=90)
    ):
        f = facts[gid]
        f.breaches_90d, f.open_proposals = breaches, proposals
        if f.current is not None:
            f.next_review = review_due(first or f.current.closed_at, last, months)
            f.review_overdue = f.next_review < today
    return facts


# The queries of rules_facts, compiled once for each number of groups (groups.prepared):
# the homes and the safety page ask them on every view.
_members = Prepared(
    lambda groups: (
        Membership.objects.current().filter(group_id__in=groups).values_list("group_id", "user_id")
    ),
    groups=list,
)
_live_versions = Prepared(
    lambda groups: (
        Version.objects.filter(
            group_id__in=groups,
            status__in=[Version.Status.ADOPTED, Version.Status.IN_ROUND, Version.Status.DRAFT],
        )
        .only("id", "group_id", "number", "status", "content_hash", "closed_at", "round_opened_at")
        .annotate(
            open_talks=Count("talk_requests", filter=Q(talk_requests__talked_about_at__isnull=True))
        )
    ),
    groups=list,
)
_answers_to_their_text = Prepared(
    lambda versions: Agreement.objects.filter(
        version_id__in=versions, content_hash=F("version__content_hash")
    ).values_list("version_id", "user_id", "answer"),
    versions=list,
)
_clocks_and_counts = Prepared(
    lambda groups, since: (
        Group.objects.filter(pk__in=groups)
        .order_by()
        .annotate(
            **_review_clocks(),
            breaches=count_per_group(
                Breach.objects.filter(group=OuterRef("pk"), occurred_on__gte=since)
            ),
            proposals=count_per_group(
                Proposal.objects.filter(group=OuterRef("pk"), status=Proposal.Status.OPEN)
            ),
        )
        .values_list("pk", "months", "first", "last", "breaches", "proposals")
    ),
    groups=list,
    since=date,
)
