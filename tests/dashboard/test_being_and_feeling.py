"""Being safe beside feeling safe: the facilitator's checklist and peers' released answers
side by side where they ask about the same thing, each disagreement in words, and the
dashboard reasons they give (low peer scores, a disagreement, an open private concern).

Every peer figure here comes from released answers only: answers still waiting in the
pool never make a group need attention (docs/privacy.md)."""

from types import SimpleNamespace

import pytest
from django.urls import reverse

from groups import services as group_services
from groups import summaries
from groups.models import Concern
from tests import pages
from tests.builders import assess, feedback, group, make_organisation, make_user, people, venue
from venues.facts import venue_facts
from venues.models import ReleasedAnswer

SAFE_AREA = "Is the venue in an area people feel safe going to?"
PHYSICALLY_SAFE = "I feel physically safe getting there and being there"
PEERS_LOWER = "the checklist says yes, but peers don't feel it"
PEERS_HIGHER = "the checklist says no, but peers feel it"
DISAGREE = "Checklist and peers disagree"
LOW = "Low scores from peers"
CONCERN = "A private concern is waiting"


@pytest.fixture
def w(db):
    cora = make_user("Cora Coordinator")
    org = make_organisation("Riverside", coordinators=[cora])
    fay, pat = people("Fay Facilitator", "Pat Peer")
    circle = group(org, "Circle", facilitators=[fay], peers=[pat])
    hall = venue(org, "Church Hall", used_by=[circle])
    return SimpleNamespace(cora=cora, org=org, fay=fay, pat=pat, circle=circle, hall=hall)


def release(w, count=3, **scores):
    """`count` released answers about the hall: 4 on every statement unless `scores` says."""
    made = feedback(w.circle, w.hall, count, score=4)
    if made is not None and scores:
        ReleasedAnswer.objects.filter(release=made).update(**scores)
        summaries.refresh([w.circle.pk])  # written past the services, as a release would


def reasons(client_for, w):
    response = client_for(w.cora).get(reverse("dashboard", args=[w.org.slug]))
    assert response.status_code == 200
    return pages.dashboard_rows(response)["Circle"][-1]


def safety(client_for, who, w):
    response = client_for(who).get(reverse("safety", args=[w.circle.slug]))
    assert response.status_code == 200
    return pages.text(response)


def test_checklist_says_safe_but_peers_do_not_feel_it(w, client_for):
    assess(w.circle, w.hall, w.fay)  # every question Yes
    release(w, physically_safe=1)

    page = safety(client_for, w.fay, w)
    assert "The checklist beside peers' answers" in page
    assert f"{SAFE_AREA} Checklist: Yes" in page
    assert f'Peers, "{PHYSICALLY_SAFE}": 1.0 out of 5 They disagree: {PEERS_LOWER}' in page
    assert f'Low scores from peers: "{PHYSICALLY_SAFE}": 1.0 out of 5' in page
    # the other meeting points agree
    assert page.count("They disagree:") == 1
    assert page.count("No disagreement.") == 3
    assert reasons(client_for, w) == f"{LOW} {DISAGREE} No adopted ground rules"


def test_checklist_says_no_but_peers_feel_it(w, client_for):
    assess(w.circle, w.hall, w.fay, {"welcoming": "no"})
    release(w, welcome=5)

    page = safety(client_for, w.cora, w)
    assert (
        'Does the venue feel welcoming? Checklist: No Peers, "I feel welcome here": 5.0 out of 5 '
        f"They disagree: {PEERS_HIGHER}"
    ) in page
    assert reasons(client_for, w) == f"{DISAGREE} No adopted ground rules"


def test_partly_and_middling_answers_are_no_disagreement(w, client_for):
    assess(w.circle, w.hall, w.fay, {"safe-area": "partly", "welcoming": "no"})
    release(w, physically_safe=1, welcome=3)  # 3 is "somewhat": neither low nor high

    page = safety(client_for, w.fay, w)
    assert "They disagree:" not in page
    assert DISAGREE not in reasons(client_for, w)
    assert LOW in reasons(client_for, w)  # physically safe 1.0 is still low


def test_answers_that_agree_make_nobody_need_attention(w, client_for):
    assess(w.circle, w.hall, w.fay)
    release(w)

    assert "They disagree:" not in safety(client_for, w.fay, w)
    assert reasons(client_for, w) == "No adopted ground rules"


