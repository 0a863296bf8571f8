"""Leaving a group, removing someone from it, and coming back by a new invitation.

A membership that has ended is kept (with how it ended) but no longer counts:
the person loses sight of the group (404) and drops out of every member count.
"""

import html

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from groups import services
from groups.models import Invitation, Membership
from groups.selectors import current_memberships, groups_for_user, groups_with_counts
from tests.builders import add_member, database_state, make_user


def text(response) -> str:
    return html.unescape(response.content.decode())


def membership_of(user, group):
    return Membership.objects.get(user=user, group=group)


def group_pages(group):
    return [
        reverse("groups:detail", args=[group.slug]),
        reverse("groups:members", args=[group.slug]),
        reverse("groups:leave", args=[group.slug]),
    ]


# Leaving --------------------------------------------------------------------


def test_leave_page_asks_first_and_changes_nothing(cast, client_for):
    client = client_for(cast.peer)
    before = database_state(Membership)

    response = client.get(reverse("groups:leave", args=[cast.group_a.slug]))

    assert response.status_code == 200
    assert "Leave this group?" in text(response)
    assert database_state(Membership) == before
    assert membership_of(cast.peer, cast.group_a).is_current


def test_peer_leaves_and_then_cannot_see_the_group(cast, client_for):
    client = client_for(cast.peer)
    for url in group_pages(cast.group_a):
        assert client.get(url).status_code == 200

    response = client.post(reverse("groups:leave", args=[cast.group_a.slug]), follow=True)

    assert response.redirect_chain == [(reverse("home"), 302)]
    assert "You have left the group." in text(response)
    assert cast.group_a.name not in text(response)  # no longer on their home page
    membership = membership_of(cast.peer, cast.group_a)
    assert membership.ending == Membership.Ending.LEFT
    assert membership.left_at is not None
    assert membership.left_at <= timezone.now()
    assert not membership.is_current
    for url in group_pages(cast.group_a):
        assert client.get(url).status_code == 404, url
    assert cast.group_a.name not in text(client.get(reverse("groups:list")))
    # The others are untouched.
    assert membership_of(cast.facilitator, cast.group_a).is_current


def test_leaving_twice_is_not_possible(cast, client_for):
    client = client_for(cast.peer)
    url = reverse("groups:leave", args=[cast.group_a.slug])
    client.post(url)
    left_at = membership_of(cast.peer, cast.group_a).left_at

    assert client.post(url).status_code == 404

    assert membership_of(cast.peer, cast.group_a).left_at == left_at


def test_outsider_cannot_use_the_leave_page(cast, client_for):
    before = database_state(Membership)
    response = client_for(cast.other_peer).post(reverse("groups:leave", args=[cast.group_a.slug]))
    assert response.status_code == 404
    assert database_state(Membership) == before


# Removing -------------------------------------------------------------------


def remove_url(group, membership):
    return reverse("groups:member_remove", args=[group.slug, membership.uuid])


def test_remove_page_asks_first_and_changes_nothing(cast, client_for):
    target = membership_of(cast.peer, cast.group_a)
    before = database_state(Membership)

    response = client_for(cast.facilitator).get(remove_url(cast.group_a, target))

    assert response.status_code == 200
    assert "Remove Pat Peer from the group?" in text(response)
    assert database_state(Membership) == before


@pytest.mark.parametrize("remover", ["facilitator", "coordinator"])
def test_leader_removes_a_peer_who_then_cannot_see_the_group(cast, client_for, remover):
    target = membership_of(cast.peer, cast.group_a)

    response = client_for(getattr(cast, remover)).post(
        remove_url(cast.group_a, target), follow=True
    )

    assert response.redirect_chain == [(reverse("groups:members", args=[cast.group_a.slug]), 302)]
    page = text(response)
    assert "Pat Peer is no longer a member." in page
    assert "1 current member" in page
    target.refresh_from_db()
    assert target.ending == Membership.Ending.REMOVED
    assert target.left_at is not None
    peer_client = client_for(cast.peer)
    for url in group_pages(cast.group_a):
        assert peer_client.get(url).status_code == 404, url


