"""The dashboard, its export, the safety page, the home pages and the trends page do a
constant number of SQL queries, whatever the number of groups, members and facts.

Each page is rendered with two small groups (built through the services), then the
organisation grows to 30 groups of 8 members, each with 2 versions of its rules and
answers to both, a venue checked twice, open and overdue actions, peers' answers,
breaches, a review and a suggestion; and the page is rendered again. The count must be
the same, and it is pinned in QUERIES so that any change is seen and explained. The
content is checked both times: a page that does few queries because it shows nothing
would be no success.
"""

import hashlib
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from groundrules.models import Agreement, Breach, Proposal, Review, Rule, Version
from groups import summaries
from groups.dates import quarter
from groups.models import Group, Membership
from groups.services import new_group_slug
from safespace.dashboard.models import TrendMonth
from safespace.dashboard.services import snapshot_trends
from tests import pages
from tests.builders import make_organisation, make_user
from venues.models import (
    Action,
    Answer,
    Assessment,
    FeedbackRelease,
    PooledAnswer,
    Question,
    ReleasedAnswer,
    Venue,
    VenueUse,
)

# Every count starts with 2: the session and the signed-in user; then the second-factor gate.
# The second-factor gate (safespace/accounts/second_factor/middleware.py) adds one query to
# every request of someone signed in but not verified by a second factor, as here.
SECOND_FACTOR = 1
RULES_FACTS = 4  # current members; versions; answers to them (kept only for current
# members); per group, in one query: review interval, first adoption, last review,
# breaches in 90 days and open suggestions
VENUE_FACTS = 4  # per group, in one query: its check interval, open and overdue
# actions; venues used; submitted checks; peers' released answers
# The dashboard and the safety page also put each venue's checklist beside peers' answers
# (the latest checks' answers where they meet), and count open private concerns.
COMPARE_AND_CONCERNS = 2
# The dashboard is read from the groups' summary rows (groups.summaries): one scan counts
# every group, those needing attention and each reason's, by format; the first groups
# named under every reason; the page's 50 with their summaries; their facilitators.
LISTING = 4
QUERIES = {
    # the organisation; the listing
    "dashboard": 2 + SECOND_FACTOR + 1 + LISTING,
    # the same, and a count of the groups left by a search by name and facilitator (the
    # other filters are counted by the scan); filters and sort are conditions of the page
    "dashboard filtered": 2 + SECOND_FACTOR + 1 + LISTING + 1,
    # the organisation; noting the download on the audit trail (a savepoint, the insert,
    # its release); then, as it streams, per 1,000 groups: their summaries, their
    # facilitators
    "csv": 2 + SECOND_FACTOR + 1 + 3 + 2,
    # the group (with the viewer's role); its facilitators; rules facts; venue facts; the
    # checklist beside peers; open concerns
    "safety": 2 + SECOND_FACTOR + 1 + 1 + RULES_FACTS + VENUE_FACTS + COMPARE_AND_CONCERNS,
    # organisations coordinated; memberships with groups; rules facts; venue facts; the
    # viewer's venue-check receipts this quarter; names of who has not answered; the
    # viewer's open actions; private messages waiting for them (only asked of people who
    # facilitate or coordinate)
    "home (facilitator)": 2 + SECOND_FACTOR + 1 + 1 + RULES_FACTS + VENUE_FACTS + 1 + 1 + 1 + 1,
    # the same, less the names of who has not answered and the private messages: only
    # facilitators see them
    "home (peer)": 2 + SECOND_FACTOR + 1 + 1 + RULES_FACTS + VENUE_FACTS + 1 + 1,
    # the organisation; the months kept (TrendMonth); this month: the groups' summary rows,
    # the checks submitted, the actions opened and closed (a month not kept yet: one more,
    # for when the organisation's first group began: test_trends_while_a_month_waits)
    "trends": 2 + SECOND_FACTOR + 1 + 1 + 1 + 2,
}

MANY = 30
MEMBERS = 8


