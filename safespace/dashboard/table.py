"""The coordinator's safety dashboard: one row of facts per group.

Facts come from each app's batch selectors (groundrules.facts, venues.facts), so
the number of queries does not depend on how many groups there are.
"""

from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from groundrules.facts import rules_facts
from groups.facts import open_concerns
from groups.models import Group, Membership
from venues.facts import venue_facts

REASONS = {
    "no_rules": _("No adopted ground rules"),
    "not_agreed": _("Members have not all agreed"),
    "review_overdue": _("Rules review overdue"),
    "critical": _("Critical venue flag"),
    "concern": _("A private concern is waiting"),
    "peers_low": _("Low scores from peers"),
    "disagree": _("Checklist and peers disagree"),
    "overdue_actions": _("Overdue actions"),
    "reassessment": _("Venue check due"),
}


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


def _reasons(rules, venues, concerns) -> list:
    reasons = []
    if rules.current is None:
        reasons.append("no_rules")
    elif not rules.all_agreed:
        reasons.append("not_agreed")
    if rules.review_overdue:
        reasons.append("review_overdue")
    if venues.critical_flag:
        reasons.append("critical")
    if concerns:
        reasons.append("concern")
    if venues.peers_low:
        reasons.append("peers_low")
    if venues.disagreement:
        reasons.append("disagree")
    if venues.overdue_actions:
        reasons.append("overdue_actions")
    if venues.venues and venues.reassessment_due:
        reasons.append("reassessment")
    return reasons


def build_rows(groups_queryset, today=None, *, concerns_to=None) -> list:
    """Rows for the given groups (a queryset already scoped to the viewer).

    `concerns_to` says whose open private concerns count as a reason: "coordinators"
    for a coordinator, "facilitators" for a group's facilitators, None for nobody's.
    A concern to the coordinators may be about a facilitator: never pass it for a
    page a facilitator reads."""
    today = today or timezone.localdate()
    groups = list(
        groups_queryset.select_related(None).only(
            "pk", "slug", "name", "format", "organisation_id", "archived_at"
        )
    )
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


def summary(rows) -> dict:
    counts = {key: 0 for key in REASONS}
    for row in rows:
        for reason in row.reasons:
            counts[reason] += 1
    return {
        "groups": len(rows),
        "attention": sum(1 for r in rows if r.reasons),
        "by_reason": [(REASONS[k], n, k) for k, n in counts.items() if n],
    }


def _none_last(value, missing):
    return (value is None, value if value is not None else missing)


RULES_PROGRESS = {"none": 0, "draft": 1, "round": 2, "adopted": 3}

SORT_KEYS = {
    "name": lambda r: r.group.name.lower(),
    "format": lambda r: r.group.format,
    "members": lambda r: r.members,
    # Least progress first: no rules, a draft, a round open, adopted (by share agreed).
    "rules": lambda r: (
        RULES_PROGRESS[r.rules.status],
        r.rules.agreed_current / r.rules.members if r.rules.members else 0,
    ),
    "review": lambda r: _none_last(r.rules.next_review, None),
    "being": lambda r: _none_last(r.venues.latest.being_safe_score if r.venues.latest else None, 0),
    "feeling": lambda r: _none_last(
        r.venues.latest.feeling_safe_score if r.venues.latest else None, 0
    ),
    "peers": lambda r: _none_last(r.venues.feedback_score, 0),
    "actions": lambda r: (r.venues.overdue_actions, r.venues.open_actions),
    "breaches": lambda r: r.rules.breaches_90d,
    "attention": lambda r: len(r.reasons),
}


def sort_rows(rows, key: str, descending: bool):
    sorter = SORT_KEYS.get(key, SORT_KEYS["name"])
    if key in ("review", "being", "feeling", "peers"):
        present = [r for r in rows if sorter(r)[0] is False]
        missing = [r for r in rows if sorter(r)[0] is True]
        present.sort(key=lambda r: sorter(r)[1], reverse=descending)
        return present + missing
    return sorted(rows, key=sorter, reverse=descending)


def filter_rows(rows, *, attention=False, group_format="", facilitator=""):
    if attention:
        rows = [r for r in rows if r.reasons]
    if group_format:
        rows = [r for r in rows if r.group.format == group_format]
    if facilitator:
        wanted = facilitator.strip().lower()
        rows = [r for r in rows if any(wanted in name.lower() for name in r.facilitators)]
    return rows
