"""Home pages: what a facilitator has to do, what asks for a peer's answer, and the
coordinator's way straight to the dashboard."""

from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.urls import reverse

from groundrules import services as rule_services
from groups.dates import add_months, quarter
from groups.models import Coordinator
from tests import builders
from tests.builders import add_member, built_once, fresh, make_organisation, make_user
from venues import services as venue_services
from venues.models import FeedbackReceipt

# Homeside is built once for the module and is there for every test in it, so that
# what a test sees does not depend on which tests ran before it.
pytestmark = pytest.mark.usefixtures("homes_world")


def build_homes(ss):
    """Homeside, seen by Fiona (facilitator) and Pat (peer).

    Oak     Fiona facilitates; Nia, Milo and Pat. Version 1 adopted 7 months ago and
            agreed by all (review overdue); version 2 with the group, answered by Fiona
            and Nia only. 2 open suggestions (and 1 declined). Oak Hall never checked;
            Oak Annexe checked a week short of a year ago (due in a week), with Fiona's
            actions: one overdue, one due later; and a coordinator's action.
            Pat answered this quarter's check for Oak Hall, and last quarter's for the
            Annexe.
    Pine    Fiona facilitates; version 1 adopted today; Lou and Pat joined after and
            have not answered.
    Willow  Fiona alone; rules adopted so that their review falls due in 10 days.
    Elm     Fiona and Pat both left; a round is open there.
    Ash     archived; Pat is a member.
    """
    today = ss.today()
    coordinator = make_user("Hana Coordinator")
    org = make_organisation("Homeside", coordinators=[coordinator])
    fiona, pat, nia, milo, lou = ss.people(
        "Fiona Facilitator", "Pat Peer", "Nia Peer", "Milo Peer", "Lou Newcomer"
    )
    h = SimpleNamespace(org=org, coordinator=coordinator, fiona=fiona, pat=pat, today=today)

    h.oak = ss.group(org, "Oak", facilitators=[fiona], peers=[nia, milo, pat])
    h.oak_adopted = add_months(today, -7)
    ss.adopt(h.oak, fiona, agreeing=[fiona, nia, milo, pat], when=ss.at(h.oak_adopted))
    h.oak_round = ss.put_to_group(h.oak, fiona, ["A rule.", "Another rule."])
    ss.answer(h.oak_round, fiona)
    ss.answer(h.oak_round, nia, "talk")
    ss.propose(h.oak, nia, "Phones on silent.")
    ss.propose(h.oak, milo, "Tea at half time.")
    rule_services.decline_proposal(
        proposal=ss.propose(h.oak, milo, "No biscuits."), by=fiona, reason="No.", link=ss.LINK
    )
    h.oak_hall = ss.venue(org, "Oak Hall", used_by=[h.oak])
    h.oak_annexe = ss.venue(org, "Oak Annexe", used_by=[h.oak])
    h.annexe_checked = add_months(today, -12) + timedelta(days=7)
    check = ss.assess(
        h.oak,
        h.oak_annexe,
        fiona,
        {"staffed": "partly", "welcoming": "no", "private": "partly"},
        when=ss.at(h.annexe_checked),
    )
    h.late = ss.action(
        check, "staffed", fiona, what="Ask about staff cover", due_on=today - timedelta(days=3)
    )
    h.later = ss.action(
        check, "welcoming", fiona, what="Bring a welcome sign", due_on=today + timedelta(days=20)
    )
    ss.action(check, "private", fiona, owner=coordinator, what="Coordinator's own job")
    venue_services.give_feedback(
        user=pat, group=h.oak, venue=h.oak_hall, scores=_scores(4), comment=""
    )
    FeedbackReceipt.objects.create(
        user=pat, group=h.oak, venue=h.oak_annexe, period=quarter(add_months(today, -3))
    )

    h.pine = ss.group(org, "Pine", facilitators=[fiona])
    h.pine_v1 = ss.adopt(h.pine, fiona, agreeing=[fiona])
    add_member(h.pine, lou)
    add_member(h.pine, pat)

    h.willow = ss.group(org, "Willow", facilitators=[fiona])
    h.willow_adopted = add_months(today, -6) + timedelta(days=10)
    ss.adopt(h.willow, fiona, agreeing=[fiona], when=ss.at(h.willow_adopted))

    h.elm = ss.group(org, "Elm", facilitators=[fiona], peers=[pat, nia])
    ss.put_to_group(h.elm, fiona)
    ss.venue(org, "Elm Rooms", used_by=[h.elm])
    ss.leave(h.elm, fiona)
    ss.leave(h.elm, pat)

    h.ash = ss.group(org, "Ash", peers=[pat])
    ss.venue(org, "Ash Rooms", used_by=[h.ash])
    builders.archive(h.ash, ss.at(today))
    return h