def _count(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
        pages.body(response)  # a streamed response does its queries as it is read
    assert response.status_code == 200, (url, response.status_code)
    return len(queries), [q["sql"] for q in queries.captured_queries], response


def _assert_constant(name, client, url, grow, check, django_assert_num_queries):
    small_count, small_sql, small = _count(client, url)
    assert small_count == QUERIES[name], (
        f"{name}: {small_count} queries with little data, pinned at {QUERIES[name]}:\n"
        + "\n".join(small_sql)
    )
    check(small, large=False)
    grow()
    with django_assert_num_queries(small_count):
        large = client.get(url)
        pages.body(large)
    assert large.status_code == 200
    check(large, large=True)


# Data ------------------------------------------------------------------------------


@pytest.fixture
def world(ss):
    """Two small groups built through the services; `world.grow()` makes it 30 big ones."""
    today = ss.today()
    coordinator = make_user("Quentin Coordinator")
    org = make_organisation("Querytown", coordinators=[coordinator])
    facilitator, peer, other = ss.people("Fred Facilitator", "Penny Peer", "Olly Peer")
    w = SimpleNamespace(
        org=org, coordinator=coordinator, facilitator=facilitator, peer=peer, groups=[]
    )
    for i in range(2):
        group = ss.group(org, f"Group {i:02}", facilitators=[facilitator], peers=[peer, other])
        version = ss.adopt(group, facilitator, agreeing=[facilitator, peer])
        ss.answer(ss.put_to_group(group, facilitator, ["Second version."]), facilitator)
        room = ss.venue(org, f"Room {i:02}", used_by=[group])
        check = ss.assess(group, room, facilitator, {"staffed": "partly"})
        ss.action(check, "staffed", facilitator, due_on=today - timedelta(days=1))
        ss.feedback(group, room, 3)
        ss.breach(group, facilitator, today)
        ss.review(group, version, today)
        ss.propose(group, peer)
        w.groups.append(group)

    def grow():
        _grow(w, today)

    w.grow = grow
    return w


def _grow(w, today):
    """Make it 30 groups of 8 current members (and one who left), in a few bulk inserts."""
    now = timezone.now()
    extra = [make_user(f"Member {i}") for i in range(MEMBERS - 3)]
    leaver = make_user("Lee Leaver")
    for i in range(2, MANY):
        w.groups.append(
            Group.objects.create(
                organisation=w.org,
                name=f"Group {i:02}",
                slug=new_group_slug(),
                format=[Group.Format.IN_PERSON, Group.Format.ONLINE, Group.Format.HYBRID][i % 3],
            )
        )
    memberships = []
    for i, group in enumerate(w.groups):
        people = [(u, Membership.Role.PEER) for u in extra]
        if i >= 2:
            people += [
                (w.facilitator, Membership.Role.FACILITATOR),
                (w.peer, Membership.Role.PEER),
                (make_user(f"Third member {i}"), Membership.Role.PEER),
            ]
        memberships += [Membership(group=group, user=u, role=role) for u, role in people]
        memberships.append(
            Membership(
                group=group,
                user=leaver,
                role=Membership.Role.PEER,
                left_at=now,
                ending=Membership.Ending.LEFT,
            )
        )
    Membership.objects.bulk_create(memberships)

    versions, rules = [], []
    for group in w.groups[2:]:
        for number, status in ((1, Version.Status.ADOPTED), (2, Version.Status.IN_ROUND)):
            digest = hashlib.sha256(f"{group.pk}-{number}".encode()).hexdigest()
            versions.append(
                Version(
                    group=group,
                    number=number,
                    status=status,
                    content_hash=digest,
                    round_opened_at=now,
                    closed_at=now if status == Version.Status.ADOPTED else None,
                )
            )
    Version.objects.bulk_create(versions)
    for version in Version.objects.filter(group__in=w.groups):
        rules += [
            Rule(version=version, position=p, text=f"Rule {p}.", category="other") for p in range(5)
        ]
    Rule.objects.bulk_create(rules)
    # Version 1: everyone but the first extra member agreed; version 2: the facilitator
    # and four extra members answered (the peer has not: it asks for their answer).
    answered = set(Agreement.objects.values_list("version_id", "user_id"))
    agreements = []
    for version in Version.objects.filter(group__in=w.groups):
        if version.status == Version.Status.ADOPTED:
            answering = [w.facilitator, w.peer, *extra[1:]]
            answering += list(
                Membership.objects.filter(
                    group=version.group_id, user__display_name__startswith="Third"
                ).values_list("user", flat=True)
            )
        else:
            answering = [w.facilitator, *extra[:4]]
        agreements += [
            Agreement(
                version=version,
                user_id=getattr(user, "pk", user),
                answer=Agreement.Answer.AGREE,
                content_hash=version.content_hash,
            )
            for user in answering
            if (version.pk, getattr(user, "pk", user)) not in answered
        ]
    Agreement.objects.bulk_create(agreements)

    question = Question.objects.get(template__organisation=w.org, key="staffed")
    venues = Venue.objects.bulk_create(
        Venue(organisation=w.org, kind=Venue.Kind.PHYSICAL, name=f"Big room {i:02}")
        for i in range(MANY)
    )
    VenueUse.objects.bulk_create(
        VenueUse(group=group, venue=venue) for group, venue in zip(w.groups, venues, strict=True)
    )
    assessments = Assessment.objects.bulk_create(
        Assessment(
            group=group,
            venue=venue,
            template=question.template,
            submitted_at=now - timedelta(days=days),
            being_safe_score=50 + days % 50,
            feeling_safe_score=60,
            critical_flag=days == 400,
        )
        for group, venue in zip(w.groups, venues, strict=True)
        for days in (400, 10)
    )
    answers = Answer.objects.bulk_create(
        Answer(assessment=a, question=question, value=Answer.Value.PARTLY) for a in assessments
    )
    Action.objects.bulk_create(
        Action(
            answer=answer,
            venue=answer.assessment.venue,
            group=answer.assessment.group,
            what=f"Action {n}",
            owner=w.facilitator,
            due_on=today + timedelta(days=n * 10 - 15),
        )
        for answer in answers
        if answer.assessment.submitted_at > now - timedelta(days=30)
        for n in range(3)
    )
    # Per group: 4 answers released this quarter, an older release, and 2 waiting.
    scores = {"welcome": 4, "physically_safe": 4, "safe_to_talk": 3, "time_out": 5}
    releases = FeedbackRelease.objects.bulk_create(
        FeedbackRelease(group=group, venue=venue, period=period, released_on=today, answers=4)
        for group, venue in zip(w.groups, venues, strict=True)
        for period in (quarter(today), "2000-Q1")
    )
    ReleasedAnswer.objects.bulk_create(
        ReleasedAnswer(release=release, comfortable_with_others=4, **scores)
        for release in releases
        for _ in range(4)
    )
    PooledAnswer.objects.bulk_create(
        PooledAnswer(group=group, venue=venue, comfortable_with_others=1, **scores)
        for group, venue in zip(w.groups, venues, strict=True)
        for _ in range(2)
    )
    Breach.objects.bulk_create(
        Breach(
            group=group,
            occurred_on=today - timedelta(days=d),
            what_happened="x",
            response_taken="y",
        )
        for group in w.groups
        for d in (1, 40, 200)
    )
    Review.objects.bulk_create(
        Review(group=v.group, version=v, held_on=today, participants=4, outcome="no_change")
        for v in Version.objects.filter(group__in=w.groups[2:], status="adopted")
    )
    Proposal.objects.bulk_create(
        Proposal(group=group, kind="add", text="More tea.", reason="Tea.", proposed_by=w.peer)
        for group in w.groups
        for _ in range(2)
    )
    # Written past the services: the summaries are worked out again, as the services would.
    summaries.refresh([g.pk for g in w.groups])


# Pages -----------------------------------------------------------------------------


def _rows_check(ss, expected_small, expected_large):
    def check(response, large):
        rows = ss.dashboard_rows(response)
        assert len(rows) == (expected_large if large else expected_small)
        for cells in rows.values():
            assert cells[2].startswith("Round open (version 2)")
            assert "open" in cells[7]
        if large:
            assert rows["Group 29"][1] == str(MEMBERS)
            assert rows["Group 29"][2] == (
                f"Round open (version 2): 5 agreed · {MEMBERS - 5} not answered "
                f"(of {MEMBERS} members) "
                f"Current: version 1: {MEMBERS - 1} agreed · 1 not answered (of {MEMBERS} members)"
            )
            assert rows["Group 29"][6] == "4.0 of 5 (4 answers)"
            assert rows["Group 29"][7] == "3 open, 2 overdue"
            assert rows["Group 29"][8] == "2"

    return check


def test_dashboard(ss, world, client_for, django_assert_num_queries):
    _assert_constant(
        "dashboard",
        client_for(world.coordinator),
        reverse("dashboard", args=[world.org.slug]),
        world.grow,
        _rows_check(ss, 2, MANY),
        django_assert_num_queries,
    )


def test_dashboard_filtered(ss, world, client_for, django_assert_num_queries):
    query = f"?attention=on&format=in_person&facilitator={world.facilitator.display_name}&q=group"
    query += "&sort=being&order=desc"

    def check(response, large):
        names = ss.row_order(response)
        if large:
            assert len(names) == 2 + len(range(3, MANY, 3))
        else:
            assert names == ["Group 00", "Group 01"]

    _assert_constant(
        "dashboard filtered",
        client_for(world.coordinator),
        reverse("dashboard", args=[world.org.slug]) + query,
        world.grow,
        check,
        django_assert_num_queries,
    )


def test_csv_export(ss, world, client_for, django_assert_num_queries):
    def check(response, large):
        lines = pages.html(response).splitlines()
        assert lines[0].startswith("group,format,facilitators")
        assert len(lines) == 1 + (MANY if large else 2)

    _assert_constant(
        "csv",
        client_for(world.coordinator),
        reverse("dashboard_csv", args=[world.org.slug]) + "?sort=members&order=desc",
        world.grow,
        check,
        django_assert_num_queries,
    )


def test_safety_page(ss, world, client_for, django_assert_num_queries):
    def check(response, large):
        page = ss.text(response)
        members = 3 + (MEMBERS - 3 if large else 0)
        answered = 5 if large else 1
        assert f"Version 2 is with the group: {answered} of {members} have answered." in page
        assert f"Breaches in the last 90 days {3 if large else 1}" in page
        overdue = 3 if large else 1
        assert f"Actions {1 + (3 if large else 0)} open, {overdue} overdue" in page

    _assert_constant(
        "safety",
        client_for(world.facilitator),
        reverse("safety", args=[world.groups[0].slug]),
        world.grow,
        check,
        django_assert_num_queries,
    )


def test_facilitator_home(ss, world, client_for, django_assert_num_queries):
    def check(response, large):
        homes = response.context["homes"]
        assert len(homes) == (MANY if large else 2)
        page = ss.text(response)
        assert "haven't answered the ground rules yet" in page
        assert "Your action: Follow up staffed" in page
        if large:
            assert "Your action: Action 0" in page
            assert all(h.todos for h in homes)

    _assert_constant(
        "home (facilitator)",
        client_for(world.facilitator),
        reverse("home"),
        world.grow,
        check,
        django_assert_num_queries,
    )


def test_peer_home(ss, world, client_for, django_assert_num_queries):
    def check(response, large):
        homes = response.context["homes"]
        assert len(homes) == (MANY if large else 2)
        assert all(h.todos == [] for h in homes)
        page = ss.text(response)
        assert page.count("Read version 2 of the ground rules and say if you agree") == len(homes)
        assert "How safe do you feel at" in page

    _assert_constant(
        "home (peer)",
        client_for(world.peer),
        reverse("home"),
        world.grow,
        check,
        django_assert_num_queries,
    )


def test_trends(ss, world, client_for, django_assert_num_queries):
    def check(response, large):
        share = response.context["share"][-1]
        assert share["groups"] == (MANY if large else 2)
        assert share["good"] == 0  # one member has not agreed anywhere
        checks = sum(p["count"] for p in response.context["scores"])
        assert checks == (2 + MANY if large else 2)  # the checks of 400 days ago are too old

    def grow():
        world.grow()
        # The months kept again with the grown history (the checks of 10 days ago may be
        # in a month that has ended; a kept month is otherwise kept as it was).
        TrendMonth.objects.filter(organisation=world.org).delete()
        snapshot_trends()

    snapshot_trends()  # the months that have ended, kept as the daily job keeps them
    _assert_constant(
        "trends",
        client_for(world.coordinator),
        reverse("trends", args=[world.org.slug]),
        grow,
        check,
        django_assert_num_queries,
    )


def test_trends_while_a_month_waits(ss, world, client_for):
    """Until the daily job keeps the months that have ended, the page asks once more: when
    the organisation's first group began (trends.waiting_months). Only then."""
    Group.objects.filter(organisation=world.org).update(created=ss.at(ss.in_month(3, 1)))
    client = client_for(world.coordinator)
    url = reverse("trends", args=[world.org.slug])
    waiting, _sql, response = _count(client, url)
    assert waiting == QUERIES["trends"] + 1
    assert len(response.context["waiting"]) == 3
    snapshot_trends()
    kept, _sql, response = _count(client, url)
    assert kept == QUERIES["trends"]
    assert response.context["waiting"] == []
