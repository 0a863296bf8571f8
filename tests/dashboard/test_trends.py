"""Trends over the last 12 months, worked out by hand month by month.

M-k below is the month k months before this one; M0 is this month, whose figures
are as things stand today. Every fact is back-dated into a past month with
queryset .update(), so the expected figures do not depend on today's date.

Ground rules, at the end of each month (share of active groups whose adopted rules
every current member had agreed to, and not overdue for review):

    Rowan   created M-11 d1, adopted M-11 d3 (both agreed M-11 d2), reviewed every
            12 months, archived M-3 d10: good M-11 … M-4, gone from M-3
    Quince  created M-9 d5, adopted M-9 d20 (2 of 3 agreed M-9 d15; the third left
            M-8 d1 without agreeing), reviewed every 3 months, a review M-5 d2:
            M-9 no (the third still a member), M-8 yes, M-7 yes, M-6 no (due M-6 d20),
            M-5 … M-3 yes (next due M-2 d2), M-2 … M0 no
    Pine    created M-6 d10, adopted M-5 d20; the facilitator agreed M-5 d18, the
            first peer M-4 d5; a second peer joined M-2 d10 and agreed M-1 d3:
            M-6 no (no rules), M-5 no, M-4 yes, M-3 yes, M-2 no, M-1 yes, M0 yes

    month   M-11 M-10 M-9 M-8 M-7 M-6 M-5 M-4 M-3 M-2 M-1 M0
    groups     1    1   2   2   2   3   3   3   2   2   2  2
    good       1    1   1   2   2   1   2   3   2   0   1  1
    share    100  100  50 100 100  33  67 100 100   0  50 50

Venue checks submitted: M-4 two (85/80 and 75/60: averages 80 and 70), M-2 one
(100/50); also M-12 (too old), one in progress and one of another organisation,
none of which count.

Actions: opened M-4 d10 (closed M-3 d5), M-4 d12 (open), M-2 d1 (closed M-2 d20),
M-13 (closed M-1 d2); one of another organisation opened M-4.
"""

import re

import pytest
from django.urls import reverse
from django.utils import dateformat

from groups import summaries
from groups.models import Group, Membership
from safespace.dashboard.services import snapshot_trends
from tests import builders
from tests.builders import built_once, fresh, make_organisation, make_user
from venues import services as venue_services

# Trendside is built once for the module and is there for every test in it, so that
# what a test sees does not depend on which tests ran before it.
pytestmark = pytest.mark.usefixtures("history_world")

SHARE = [100, 100, 50, 100, 100, 33, 67, 100, 100, 0, 50, 50]
GROUPS = [1, 1, 2, 2, 2, 3, 3, 3, 2, 2, 2, 2]
GOOD = [1, 1, 1, 2, 2, 1, 2, 3, 2, 0, 1, 1]
NONE = [None] * 12
BEING = NONE[:7] + [80, None, 100, None, None]
FEELING = NONE[:7] + [70, None, 50, None, None]
CHECKS = [0] * 7 + [2, 0, 1, 0, 0]
OPENED = [0] * 7 + [2, 0, 1, 0, 0]
CLOSED = [0] * 8 + [1, 1, 1, 0]