@pytest.fixture(scope="module")
def homes_world(django_db_setup, django_db_blocker):
    """Homeside (with tests/builders.py as `ss`), built once per module; each test
    reads a fresh copy."""
    with built_once(django_db_blocker):
        yield build_homes(builders)


@pytest.fixture
def homes(homes_world, db):
    return fresh(homes_world)


def _scores(value):
    return dict.fromkeys(
        ["welcome", "physically_safe", "safe_to_talk", "time_out", "comfortable_with_others"],
        value,
    )


def home(client_for, user):
    response = client_for(user).get(reverse("home"))
    assert response.status_code == 200
    return response


# The facilitator's home ------------------------------------------------------------


def test_facilitator_sees_a_section_per_current_group(ss, homes, client_for):
    response = home(client_for, homes.fiona)
    assert [h.group.name for h in response.context["homes"]] == ["Oak", "Pine", "Willow"]
    page = ss.text(response)
    assert "Elm" not in page  # she left
    assert "Ash" not in page
    for group in (homes.oak, homes.pine, homes.willow):
        part = ss.section_text(response, f"g-{group.slug}")
        assert part.startswith(f"{group.name} you facilitate")
        assert "Safety at a glance" in part


def test_facilitator_sees_who_has_not_answered_by_name(ss, homes, client_for):
    response = home(client_for, homes.fiona)
    oak = ss.section_text(response, f"g-{homes.oak.slug}")
    assert "2 members haven't answered the ground rules yet: Milo Peer, Pat Peer." in oak
    assert "Nia Peer" not in oak  # she answered (to talk about it)
    pine = ss.section_text(response, f"g-{homes.pine.slug}")
    assert "2 members haven't answered the ground rules yet: Lou Newcomer, Pat Peer." in pine
    willow = ss.section_text(response, f"g-{homes.willow.slug}")
    assert "haven't answered" not in willow and "hasn't answered" not in willow
    # names only, never email addresses
    assert "@example.test" not in response.content.decode()


def test_one_member_who_has_not_answered_is_said_in_the_singular(ss, homes, client_for):
    ss.answer(homes.pine_v1, homes.pat)
    pine = ss.section_text(home(client_for, homes.fiona), f"g-{homes.pine.slug}")
    assert "1 member hasn't answered the ground rules yet: Lou Newcomer." in pine


def test_facilitator_sees_reviews_due(ss, homes, client_for):
    response = home(client_for, homes.fiona)
    oak = ss.section_text(response, f"g-{homes.oak.slug}")
    oak_due = add_months(homes.oak_adopted, 6)
    assert f"Overdue: review the ground rules by {ss.long(oak_due)}. Reviews" in oak
    willow = ss.section_text(response, f"g-{homes.willow.slug}")
    willow_due = add_months(homes.willow_adopted, 6)
    assert homes.today < willow_due <= homes.today + timedelta(days=14)
    assert f"review the ground rules by {ss.long(willow_due)}" in willow
    assert "Overdue" not in willow
    pine = ss.section_text(response, f"g-{homes.pine.slug}")
    assert "review the ground rules" not in pine  # not for six months


def test_facilitator_sees_suggestions_waiting_for_a_decision(ss, homes, client_for):
    response = home(client_for, homes.fiona)
    oak = ss.section_text(response, f"g-{homes.oak.slug}")
    assert "2 suggestions wait for a decision" in oak
    assert reverse("groundrules:proposals", args=[homes.oak.slug]) in ss.section(
        response, f"g-{homes.oak.slug}"
    )
    assert "suggestion" not in ss.section_text(response, f"g-{homes.pine.slug}")


def test_facilitator_sees_reassessments_due(ss, homes, client_for):
    oak = ss.section_text(home(client_for, homes.fiona), f"g-{homes.oak.slug}")
    assert "Due now: check Oak Hall." in oak
    due = add_months(homes.annexe_checked, 12)
    assert f"check Oak Annexe by {ss.long(due)}." in oak


