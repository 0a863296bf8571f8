"""A "talk" about one rule reaches the facilitator and is resolved before adoption, in a
real browser; then every page says truthfully how the rules were adopted.

Priya, on her phone, would like to talk about the phones rule of version 2. Fay is told
by email and on her home page, marks it talked about with a note, and adopts version 2
with an outcome: the rules page and the wall poster say "adopted by the facilitators
after discussion", and how many had agreed. Every page visited is checked with axe.
"""

import re

import pytest
from playwright.sync_api import expect

from groundrules import services
from groundrules.models import Category, TalkRequest, Version
from groups.models import Membership
from tests.builders import LINK, add_member, adopt, answer, make_group, make_organisation, make_user

from .conftest import PASSWORD, PHONE, no_sideways_scroll, screenshot

GROUP_NAME = "Thursday Recovery Circle"
PHONES = "Phones on silent and out of sight while someone is sharing."
TALK = "I am a carer and need to be reachable. Can I keep mine face down?"
NOTE = "We agreed carers can keep a phone on silent, face down."
OUTCOME = "Version 2 adopted with the phones rule as written; carers may keep one face down."


@pytest.fixture
def circle(transactional_db):
    organisation = make_organisation("Northside Peer Support")
    group = make_group(organisation, GROUP_NAME)
    fay = make_user("Fay", "fay@northside.test", password=PASSWORD)
    priya = make_user("Priya", "priya@northside.test", password=PASSWORD)
    sam = make_user("Sam", "sam@northside.test", password=PASSWORD)
    add_member(group, fay, Membership.Role.FACILITATOR)
    for person in (priya, sam):
        add_member(group, person)
    adopt(
        group,
        fay,
        [("What is said in the group stays in the group.", Category.CONFIDENTIALITY)],
        agreeing=[fay, priya, sam],
    )
    draft = services.start_draft(group=group, by=fay)
    services.add_rule(version=draft, fields={"text": PHONES, "category": Category.PHONES})
    version = services.open_round(version=draft, by=fay, link=LINK)
    answer(version, fay)
    answer(version, sam)
    return {"group": group, "fay": fay, "priya": priya, "version": version}


def test_a_talk_about_one_rule_is_heard_and_resolved_before_adoption(
    live_server, new_context, circle, sign_in, axe_check, mailoutbox
):
    group = circle["group"]
    base = f"{live_server.url}/groups/{group.slug}/rules/"
    mailoutbox.clear()

    # --- Priya, on her phone, would like to talk about the phones rule. ---
    priya = sign_in(new_context(viewport=PHONE).new_page(), circle["priya"].email)
    priya.goto(base)
    priya.get_by_role("link", name="Read and answer").click()
    axe_check(priya)
    priya.get_by_label("I'd like to talk about this").check()
    priya.get_by_label("What is it about?").select_option(label=f"Rule 2: {PHONES}")
    priya.get_by_label("What would you like to talk about?").fill(TALK)
    priya.get_by_label("The whole group").check()
    no_sideways_scroll(priya, "the answer page")
    screenshot(priya, "talk-about-a-rule")
    priya.get_by_role("button", name="Send my answer").click()
    expect(priya.get_by_role("status")).to_contain_text("Your answer has been saved.")
    axe_check(priya)

    # Fay hears of it by email (nothing in it says which group or who) ...
    assert [m.to for m in mailoutbox] == [[circle["fay"].email]]
    tracker_path = f"/groups/{group.slug}/rules/versions/2/round/"
    assert tracker_path in mailoutbox[0].body and GROUP_NAME not in mailoutbox[0].body

    # ... and on her home page.
    fay = sign_in(new_context().new_page(), circle["fay"].email)
    todo = fay.get_by_role("link", name="1 request to talk about version 2 of the ground rules")
    expect(todo).to_be_visible()
    axe_check(fay)
    todo.click()
    talks = fay.get_by_role("region", name="What members would like to talk about")
    expect(talks).to_contain_text(f"Priya · about the rule “{PHONES[:77]}")
    expect(talks).to_contain_text(TALK)
    axe_check(fay)

    # Fay marks it talked about, with a note.
    talks.get_by_label("What came of it?").fill(NOTE)
    talks.get_by_role("button", name="Mark as talked about").click()
    expect(fay.get_by_role("status")).to_contain_text("Marked as talked about.")
    talks = fay.get_by_role("region", name="What members would like to talk about")
    expect(talks).to_contain_text("Talked about on")
    expect(talks).to_contain_text(f"What came of it: {NOTE}")
    axe_check(fay)

    # Priya has not agreed: adopting needs an outcome, and says so.
    closing = fay.get_by_role("region", name="Closing the round")
    expect(closing).to_contain_text("Not agreed yet: Priya (would like to talk).")
    closing.get_by_role("button", name="Adopt this version").click()
    expect(fay.get_by_role("alert").or_(fay.get_by_role("status"))).to_contain_text(
        "Not everyone has agreed yet."
    )
    assert Version.objects.get(pk=circle["version"].pk).status == Version.Status.IN_ROUND
    closing = fay.get_by_role("region", name="Closing the round")
    closing.get_by_label("Outcome").fill(OUTCOME)
    closing.get_by_role("button", name="Adopt this version").click()
    expect(fay.get_by_role("status")).to_contain_text("These are now the group's ground rules.")
    truth = re.compile(
        r"Adopted by the facilitators after discussion on \d+ \w+ \d{4}: "
        r"agreed by 2 of 3 members\."
    )
    expect(fay.get_by_role("main")).to_contain_text(truth)
    axe_check(fay)

    fay.goto(f"{base}print/")
    expect(fay.locator("p.subtitle")).to_contain_text(truth)
    axe_check(fay)

    talk = TalkRequest.objects.get()
    assert (talk.rule.text, talk.note, talk.talked_about_by) == (PHONES, NOTE, circle["fay"])
    version = Version.objects.get(pk=circle["version"].pk)
    assert (version.outcome, version.agreed_when_adopted, version.members_when_adopted) == (
        OUTCOME,
        2,
        3,
    )