def build_history(ss):
    m, at = ss.in_month, ss.at
    coordinator = make_user("Tess Coordinator")
    org = make_organisation("Trendside", coordinators=[coordinator])
    fay, pat, pip, quinn, qia, quo, ray, rue = ss.people(
        "Fay Facilitator",
        "Pat Peer",
        "Pip Peer",
        "Quinn Facilitator",
        "Qia Peer",
        "Quo Peer",
        "Ray Facilitator",
        "Rue Peer",
    )

    def backdate(group, created, archived=None):
        Group.objects.filter(pk=group.pk).update(created=at(created), archived_at=archived)
        summaries.refresh([group.pk])
        Membership.objects.filter(group=group).update(joined_at=at(created))

    rowan = ss.group(org, "Rowan", facilitators=[ray], peers=[rue])
    version = ss.adopt(rowan, ray, agreeing=[ray, rue], when=at(m(11, 3)))
    for user in (ray, rue):
        ss.agreed_at(version, user, at(m(11, 2)))
    ss.review_every(rowan, 12)
    backdate(rowan, m(11, 1), archived=at(m(3, 10)))

    quince = ss.group(org, "Quince", facilitators=[quinn], peers=[qia, quo])
    version = ss.adopt(quince, quinn, agreeing=[quinn, qia], when=at(m(9, 20)))
    for user in (quinn, qia):
        ss.agreed_at(version, user, at(m(9, 15)))
    ss.review_every(quince, 3)
    ss.review(quince, version, m(5, 2))
    backdate(quince, m(9, 5))
    ss.leave(quince, quo, when=at(m(8, 1)))

    pine = ss.group(org, "Pine", facilitators=[fay], peers=[pat, pip])
    version = ss.adopt(pine, fay, agreeing=[fay, pat, pip], when=at(m(5, 20)))
    ss.agreed_at(version, fay, at(m(5, 18)))
    ss.agreed_at(version, pat, at(m(4, 5)))
    ss.agreed_at(version, pip, at(m(1, 3)))
    backdate(pine, m(6, 10))
    ss.joined(pine, pip, at(m(2, 10)))

    hall = ss.venue(org, "Pine Hall", used_by=[pine])
    first = ss.assess(
        pine,
        hall,
        fay,
        {"private": "no", "staffed": "partly", "welcoming": "no", "refreshments": "na"},
        when=at(m(4, 8)),
    )
    second = ss.assess(
        pine,
        hall,
        fay,
        {
            "easy-to-find": "no",
            "public-transport": "no",
            "staffed": "partly",
            "refreshments": "na",
            "welcoming": "no",
            "too-clinical": "yes",
        },
        when=at(m(4, 20)),
    )
    third = ss.assess(
        pine,
        hall,
        fay,
        {"welcoming": "no", "too-clinical": "yes", "refreshments": "no"},
        when=at(m(2, 15)),
    )
    old = ss.assess(pine, hall, fay, {"private": "no"}, when=at(m(12, 15)))
    venue_services.start_assessment(group=pine, venue=hall, by=fay)  # in progress
    scores = [(a.being_safe_score, a.feeling_safe_score) for a in (first, second, third)]
    assert [(float(b), float(f)) for b, f in scores] == [(85, 80), (75, 60), (100, 50)]

    ss.close(ss.action(first, "private", fay, created=at(m(4, 10))), when=at(m(3, 5)))
    ss.action(first, "staffed", fay, created=at(m(4, 12)))
    ss.close(ss.action(third, "welcoming", fay, created=at(m(2, 1))), when=at(m(2, 20)))
    ss.close(ss.action(old, "private", fay, created=at(m(13, 10))), when=at(m(1, 2)))

    elsewhere = make_organisation("Trend elsewhere")
    away = ss.group(elsewhere, "Away", facilitators=[fay])
    away_room = ss.venue(elsewhere, "Away Room", used_by=[away])
    bad = ss.assess(away, away_room, fay, {"private": "no", "welcoming": "no"}, when=at(m(4, 9)))
    ss.action(bad, "private", fay, created=at(m(4, 10)))
    return org, coordinator


@pytest.fixture(scope="module")
def history_world(django_db_setup, django_db_blocker):
    """Trendside (with tests/builders.py as `ss`), built once per module; each test
    reads a fresh copy."""
    with built_once(django_db_blocker):
        yield build_history(builders)


@pytest.fixture
def history(history_world, db):
    return fresh(history_world)


@pytest.fixture
def trends(history, client_for):
    org, coordinator = history
    snapshot_trends()  # the daily job keeps the months that have ended
    response = client_for(coordinator).get(reverse("trends", args=[org.slug]))
    assert response.status_code == 200
    return response


def months(ss):
    return [ss.month_start(k) for k in range(11, -1, -1)]


def month_name(day):
    return dateformat.format(day, "F Y")


def test_share_of_groups_with_agreed_in_date_rules(ss, trends):
    share = trends.context["share"]
    assert [p["month"] for p in share] == months(ss)
    assert [p["value"] for p in share] == SHARE
    assert [p["groups"] for p in share] == GROUPS
    assert [p["good"] for p in share] == GOOD


def test_share_in_the_text_table(ss, trends):
    rows = ss.table_texts(trends.content.decode(), 0)
    assert rows[0] == ["Month", "Share", "Groups"]
    assert rows[1:] == [
        [month_name(month), f"{share}%", f"{good} of {groups}"]
        for month, share, good, groups in zip(months(ss), SHARE, GOOD, GROUPS, strict=True)
    ]


def test_venue_scores_by_month(ss, trends):
    scores = trends.context["scores"]
    assert [p["month"] for p in scores] == months(ss)
    assert [p["being"] for p in scores] == BEING
    assert [p["feeling"] for p in scores] == FEELING
    assert [p["count"] for p in scores] == CHECKS
    rows = ss.table_texts(trends.content.decode(), 1)
    assert rows[0] == ["Month", "Being safe", "Feeling safe", "Checks"]

    def pct(value):
        return "–" if value is None else f"{value}%"

    assert rows[1:] == [
        [month_name(month), pct(being), pct(feeling), str(count)]
        for month, being, feeling, count in zip(months(ss), BEING, FEELING, CHECKS, strict=True)
    ]


