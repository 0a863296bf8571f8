"""List pages do a constant number of SQL queries, whatever the number of rows.

Each test renders a page with one item, counts the queries, grows the data to
MANY items and asserts the same count again. The count is also pinned in
QUERIES, so that a change (even a constant one) is seen and explained. The
page content is checked too: a page that does few queries because it shows
nothing would be no success.

Every count includes the two queries any signed-in page makes: the session
and the user.
"""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from groups.models import Group, Membership
from tests.builders import add_member, make_group, make_organisation, make_user

MANY = 25

# The second-factor gate (safespace/accounts/second_factor/middleware.py) adds one query to
# every request of someone signed in but not verified by a second factor, as here.
SECOND_FACTOR = 1

# session + user + the second-factor gate + the page's own queries (on a group page the
# ground-rules newcomer gate reads the group the page reads: no query of its own)
QUERIES = {
    # the organisation; its groups with member and facilitator counts
    "groups:organisation": 4 + SECOND_FACTOR,
    # the group with the viewer's role; its current members with their users
    "groups:members": 4 + SECOND_FACTOR,
    # the viewer's groups with counts; the organisations they coordinate
    "groups:list": 4 + SECOND_FACTOR,
}

EMAIL_DOMAIN = "@example.test"  # every person made here has an address there


def _count(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), [q["sql"] for q in queries.captured_queries], response


def _assert_constant(name, client, url, grow, django_assert_num_queries):
    """Render `url`, grow the data, render again: same number of queries, and pinned."""
    small_count, small_sql, small = _count(client, url)
    assert small_count == QUERIES[name], (
        f"{name}: {small_count} queries with one item, pinned at {QUERIES[name]}:\n"
        + "\n".join(small_sql)
    )
    grow()
    with django_assert_num_queries(small_count):
        large = client.get(url)
    assert large.status_code == 200
    return small.content.decode(), large.content.decode()


def _no_emails(html):
    assert EMAIL_DOMAIN not in html
    assert "@" not in re.sub(r"<[^>]*>", "", html)  # no address anywhere in the text


# Organisation page ---------------------------------------------------------


def _organisation_row(group, facilitators, members):
    facilitators_cell = str(facilitators) if facilitators else r"None yet.*?invite one</a>"
    return re.compile(
        rf'<th scope="row"><a href="{reverse("groups:detail", args=[group.slug])}">'
        rf"{re.escape(group.name)}</a></th>\s*<td[^>]*>In person</td>\s*"
        rf"<td[^>]*>{facilitators_cell}</td>\s*<td[^>]*>{members}</td>",
        re.S,
    )


def test_organisation_page_queries_do_not_grow(db, client, django_assert_num_queries):
    coordinator = make_user("Cora Coordinator")
    org = make_organisation("Riverside", coordinators=[coordinator])
    first = make_group(org, "Group 00")
    add_member(first, make_user("Fay Facilitator"), Membership.Role.FACILITATOR)
    add_member(first, make_user("Pat Peer"))
    # Groups elsewhere never show.
    elsewhere = make_group(make_organisation("Elsewhere"), "Hidden group")
    add_member(elsewhere, make_user("Olive Peer"))

    expected = {first: (1, 2)}  # group -> (facilitators, current members)
    archived = []

    def grow():
        for i in range(1, MANY):
            group = make_group(org, f"Group {i:02}")
            facilitators = i % 3  # some groups have none yet
            peers = i % 4 + 1
            for f in range(facilitators):
                add_member(group, make_user(f"Facilitator {i}-{f}"), Membership.Role.FACILITATOR)
            for p in range(peers):
                add_member(group, make_user(f"Peer {i}-{p}"))
            # Someone who left is not counted.
            gone = add_member(group, make_user(f"Former {i}"))
            Membership.objects.filter(pk=gone.pk).update(
                left_at=timezone.now(), ending=Membership.Ending.LEFT
            )
            if i % 5 == 0:
                Group.objects.filter(pk=group.pk).update(archived_at=timezone.now())
                archived.append(group)
            else:
                expected[group] = (facilitators, facilitators + peers)

    client.force_login(coordinator)
    small, large = _assert_constant(
        "groups:organisation",
        client,
        reverse("groups:organisation", args=[org.slug]),
        grow,
        django_assert_num_queries,
    )

    assert "1 active group<" in small
    assert _organisation_row(first, 1, 2).search(small)
    assert f"{len(expected)} active groups" in large
    for group, (facilitators, members) in expected.items():
        assert _organisation_row(group, facilitators, members).search(large), group.name
    archived_section = large.split("Archived groups", 1)[1]
    for group in archived:
        assert group.name in archived_section
        assert not _organisation_row(group, 0, 0).search(large)
    assert "Hidden group" not in large
    for html in (small, large):
        _no_emails(html)
        assert "Pat Peer" not in html  # the organisation page lists groups, not people


# Member list ---------------------------------------------------------------


