"""Who counts towards the release of peers' anonymous answers, for a coordinator to see.

The release of answers (venues.services) can't tell a real member from an account
someone made months ago to make up the numbers (docs/privacy.md). A coordinator
can: this says how many members count this period and how many of them have
taken no part in anything else the group does here. It never reads who answered.
"""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone

from groundrules.models import Agreement, Proposal, ProposalComment
from groups.models import Membership
from groups.prepared import Prepared
from venues.selectors import period_began


@dataclass
class WhoCounts:
    since: datetime  # members who joined before this count this period
    counting: int  # current peers who joined before `since`
    quiet: int  # of them: no suggestion, comment or "I'd like to talk" in this group


def _counts(group, since):
    """One row (none without such members): the group's current peers who joined before
    `since`, and how many of them took no part in anything else the group does."""
    user = OuterRef("user_id")
    took_part = (
        Exists(Proposal.objects.filter(group=group, proposed_by=user))
        | Exists(ProposalComment.objects.filter(proposal__group=group, author=user))
        | Exists(
            Agreement.objects.filter(version__group=group, user=user, answer=Agreement.Answer.TALK)
        )
    )
    return (
        Membership.objects.current()
        .filter(group=group, role=Membership.Role.PEER, joined_at__lt=since)
        .order_by()
        .values("group")
        .annotate(counting=Count("pk"), quiet=Count("pk", filter=~Q(took_part)))
        .values("counting", "quiet")
    )


# Compiled once (groups/prepared.py): a coordinator's safety page asks it every time.
_prepared_counts = Prepared(_counts, group=int, since=datetime)


def who_counts(group, today=None) -> WhoCounts:
    since = period_began(today or timezone.localdate())
    counts = _prepared_counts.first(group=group.pk, since=since) or {"counting": 0, "quiet": 0}
    return WhoCounts(since=since, counting=counts["counting"], quiet=counts["quiet"])