def test_actions_opened_and_closed_by_month(ss, trends):
    actions = trends.context["actions"]
    assert [p["month"] for p in actions] == months(ss)
    assert [p["opened"] for p in actions] == OPENED
    assert [p["closed"] for p in actions] == CLOSED
    rows = ss.table_texts(trends.content.decode(), 2)
    assert rows[0] == ["Month", "Opened", "Closed"]
    assert rows[1:] == [
        [month_name(month), str(opened), str(closed)]
        for month, opened, closed in zip(months(ss), OPENED, CLOSED, strict=True)
    ]


def test_charts_are_inline_svg_without_script_or_inline_style(ss, trends):
    html = trends.content.decode()
    assert "<script" not in html
    assert not re.search(r"\sstyle=", html)
    svgs = re.findall(r"<svg\b.*?</svg>", html, flags=re.S)
    assert len(svgs) == 3
    titles = [
        "Share of groups with agreed, in-date ground rules, by month",
        "Average venue scores by month",
        "Actions opened and closed by month",
    ]
    for svg, title, chart_id in zip(
        svgs, titles, ["chart-share", "chart-scores", "chart-actions"], strict=True
    ):
        assert f'aria-labelledby="{chart_id}-title"' in svg
        assert f'<title id="{chart_id}-title">{title}</title>' in svg
        assert 'role="img"' in svg
        assert "<foreignObject" not in svg and "href=" not in svg
    share_svg, score_svg, action_svg = svgs
    # one bar per month with a value; every bar says what it shows
    assert share_svg.count("<rect") == 12
    assert score_svg.count("<rect") == 4
    assert action_svg.count("<rect") == 24
    six_ago = dateformat.format(ss.month_start(6), "M Y")
    four_ago = dateformat.format(ss.month_start(4), "M Y")
    # 33% of the 180-pixel plot, on a 0–100 scale
    assert re.search(
        r'height="59.4" class="bar-a"><title>Groups with agreed, in-date rules \(%\), '
        + six_ago
        + ": 33</title>",
        share_svg,
    )
    assert f"<title>Being safe (%), {four_ago}: 80</title>" in score_svg
    assert f"<title>Feeling safe (%), {four_ago}: 70</title>" in score_svg
    # actions are drawn against the largest count (2)
    assert re.search(
        r'height="180.0" class="bar-a"><title>Actions opened, ' + four_ago + ": 2</title>",
        action_svg,
    )


def test_an_organisation_with_nothing_yet(ss, client_for):
    coordinator = make_user("New Coordinator")
    org = make_organisation("Brand new", coordinators=[coordinator])
    response = client_for(coordinator).get(reverse("trends", args=[org.slug]))
    assert response.status_code == 200
    assert [p["value"] for p in response.context["share"]] == NONE
    rows = ss.table_texts(response.content.decode(), 0)
    assert rows[-1] == [month_name(ss.month_start(0)), "–", "0 of 0"]
    assert (
        re.findall(r"<svg\b.*?</svg>", response.content.decode(), flags=re.S)[0].count("<rect") == 0
    )


def test_a_group_created_today_counts_this_month_only(ss, cast, client_for):
    response = client_for(cast.coordinator).get(reverse("trends", args=[cast.org_a.slug]))
    share = response.context["share"]
    assert [p["groups"] for p in share] == [0] * 11 + [1]
    assert share[-1]["value"] == 0  # Group A has no rules yet


def test_adopting_a_new_version_does_not_put_overdue_rules_back_in_date(ss):
    """Elm adopted its first rules in M-9 (reviewed every 6 months: due in M-3) and a
    changed version in M-1, never reviewed: overdue all the same, until a review."""
    from safespace.dashboard.trends import last_months, rules_share

    m, at = ss.in_month, ss.at
    org = make_organisation("Elmside")
    fay, pat = ss.people("Elm Facilitator", "Elm Peer")
    elm = ss.group(org, "Elm", facilitators=[fay], peers=[pat])
    Group.objects.filter(pk=elm.pk).update(created=at(m(10, 1)))
    Membership.objects.filter(group=elm).update(joined_at=at(m(10, 1)))
    first = ss.adopt(elm, fay, ["Listen."], agreeing=[fay, pat], when=at(m(9, 20)))
    for user in (fay, pat):
        ss.agreed_at(first, user, at(m(9, 15)))
    second = ss.adopt(elm, fay, ["Listen.", "Be kind."], agreeing=[fay, pat], when=at(m(1, 5)))
    for user in (fay, pat):
        ss.agreed_at(second, user, at(m(1, 4)))
    ss.review_every(elm, 6)

    today = ss.today()
    good = [p["good"] for p in rules_share(org, last_months(today), today)]
    assert good == [0, 0, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0]

    ss.review(elm, second, m(1, 10))
    good = [p["good"] for p in rules_share(org, last_months(today), today)]
    assert good == [0, 0, 1, 1, 1, 1, 1, 1, 0, 0, 1, 1]
