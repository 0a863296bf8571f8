"""Peers' anonymous "how safe do you feel here" check: never tied to who answered."""

import uuid

import pytest
from django.contrib.auth import get_user_model
from django.db import connection, models

from groups.models import Membership
from tests.builders import add_member
from venues import selectors, services
from venues.models import FeedbackReceipt, FeedbackResponse

SCORES = ["welcome", "physically_safe", "safe_to_talk", "time_out", "comfortable_with_others"]


def answers(*values, comment=""):
    return {**dict(zip(SCORES, values, strict=True)), "comment": comment}


def _peer(group, n):
    """A peer whose id and email are unlike any other value a response row could hold."""
    user = get_user_model().objects.create_user(
        f"anon-peer-{n}@example.test",
        "correct-horse-battery",
        id=7_000_000 + n,
        display_name=f"Anonymous Peer {n}",
    )
    add_member(group, user)
    return user


# The shape of a response --------------------------------------------------------------------


def test_a_response_cannot_hold_a_person_or_a_moment(db):
    user_model = get_user_model()
    fields = FeedbackResponse._meta.get_fields()

    assert not [f for f in fields if f.is_relation and f.related_model is user_model]
    assert not [f for f in fields if isinstance(f, models.DateTimeField)]
    assert isinstance(FeedbackResponse._meta.pk, models.UUIDField)
    assert FeedbackResponse._meta.pk.default is uuid.uuid4
    assert {f.name for f in fields if f.is_relation} == {"group", "venue"}
    # the receipt names the person but nothing ties it to a response, not even a time
    receipt_fields = FeedbackReceipt._meta.get_fields()
    assert not [f for f in receipt_fields if f.is_relation and f.related_model is FeedbackResponse]
    assert not [f for f in receipt_fields if isinstance(f, models.DateField)]
    assert isinstance(FeedbackReceipt._meta.pk, models.UUIDField)
    # and so the table itself
    with connection.cursor() as cursor:
        columns = {
            c.name
            for c in connection.introspection.get_table_description(
                cursor, FeedbackResponse._meta.db_table
            )
        }
    assert columns == {
        "id",
        "group_id",
        "venue_id",
        "period",
        "answered_on",
        *SCORES,
        "comment",
    }


def test_stored_responses_hold_no_trace_of_who_gave_them(cast, vn, room, client_for):
    peers = [_peer(cast.group_a, n) for n in range(1, 5)]
    for n, peer in enumerate(peers, start=1):
        response = client_for(peer).post(
            vn.url("feedback", cast.group_a.slug, room.uuid),
            answers(n, 5, 4, 3, 2, comment=f"Comment number {n}."),
        )
        assert "Thank you for telling us how you feel" in response.content.decode()

    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {FeedbackResponse._meta.db_table}")  # noqa: S608
        rows = cursor.fetchall()
    users = get_user_model().objects.all()
    # The people who answered have ids no score, group or venue id can equal by chance
    # (the cast's small ids could), so an id found in a row would be a real link.
    identifying = {value for peer in peers for value in (peer.pk, str(peer.pk))}
    for user in users:
        identifying |= {user.email, user.display_name}
    assert len(rows) == 4
    for row in rows:
        for value in row:
            assert value not in identifying
            assert not any(
                str(part) in str(value)
                for user in users
                for part in (user.email, user.display_name)
            )
    # one receipt per person, and they hold no link to a response
    assert sorted(FeedbackReceipt.objects.values_list("user_id", flat=True)) == [
        p.pk for p in peers
    ]
    receipt_values = set(FeedbackReceipt.objects.values_list("id", flat=True))
    assert not receipt_values & set(FeedbackResponse.objects.values_list("id", flat=True))


# Once per period ----------------------------------------------------------------------------


def test_a_peer_answers_once_per_period(cast, vn, room, client_for):
    client = client_for(cast.peer)
    url = vn.url("feedback", cast.group_a.slug, room.uuid)
    assert "How safe do you feel at Riverside Community Centre?" in vn.text(client.get(url))

    first = client.post(url, answers(4, 4, 3, 5, 4, comment="Warm and quiet."))

    # The thank-you page comes straight back from the POST: no redirect, no message kept.
    assert first.status_code == 200
    assert "Your answers are anonymous." in vn.text(first)
    response = FeedbackResponse.objects.get()
    assert [getattr(response, f) for f in SCORES] == [4, 4, 3, 5, 4]
    assert response.comment == "Warm and quiet."
    assert response.period == selectors.current_period()
    assert FeedbackReceipt.objects.get().user == cast.peer
    before = vn.state()

    second = client.post(url, answers(1, 1, 1, 1, 1, comment="Changed my mind."))

    assert second.status_code == 200
    assert "You have already answered this quarter" in vn.text(second)
    assert "You have already answered this quarter" in vn.text(client.get(url))
    with pytest.raises(services.VenueError, match="already answered"):
        services.give_feedback(
            user=cast.peer,
            group=cast.group_a,
            venue=room,
            scores=dict.fromkeys(SCORES, 1),
            comment="",
        )
    assert vn.state() == before
    assert FeedbackReceipt.objects.count() == FeedbackResponse.objects.count() == 1
    page = vn.text(client.get(vn.url("group", cast.group_a.slug)))
    assert "You have answered the “how safe do you feel here” check for this quarter." in page


