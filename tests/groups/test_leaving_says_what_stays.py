"""Before someone leaves a group, the page says what changes and what stays behind, for
their role; warns the only facilitator; counts their messages still open; and offers
deleting the account instead. Then what it said is what happens."""

from django.urls import reverse

from groundrules.models import Agreement, Proposal
from groups import services
from groups.models import Concern, Membership
from tests.builders import LINK, add_member, adopt, make_user, propose
from tests.pages import text


def leave_page(client, group):
    response = client.get(reverse("groups:leave", args=[group.slug]))
    assert response.status_code == 200
    return text(response)


def test_a_peer_is_told_what_changes_and_what_stays(cast, client_for):
    page = leave_page(client_for(cast.peer), cast.group_a)
    for words in (
        "What changes when you leave",
        "your answer to any version still being agreed stops counting",
        "What stays with the group, under your display name",
        "the suggestions and comments you made",
        "Private messages you sent, so they can be followed up.",
        "they were never linked to you",
        "you can delete your account instead",
    ):
        assert words in page, words
    assert "only facilitator" not in page
    assert "no longer one of its facilitators" not in page
    assert "not been followed up yet" not in page


def test_open_messages_are_counted_and_the_only_facilitator_is_warned(cast, client_for):
    for words in ("One", "Two"):
        services.send_concern(
            group=cast.group_a,
            sender=cast.facilitator,
            to=Concern.To.COORDINATORS,
            text=words,
            link=lambda c: LINK,
        )
    page = leave_page(client_for(cast.facilitator), cast.group_a)
    assert "You are this group's only facilitator." in page
    assert "You have 2 that have not been followed up yet." in page
    assert "no longer one of its facilitators" in page

    add_member(cast.group_a, make_user("Second Facilitator"), Membership.Role.FACILITATOR)
    assert "only facilitator" not in leave_page(client_for(cast.facilitator), cast.group_a)


def test_what_the_page_says_stays_does_stay(cast, client_for):
    version = adopt(cast.group_a, cast.facilitator, agreeing=[cast.facilitator, cast.peer])
    suggestion = propose(cast.group_a, cast.peer)
    services.send_concern(
        group=cast.group_a, sender=cast.peer, to=Concern.To.FACILITATORS, text="Hi", link=str
    )
    client_for(cast.peer).post(reverse("groups:leave", args=[cast.group_a.slug]))

    assert not Membership.objects.current().filter(user=cast.peer, group=cast.group_a).exists()
    assert Agreement.objects.filter(version=version, user=cast.peer).exists()
    assert Proposal.objects.get(pk=suggestion.pk).proposed_by == cast.peer
    assert Concern.objects.get(group=cast.group_a).sender == cast.peer
