"""The safety dashboard's reasons and weights, and a group's row of facts in full.

`build_rows` works a row out from each app's batch facts (groundrules.facts,
venues.facts), in a number of queries that does not depend on how many groups there
are: the group's safety page reads it. The dashboard's table reads each group's kept
summary row instead (listing.py, rows.py).
"""

from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from groundrules.facts import rules_facts
from groups.facts import open_concerns
from groups.models import Group, Membership
from venues.facts import venue_facts

# Why a group needs attention, most urgent first: the dashboard's summary lists them in
# this order, and each weight says how much a reason makes a group urgent. A group's
# urgency is the sum of its reasons' weights; the table's default order puts the most
# urgent group first (docs/dashboard.md says why the weights are what they are).
REASONS = {
    "critical": _("Critical venue flag"),
    "concern": _("A private concern is waiting"),
    "peers_low": _("Low scores from peers"),
    "disagree": _("Checklist and peers disagree"),
    "overdue_actions": _("Overdue actions"),
    "no_rules": _("No adopted ground rules"),
    "review_overdue": _("Rules review overdue"),
    "not_agreed": _("Members have not all agreed"),
    "reassessment": _("Venue check due"),
}
WEIGHTS = {
    "critical": 100,
    "concern": 80,
    "peers_low": 60,
    "disagree": 40,
    "overdue_actions": 30,
    "no_rules": 20,
    "review_overdue": 15,
    "not_agreed": 10,
    "reassessment": 10,
}
# The names of groups listed under each reason above the table; the rest are a link.
NAMED = 8


@dataclass
class Row:
    group: Group
    facilitators: list
    facilitator_ids: set
    members: int
    rules: object
    venues: object
    concerns: int = 0  # open private concerns addressed to the viewer's side (see build_rows)
    reasons: list = field(default_factory=list)

    @property
    def reason_labels(self):
        return [REASONS[r] for r in self.reasons]

    @property
    def urgency(self) -> int:
        return sum(WEIGHTS[r] for r in self.reasons)


def _reasons(rules, venues, concerns) -> list:
    """The reasons that apply, in REASONS order."""
    applies = {
        "critical": venues.critical_flag,
        "concern": bool(concerns),
        "peers_low": venues.peers_low,
        "disagree": venues.disagreement,
        "overdue_actions": bool(venues.overdue_actions),
        "no_rules": rules.current is None,
        "review_overdue": rules.review_overdue,
        "not_agreed": rules.current is not None and not rules.all_agreed,
        "reassessment": bool(venues.venues) and venues.reassessment_due,
    }
    return [key for key in REASONS if applies[key]]


def build_rows(groups, today=None, *, concerns_to=None) -> list:
    """Rows for the given groups (already fetched for the viewer).

    `concerns_to` says whose open private concerns count as a reason: "coordinators"
    for a coordinator, "facilitators" for a group's facilitators, None for nobody's.
    A concern to the coordinators may be about a facilitator: never pass it for a
    page a facilitator reads."""
    today = today or timezone.localdate()
    ids = [g.pk for g in groups]
    facilitators = {}
    for group_id, user_id, name in (
        Membership.objects.current()
        .facilitators()
        .filter(group_id__in=ids)
        .order_by("user__display_name")
        .values_list("group_id", "user_id", "user__display_name")
    ):
        facilitators.setdefault(group_id, []).append((user_id, name))
    rules = rules_facts(ids, today)
    venues = venue_facts(ids, today, compare=True)
    concerns = open_concerns(ids) if concerns_to else {}
    rows = []
    for group in groups:
        people = facilitators.get(group.pk, [])
        row = Row(
            group=group,
            facilitators=[name for _id, name in people],
            facilitator_ids={user_id for user_id, _name in people},
            members=rules[group.pk].members,
            rules=rules[group.pk],
            venues=venues[group.pk],
            concerns=getattr(concerns[group.pk], concerns_to) if concerns_to else 0,
        )
        row.reasons = _reasons(row.rules, row.venues, row.concerns)
        rows.append(row)
    return rows


# Ground rules from least progress to most: the "Ground rules" column sorts by it (listing).
RULES_PROGRESS = {"none": 0, "draft": 1, "round": 2, "adopted": 3}
