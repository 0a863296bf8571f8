"""Facts about many groups at once, in a fixed number of queries."""

from dataclasses import dataclass

from django.db.models import Count, Min, Subquery
from django.db.models.functions import Coalesce

from .models import Concern
from .prepared import Prepared


def count_per_group(rows):
    """An annotation of a Group queryset: how many of `rows` (a queryset already
    filtered on group=OuterRef("pk")) each group has, 0 for none. Several such counts
    beside other per-group facts make one query instead of one each."""
    counted = rows.order_by().values("group").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted), 0)


@dataclass
class OpenConcerns:
    """Private messages of one group that nobody has followed up yet, by addressee.

    Counts and dates only, never words or names. Who may be told which count is the
    caller's business (groups.selectors.concerns_for_user says who reads what): a
    coordinator's dashboard shows `coordinators`; `facilitators` is for the group's
    facilitators, and must never reach a page a facilitator would see for `coordinators`.
    """

    facilitators: int = 0
    coordinators: int = 0
    oldest_to_facilitators: object = None  # datetime of the oldest open one, or None
    oldest_to_coordinators: object = None


def open_concerns(group_ids) -> dict:
    """{group_id: OpenConcerns} for every id given (zeros where there are none): one query."""
    facts = {gid: OpenConcerns() for gid in group_ids}
    for row in _open_concerns(groups=list(facts)):
        fact = facts[row["group_id"]]
        if row["to"] == Concern.To.FACILITATORS:
            fact.facilitators, fact.oldest_to_facilitators = row["n"], row["oldest"]
        else:
            fact.coordinators, fact.oldest_to_coordinators = row["n"], row["oldest"]
    return facts


_open_concerns = Prepared(
    lambda groups: (
        Concern.objects.open()
        .filter(group_id__in=groups)
        .values("group_id", "to")
        .annotate(n=Count("pk"), oldest=Min("created"))
        .order_by()
    ),
    groups=list,
)
