"""The dashboard's list in SQL, from each group's summary row (groups.summaries).

Filters, sorting, the reasons' counts and the page are worked out by the database, so a
page reads its 50 rows whatever the size of the organisation (rows.SummaryRow shows them).
The reasons are table.REASONS, said here once more as conditions on the summary's
columns; each row keeps its urgency (the sum of table.WEIGHTS: rows.derive), and the
index on (organisation, urgency, name) gives the default order and each reason's first
groups without sorting the organisation.
"""

from types import SimpleNamespace

from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    FloatField,
    IntegerField,
    OuterRef,
    Q,
    Value,
    When,
)
from django.db.models.functions import Cast

from groups.models import Membership

from .table import NAMED, REASONS, RULES_PROGRESS


def reason_conditions(concerns_to="coordinators") -> dict:
    """{reason: Q on a GroupSummary queryset}."""
    return {
        "critical": Q(critical_flag=True),
        "concern": Q(**{f"concerns_to_{concerns_to}__gt": 0}),
        "peers_low": Q(peers_low=True),
        "disagree": Q(disagreement=True),
        "overdue_actions": Q(overdue_actions__gt=0),
        "no_rules": Q(current_version__isnull=True),
        "review_overdue": Q(review_overdue=True),
        "not_agreed": Q(current_version__isnull=False, all_agreed=False),
        "reassessment": Q(check_due=True),
    }


def filtered(rows, *, search="", attention=False, reason="", group_format="", facilitator=""):
    conditions = reason_conditions()
    if search:
        rows = rows.filter(group__name__icontains=search)
    if attention:
        rows = rows.filter(urgency__gt=0)
    if reason in conditions:
        rows = rows.filter(conditions[reason])
    if group_format:
        rows = rows.filter(group__format=group_format)
    if facilitator:
        rows = rows.filter(
            Exists(
                Membership.objects.current()
                .facilitators()
                .filter(
                    group=OuterRef("group_id"),
                    user__display_name__icontains=facilitator.strip(),
                )
            )
        )
    return rows


_SHARE = Case(
    When(
        members__gt=0,
        then=Cast("agreed_current", FloatField()) / Cast("members", FloatField()),
    ),
    default=Value(0.0),
    output_field=FloatField(),
)
_PROGRESS = Case(
    *(When(rules_status=k, then=Value(v)) for k, v in RULES_PROGRESS.items()),
    default=Value(0),
    output_field=IntegerField(),
)
# Each column's sort expressions; the ones in NULLS_LAST put groups without the fact last
# in either direction. Ties always stay in name order.
SORTS = {
    "name": [F("name_key")],
    "format": [F("group__format")],
    "members": [F("members")],
    "rules": [_PROGRESS, _SHARE],
    "review": [F("next_review")],
    "being": [F("worst_being")],
    "feeling": [F("worst_feeling")],
    "peers": [F("peers_score")],
    "actions": [F("overdue_actions"), F("open_actions")],
    "breaches": [F("breaches_90d")],
    "attention": [-F("urgency"), F("name_key")],
}
NULLS_LAST = {"review", "being", "feeling", "peers"}
DEFAULT_SORT = "attention"
URGENT_FIRST = ["-urgency", "name_key", "group_id"]


def ordered(rows, key: str, descending: bool):
    key = key if key in SORTS else DEFAULT_SORT
    if key == DEFAULT_SORT and not descending:
        return rows.order_by(*URGENT_FIRST)  # the index's own order
    order = []
    for expression in SORTS[key]:
        if key in NULLS_LAST:
            order.append(
                expression.desc(nulls_last=True) if descending else expression.asc(nulls_last=True)
            )
        else:
            order.append(expression.desc() if descending else expression.asc())
    return rows.order_by(*order, "name_key", "group_id")


def summary(rows) -> dict:
    """How many groups need attention, and for each reason (most urgent first) how many
    groups it applies to and the first NAMED of them, most urgent first: one query for
    the counts, one per reason for its first groups (each read in the index's order)."""
    conditions = reason_conditions()
    counts = rows.aggregate(
        groups=Count("pk"),
        attention=Count("pk", filter=Q(urgency__gt=0)),
        **{key: Count("pk", filter=conditions[key]) for key in REASONS},
    )
    named = {
        key: list(
            rows.filter(conditions[key])
            .order_by(*URGENT_FIRST)
            .values_list("group__slug", "group__name")[:NAMED]
        )
        for key in REASONS
    }
    return {
        "groups": counts["groups"],
        "attention": counts["attention"],
        "by_reason": [
            (
                REASONS[key],
                counts[key],
                key,
                [SimpleNamespace(slug=slug, name=name) for slug, name in named[key]],
                counts[key] - NAMED,
            )
            for key in REASONS
            if counts[key]
        ],
    }