def test_every_statement_needs_an_answer_from_1_to_5(cast, vn, room, client_for):
    client = client_for(cast.peer)
    url = vn.url("feedback", cast.group_a.slug, room.uuid)

    response = client.post(url, {**answers(4, 4, 3, 5, 4), "welcome": "6", "time_out": ""})

    assert response.status_code == 200
    assert "Select a valid choice. 6 is not one of the available choices." in vn.text(response)
    assert "This field is required." in vn.text(response)
    assert not FeedbackResponse.objects.exists() and not FeedbackReceipt.objects.exists()


# Results: only from 3 answers -----------------------------------------------------------------


def _answer_as(group, venue, user, values, comment=""):
    services.give_feedback(
        user=user,
        group=group,
        venue=venue,
        scores=dict(zip(SCORES, values, strict=True)),
        comment=comment,
    )


def test_results_are_hidden_at_two_answers_and_shown_at_three(cast, vn, room, client_for):
    others = [_peer(cast.group_a, n) for n in (1, 2)]
    _answer_as(cast.group_a, room, cast.peer, (5, 4, 3, 2, 1), "The heating is broken.")
    _answer_as(cast.group_a, room, others[0], (4, 4, 4, 4, 4), "Friendly caretaker.")
    # An answer from an earlier quarter never counts towards this one.
    FeedbackResponse.objects.create(
        group=cast.group_a,
        venue=room,
        period="2000-Q1",
        answered_on="2000-01-01",
        comment="Long ago.",
        **dict.fromkeys(SCORES, 1),
    )
    client = client_for(cast.facilitator)
    url = vn.url("feedback_results", cast.group_a.slug, room.uuid)

    page = vn.text(client.get(url))
    assert (
        "Results are shown once at least 3 people have answered, to keep answers anonymous. "
        "1 more answer is needed." in page
    )
    for hidden in (
        "Average",
        "Overall",
        "The heating is broken.",
        "Friendly caretaker.",
        "Long ago.",
        "4.5",
    ):
        assert hidden not in page, hidden

    _answer_as(cast.group_a, room, others[1], (3, 4, 5, 3, 1))

    page = vn.text(client.get(url))
    assert "3 people answered." in page
    # welcome (5+4+3)/3, physically safe 4, safe to talk 4, time out 3, comfortable 2; overall 3.4
    assert "Overall: 3.4 out of 5." in page
    assert "I feel welcome here 4.0" in page
    assert "I feel physically safe getting there and being there 4.0" in page
    assert "I feel safe to talk about difficult experiences 4.0" in page
    assert "There is somewhere I can take a moment away if I need to 3.0" in page
    assert "I feel comfortable with the other people around when we meet 2.0" in page
    assert "The heating is broken." in page and "Friendly caretaker." in page
    assert "Long ago." not in page
    for person in (cast.peer, *others):
        assert person.display_name not in page and person.email not in page


def test_results_are_for_leads_only(cast, vn, room, other_room, client_for):
    for n in range(3):
        _answer_as(cast.group_a, room, _peer(cast.group_a, n), (2, 2, 2, 2, 2), "Secret comment.")
    url = vn.url("feedback_results", cast.group_a.slug, room.uuid)

    assert "Secret comment." in vn.text(client_for(cast.coordinator).get(url))
    assert "Secret comment." in vn.text(client_for(cast.facilitator).get(url))
    denied = client_for(cast.peer).get(url)
    assert denied.status_code == 403 and "Secret comment." not in vn.html(denied)
    for outsider in (cast.other_peer, cast.other_coordinator):
        response = client_for(outsider).get(url)
        assert response.status_code == 404, outsider
        assert "Secret comment." not in vn.html(response)
    anonymous = client_for(None).get(url)
    assert anonymous.status_code == 302 and anonymous["Location"].startswith("/accounts/login/")
    # nor from their own group's address
    other = vn.url("feedback_results", cast.group_b.slug, room.uuid)
    assert client_for(cast.other_coordinator).get(other).status_code == 404


def test_only_current_members_answer(cast, vn, room, client_for):
    url = vn.url("feedback", cast.group_a.slug, room.uuid)
    data = answers(3, 3, 3, 3, 3)

    assert client_for(cast.coordinator).post(url, data).status_code == 403
    assert client_for(cast.other_peer).post(url, data).status_code == 404
    membership = Membership.objects.get(user=cast.peer, group=cast.group_a)
    membership.left_at = membership.joined_at
    membership.ending = "left"
    membership.save()
    assert client_for(cast.peer).post(url, data).status_code == 404
    assert not FeedbackResponse.objects.exists() and not FeedbackReceipt.objects.exists()
