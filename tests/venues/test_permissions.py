"""Who sees and does what with venues: peers, facilitators, coordinators, outsiders."""

import pytest
from django.utils import timezone

from groups.conflicts import stamp_of
from groups.models import Group, Membership
from tests.builders import add_member, make_user
from venues import services
from venues.models import Assessment, Venue, VenueUse

NOTE = "The caretaker lets strangers wander in."
WHAT = "Ask the caretaker to lock the side door."
COMMENT = "I worry about who walks past the window."


@pytest.fixture
def busy(cast, vn, room):
    """Group A's room: a submitted check with a note, an open action, three anonymous answers."""
    assessment = vn.submitted(
        cast.group_a,
        room,
        cast.facilitator,
        values={"other-users": "no"},
        notes={"other-users": NOTE},
    )
    action = vn.action(assessment, "other-users", cast.facilitator, what=WHAT)
    for n in range(3):
        peer = make_user(f"Extra Peer {n}")
        add_member(cast.group_a, peer)
        services.give_feedback(
            user=peer,
            group=cast.group_a,
            venue=room,
            scores={
                "welcome": 3,
                "physically_safe": 3,
                "safe_to_talk": 3,
                "time_out": 3,
                "comfortable_with_others": 3,
            },
            comment=COMMENT,
        )
    return assessment, action


def _no_leak(page):
    for secret in (NOTE, WHAT, COMMENT):
        assert secret not in page, secret


# Peers ----------------------------------------------------------------------------------------


def test_a_peer_sees_where_the_group_meets_but_no_assessment_action_or_feedback(
    cast, vn, room, busy, client_for
):
    assessment, action = busy
    client = client_for(cast.peer)

    response = client.get(vn.url("group", cast.group_a.slug))

    page = vn.text(response)
    assert response.status_code == 200
    assert "Riverside Community Centre" in page
    assert "Riverside Community Centre, 1 High Street AB1 2CD" in page
    assert "Getting there: Bus 12 to the library stop." in page
    assert "Access: Level access at the side door." in page
    assert "How safe do you feel here? (anonymous)" in page
    _no_leak(vn.html(response))
    for hidden in ("Last checked", "Open actions", "Peers' answers", "Venue page", "Start a venue"):
        assert hidden not in page, hidden
    assert str(assessment.uuid) not in vn.html(response)
    assert str(action.uuid) not in vn.html(response)


def test_a_peer_is_refused_assessments_actions_and_raw_feedback(cast, vn, room, busy, client_for):
    assessment, action = busy
    client = client_for(cast.peer)
    slug = cast.group_a.slug
    before = vn.state()

    forbidden_gets = [
        vn.url("assessment", slug, assessment.uuid),
        vn.url("print", slug, assessment.uuid),
        vn.url("section", slug, assessment.uuid, "being_safe"),
        vn.url("action_new", slug, assessment.uuid, "other-users"),
        vn.url("action", slug, action.uuid),
        vn.url("feedback_results", slug, room.uuid),
        vn.url("choose", slug),
    ]
    for url in forbidden_gets:
        response = client.get(url)
        assert response.status_code == 403, url
        _no_leak(vn.html(response))
    forbidden_posts = {
        vn.url("start", slug, room.uuid): {},
        vn.url("submit", slug, assessment.uuid): {},
        vn.url("action", slug, action.uuid): {"status": "done", "note": "Done by a peer."},
        vn.url("choose", slug): {"venues": []},
    }
    for url, data in forbidden_posts.items():
        assert client.post(url, data).status_code == 403, url
    # the venue's own page is for the people who look after it
    assert client.get(vn.url("venue", room.uuid)).status_code == 404
    assert client.get(vn.url("library", cast.org_a.slug)).status_code == 404
    assert vn.state() == before


# Coordinators ---------------------------------------------------------------------------------