def test_facilitator_sees_their_own_actions_with_overdue_in_words(ss, homes, client_for):
    response = home(client_for, homes.fiona)
    oak = ss.section_text(response, f"g-{homes.oak.slug}")
    late = homes.today - timedelta(days=3)
    later = homes.today + timedelta(days=20)
    assert f"Your action: Ask about staff cover (overdue since {ss.short(late)})" in oak
    assert f"Your action: Bring a welcome sign (due {ss.short(later)})" in oak
    assert oak.index("Ask about staff cover") < oak.index("Bring a welcome sign")
    assert "Coordinator's own job" not in oak
    html = ss.section(response, f"g-{homes.oak.slug}")
    assert f"<strong>overdue since {ss.short(late)}</strong>" in html
    assert reverse("venues:action", args=[homes.oak.slug, homes.late.uuid]) in html


def test_a_closed_action_leaves_the_home(ss, homes, client_for):
    ss.close(homes.late)
    oak = ss.section_text(home(client_for, homes.fiona), f"g-{homes.oak.slug}")
    assert "Ask about staff cover" not in oak
    assert "Bring a welcome sign" in oak


def test_a_group_with_nothing_to_do(ss, homes, client_for):
    willow_only = make_user("Wendy Facilitator")
    quiet = ss.group(homes.org, "Quiet", facilitators=[willow_only])
    ss.adopt(quiet, willow_only, agreeing=[willow_only])
    part = ss.section_text(home(client_for, willow_only), f"g-{quiet.slug}")
    assert "Nothing needs your answer here right now." in part
    assert "For you to do as facilitator" not in part


# The peer's home -------------------------------------------------------------------


def test_peer_sees_only_their_current_groups(ss, homes, client_for):
    response = home(client_for, homes.pat)
    assert [h.group.name for h in response.context["homes"]] == ["Oak", "Pine"]
    page = ss.text(response)
    assert "Elm" not in page
    assert "Ash" not in page


def test_peer_is_asked_to_answer_an_open_round(ss, homes, client_for):
    response = home(client_for, homes.pat)
    oak = ss.section_text(response, f"g-{homes.oak.slug}")
    assert oak.startswith("Oak you are a member Waiting for your answer")
    assert "Read version 2 of the ground rules and say if you agree" in oak
    answer = reverse("groundrules:answer", args=[homes.oak.slug, 2])
    assert f'href="{answer}"' in ss.section(response, f"g-{homes.oak.slug}")


def test_the_ask_goes_once_they_answer(ss, homes, client_for):
    ss.answer(homes.oak_round, homes.pat)
    oak = ss.section_text(home(client_for, homes.pat), f"g-{homes.oak.slug}")
    assert "Read version 2" not in oak


def test_newcomer_is_asked_to_read_and_agree(ss, homes, client_for):
    response = home(client_for, homes.pat)
    pine = ss.section_text(response, f"g-{homes.pine.slug}")
    assert "Read the group's ground rules and say if you agree" in pine
    answer = reverse("groundrules:answer", args=[homes.pine.slug, 1])
    assert f'href="{answer}"' in ss.section(response, f"g-{homes.pine.slug}")
    ss.answer(homes.pine_v1, homes.pat, "talk")
    pine = ss.section_text(home(client_for, homes.pat), f"g-{homes.pine.slug}")
    assert "say if you agree" not in pine
    assert "Nothing needs your answer here right now." in pine


def test_peer_is_asked_for_this_quarters_venue_check_until_they_answer(ss, homes, client_for):
    response = home(client_for, homes.pat)
    oak = ss.section_text(response, f"g-{homes.oak.slug}")
    # answered for the Hall this quarter; the Annexe only last quarter
    assert "How safe do you feel at Oak Annexe? (anonymous, once a quarter)" in oak
    assert "Oak Hall" not in oak
    feedback = reverse("venues:feedback", args=[homes.oak.slug, homes.oak_annexe.uuid])
    assert f'href="{feedback}"' in ss.section(response, f"g-{homes.oak.slug}")
    venue_services.give_feedback(
        user=homes.pat, group=homes.oak, venue=homes.oak_annexe, scores=_scores(3), comment=""
    )
    oak = ss.section_text(home(client_for, homes.pat), f"g-{homes.oak.slug}")
    assert "How safe do you feel" not in oak


