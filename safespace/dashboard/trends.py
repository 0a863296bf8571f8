"""Month-by-month trends for an organisation over the last 12 months.

Each month that has ended is kept (TrendMonth, by the daily job `snapshot_trends`): its
ground-rules share, which `rules_share` works out from history as things stood at the
end of each month, and its venue checks and actions, which `venue_scores` and
`action_counts` count by month; for that job and no page. The page reads the kept
months (`kept_months`), and this month: its share from the groups' summary rows, its
checks and actions counted since the month began (`this_month`). A month that has ended
and is not kept yet (until the job's first run after it ends) is said to be waiting
(`waiting_months`), not shown as a month with nothing in it.
"""

import calendar
from datetime import date, datetime, time

from django.db.models import Avg, Count, F, Min, Q
from django.db.models.functions import TruncMonth
from django.utils import timezone

from groundrules.facts import review_due
from groundrules.models import Agreement, Review, Rulebook, Version
from groups.dates import add_months
from groups.models import Group, Membership
from groups.selectors import summaries_of
from venues.models import Action, Assessment

from .models import TrendMonth


def last_months(today, count=12):
    first = date(today.year, today.month, 1)
    return [add_months(first, -i) for i in range(count - 1, -1, -1)]


def _month_end(first: date, today: date) -> datetime:
    last_day = date(first.year, first.month, calendar.monthrange(first.year, first.month)[1])
    day = min(last_day, today)
    return timezone.make_aware(datetime.combine(day, time.max))


def rules_share(organisation, months, today):
    """Per month: % of groups with adopted, in-date rules that every current member agreed."""
    groups = list(
        Group.objects.filter(organisation=organisation).values("pk", "created", "archived_at")
    )
    ids = [g["pk"] for g in groups]
    versions = list(
        Version.objects.filter(
            group_id__in=ids,
            status__in=[Version.Status.ADOPTED, Version.Status.SUPERSEDED],
            closed_at__isnull=False,
        ).values("pk", "group_id", "closed_at")
    )
    memberships = list(
        Membership.objects.filter(group_id__in=ids).values(
            "group_id", "user_id", "joined_at", "left_at"
        )
    )
    agreements = {}
    for version_id, user_id, updated in Agreement.objects.filter(
        version__group_id__in=ids,
        answer=Agreement.Answer.AGREE,
        content_hash=F("version__content_hash"),
    ).values_list("version_id", "user_id", "updated"):
        agreements[(version_id, user_id)] = updated
    reviews = {}
    for group_id, held_on in Review.objects.filter(group_id__in=ids).values_list(
        "group_id", "held_on"
    ):
        reviews.setdefault(group_id, []).append(held_on)
    intervals = dict(
        Rulebook.objects.filter(group_id__in=ids).values_list("group_id", "review_every_months")
    )

    by_group_versions = {}
    for v in versions:
        by_group_versions.setdefault(v["group_id"], []).append(v)
    by_group_members = {}
    for m in memberships:
        by_group_members.setdefault(m["group_id"], []).append(m)

    points = []
    for first in months:
        end = _month_end(first, today)
        active = [
            g
            for g in groups
            if g["created"] <= end and (g["archived_at"] is None or g["archived_at"] > end)
        ]
        good = 0
        for g in active:
            gid = g["pk"]
            adopted = [v for v in by_group_versions.get(gid, []) if v["closed_at"] <= end]
            if not adopted:
                continue
            current = max(adopted, key=lambda v: v["closed_at"])
            first_adopted = min(v["closed_at"] for v in adopted)
            held = [d for d in reviews.get(gid, []) if d <= end.date()]
            last_held = max(held) if held else None
            if review_due(first_adopted, last_held, intervals.get(gid)) < end.date():
                continue
            members = [
                m
                for m in by_group_members.get(gid, [])
                if m["joined_at"] <= end and (m["left_at"] is None or m["left_at"] > end)
            ]
            agreed_by_end = [agreements.get((current["pk"], m["user_id"])) for m in members]
            if members and all(when is not None and when <= end for when in agreed_by_end):
                good += 1
        share = round(100 * good / len(active)) if active else None
        points.append({"month": first, "value": share, "groups": len(active), "good": good})
    return points


def _share(good, groups):
    return round(100 * good / groups) if groups else None


def kept_months(organisation, months) -> dict:
    """{month: TrendMonth} of the months of `months` that have ended and are kept."""
    return {
        t.month: t
        for t in TrendMonth.objects.filter(organisation=organisation, month__in=months[:-1])
    }


def waiting_months(organisation, months, kept) -> set:
    """The months of `months` that have ended, whose figures the daily job has not kept
    yet (the month just ended, until the job's first run after it), and in which the
    organisation or one of its groups existed: the page says they are waiting rather than
    show them as empty. A month that ended before any of it began has nothing to keep."""
    missing = [m for m in months[:-1] if m not in kept or kept[m].checks is None]
    if not missing:
        return set()
    first_group = Group.objects.filter(organisation=organisation).aggregate(at=Min("created"))
    began = min(at for at in (organisation.created, first_group["at"]) if at is not None)
    return {m for m in missing if timezone.localdate(began) < add_months(m, 1)}


