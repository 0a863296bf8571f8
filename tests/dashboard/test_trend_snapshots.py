"""The trends page reads kept months: the daily job keeps each month that has ended once,
as things stood at its end (the ground-rules share, the venue checks and the actions);
this month comes from the groups' summary rows and what was done since it began."""

import io
import re

from django.core.management import call_command
from django.urls import reverse

from groups.models import Group, Membership, Organisation
from safespace.dashboard.models import TrendMonth
from safespace.dashboard.services import snapshot_trends
from safespace.dashboard.trends import last_months, rules_share
from tests.builders import add_member, make_organisation, make_user
from tests.dashboard.test_trends import month_name
from venues.models import Action, Assessment


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
    # Before the job has run, the months that have ended are not known yet: waiting since
    # Ash began (M-6), 0 of 0 before.
    assert _share(client_for, coordinator, org) == [(0, 0)] * 5 + [(None, None)] * 6 + [
        from_history[-1]
    ]

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


def _venue_trends(client_for, coordinator, org):
    response = client_for(coordinator).get(reverse("trends", args=[org.slug]))
    assert response.status_code == 200
    scores = [(p["count"], p["being"], p["feeling"]) for p in response.context["scores"]]
    actions = [(p["opened"], p["closed"]) for p in response.context["actions"]]
    return scores, actions


def _checks_and_actions(ss, org, ash):
    """A check of Ash's room two months ago, with an action opened then and closed a
    month ago; another check this month, with an action opened and closed today."""
    fay = Membership.objects.get(group=ash, role=Membership.Role.FACILITATOR).user
    room = ss.venue(org, "Ash room", used_by=[ash])
    old = ss.assess(ash, room, fay, {"staffed": "no"}, when=ss.at(ss.in_month(2, 10)))
    ss.close(
        ss.action(old, "staffed", fay, created=ss.at(ss.in_month(2, 11))),
        when=ss.at(ss.in_month(1, 5)),
    )
    new = ss.assess(ash, room, fay, {"staffed": "partly"})
    ss.close(ss.action(new, "staffed", fay))
    return old, new


def test_venue_checks_and_actions_are_kept_by_month_and_this_month_is_counted_live(ss, client_for):
    org, coordinator, ash, _pat = _world(ss)
    old, new = _checks_and_actions(ss, org, ash)
    scores, actions = _venue_trends(client_for, coordinator, org)
    # Before the job has run, only this month is known (the months since Ash began wait).
    this_month = (1, new.being_safe_score, new.feeling_safe_score)
    assert scores == [(0, None, None)] * 5 + [(None, None, None)] * 6 + [this_month]
    assert actions == [(0, 0)] * 5 + [(None, None)] * 6 + [(1, 1)]

    snapshot_trends()
    scores, actions = _venue_trends(client_for, coordinator, org)
    assert scores[9] == (1, old.being_safe_score, old.feeling_safe_score)
    assert scores[:9] + scores[10:11] == [(0, None, None)] * 10
    assert actions == [(0, 0)] * 9 + [(1, 0), (0, 1), (1, 1)]

    # The months kept stay as they stood at their end, whatever happens to history.
    Assessment.objects.filter(pk=old.pk).update(being_safe_score=0, feeling_safe_score=0)
    Action.objects.filter(answer__assessment=old).delete()
    assert _venue_trends(client_for, coordinator, org) == (scores, actions)


def test_the_job_fills_in_months_kept_before_their_checks_and_actions_were(ss, client_for):
    org, coordinator, ash, _pat = _world(ss)
    old, _new = _checks_and_actions(ss, org, ash)
    snapshot_trends()
    shown = _venue_trends(client_for, coordinator, org)
    kept = TrendMonth.objects.filter(organisation=org)
    kept.update(checks=None, being=None, feeling=None, opened=None, closed=None)
    share = _share(client_for, coordinator, org)
    assert _venue_trends(client_for, coordinator, org) != shown

    assert snapshot_trends() == 11  # each month filled in from history, once
    assert _venue_trends(client_for, coordinator, org) == shown
    assert _share(client_for, coordinator, org) == share  # the share kept as it was
    assert snapshot_trends() == 0


def test_a_month_not_kept_yet_says_so_and_not_that_nothing_happened(ss, client_for):
    """Until the job's first run after a month ends, the page says that month's figures
    are not worked out yet, in each table and above them, rather than show 0 checks and
    0 of 0 groups; a month that ended before the organisation's first group began (Ash,
    M-6; the organisation itself was made today) has nothing to say.
    Once the job has run, every month shows its figures."""
    org, coordinator, ash, _pat = _world(ss)
    old, _new = _checks_and_actions(ss, org, ash)
    waiting = [ss.month_start(n) for n in range(6, 0, -1)]  # M-6 to M-1

    def page():
        response = client_for(coordinator).get(reverse("trends", args=[org.slug]))
        assert response.status_code == 200
        return response, response.content.decode()

    response, html = page()
    assert response.context["waiting"] == waiting
    assert [p["groups"] for p in response.context["share"]] == [0] * 5 + [None] * 6 + [1]
    assert [p["count"] for p in response.context["scores"]] == [0] * 5 + [None] * 6 + [1]
    assert [p["opened"] for p in response.context["actions"]] == [0] * 5 + [None] * 6 + [1]
    names = [month_name(m) for m in waiting]
    said = re.sub(r"\s+", " ", re.search(r'<p class="callout">(.*?)</p>', html, re.S).group(1))
    assert said.startswith("Figures not worked out yet for: " + ", ".join(names) + ". ")
    before = [month_name(ss.month_start(n)) for n in range(11, 6, -1)]  # M-11 to M-7
    nothing = (["–", "0 of 0"], ["–", "–", "0"], ["0", "0"])  # share, scores, actions
    for index, cells in enumerate(nothing):
        rows = ss.table_texts(html, index)[1:]
        assert rows[:5] == [[name, *cells] for name in before]
        assert rows[5:11] == [[name, "Not worked out yet"] for name in names]
    # A month waiting has no bar (not one of 0 actions); a month before the organisation
    # began has its bars of 0.
    actions_svg = re.findall(r"<svg\b.*?</svg>", html, flags=re.S)[2]
    for first in waiting:
        assert f"<title>Actions opened, {first:%b %Y}: " not in actions_svg
    assert f"<title>Actions opened, {ss.month_start(7):%b %Y}: 0</title>" in actions_svg

    snapshot_trends()
    response, html = page()
    assert response.context["waiting"] == []
    assert "Not worked out yet" not in html
    assert "not worked out yet" not in html
    assert response.context["scores"][9]["count"] == 1
    assert response.context["scores"][9]["being"] == old.being_safe_score


def test_only_the_month_just_ended_waits_for_the_job(ss, client_for):
    """The job has kept every month but the one just ended (the first of a month, before
    the job's first run): only that month waits."""
    org, coordinator, _ash, _pat = _world(ss)
    Organisation.objects.filter(pk=org.pk).update(created=ss.at(ss.in_month(6, 1)))
    snapshot_trends()
    TrendMonth.objects.filter(organisation=org, month=ss.month_start(1)).delete()
    response = client_for(coordinator).get(reverse("trends", args=[org.slug]))
    assert response.context["waiting"] == [ss.month_start(1)]
    assert f"worked out yet for: {month_name(ss.month_start(1))}. " in response.content.decode()
    assert [p["groups"] for p in response.context["share"]][9:] == [1, None, 1]
