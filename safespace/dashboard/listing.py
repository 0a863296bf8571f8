"""The dashboard's list in SQL, from each group's summary row (groups.summaries).

Filters, sorting, the reasons' counts and the page are worked out by the database, so a
page reads its 50 rows whatever the size of the organisation (rows.SummaryRow shows them).
The reasons are table.REASONS, said here once more as conditions on the summary's
columns; each row keeps its urgency (the sum of table.WEIGHTS: rows.derive) and its
reasons' bits. The index on (organisation, urgency, name) gives the default order and
each reason's first groups without sorting the organisation; the one on (organisation,
format, reasons) the counts, without reading the rows.
"""

import functools
import hashlib
import operator
from types import SimpleNamespace

from django.db import connection
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
from groups.selectors import summaries_of

from . import prepared
from .rows import reasons_of
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


def matching(*, search="", attention=False, reason="", group_format="", facilitator="") -> Q:
    """The dashboard's filters as one condition on a GroupSummary queryset."""
    conditions = reason_conditions()
    wanted = Q()
    if search:
        wanted &= Q(name_key__icontains=search)
    if attention:
        wanted &= Q(urgency__gt=0)
    if reason in conditions:
        wanted &= conditions[reason]
    if group_format:
        wanted &= Q(format=group_format)
    if facilitator:
        wanted &= Q(
            Exists(
                Membership.objects.current()
                .facilitators()
                .filter(
                    group=OuterRef("group_id"),
                    user__display_name__icontains=facilitator.strip(),
                )
            )
        )
    return wanted


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
    "format": [F("format")],
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


def page_of(organisation, filters: dict, sort: str, descending: bool, start: int, size: int):
    """One page of the table: the summary rows (as dicts) `matching` the filters, in
    `ordered`'s order, `size` of them from `start`. Each set of filters, order and page is
    a query of its own shape, compiled once per process (prepared.py: building and
    compiling it took longer than running it); a search by name or facilitator, whose
    words are the query's, is built each time."""
    if filters.get("search") or filters.get("facilitator"):
        rows = ordered(summaries_of(organisation).filter(matching(**filters)), sort, descending)
        return list(rows[start : start + size].values())
    chosen = (
        bool(filters.get("attention")),
        filters.get("reason") or "",
        filters.get("group_format") or "",
    )
    return prepared.rows_of(organisation, _page, chosen, sort, descending, start, size)


def _page(rows, chosen, sort, descending, start, size):
    attention, reason, group_format = chosen
    wanted = rows.filter(matching(attention=attention, reason=reason, group_format=group_format))
    return ordered(wanted, sort, descending)[start : start + size].values()


def summary(organisation, filters=None) -> dict:
    """How many of the organisation's current groups need attention, and for each reason
    (most urgent first) how many groups it applies to and the first NAMED of them, most
    urgent first; and how many groups the table's `filters` (`matching`'s arguments)
    leave. Two queries, compiled once per process (prepared.py): one counting every group
    by format and reasons (from an index), one for the reasons' first groups. Only a
    search by name or facilitator needs a third, to count its groups."""
    by_format = _by_format(prepared.rows_of(organisation, _counts))
    counts = {
        key: sum(row[key] for row in by_format.values())
        for key in ["groups", "attention", *REASONS]
    }
    present = tuple(key for key in REASONS if counts[key])
    named = {key: [] for key in present}
    if present:
        for values in prepared.rows_of(organisation, _firsts, present):
            for key in reasons_of(values["reasons"]):
                if key in named and len(named[key]) < NAMED:
                    named[key].append(SimpleNamespace(slug=values["slug"], name=values["name"]))
    said = [counts["groups"], counts["attention"]]
    said += [(key, counts[key], [(g.slug, g.name) for g in named[key]]) for key in present]
    return {
        "groups": counts["groups"],
        "attention": counts["attention"],
        "shown": _shown_count(organisation, by_format, **(filters or {})),
        "by_reason": [
            (REASONS[key], counts[key], key, named[key], counts[key] - NAMED) for key in present
        ],
        # A digest of all it says: the same key, the same words.
        "key": hashlib.sha256(repr(said).encode()).hexdigest(),
    }


def _shown_count(organisation, by_format, **filters) -> int:
    """How many groups the filters leave: from the counts by format, unless a search by
    name or facilitator asks the database. A reason's groups all need attention (every
    weight is above 0), so "needs attention" adds nothing to a reason."""
    if filters.get("search") or filters.get("facilitator"):
        return summaries_of(organisation).filter(matching(**filters)).count()
    reason, group_format = filters.get("reason"), filters.get("group_format")
    column = reason if reason in REASONS else "attention" if filters.get("attention") else "groups"
    pool = [by_format.get(group_format, {})] if group_format else by_format.values()
    return sum(row.get(column, 0) for row in pool)


def _counts(rows):
    """How many groups each format has with each set of reasons (`reasons`, its bits): a
    scan of the small index on (organisation, format, reasons) alone."""
    return rows.order_by().values("format", "reasons").annotate(groups=Count("*"))


def _by_format(counted) -> dict:
    """{format: its groups, those needing attention, and each reason's groups}, from
    `_counts`' rows. A group needs attention when any reason applies (every weight is
    above 0)."""
    by_format = {}
    for row in counted:
        counts = by_format.setdefault(
            row["format"], dict.fromkeys(["groups", "attention", *REASONS], 0)
        )
        bits, groups = row["reasons"], row["groups"]
        counts["groups"] += groups
        counts["attention"] += groups if bits else 0
        for key in reasons_of(bits):
            counts[key] += groups
    return by_format


def _firsts(rows, present):
    """The first NAMED groups of each reason in `present`, read in the index's order,
    together: each group's reasons (its bits), address and name, most urgent first."""
    conditions = reason_conditions()
    firsts = [rows.filter(conditions[key]).order_by(*URGENT_FIRST)[:NAMED] for key in present]
    ids = [first.values("pk") for first in firsts]
    if len(ids) > 1 and connection.features.supports_slicing_ordering_in_compound:
        # PostgreSQL: the few ids of the reasons' firsts together (a UNION), each row then
        # read by its key; tested row by row against each reason's list, every one of the
        # organisation's rows was read (about 4 ms of a 5,000-group dashboard).
        wanted = Q(pk__in=ids[0].union(*ids[1:]))
    else:
        # SQLite takes no LIMIT in a UNION's parts.
        wanted = functools.reduce(operator.or_, (Q(pk__in=first) for first in ids))
    return rows.filter(wanted).order_by(*URGENT_FIRST).values("reasons", "slug", "name")