def test_a_facilitator_cannot_remove_a_co_facilitator(cast, client_for):
    """The coordinator appoints facilitators: a facilitator who could remove the other
    could then run the group alone with accounts of their own."""
    co = make_user("Cleo Co-facilitator", "co@a.test")
    add_member(cast.group_a, co, Membership.Role.FACILITATOR)
    target = membership_of(co, cast.group_a)
    client = client_for(cast.facilitator)
    before = database_state(Membership)

    members = text(client.get(reverse("groups:members", args=[cast.group_a.slug])))
    peer = membership_of(cast.peer, cast.group_a)
    assert remove_url(cast.group_a, peer) in members  # peers may be removed ...
    assert remove_url(cast.group_a, target) not in members  # ... a co-facilitator may not
    assert client.get(remove_url(cast.group_a, target)).status_code == 403
    assert client.post(remove_url(cast.group_a, target)).status_code == 403
    assert database_state(Membership) == before


def test_the_coordinator_removes_a_facilitator(cast, client_for):
    target = membership_of(cast.facilitator, cast.group_a)
    client = client_for(cast.coordinator)

    members = text(client.get(reverse("groups:members", args=[cast.group_a.slug])))
    assert remove_url(cast.group_a, target) in members
    response = client.post(remove_url(cast.group_a, target))

    assert response.status_code == 302
    target.refresh_from_db()
    assert target.ending == Membership.Ending.REMOVED


def test_an_ended_membership_cannot_be_removed_again(cast, client_for):
    target = membership_of(cast.peer, cast.group_a)
    client = client_for(cast.facilitator)
    client.post(remove_url(cast.group_a, target))
    target.refresh_from_db()
    ended = (target.left_at, target.ending)

    assert client.post(remove_url(cast.group_a, target)).status_code == 404

    target.refresh_from_db()
    assert (target.left_at, target.ending) == ended


@pytest.mark.parametrize("who, status", [("peer", 403), ("other_coordinator", 404)])
def test_others_cannot_remove_members(cast, client_for, who, status):
    target = membership_of(cast.facilitator, cast.group_a)
    before = database_state(Membership)

    client = client_for(getattr(cast, who))
    assert client.get(remove_url(cast.group_a, target)).status_code == status
    assert client.post(remove_url(cast.group_a, target)).status_code == status

    assert database_state(Membership) == before


def test_membership_of_another_group_cannot_be_removed_through_this_one(cast, client_for):
    other = membership_of(cast.other_peer, cast.group_b)
    before = database_state(Membership)

    response = client_for(cast.facilitator).post(remove_url(cast.group_a, other))

    assert response.status_code == 404
    assert database_state(Membership) == before


def test_cannot_remove_yourself_through_remove(cast, client_for):
    own = membership_of(cast.facilitator, cast.group_a)
    client = client_for(cast.facilitator)
    before = database_state(Membership)

    members_page = text(client.get(reverse("groups:members", args=[cast.group_a.slug])))
    assert remove_url(cast.group_a, own) not in members_page
    assert remove_url(cast.group_a, membership_of(cast.peer, cast.group_a)) in members_page

    for response in (
        client.get(remove_url(cast.group_a, own), follow=True),
        client.post(remove_url(cast.group_a, own), follow=True),
    ):
        assert response.redirect_chain == [(reverse("groups:leave", args=[cast.group_a.slug]), 302)]
        assert "To leave the group yourself, use “Leave this group”." in text(response)

    assert database_state(Membership) == before
    own.refresh_from_db()
    assert own.is_current


# Who counts -----------------------------------------------------------------


