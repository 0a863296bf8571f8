"""The thank-you page after the anonymous check: offers to tell someone privately and
where to get help when an answer is low, and keeps nothing that ties the person to it."""

import pytest
from django.apps import apps
from django.contrib.sessions.models import Session
from django.urls import reverse

from groups.models import HelpService
from safespace.accounts.middleware import LAST_SEEN
from tests.builders import database_state

SCORES = ["welcome", "physically_safe", "safe_to_talk", "time_out", "comfortable_with_others"]
OFFER = "It sounds as if not everything feels safe"


def answers(*values, comment=""):
    return {**dict(zip(SCORES, values, strict=True)), "comment": comment}


def _answer_tables():
    """What give_feedback writes: the receipt and the anonymous answers, waiting or
    released (every model of venues/models/feedback.py)."""
    return {
        m._meta.label
        for m in apps.get_app_config("venues").get_models()
        if m.__module__ == "venues.models.feedback"
    }


def _everything_else():
    state = database_state()
    for label in _answer_tables():
        state.pop(label)
    state.pop("sessions.Session")
    sessions = []
    for session in Session.objects.order_by("session_key"):
        decoded = session.get_decoded()
        decoded.pop(LAST_SEEN, None)  # the idle timer, touched by any request
        sessions.append((session.session_key, decoded))
    return state, sessions


@pytest.fixture
def post(cast, room, client_for):
    client = client_for(cast.peer)
    url = reverse("venues:feedback", args=[cast.group_a.slug, room.uuid])
    return lambda data: client.post(url, data)


@pytest.mark.parametrize("low", [1, 2])
def test_a_low_answer_is_met_with_the_offer_and_the_groups_help(cast, post, vn, low):
    HelpService.objects.create(
        group=cast.group_a, name="Group A Line", what_for="Between meetings", phone="0800 1"
    )
    response = post(answers(5, 5, low, 5, 5))
    page = vn.html(response)
    assert response.status_code == 200  # rendered from the POST: no redirect carries it
    assert OFFER in page
    assert reverse("groups:concern_new", args=[cast.group_a.slug]) in page
    assert "It is not linked to the answers you have just given" in page
    assert "SafeSpace is not a crisis service" in page
    assert 'href="tel:08001"' in page and "Group A Line" in page
    assert 'href="tel:116123"' not in page  # the group's own list stands in for the defaults


def test_with_no_list_of_its_own_the_national_services_are_shown(post, vn):
    page = vn.html(post(answers(1, 1, 1, 1, 1)))
    for link in ('href="tel:999"', 'href="tel:116123"', 'href="sms:85258"'):
        assert link in page


def test_nothing_low_gets_a_short_thanks_and_a_quieter_offer(cast, post, vn):
    page = vn.html(post(answers(3, 4, 5, 3, 4)))
    assert "Thank you for telling us how you feel" in page
    assert OFFER not in page
    assert "tel:116123" not in page
    assert reverse("groups:concern_new", args=[cast.group_a.slug]) in page
    assert "SafeSpace is not a crisis service" in page


@pytest.mark.parametrize("scores", [(1, 2, 1, 2, 1), (5, 5, 5, 5, 5)])
def test_the_page_keeps_nothing_that_ties_the_person_to_it(cast, post, client, scores):
    before = _everything_else()
    receipts = _answer_tables()
    counts = {label: apps.get_model(label).objects.count() for label in receipts}

    response = post(answers(*scores, comment="A man waits in the corridor when we leave."))

    assert response.status_code == 200
    # Something was written where the anonymity work writes (so this test is not empty) ...
    assert any(apps.get_model(t).objects.count() > counts[t] for t in receipts)
    # ... and nothing anywhere else: no message in the session, no row, no change.
    assert _everything_else() == before
    assert "_messages" not in client.session
    assert "messages" not in response.cookies
