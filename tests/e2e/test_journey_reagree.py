"""A member re-agrees from a diff, on a phone, in a real browser.

Priya agreed to version 1. Version 2 changes one rule and adds one: her answer page
leads with those two changes, and she answers rule by rule, agreeing to each. Every page
visited is checked with axe.
"""

import pytest
from playwright.sync_api import expect

from groundrules import services
from groundrules.models import Agreement, Category, TalkRequest
from groups.models import Membership
from tests.builders import LINK, add_member, adopt, make_group, make_organisation, make_user

from .conftest import PASSWORD, PHONE, no_sideways_scroll, screenshot

KEEP = "What is said in the group stays in the group."
OLD_PHONES = "Phones away."
NEW_PHONES = "Phones on silent and out of sight while someone is sharing."
BREAKS = "Anyone can step out for a moment at any time."


@pytest.fixture
def circle(transactional_db):
    organisation = make_organisation("Northside Peer Support")
    group = make_group(organisation, "Thursday Recovery Circle")
    fay = make_user("Fay", "fay@northside.test", password=PASSWORD)
    priya = make_user("Priya", "priya@northside.test", password=PASSWORD)
    add_member(group, fay, Membership.Role.FACILITATOR)
    add_member(group, priya)
    adopt(
        group,
        fay,
        [(KEEP, Category.CONFIDENTIALITY), (OLD_PHONES, Category.PHONES)],
        agreeing=[fay, priya],
    )
    draft = services.start_draft(group=group, by=fay)
    phones = draft.rules.get(text=OLD_PHONES)
    services.update_rule(rule=phones, fields={"text": NEW_PHONES})
    services.add_rule(version=draft, fields={"text": BREAKS, "category": Category.TIME_OUT})
    version = services.open_round(version=draft, by=fay, link=LINK)
    return {"group": group, "priya": priya, "version": version}


def test_a_member_re_agrees_rule_by_rule_from_what_changed(
    live_server, new_context, circle, sign_in, axe_check
):
    group, version = circle["group"], circle["version"]
    priya = sign_in(new_context(viewport=PHONE).new_page(), circle["priya"].email)
    priya.goto(f"{live_server.url}/groups/{group.slug}/rules/")
    priya.get_by_role("link", name="Read and answer").click()

    changes = priya.get_by_role("region", name="What has changed since version 1")
    expect(changes).to_be_visible()
    changed = changes.locator("ol.diff-list > li")
    expect(changed).to_have_count(2)
    expect(changed.nth(0)).to_contain_text("The rule: changed")
    expect(changed.nth(0).locator("del")).to_contain_text(["away."])
    expect(changed.nth(1)).to_contain_text("New rule")
    expect(changed.nth(1).locator("ins")).to_have_text(BREAKS)
    expect(changes).to_contain_text("The other rule is as you agreed it.")
    # The unchanged rule is there to read, folded away.
    expect(changes.get_by_text(KEEP, exact=True)).not_to_be_visible()
    changes.get_by_text("Read the whole version (3 rules)").click()
    expect(changes.get_by_text(KEEP, exact=True)).to_be_visible()
    no_sideways_scroll(priya, "the answer page")
    axe_check(priya)
    screenshot(priya, "answer-from-changes")

    priya.get_by_role("link", name="Answer rule by rule instead").click()
    rule_two = priya.get_by_role("group", name=f"Rule 2 (changed): {NEW_PHONES}")
    expect(rule_two.get_by_label("I agree")).to_be_checked()
    rule_three = priya.get_by_role("group", name=f"Rule 3 (new): {BREAKS}")
    expect(rule_three.get_by_label("I agree")).to_be_checked()
    axe_check(priya)
    priya.get_by_role("button", name="Send my answer").click()
    expect(priya.get_by_role("status")).to_contain_text("Thank you. Your answer has been saved.")
    expect(priya.get_by_role("main")).to_contain_text("Your answer: “I agree”.")
    axe_check(priya)

    answer = Agreement.objects.get(version=version, user=circle["priya"])
    assert (answer.answer, answer.content_hash) == ("agree", version.content_hash)
    assert not TalkRequest.objects.exists()