@pytest.mark.parametrize("viewer_role", ["coordinator", "facilitator", "peer"])
def test_member_list_queries_do_not_grow(viewer_role, db, client, django_assert_num_queries):
    coordinator = make_user("Cora Coordinator")
    org = make_organisation("Riverside", coordinators=[coordinator])
    group = make_group(org, "Group A")
    other_group = make_group(org, "Group B")
    add_member(other_group, make_user("Someone Elsewhere"))
    viewer = coordinator
    if viewer_role != "coordinator":
        viewer = make_user(f"Viewing {viewer_role.title()}")
        add_member(group, viewer, viewer_role)
    # The one member besides the viewer.
    members = [add_member(group, make_user("Member 00"), Membership.Role.FACILITATOR).user]
    former = add_member(group, make_user("Former Member"))
    Membership.objects.filter(pk=former.pk).update(
        left_at=timezone.now(), ending=Membership.Ending.REMOVED
    )

    def grow():
        for i in range(1, MANY):
            role = Membership.Role.FACILITATOR if i % 6 == 0 else Membership.Role.PEER
            members.append(add_member(group, make_user(f"Member {i:02}"), role).user)

    client.force_login(viewer)
    small, large = _assert_constant(
        "groups:members",
        client,
        reverse("groups:members", args=[group.slug]),
        grow,
        django_assert_num_queries,
    )

    current = len(members) + (viewer_role != "coordinator")
    assert f"{current} current members" in large
    for html, shown in ((small, members[:1]), (large, members)):
        for person in shown:
            assert f"<strong>{person.display_name}</strong>" in html
        if viewer_role != "coordinator":
            assert f"<strong>{viewer.display_name}</strong> (you)" in html
        assert "Former Member" not in html
        assert "Someone Elsewhere" not in html
        _no_emails(html)
        removes = html.count("/remove/")
        # Coordinators may remove anyone; facilitators only peers (the coordinators
        # appoint facilitators); peers remove nobody.
        peers = [p for p in shown if p.memberships.get(group=group).role == "peer"]
        expected = {"coordinator": len(shown), "facilitator": len(peers), "peer": 0}
        assert removes == expected[viewer_role]


# The viewer's groups: group list and home page ------------------------------


def _card(group, members, you):
    return re.compile(
        rf'<a href="{reverse("groups:detail", args=[group.slug])}">{re.escape(group.name)}</a>'
        rf"</h3>\s*<p [^>]*>\s*In person ·\s*{members} members?\s*· {you}",
        re.S,
    )


@pytest.mark.parametrize("url_name", ["groups:list"])
def test_group_list_queries_do_not_grow(url_name, db, client, django_assert_num_queries):
    viewer = make_user("Vera Viewer")
    org_a = make_organisation("Riverside")
    org_b = make_organisation("Hillside")
    org_c = make_organisation("Lakeside", coordinators=[viewer])
    first = make_group(org_a, "Group 00")
    add_member(first, viewer)
    add_member(first, make_user("Another Peer"))
    expected = {first: (2, "you are a peer")}
    not_shown = []

    # Groups the viewer is not in, and groups the viewer has left, never show.
    stranger = make_group(org_a, "Not Yours")
    add_member(stranger, make_user("Stranger"))
    left = make_group(org_b, "Left Behind")
    gone = add_member(left, viewer)
    Membership.objects.filter(pk=gone.pk).update(
        left_at=timezone.now(), ending=Membership.Ending.LEFT
    )
    not_shown += [stranger, left]

    def grow():
        for i in range(1, MANY):
            kind = i % 3
            org = (org_a, org_b, org_c)[kind]
            group = make_group(org, f"Group {i:02}")
            others = i % 4
            for p in range(others):
                add_member(group, make_user(f"Peer {i}-{p}"))
            if kind == 0:
                add_member(group, viewer)
                you, members = "you are a peer", others + 1
            elif kind == 1:
                add_member(group, viewer, Membership.Role.FACILITATOR)
                you, members = "you are a facilitator", others + 1
            else:
                you, members = "you coordinate this group", others
            if i % 7 == 0:
                Group.objects.filter(pk=group.pk).update(archived_at=timezone.now())
                not_shown.append(group)
            else:
                expected[group] = (members, you)

    client.force_login(viewer)
    small, large = _assert_constant(
        url_name, client, reverse(url_name), grow, django_assert_num_queries
    )

    assert _card(first, 2, "you are a peer").search(small)
    for group, (members, you) in expected.items():
        assert _card(group, members, you).search(large), group.name
    for group in not_shown:
        assert group.name not in large
    # Groups come in organisation order, then by name.
    names = [g.name for g in sorted(expected, key=lambda g: (g.organisation.name, g.name))]
    positions = [large.index(f">{name}</a>") for name in names]
    assert positions == sorted(positions)
    # Organisations the viewer coordinates are listed; the others are not.
    assert reverse("groups:organisation", args=[org_c.slug]) in large
    assert reverse("groups:organisation", args=[org_a.slug]) not in large
    for html in (small, large):
        _no_emails(html)
        assert "Another Peer" not in html  # cards show counts, not people
