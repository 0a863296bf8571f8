"""The trends page reads kept months: the daily job keeps each month that has ended once,
as things stood at its end; this month comes from the groups' summary rows."""

import io

from django.core.management import call_command
from django.urls import reverse

from groups.models import Group, Membership
from safespace.dashboard.models import TrendMonth
from safespace.dashboard.services import snapshot_trends
from safespace.dashboard.trends import last_months, rules_share
from tests.builders import add_member, make_organisation, make_user


def _world(ss):
    """Ash: rules adopted and agreed by both members four months ago."""
    coordinator = make_user("Tia Coordinator")
    org = make_organisation("Trendton", coordinators=[coordinator])
    fay, pat = ss.people("Ash Facilitator", "Ash Peer")
    ash = ss.group(org, "Ash", facilitators=[fay], peers=[pat])
    start = ss.at(ss.in_month(6, 1))
    Group.objects.filter(pk=ash.pk).update(created=start)
    Membership.objects.filter(group=ash).update(joined_at=start)
    version = ss.adopt(ash, fay, agreeing=[fay, pat], when=ss.at(ss.in_month(4, 10)))
    for user in (fay, pat):
        ss.agreed_at(version, user, ss.at(ss.in_month(4, 9)))
    return org, coordinator, ash, pat


def _share(client_for, coordinator, org):
    response = client_for(coordinator).get(reverse("trends", args=[org.slug]))
    assert response.status_code == 200
    return [(p["good"], p["groups"]) for p in response.context["share"]]


def test_the_job_keeps_each_ended_month_once(ss, client_for):
    org, coordinator, _ash, _pat = _world(ss)
    today = ss.today()
    from_history = [(p["good"], p["groups"]) for p in rules_share(org, last_months(today), today)]
    # Before the job has run, the months that have ended are not known yet.
    assert _share(client_for, coordinator, org) == [(0, 0)] * 11 + [from_history[-1]]

    out = io.StringIO()
    call_command("snapshot_trends", stdout=out)
    assert TrendMonth.objects.filter(organisation=org).count() == 11
    assert _share(client_for, coordinator, org) == from_history
    assert from_history == [(0, 0)] * 5 + [(0, 1)] * 2 + [(1, 1)] * 5

    call_command("snapshot_trends", stdout=out)  # again: nothing more to keep
    assert TrendMonth.objects.filter(organisation=org).count() == 11
    assert snapshot_trends() == 0


def test_a_kept_month_stays_as_it_was_and_this_month_follows_the_change(ss, client_for):
    org, coordinator, ash, pat = _world(ss)
    snapshot_trends()
    before = _share(client_for, coordinator, org)
    assert before[-1] == (1, 1)

    # Pat leaves, and a newcomer who has not agreed joins: this month no longer counts,
    # the months kept stay as they stood at their end.
    ss.leave(ash, pat)
    add_member(ash, make_user("New Peer"))
    after = _share(client_for, coordinator, org)
    assert after[:-1] == before[:-1]
    assert after[-1] == (0, 1)
