"""Month-by-month trends for an organisation over the last 12 months.

The ground-rules share of each month that has ended is kept (TrendMonth, by the daily
job `snapshot_trends`); `rules_share` works it out from history, as things stood at the
end of each month, for that job and no page. This month's share is read from the
groups' summary rows. Venue scores and actions are counted by month in SQL.
"""

import calendar
from datetime import date, datetime, time

from django.db.models import Avg, Count, F, Q
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


def kept_rules_share(organisation, months):
    """Per month: as rules_share, from the kept months (a month not kept yet shows no
    groups) and, for this month (the last), the groups' summary rows: two queries."""
    kept = {
        t.month: t
        for t in TrendMonth.objects.filter(organisation=organisation, month__in=months[:-1])
    }
    now = summaries_of(organisation).aggregate(
        groups=Count("pk"),
        good=Count(
            "pk", filter=Q(current_version__isnull=False, review_overdue=False) & Q(all_agreed=True)
        ),
    )
    points = []
    for first in months[:-1]:
        t = kept.get(first)
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


def venue_scores(organisation, months):
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
                "being": round(r["being"]) if r and r["being"] is not None else None,
                "feeling": round(r["feeling"]) if r and r["feeling"] is not None else None,
                "count": r["n"] if r else 0,
            }
        )
    return points


def action_counts(organisation, months):
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
