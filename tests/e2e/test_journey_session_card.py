"""Reading the session card on a phone, in a real browser.

Before the meeting, Fay opens the group's session card from the rules page on her phone:
the rules in short, what stays in the room and its limits, where to take a moment away,
the open concern about the room, and the newcomer who has not yet agreed. Then the
print-out. Every page visited is checked with axe.
"""

import pytest
from playwright.sync_api import expect

from groundrules.models import Category, Rulebook
from groups.models import Membership
from tests.builders import (
    action,
    add_member,
    adopt,
    assess,
    make_group,
    make_organisation,
    make_user,
    venue,
)

from .conftest import PASSWORD, PHONE, no_sideways_scroll, screenshot

GROUP_NAME = "Thursday Recovery Circle"
SECRET = "What is said in the group stays in the group."
LIMITS = "If someone is in danger, a facilitator may need to get help."
ACTION = "Ask the centre for a room that cannot be overheard."


@pytest.fixture
def circle(transactional_db):
    organisation = make_organisation("Northside Peer Support")
    group = make_group(organisation, GROUP_NAME)
    fay = make_user("Fay", "fay@northside.test", password=PASSWORD)
    priya = make_user("Priya", "priya@northside.test", password=PASSWORD)
    add_member(group, fay, Membership.Role.FACILITATOR)
    add_member(group, priya)
    adopt(
        group,
        fay,
        [
            (SECRET, Category.CONFIDENTIALITY),
            (LIMITS, Category.CONFIDENTIALITY),
            ("Nobody has to speak.", Category.SHARING),
        ],
        agreeing=[fay, priya],
    )
    Rulebook.objects.create(group=group, time_out_space="the garden room, first door on the left")
    room = venue(organisation, "Mill Lane Room", used_by=[group])
    check = assess(group, room, fay, values={"private": "no"})
    action(check, "private", fay, what=ACTION)
    add_member(group, make_user("Nia"))
    return {"group": group, "fay": fay}


def test_reading_the_session_card_on_a_phone(live_server, new_context, circle, sign_in, axe_check):
    group = circle["group"]
    fay = sign_in(new_context(viewport=PHONE).new_page(), circle["fay"].email)
    fay.goto(f"{live_server.url}/groups/{group.slug}/rules/")
    fay.get_by_role("link", name="Session card").click()

    expect(
        fay.get_by_role("region", name="Our ground rules, in short").locator("li")
    ).to_have_count(3)
    limits = fay.get_by_role("region", name="What stays in the room, and its limits")
    expect(limits.locator("li")).to_have_text([SECRET, LIMITS])
    expect(fay.get_by_role("region", name="If you need a moment")).to_contain_text(
        "You can go to: the garden room, first door on the left."
    )
    place = fay.get_by_role("region", name="About the place we meet")
    expect(place).to_contain_text("Mill Lane Room: its last check found a serious safety problem.")
    expect(place).to_contain_text(ACTION)
    expect(fay.get_by_role("region", name="Before we start")).to_contain_text(
        "Not yet agreed to these rules: Nia."
    )
    no_sideways_scroll(fay, "the session card")
    axe_check(fay)
    screenshot(fay, "session-card")

    fay.get_by_role("link", name="Print the card").click()
    expect(fay.get_by_role("heading", level=1)).to_have_text(f"{GROUP_NAME}: before we begin")
    expect(fay.get_by_role("main")).to_contain_text(SECRET)
    axe_check(fay)