def test_answers_still_waiting_count_for_nothing(w, client_for):
    """Two low answers in the pool are not released: they show nowhere, and no reason."""
    assess(w.circle, w.hall, w.fay)
    feedback(w.circle, w.hall, 2, score=1)

    page = safety(client_for, w.cora, w)
    assert "The checklist beside peers' answers" not in page
    assert "Low scores from peers" not in page
    assert reasons(client_for, w) == "No adopted ground rules"


def test_a_check_alone_or_peers_alone_are_not_compared(w, client_for):
    release(w, physically_safe=1)  # never checked

    page = safety(client_for, w.fay, w)
    assert "The checklist beside peers' answers" not in page
    assert LOW in reasons(client_for, w)
    assert DISAGREE not in reasons(client_for, w)


def test_the_latest_check_is_the_one_compared(w, client_for):
    first = assess(w.circle, w.hall, w.fay)
    assert first.submitted_at is not None
    assess(w.circle, w.hall, w.fay, {"safe-area": "no"})
    release(w, physically_safe=1)

    page = safety(client_for, w.fay, w)
    assert f"{SAFE_AREA} Checklist: No" in page
    assert "They disagree:" not in page


def test_an_online_platform_is_compared_where_it_is_asked(db):
    cora = make_user("Cora")
    org = make_organisation("Online Org", coordinators=[cora])
    (fay,) = people("Fay")
    online = group(org, "Online", facilitators=[fay], format="online")
    room = venue(org, "Video Room", used_by=[online], kind="online")
    assess(online, room, fay, {"moment-away": "yes"})
    made = feedback(online, room, 3, score=4)
    ReleasedAnswer.objects.filter(release=made).update(time_out=2)

    (state,) = venue_facts([online.pk], compare=True)[online.pk].venues
    assert [(c.answer, c.average, c.disagreement) for c in state.comparisons] == [
        ("yes", 2.0, "peers_lower")
    ]


def test_the_results_page_puts_the_checklist_beside_the_answers(w, client_for):
    assess(w.circle, w.hall, w.fay)
    release(w, time_out=2)

    url = reverse("venues:feedback_results", args=[w.circle.slug, w.hall.uuid])
    page = pages.text(client_for(w.fay).get(url))
    assert (
        "Is there somewhere people can go to take a moment away from the group? Checklist: Yes"
    ) in page
    assert f"They disagree: {PEERS_LOWER}" in page
    # a peer reads neither (the results are the facilitators' and coordinators')
    assert client_for(w.pat).get(url).status_code == 403


# Private concerns ------------------------------------------------------------------


def send(w, to):
    return group_services.send_concern(
        group=w.circle, sender=w.pat, to=to, text="Not safe.", link=lambda c: "https://x.test/"
    )


def test_an_open_concern_to_the_coordinators_makes_the_group_need_attention(w, client_for):
    concern = send(w, Concern.To.COORDINATORS)
    assert CONCERN in reasons(client_for, w)
    assert "1 private message to you has not been followed up yet." in safety(client_for, w.cora, w)

    group_services.follow_up_concern(concern=concern, by=w.cora)
    assert CONCERN not in reasons(client_for, w)


def test_a_facilitator_is_never_told_of_a_concern_to_the_coordinators(w, client_for):
    send(w, Concern.To.COORDINATORS)
    page = safety(client_for, w.fay, w)
    assert CONCERN not in page
    assert "Every private message to you has been followed up." in page


def test_a_concern_to_the_facilitators_is_theirs_to_see(w, client_for):
    send(w, Concern.To.FACILITATORS)
    page = safety(client_for, w.fay, w)
    assert CONCERN in page
    assert "1 private message to you has not been followed up yet." in page
    # The coordinators' dashboard counts only what was sent to them.
    assert CONCERN not in reasons(client_for, w)


def test_the_summary_and_the_csv_carry_the_new_reasons(w, client_for):
    assess(w.circle, w.hall, w.fay)
    release(w, physically_safe=1)
    send(w, Concern.To.COORDINATORS)

    client = client_for(w.cora)
    response = client.get(reverse("dashboard", args=[w.org.slug]))
    summary = [(str(label), n) for label, n, *_ in response.context["summary"]["by_reason"]]
    for label in (CONCERN, LOW, DISAGREE):
        assert (label, 1) in summary
    csv = pages.html(client.get(reverse("dashboard_csv", args=[w.org.slug])))
    assert f"{CONCERN}; {LOW}; {DISAGREE}" in csv
