"""A suggested change accepted without losing words, in a real browser.

Priya, on her phone, suggests changing only what happens when the confidentiality rule
is broken. Fay accepts it: the draft shows exactly that part as changed, and the rule
keeps its words, its "why" and its category. Every page visited is checked with axe.
"""

import pytest
from playwright.sync_api import expect

from groundrules.models import Category, Proposal, Version
from groups.models import Membership
from tests.builders import add_member, adopt, make_group, make_organisation, make_user

from .conftest import PASSWORD, PHONE, no_sideways_scroll, screenshot

GROUP_NAME = "Thursday Recovery Circle"
RULE = "What is said in the group stays in the group."
WHY = "So that everyone can speak freely."
OLD_RESPONSE = "A facilitator has a quiet word after the meeting."
NEW_RESPONSE = "A gentle reminder to everyone at the start of the next meeting."
REASON = "A quiet word can feel like being told off. A reminder to all of us is kinder."


@pytest.fixture
def circle(transactional_db):
    organisation = make_organisation("Northside Peer Support")
    group = make_group(organisation, GROUP_NAME)
    fay = make_user("Fay", "fay@northside.test", password=PASSWORD)
    priya = make_user("Priya", "priya@northside.test", password=PASSWORD)
    add_member(group, fay, Membership.Role.FACILITATOR)
    add_member(group, priya)
    current = adopt(
        group,
        fay,
        [
            (RULE, Category.CONFIDENTIALITY, WHY, OLD_RESPONSE),
            ("Everyone can choose to share or to stay quiet.", Category.SHARING),
        ],
        agreeing=[fay, priya],
    )
    return {"group": group, "fay": fay, "priya": priya, "current": current}


def test_a_change_to_one_part_is_accepted_without_losing_words(
    live_server, new_context, circle, sign_in, axe_check
):
    group = circle["group"]
    base = f"{live_server.url}/groups/{group.slug}/rules/"

    # --- Priya, on a phone, suggests a change to what happens if rule 1 is broken. ---
    priya = sign_in(new_context(viewport=PHONE).new_page(), circle["priya"].email)
    priya.goto(base)
    axe_check(priya)
    priya.get_by_role("link", name="Suggest a change to rule 1", exact=True).click()
    expect(priya.get_by_role("heading", level=2)).to_have_text(
        "Suggest a change to the ground rules"
    )
    expect(priya.get_by_role("region", name="The rule as it reads now")).to_contain_text(WHY)
    # Every part is there to change, as it reads now.
    expect(priya.get_by_label("Change a rule")).to_be_checked()
    expect(priya.get_by_label("The rule, in your words")).to_have_value(RULE)
    expect(priya.get_by_label("Why we would have it")).to_have_value(WHY)
    expect(priya.get_by_label("Category")).to_have_value(Category.CONFIDENTIALITY)
    expect(priya.get_by_label("What happens if it is broken")).to_have_value(OLD_RESPONSE)
    no_sideways_scroll(priya, "the suggestion form")
    axe_check(priya)
    screenshot(priya, "suggest-change")
    priya.get_by_label("What happens if it is broken").fill(NEW_RESPONSE)
    priya.get_by_label("Your reason").fill(REASON)
    priya.get_by_role("button", name="Send suggestion").click()

    expect(priya.get_by_role("status")).to_contain_text("Your suggestion is now open")
    changes = priya.locator("dl.part-changes")
    expect(changes.locator("dt")).to_have_text(["If it is broken: changed"])
    expect(changes.locator("ins")).to_contain_text(["gentle reminder"])
    axe_check(priya)

    # --- Fay accepts it and reads the draft. ---
    fay = sign_in(new_context().new_page(), circle["fay"].email)
    fay.goto(f"{base}proposals/")
    fay.get_by_role("link", name=f"Change a rule: {RULE}").click()
    expect(fay.locator("dl.part-changes dt")).to_have_text(["If it is broken: changed"])
    axe_check(fay)
    decide = fay.get_by_role("region", name="Decide")
    decide.get_by_label("Accept it into the draft").check()
    decide.get_by_role("button", name="Save decision").click()
    expect(fay.get_by_role("status")).to_contain_text("The suggestion is now in the draft.")

    fay.get_by_role("navigation", name="Ground rules").get_by_role("link", name="Draft").click()
    changed = fay.locator("ol.diff-list > li").nth(0)
    expect(changed).to_contain_text("Changed")
    expect(changed.locator("p.rule-text")).to_have_text(RULE)
    expect(changed.locator("dt")).to_have_text(["If it is broken: changed"])
    axe_check(fay)
    changed.get_by_role("link", name="Edit this rule").click()
    expect(fay.get_by_label("The rule")).to_have_value(RULE)
    expect(fay.get_by_label("Why we have it")).to_have_value(WHY)
    expect(fay.get_by_label("Category")).to_have_value(Category.CONFIDENTIALITY)
    expect(fay.get_by_label("What happens if it is broken")).to_have_value(NEW_RESPONSE)
    axe_check(fay)

    draft = Version.objects.get(group=group, status=Version.Status.DRAFT)
    assert draft.rules.get(text=RULE).content() == {
        "text": RULE,
        "why": WHY,
        "category": Category.CONFIDENTIALITY,
        "if_broken": NEW_RESPONSE,
    }
    assert Proposal.objects.get().status == Proposal.Status.ACCEPTED
