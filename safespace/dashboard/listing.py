"""The dashboard's list in SQL, from each group's summary row (groups.summaries).

Filters, sorting, the reasons' counts and the page are worked out by the database, so a
page reads its 50 rows whatever the size of the organisation (rows.SummaryRow shows them).
The reasons are table.REASONS, said here once more as conditions on the summary's
columns; each row keeps its urgency (the sum of table.WEIGHTS: rows.derive).
"""

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
    Window,
)
from django.db.models.functions import Cast, Lower, RowNumber

from groups.models import Membership

from .table import NAMED, REASONS, RULES_PROGRESS


def reason_conditions(concerns_to="coordinators") -> dict:
    """{reason: Q on a Group queryset}. A group without a summary row yet has no rules."""
    s = "summary__"
    return {
        "critical": Q(**{s + "critical_flag": True}),
        "concern": Q(**{f"{s}concerns_to_{concerns_to}__gt": 0}),
        "peers_low": Q(**{s + "peers_low": True}),
        "disagree": Q(**{s + "disagreement": True}),
        "overdue_actions": Q(**{s + "overdue_actions__gt": 0}),
        "no_rules": Q(**{s + "current_version__isnull": True}),
        "review_overdue": Q(**{s + "review_overdue": True}),
        "not_agreed": Q(**{s + "current_version__isnull": False, s + "all_agreed": False}),
        "reassessment": Q(**{s + "check_due": True}),
    }


def with_keys(groups):
    """Groups with their summary row, and the name to sort by."""
    return groups.select_related("summary").annotate(name_key=Lower("name"))


def filtered(groups, *, search="", attention=False, reason="", group_format="", facilitator=""):
    conditions = reason_conditions()
    if search:
        groups = groups.filter(name__icontains=search)
    if attention:
        groups = groups.filter(summary__urgency__gt=0)
    if reason in conditions:
        groups = groups.filter(conditions[reason])
    if group_format:
        groups = groups.filter(format=group_format)
    if facilitator:
        groups = groups.filter(
            Exists(
                Membership.objects.current()
                .facilitators()
                .filter(group=OuterRef("pk"), user__display_name__icontains=facilitator.strip())
            )
        )
    return groups


_SHARE = Case(
    When(
        summary__members__gt=0,
        then=Cast("summary__agreed_current", FloatField()) / Cast("summary__members", FloatField()),
    ),
    default=Value(0.0),
    output_field=FloatField(),
)
_PROGRESS = Case(
    *(When(summary__rules_status=k, then=Value(v)) for k, v in RULES_PROGRESS.items()),
    default=Value(0),
    output_field=IntegerField(),
)
# Each column's sort expressions; the ones in NULLS_LAST put groups without the fact last
# in either direction. Ties always stay in name order.
SORTS = {
    "name": [F("name_key")],
    "format": [F("format")],
    "members": [F("summary__members")],
    "rules": [_PROGRESS, _SHARE],
    "review": [F("summary__next_review")],
    "being": [F("summary__worst_being")],
    "feeling": [F("summary__worst_feeling")],
    "peers": [F("summary__peers_score")],
    "actions": [F("summary__overdue_actions"), F("summary__open_actions")],
    "breaches": [F("summary__breaches_90d")],
    "attention": [-F("summary__urgency"), F("name_key")],
}
NULLS_LAST = {"review", "being", "feeling", "peers"}


DEFAULT_SORT = "attention"


def ordered(groups, key: str, descending: bool):
    key = key if key in SORTS else DEFAULT_SORT
    order = []
    for expression in SORTS[key]:
        if key in NULLS_LAST:
            order.append(
                expression.desc(nulls_last=True) if descending else expression.asc(nulls_last=True)
            )
        else:
            order.append(expression.desc() if descending else expression.asc())
    return groups.order_by(*order, "name_key", "pk")


def summary(groups) -> dict:
    """How many groups need attention, and for each reason (most urgent first) how many
    groups it applies to and the first NAMED of them, most urgent first: two queries."""
    conditions = reason_conditions()
    counts = groups.aggregate(
        groups=Count("pk"),
        attention=Count("pk", filter=Q(summary__urgency__gt=0)),
        **{key: Count("pk", filter=conditions[key]) for key in REASONS},
    )
    urgent_first = [F("summary__urgency").desc(), F("name_key").asc(), F("pk").asc()]
    flags = {
        f"has_{key}": Case(When(conditions[key], then=Value(1)), default=Value(0))
        for key in REASONS
    }
    ranks = {
        f"rank_{key}": Window(RowNumber(), partition_by=[F(f"has_{key}")], order_by=urgent_first)
        for key in REASONS
    }
    top = Q()
    for key in REASONS:
        top |= Q(**{f"rank_{key}__lte": NAMED})
    named = {key: [] for key in REASONS}
    rows = (
        groups.select_related(None)
        .annotate(**flags)
        .annotate(**ranks)
        .filter(top)
        .order_by(*urgent_first)
        .only("pk", "slug", "name")
    )
    for group in rows:
        for key in REASONS:
            if getattr(group, f"has_{key}") and getattr(group, f"rank_{key}") <= NAMED:
                named[key].append(group)
    return {
        "groups": counts["groups"],
        "attention": counts["attention"],
        "by_reason": [
            (REASONS[key], counts[key], key, named[key], counts[key] - NAMED)
            for key in REASONS
            if counts[key]
        ],
    }