def test_a_coordinator_sees_only_their_own_organisations_library(
    cast, vn, room, other_room, client_for
):
    online = vn.venue(cast.org_a, "Our video calls", kind=Venue.Kind.ONLINE)
    vn.venue(cast.org_a, "Closed hall", archived_at=timezone.now())
    client = client_for(cast.coordinator)
    before = vn.state()

    page = vn.text(client.get(vn.url("library", cast.org_a.slug)))
    assert "Riverside Community Centre" in page and "Our video calls" in page
    assert "Elsewhere Hall" not in page and "Closed hall" not in page

    assert client.get(vn.url("venue", room.uuid)).status_code == 200
    assert client.get(vn.url("venue", online.uuid)).status_code == 200
    for url in (
        vn.url("library", cast.org_b.slug),
        vn.url("venue_new", cast.org_b.slug),
        vn.url("questions", cast.org_b.slug),
        vn.url("venue", other_room.uuid),
        vn.url("venue_edit", other_room.uuid),
        vn.url("compare", other_room.uuid),
    ):
        response = client.get(url)
        assert response.status_code == 404, url
        assert "Elsewhere Hall" not in vn.html(response)
    response = client.post(vn.url("venue_edit", other_room.uuid), {"name": "Taken over"})
    assert response.status_code == 404
    response = client.post(
        vn.url("question_retire", cast.org_b.slug, "private"),
    )
    assert response.status_code == 404
    assert vn.state() == before


def test_a_coordinator_adds_and_edits_venues_in_their_library(cast, vn, client_for):
    client = client_for(cast.coordinator)

    response = client.post(
        vn.url("venue_new", cast.org_a.slug),
        {"kind": "physical", "name": "Quaker Meeting House", "address": "2 Friar Lane"},
    )

    venue = Venue.objects.get(name="Quaker Meeting House")
    assert venue.organisation == cast.org_a
    assert response["Location"] == vn.url("venue", venue.uuid)
    duplicate = client.post(
        vn.url("venue_new", cast.org_a.slug), {"kind": "online", "name": "quaker meeting house"}
    )
    assert "The organisation already has a venue with that name." in vn.text(duplicate)
    assert Venue.objects.count() == 1
    # the same name in another organisation is fine
    client_for(cast.other_coordinator).post(
        vn.url("venue_new", cast.org_b.slug), {"kind": "physical", "name": "Quaker Meeting House"}
    )
    assert Venue.objects.filter(organisation=cast.org_b).count() == 1


# Facilitators ---------------------------------------------------------------------------------


def test_a_facilitator_sees_venues_their_groups_use_and_no_others(
    cast, vn, room, other_room, client_for
):
    unused = vn.venue(cast.org_a, "Somewhere else in town")
    client = client_for(cast.facilitator)

    page = vn.text(client.get(vn.url("venue", room.uuid)))
    assert "Riverside Community Centre" in page and "Group A" in page
    # Facilitators keep the details of venues their groups use...
    assert "Edit details" in page
    for url in (
        vn.url("venue", unused.uuid),
        vn.url("venue", other_room.uuid),
        vn.url("compare", unused.uuid),
        vn.url("library", cast.org_a.slug),
        vn.url("questions", cast.org_a.slug),
    ):
        response = client.get(url)
        assert response.status_code == 404, url
        assert "Somewhere else in town" not in vn.html(response)
    response = client.post(
        vn.url("venue_edit", room.uuid),
        {
            "kind": "physical",
            "name": "Riverside Community Centre (hall)",
            "postcode": "RV1 2AB",
            "base": stamp_of(room),
        },
    )
    assert response.status_code == 302
    room.refresh_from_db()
    assert room.name == "Riverside Community Centre (hall)" and room.postcode == "RV1 2AB"
    # ...but not of venues their groups don't use.
    before = vn.state()
    assert client.post(vn.url("venue_edit", unused.uuid), {"name": "Renamed"}).status_code == 404
    assert vn.state() == before

    # once they stop facilitating, the venue page goes too
    Membership.objects.filter(user=cast.facilitator).update(left_at=timezone.now(), ending="left")
    assert client.get(vn.url("venue", room.uuid)).status_code == 404