def kept_rules_share(organisation, months, kept, waiting):
    """Per month: as rules_share, from the kept months (`kept_months`: a month not kept
    yet shows no groups, or nothing at all if it is `waiting`) and, for this month (the
    last), the groups' summary rows."""
    now = summaries_of(organisation).aggregate(
        groups=Count("pk"),
        good=Count(
            "pk", filter=Q(current_version__isnull=False, review_overdue=False) & Q(all_agreed=True)
        ),
    )
    points = []
    for first in months[:-1]:
        t = kept.get(first)
        if first in waiting and t is None:
            points.append({"month": first, "value": None, "groups": None, "good": None})
            continue
        groups, good = (t.groups, t.good) if t else (0, 0)
        points.append(
            {"month": first, "value": _share(good, groups), "groups": groups, "good": good}
        )
    points.append(
        {
            "month": months[-1],
            "value": _share(now["good"], now["groups"]),
            "groups": now["groups"],
            "good": now["good"],
        }
    )
    return points


def this_month(organisation, today) -> dict:
    """This month's venue checks (how many, their average scores) and actions (opened,
    closed), counted since its first day began here: two queries."""
    start = timezone.make_aware(datetime.combine(today.replace(day=1), time.min))
    checks = (
        Assessment.objects.submitted()
        .filter(group__organisation=organisation, submitted_at__gte=start)
        .aggregate(being=Avg("being_safe_score"), feeling=Avg("feeling_safe_score"), n=Count("id"))
    )
    opened, closed = Q(created__gte=start), Q(closed_at__gte=start)
    actions = (
        Action.objects.filter(group__organisation=organisation)
        .filter(opened | closed)
        .aggregate(opened=Count("id", filter=opened), closed=Count("id", filter=closed))
    )
    return {**checks, **actions}


def _score(value):
    return None if value is None else round(value)


def _series(months, kept, figures, unknown, now, waiting) -> list:
    """Per month: `figures(t)` of each kept month (`unknown` for one not kept yet, or kept
    before its checks and actions were; None for each figure of a `waiting` one), then
    `now` for this month (the last)."""
    points = []
    for first in months[:-1]:
        t = kept.get(first)
        if t is not None and t.checks is not None:
            points.append({"month": first, **figures(t)})
        elif first in waiting:
            points.append({"month": first, **dict.fromkeys(unknown)})
        else:
            points.append({"month": first, **unknown})
    points.append({"month": months[-1], **now})
    return points


def kept_venue_scores(months, kept, now, waiting) -> list:
    """Per month: as venue_scores, from the kept months (none in a month not kept yet)
    and, for this month, `now` (`this_month`)."""
    return _series(
        months,
        kept,
        lambda t: {"being": _score(t.being), "feeling": _score(t.feeling), "count": t.checks},
        {"being": None, "feeling": None, "count": 0},
        {"being": _score(now["being"]), "feeling": _score(now["feeling"]), "count": now["n"]},
        waiting,
    )


def kept_action_counts(months, kept, now, waiting) -> list:
    """Per month: as action_counts, from the kept months (none in a month not kept yet)
    and, for this month, `now` (`this_month`)."""
    return _series(
        months,
        kept,
        lambda t: {"opened": t.opened, "closed": t.closed},
        {"opened": 0, "closed": 0},
        {"opened": now["opened"], "closed": now["closed"]},
        waiting,
    )


def venue_scores(organisation, months):
    """Per month of `months`: the venue checks submitted in it, with their average
    scores (unrounded), from history: for the job that keeps the months."""
    start = months[0]
    rows = (
        Assessment.objects.submitted()
        .filter(group__organisation=organisation, submitted_at__date__gte=start)
        .annotate(month=TruncMonth("submitted_at"))
        .values("month")
        .annotate(being=Avg("being_safe_score"), feeling=Avg("feeling_safe_score"), n=Count("id"))
    )
    by_month = {
        timezone.localdate(r["month"]).replace(day=1)
        if isinstance(r["month"], datetime)
        else r["month"].replace(day=1): r
        for r in rows
    }
    points = []
    for first in months:
        r = by_month.get(first)
        points.append(
            {
                "month": first,
                "being": r["being"] if r else None,
                "feeling": r["feeling"] if r else None,
                "count": r["n"] if r else 0,
            }
        )
    return points


def action_counts(organisation, months):
    """Per month of `months`: the actions opened and closed in it, from history: for the
    job that keeps the months."""
    start = months[0]
    actions = Action.objects.filter(group__organisation=organisation)

    def by_month(field):
        rows = (
            actions.filter(**{f"{field}__date__gte": start})
            .annotate(month=TruncMonth(field))
            .values("month")
            .annotate(n=Count("id"))
        )
        result = {}
        for r in rows:
            month = r["month"]
            month = timezone.localdate(month) if isinstance(month, datetime) else month
            result[month.replace(day=1)] = r["n"]
        return result

    opened, closed = by_month("created"), by_month("closed_at")
    return [{"month": m, "opened": opened.get(m, 0), "closed": closed.get(m, 0)} for m in months]