def test_people_who_left_or_were_removed_no_longer_count(cast, client_for):
    stayer = make_user("Sam Stayer", "stayer@a.test")
    leaver = make_user("Lee Leaver", "leaver@a.test")
    add_member(cast.group_a, stayer)
    add_member(cast.group_a, leaver)
    services.end_membership(membership_of(leaver, cast.group_a), ending=Membership.Ending.LEFT)
    services.end_membership(
        membership_of(cast.peer, cast.group_a), ending=Membership.Ending.REMOVED
    )

    assert {m.user for m in current_memberships(cast.group_a)} == {cast.facilitator, stayer}
    counted = groups_with_counts(groups_for_user(cast.coordinator)).get(pk=cast.group_a.pk)
    assert (counted.member_count, counted.facilitator_count) == (2, 1)

    client = client_for(cast.facilitator)
    members = text(client.get(reverse("groups:members", args=[cast.group_a.slug])))
    assert "2 current members" in members
    assert "Sam Stayer" in members
    assert "Lee Leaver" not in members
    assert "Pat Peer" not in members

    detail = client.get(reverse("groups:detail", args=[cast.group_a.slug]))
    assert detail.context["member_count"] == 2

    org_page = client_for(cast.coordinator).get(
        reverse("groups:organisation", args=[cast.org_a.slug])
    )
    [row] = [g for g in org_page.context["active_groups"] if g.pk == cast.group_a.pk]
    assert row.member_count == 2
    # The ended memberships are kept, with how they ended.
    assert membership_of(leaver, cast.group_a).ending == Membership.Ending.LEFT
    assert membership_of(cast.peer, cast.group_a).ending == Membership.Ending.REMOVED


def test_a_facilitator_who_left_no_longer_counts_as_facilitator(cast, client_for):
    services.end_membership(
        membership_of(cast.facilitator, cast.group_a), ending=Membership.Ending.LEFT
    )
    detail = client_for(cast.coordinator).get(reverse("groups:detail", args=[cast.group_a.slug]))
    assert list(detail.context["facilitators"]) == []
    assert "None yet" in text(detail)
    # And they lost their powers with their membership.
    client = client_for(cast.facilitator)
    assert client.get(reverse("groups:invitations", args=[cast.group_a.slug])).status_code == 404


# Coming back ----------------------------------------------------------------


@pytest.mark.parametrize("ending", [Membership.Ending.LEFT, Membership.Ending.REMOVED])
def test_rejoining_by_a_new_invitation_creates_a_new_membership(
    cast, client_for, django_capture_on_commit_callbacks, mailoutbox, ending
):
    old = membership_of(cast.peer, cast.group_a)
    services.end_membership(old, ending=ending)

    facilitator = client_for(cast.facilitator)
    with django_capture_on_commit_callbacks(execute=True):
        facilitator.post(
            reverse("groups:invitations", args=[cast.group_a.slug]), {"email": cast.peer.email}
        )
    assert len(mailoutbox) == 1
    token = mailoutbox[0].body.split("/invitations/")[1].split("/")[0]

    peer = client_for(cast.peer)
    response = peer.post(reverse("invitation_accept", args=[token]), follow=True)

    assert "Welcome. You have joined." in text(response)
    memberships = Membership.objects.filter(user=cast.peer, group=cast.group_a).order_by("pk")
    assert len(memberships) == 2
    kept, new = memberships
    assert kept.pk == old.pk
    assert kept.ending == ending
    assert kept.left_at is not None
    assert new.is_current
    assert new.ending == ""
    assert new.role == Membership.Role.PEER
    assert new.joined_at > kept.left_at
    assert new.uuid != kept.uuid
    assert peer.get(reverse("groups:detail", args=[cast.group_a.slug])).status_code == 200
    assert Invitation.objects.get().accepted_by == cast.peer


def test_the_database_allows_only_one_current_membership_per_person(cast):
    with pytest.raises(IntegrityError), transaction.atomic():
        add_member(cast.group_a, cast.peer)
    # An ended one does not get in the way.
    services.end_membership(membership_of(cast.peer, cast.group_a), ending=Membership.Ending.LEFT)
    add_member(cast.group_a, cast.peer)
    assert Membership.objects.filter(user=cast.peer, group=cast.group_a).count() == 2


def test_the_database_refuses_an_ending_without_a_date(cast):
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.filter(user=cast.peer).update(ending=Membership.Ending.LEFT)