def test_peer_has_a_link_to_the_current_rules(ss, homes, client_for):
    response = home(client_for, homes.pat)
    html = ss.section(response, f"g-{homes.pine.slug}")
    rules = reverse("groundrules:home", args=[homes.pine.slug])
    assert f'<a href="{rules}">The group\'s ground rules</a>' in html.replace("&#x27;", "'")


def test_peer_sees_no_facilitator_to_dos_or_other_peoples_names(ss, homes, client_for):
    response = home(client_for, homes.pat)
    page = ss.text(response)
    assert "For you to do as facilitator" not in page
    assert "Safety at a glance" not in page
    for name in ("Milo Peer", "Nia Peer", "Lou Newcomer"):
        assert name not in page
    assert "Your action" not in page
    assert "suggestion" not in page
    for h in response.context["homes"]:
        assert h.todos == []


# Coordinators ----------------------------------------------------------------------


def test_a_coordinators_home_is_their_dashboard(cast, client_for):
    response = client_for(cast.coordinator).get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"] == reverse("dashboard", args=[cast.org_a.slug])


def test_a_coordinator_who_left_their_only_group_goes_to_the_dashboard(ss, cast, client_for):
    add_member(cast.group_a, cast.coordinator)
    assert client_for(cast.coordinator).get(reverse("home")).status_code == 200
    ss.leave(cast.group_a, cast.coordinator)
    response = client_for(cast.coordinator).get(reverse("home"))
    assert response["Location"] == reverse("dashboard", args=[cast.org_a.slug])


def test_a_coordinator_who_is_also_in_a_group_gets_a_home(ss, cast, client_for):
    add_member(cast.group_a, cast.coordinator)
    response = home(client_for, cast.coordinator)
    page = ss.text(response)
    assert "Organisations you coordinate Riverside: safety dashboard" in page
    assert reverse("dashboard", args=[cast.org_a.slug]) in response.content.decode()
    assert "Group A you are a member" in page


def test_a_coordinator_of_two_organisations_gets_a_home(ss, cast, client_for):
    Coordinator.objects.create(organisation=cast.org_b, user=cast.coordinator)
    response = home(client_for, cast.coordinator)
    page = ss.text(response)
    assert "Elsewhere: safety dashboard" in page
    assert "Riverside: safety dashboard" in page


def test_someone_in_no_group_is_told_how_to_join(ss, client_for):
    response = home(client_for, make_user("Lonely Person"))
    assert "You are not in any group yet." in ss.text(response)


def test_anonymous_home_redirects_to_sign_in(client_for, db):
    response = client_for(None).get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


# A new group's first steps ---------------------------------------------------------


def _first_steps(ss, client_for, who):
    response = client_for(who).get(reverse("home"))
    return ss.text(response)


def test_a_new_groups_facilitator_is_led_through_its_first_steps(ss, client_for):
    coordinator = make_user("Nell Coordinator")
    org = make_organisation("Newtown", coordinators=[coordinator])
    (fay,) = ss.people("Fay New")
    group = ss.group(org, "Brand New", facilitators=[fay])

    page = _first_steps(ss, client_for, fay)
    assert (
        "Getting the group ready To do Get started on the ground rules together "
        "To do Invite the group's members To do Add where the group meets"
    ) in page
    assert "Nothing needs your answer here right now." not in page

    ss.draft(group, fay)
    add_member(group, make_user("Pip Peer"))
    page = _first_steps(ss, client_for, fay)
    assert (
        "Done Ground rules: carry on Done Invite the group's members "
        "To do Add where the group meets"
    ) in page

    ss.venue(org, "The Hall", used_by=[group])
    page = _first_steps(ss, client_for, fay)
    assert "Getting the group ready" not in page


def test_a_group_with_adopted_rules_is_not_asked_its_first_steps(ss, client_for):
    coordinator = make_user("Nell Coordinator")
    org = make_organisation("Newtown", coordinators=[coordinator])
    (fay,) = ss.people("Fay Old")
    group = ss.group(org, "Going Well", facilitators=[fay])
    ss.adopt(group, fay, agreeing=[fay])
    assert "Getting the group ready" not in _first_steps(ss, client_for, fay)


def test_a_peer_is_never_shown_the_first_steps(ss, client_for):
    coordinator = make_user("Nell Coordinator")
    org = make_organisation("Newtown", coordinators=[coordinator])
    fay, pip = ss.people("Fay New", "Pip Peer")
    ss.group(org, "Brand New", facilitators=[fay], peers=[pip])
    assert "Getting the group ready" not in _first_steps(ss, client_for, pip)
