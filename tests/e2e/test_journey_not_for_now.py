"""A group chooses "not for now" and comes back, in a real browser, on a phone.

Fay answers the toolkit's questions for a group with no rules: not for now, with a date
to look again and a note for the group. The rules page says so, offers no starter
picker, and Priya reads the note. Months later Fay looks again, says yes, and starts a
first draft from starters that fit the group. Every page visited is checked with axe.
"""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from groundrules.models import Rulebook, Version
from groups.dates import add_months
from groups.models import Group, Membership
from tests.builders import add_member, make_group, make_organisation, make_user

from .conftest import PASSWORD, PHONE, no_sideways_scroll, screenshot

NOTE = "We know each other well. We'll see how the first few meetings go."


@pytest.fixture
def circle(transactional_db):
    organisation = make_organisation("Northside Peer Support")
    group = make_group(organisation, "Carers' Coffee Morning", format=Group.Format.ONLINE)
    fay = make_user("Fay", "fay@northside.test", password=PASSWORD)
    priya = make_user("Priya", "priya@northside.test", password=PASSWORD)
    add_member(group, fay, Membership.Role.FACILITATOR)
    add_member(group, priya)
    return {"group": group, "fay": fay, "priya": priya}


def test_not_for_now_and_coming_back(live_server, new_context, circle, sign_in, axe_check):
    group = circle["group"]
    base = f"{live_server.url}/groups/{group.slug}/rules/"
    fay = sign_in(new_context(viewport=PHONE).new_page(), circle["fay"].email)
    fay.goto(base)
    fay.get_by_role("link", name="Get started").click()
    axe_check(fay)
    fay.get_by_label("No, not for now").check()
    revisit = add_months(timezone.localdate(), 6)
    expect(fay.get_by_label("When shall we look at this again?")).to_have_value(revisit.isoformat())
    fay.get_by_label("A short note for the group").fill(NOTE)
    no_sideways_scroll(fay, "getting started")
    fay.get_by_role("button", name="Save and continue").click()

    expect(fay.get_by_role("status")).to_contain_text("Your decision has been saved.")
    decision = fay.get_by_role("region", name="The group has decided not to have ground rules")
    expect(decision).to_contain_text(f"look at this again by {revisit.day} {revisit:%B %Y}")
    expect(decision).to_contain_text(NOTE)
    expect(fay.get_by_role("link", name="Get started")).to_have_count(0)
    axe_check(fay)
    screenshot(fay, "not-for-now")
    fay.goto(f"{base}starters/")
    expect(fay.get_by_role("heading", level=2)).to_have_text("Getting started with ground rules")
    expect(fay.get_by_role("status")).to_contain_text("Change that answer first.")

    priya = sign_in(new_context().new_page(), circle["priya"].email)
    priya.goto(base)
    expect(priya.get_by_role("main")).to_contain_text(NOTE)
    expect(priya.get_by_role("link", name="Look at this again")).to_have_count(0)
    axe_check(priya)

    # Months later, the group looks again and says yes.
    fay.goto(base)
    fay.get_by_role("link", name="Look at this again").click()
    expect(fay.get_by_label("No, not for now")).to_be_checked()
    fay.get_by_label("Yes, we want ground rules").check()
    fay.get_by_label("Everyone in the group, together").check()
    fay.get_by_role("button", name="Save and continue").click()
    expect(fay.get_by_role("heading", level=2)).to_have_text("Start your first draft")
    # Starters for an online group: no phones-away rule, the online ones instead.
    expect(fay.get_by_label("Phones on silent and put away.", exact=False)).to_have_count(0)
    fay.get_by_label("No screenshots, recordings", exact=False).check()
    axe_check(fay)
    fay.get_by_role("button", name="Create the draft").click()
    expect(fay.get_by_role("status")).to_contain_text("Your draft is ready.")
    axe_check(fay)

    rulebook = Rulebook.objects.get(group=group)
    assert (rulebook.want_rules, rulebook.decided_on, rulebook.note_for_group) == ("yes", None, "")
    group.refresh_from_db()
    assert group.upheld_by == Group.UpheldBy.EVERYONE
    rule = Version.objects.get(group=group).rules.get()
    assert (
        rule.if_broken
        == "The person is removed from the session and the group talks about it together."
    )
