"""What a person's home page asks of them, across all their groups, in a fixed number of queries."""

from dataclasses import dataclass, field
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db.models import Count
from django.utils import timezone

from groundrules.facts import rules_facts
from groups.dates import quarter
from groups.models import Membership
from groups.prepared import Prepared
from groups.selectors import concerns_for_user, organisations_for_user
from venues.facts import venue_facts
from venues.models import Action, FeedbackReceipt

SOON = timedelta(days=14)


@dataclass
class GroupHome:
    group: object
    role: str
    rules: object
    venues: object
    asks: list = field(default_factory=list)  # (kind, detail) asking for this person's answer
    todos: list = field(default_factory=list)  # (kind, detail) for facilitators
    # For a facilitator of a group with no adopted rules yet, while one of its first steps
    # is still to do: [(step, done)] for "rules", "invite" and "venue".
    first_steps: list = field(default_factory=list)


def build_home(user, today=None):
    today = today or timezone.localdate()
    memberships = _memberships(user=user.pk)
    ids = [m.group_id for m in memberships]
    rules = rules_facts(ids, today)
    venues = venue_facts(ids, today)
    answered_checks = set(_receipts(user=user.pk, groups=ids, period=quarter(today)))
    # Names of who hasn't answered: only facilitators are shown them.
    waiting_ids = set()
    for m in memberships:
        if m.role == Membership.Role.FACILITATOR:
            r = rules[m.group_id]
            waiting_ids |= r.waiting_user_ids | r.round_waiting_user_ids
    names = (
        dict(get_user_model().objects.filter(pk__in=waiting_ids).values_list("pk", "display_name"))
        if waiting_ids
        else {}
    )
    owned = _owned_actions(user=user.pk, groups=ids)

    homes = []
    for membership in memberships:
        gid = membership.group_id
        home = GroupHome(membership.group, membership.role, rules[gid], venues[gid])
        r, v = home.rules, home.venues
        if r.in_round is not None and user.pk in r.round_waiting_user_ids:
            home.asks.append(("round", r.in_round))
        if r.current is not None and user.pk in r.waiting_user_ids:
            home.asks.append(("newcomer", r.current))
        if membership.role == Membership.Role.PEER:
            for state in v.venues:
                if (gid, state.venue_id) not in answered_checks:
                    home.asks.append(("venue_check", state))
        if membership.role == Membership.Role.FACILITATOR:
            home.first_steps = _first_steps(r, v)
            not_answered = sorted(
                names[i] for i in r.round_waiting_user_ids | r.waiting_user_ids if i in names
            )
            if not_answered:
                home.todos.append(("not_answered", not_answered))
            for version, count in r.open_talks:
                home.todos.append(("talks", (version, count)))
            if r.next_review and r.next_review <= today + SOON:
                home.todos.append(("review", r.next_review))
            if r.open_proposals:
                home.todos.append(("proposals", r.open_proposals))
            for state in v.venues:
                if state.overdue or (state.due and state.due <= today + SOON):
                    home.todos.append(("reassessment", state))
            mine = [a for a in owned if a.group_id == gid]
            if mine:
                home.todos.append(("actions", mine))
        homes.append(home)
    return homes


def _first_steps(rules, venues) -> list:
    """A new group's first steps and whether each is done; none once rules are adopted or
    every step is done."""
    steps = [
        ("rules", rules.status != "none"),
        ("invite", rules.members > 1),
        ("venue", bool(venues.venues)),
    ]
    if rules.current is not None or all(done for _step, done in steps):
        return []
    return steps


def concerns_waiting(user) -> list:
    """Groups with private messages this person may read that nobody has followed up yet:
    [{"slug", "name", "count"}], by group name, in one query."""
    rows = _open_concerns(user=user.pk)
    return [{"slug": r["group__slug"], "name": r["group__name"], "count": r["count"]} for r in rows]


def coordinated(user) -> list:
    """The organisations this person coordinates (groups.selectors.organisations_for_user)."""
    return _coordinated(user=user.pk)


# The home's own queries, compiled once (groups.prepared): everyone signed in asks for it.
_memberships = Prepared(
    lambda user: (
        Membership.objects.current()
        .filter(user_id=user, group__archived_at__isnull=True)
        .select_related("group", "group__organisation")
        .order_by("group__name")
    ),
    user=int,
)
_receipts = Prepared(
    lambda user, groups, period: FeedbackReceipt.objects.filter(
        user_id=user, group_id__in=groups, period=period
    ).values_list("group_id", "venue_id"),
    user=int,
    groups=list,
    period=str,
)
_owned_actions = Prepared(
    lambda user, groups: (
        Action.objects.filter(owner_id=user, status=Action.Status.OPEN, group_id__in=groups)
        .select_related("group", "venue")
        .in_order()
    ),
    user=int,
    groups=list,
)
_open_concerns = Prepared(
    lambda user: (
        concerns_for_user(get_user_model()(pk=user))
        .open()
        .values("group__slug", "group__name")
        .annotate(count=Count("pk"))
        .order_by("group__name")
    ),
    user=int,
)
_coordinated = Prepared(lambda user: organisations_for_user(get_user_model()(pk=user)), user=int)