def test_a_facilitator_chooses_where_their_group_meets_from_the_library(
    cast, vn, room, other_room, client_for
):
    online = vn.venue(cast.org_a, "Our video calls", kind=Venue.Kind.ONLINE)
    client = client_for(cast.facilitator)
    url = vn.url("choose", cast.group_a.slug)

    page = vn.html(client.get(url))
    assert "Our video calls" in page and "Elsewhere Hall" not in page
    client.post(url, {"venues": [online.pk]})
    assert list(cast.group_a.venues.all()) == [online]
    # another organisation's venue is not a valid choice
    response = client.post(url, {"venues": [other_room.pk]})
    assert "Select a valid choice" in vn.text(response)
    assert list(cast.group_a.venues.all()) == [online]


# Archived groups ------------------------------------------------------------------------------


def test_an_archived_group_cannot_be_assessed_but_can_be_read(cast, vn, room, client_for):
    in_progress = services.start_assessment(group=cast.group_a, venue=room, by=cast.facilitator)
    vn.answer(in_progress, "no", only={"private"})
    Group.objects.filter(pk=cast.group_a.pk).update(archived_at=timezone.now())
    slug = cast.group_a.slug
    before = vn.state()

    for user in (cast.facilitator, cast.coordinator):
        client = client_for(user)
        private = vn.question(in_progress, "private")
        refused = {
            vn.url("start", slug, room.uuid): {},
            vn.url("section", slug, in_progress.uuid, "being_safe"): {f"q{private.pk}": "yes"},
            vn.url("submit", slug, in_progress.uuid): {},
            vn.url("action_new", slug, in_progress.uuid, "private"): {
                "what": "x",
                "owner": cast.facilitator.pk,
                "due_on": "2030-01-01",
            },
            vn.url("choose", slug): {"venues": []},
        }
        for url, data in refused.items():
            assert client.post(url, data).status_code == 403, (user, url)
        page = vn.text(client.get(vn.url("assessment", slug, in_progress.uuid)))
        assert "Submit the check" not in page and "Make this an action" not in page
        assert "This group was archived" in page
    peer = client_for(cast.peer)
    assert peer.get(vn.url("feedback", slug, room.uuid)).status_code == 403
    assert vn.state() == before
    assert Assessment.objects.count() == 1


def test_a_facilitator_adds_a_venue_for_their_group(cast, client_for, vn):
    client = client_for(cast.facilitator)
    response = client.post(
        vn.url("venue_add", cast.group_a.slug),
        {"kind": "online", "name": "Our video calls", "join_info": "Link sent by email."},
    )
    assert response.status_code == 302
    venue = Venue.objects.get(name="Our video calls")
    assert venue.organisation == cast.org_a and venue.kind == "online"
    assert list(cast.group_a.venues.all()) == [venue]
    # A peer may not add one, and an outsider can't tell the group exists.
    before = vn.state()
    assert (
        client_for(cast.peer)
        .post(vn.url("venue_add", cast.group_a.slug), {"kind": "online", "name": "X"})
        .status_code
        == 403
    )
    assert (
        client_for(cast.other_coordinator)
        .post(vn.url("venue_add", cast.group_a.slug), {"kind": "online", "name": "X"})
        .status_code
        == 404
    )
    assert vn.state() == before


def test_a_shared_venue_shows_a_facilitator_only_their_own_groups(cast, client_for, vn, room):
    other = Group.objects.create(organisation=cast.org_a, name="Another group", slug="another1")
    lead = make_user("Other Lead")
    add_member(other, lead, Membership.Role.FACILITATOR)
    VenueUse.objects.create(group=other, venue=room)
    check = vn.submitted(other, room, lead, values={"staffed": "no"})
    vn.action(check, "staffed", lead, what="Their private action")
    page = vn.html(client_for(cast.facilitator).get(vn.url("venue", room.uuid)))
    assert "Another group" not in page and "Their private action" not in page
    # Shared with another group, the venue's details are the coordinators' to change.
    assert "Edit details" not in page
    assert client_for(cast.facilitator).get(vn.url("venue_edit", room.uuid)).status_code == 403
    coordinator_page = vn.html(client_for(cast.coordinator).get(vn.url("venue", room.uuid)))
    assert "Another group" in coordinator_page and "Their private action" in coordinator_page
