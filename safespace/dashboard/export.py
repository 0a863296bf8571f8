"""The dashboard's CSV: one line per group from its summary row, read in chunks, so the
export of a large organisation streams out as it is read."""

from itertools import islice

from django.db.models import BooleanField, ExpressionWrapper

from groups.models import Membership
from groups.prepared import Prepared

from .listing import reason_conditions
from .table import REASONS

HEADER = [
    "group",
    "format",
    "facilitators",
    "current_members",
    "rules_status",
    "current_version",
    "members_agreed",
    "round_answered",
    "next_review",
    "review_overdue",
    "being_safe_pct",
    "feeling_safe_pct",
    "last_assessed",
    "critical_flag",
    "critical_flag_at",
    "peers_feeling_safe_of_5",
    "peer_answers",
    "peer_answers_released_in",
    "open_actions",
    "overdue_actions",
    "breaches_90_days",
    "next_venue_check",
    "needs_attention",
]
COLUMNS = [
    "members",
    "rules_status",
    "current_version",
    "agreed_current",
    "round_answered",
    "next_review",
    "review_overdue",
    "worst_being",
    "worst_feeling",
    "last_checked",
    "critical_flag",
    "critical_venues",
    "peers_score",
    "peer_answers",
    "peers_period",
    "open_actions",
    "overdue_actions",
    "breaches_90d",
    "next_check",
]
CHUNK = 1000


def _iso(value):
    return value.isoformat() if value else ""


def _blank(value):
    return "" if value is None else value


def _yes(value):
    return "yes" if value else "no"


def facilitators(group_ids) -> dict:
    """{group id: [facilitators' names, by name]}: one query."""
    names = {}
    for group_id, name in _facilitators(groups=list(group_ids)):
        names.setdefault(group_id, []).append(name)
    return names


# A dashboard page's groups: compiled once for each number met (a CSV's chunks of a
# thousand are longer than a prepared list takes, and go to the ORM).
_facilitators = Prepared(
    lambda groups: (
        Membership.objects.current()
        .facilitators()
        .filter(group_id__in=groups)
        .order_by("user__display_name")
        .values_list("group_id", "user__display_name")
    ),
    groups=list,
)


def lines(rows):
    """The CSV's lines (without the header) of these summary rows, in their order: two
    queries per CHUNK groups (their summaries, their facilitators)."""
    conditions = reason_conditions()
    reasons = {f"why_{key}": conditions[key] for key in REASONS}
    values = rows.annotate(
        **{k: ExpressionWrapper(q, output_field=BooleanField()) for k, q in reasons.items()}
    ).values("group_id", "name", "format", *COLUMNS, *reasons)
    found = values.iterator(chunk_size=CHUNK)
    while chunk := list(islice(found, CHUNK)):
        names = facilitators([r["group_id"] for r in chunk])
        for s in chunk:
            yield [
                s["name"],
                s["format"],
                "; ".join(names.get(s["group_id"], [])),
                s["members"],
                s["rules_status"],
                _blank(s["current_version"]),
                s["agreed_current"],
                s["round_answered"],
                _iso(s["next_review"]),
                _yes(s["review_overdue"]),
                # Where a group meets in several places: the lowest of their latest checks.
                _blank(s["worst_being"]),
                _blank(s["worst_feeling"]),
                _iso(s["last_checked"]),
                _yes(s["critical_flag"]),
                s["critical_venues"],
                # Only released answers, as on every page (docs/privacy.md).
                _blank(s["peers_score"]),
                _blank(s["peer_answers"]),
                s["peers_period"],
                s["open_actions"],
                s["overdue_actions"],
                s["breaches_90d"],
                _iso(s["next_check"]),
                "; ".join(str(REASONS[key]) for key in REASONS if s[f"why_{key}"]),
            ]
