"""Two facilitators editing the same rule at once, in real browsers: nothing is lost.

Fay (desktop) and Sol (phone) open the same rule of the draft. Sol saves first. Fay's
save is refused with the conflict page: what she typed beside what Sol saved, who and
when. She combines the two and saves. Sol, meanwhile on an old page again, is shown the
same page and keeps what is there now. Every page visited is checked with axe.
"""

import pytest
from playwright.sync_api import expect

from groundrules.models import Category
from groups.models import Coordinator, Membership
from tests.builders import add_member, make_group, make_organisation, make_user
from tests.builders import draft as make_draft

from .conftest import DESKTOP, PASSWORD, PHONE, no_sideways_scroll, screenshot

SOL_TEXT = "Phones off in the room."
FAY_TEXT = "Phones face down on the table."
FAY_WHY = "So that we listen to each other."
MERGED = "Phones off, or face down on the table."


@pytest.fixture
def draft_rule(transactional_db):
    organisation = make_organisation("Eastside Peer Support")
    group = make_group(organisation, "Monday Carers Circle")
    fay = make_user("Fay", "fay@eastside.test", password=PASSWORD)
    sol = make_user("Sol", "sol@eastside.test", password=PASSWORD)
    add_member(group, fay, Membership.Role.FACILITATOR)
    add_member(group, sol, Membership.Role.FACILITATOR)
    version = make_draft(group, fay, [("Phones on silent.", Category.PHONES)])
    return {"group": group, "fay": fay, "sol": sol, "rule": version.rules.get()}


def open_edit(page, draft_url, axe_check):
    page.goto(draft_url)
    axe_check(page)
    page.get_by_role("link", name="Edit this rule").click()
    expect(page.get_by_role("heading", name="Edit a rule in the draft")).to_be_visible()
    axe_check(page)


def test_two_facilitators_edit_the_same_rule(
    live_server, new_context, draft_rule, sign_in, axe_check
):
    group = draft_rule["group"]
    draft_url = f"{live_server.url}/groups/{group.slug}/rules/draft/"
    fay = sign_in(new_context(viewport=DESKTOP).new_page(), draft_rule["fay"].email)
    sol = sign_in(new_context(viewport=PHONE).new_page(), draft_rule["sol"].email, check=False)
    open_edit(fay, draft_url, axe_check)
    open_edit(sol, draft_url, axe_check)

    # --- Sol saves first. ---
    sol.get_by_role("textbox", name="The rule").fill(SOL_TEXT)
    sol.get_by_role("button", name="Save").click()
    expect(sol.get_by_text("The rule has been changed.")).to_be_visible()

    # --- Fay's save is refused: her words beside Sol's, who and when. ---
    fay.get_by_role("textbox", name="The rule").fill(FAY_TEXT)
    fay.get_by_role("textbox", name="Why we have it").fill(FAY_WHY)
    fay.get_by_role("button", name="Save").click()
    expect(
        fay.get_by_role("heading", name="Someone else changed this while you were editing")
    ).to_be_visible()
    expect(fay.get_by_role("status")).to_contain_text("Sol changed it on")
    words = fay.get_by_role("region", name="The rule")
    expect(words.locator(".conflict-yours")).to_have_text(f"What you typed{FAY_TEXT}")
    expect(words.locator(".conflict-now")).to_have_text(
        f"What is there now (saved by Sol){SOL_TEXT}"
    )
    expect(fay.get_by_role("region", name="Why we have it")).to_contain_text(FAY_WHY)
    expect(fay.get_by_role("textbox", name="The rule")).to_have_value(FAY_TEXT)
    expect(fay.get_by_role("textbox", name="Why we have it")).to_have_value(FAY_WHY)
    axe_check(fay)
    screenshot(fay, "edit-conflict")

    # --- Sol opens the rule again while Fay is deciding. ---
    open_edit(sol, draft_url, axe_check)

    # --- Fay combines the two and saves. ---
    fay.get_by_role("textbox", name="The rule").fill(MERGED)
    fay.get_by_role("button", name="Save what is in the form").click()
    expect(fay.get_by_text("The rule has been changed.")).to_be_visible()
    expect(fay.get_by_role("main")).to_contain_text(MERGED)
    axe_check(fay)

    # --- Sol, on the page opened before Fay's save, is told too, and keeps Fay's. ---
    sol.get_by_role("textbox", name="The rule").fill("Phones off.")
    sol.get_by_role("button", name="Save").click()
    expect(sol.get_by_role("status")).to_contain_text("Fay changed it on")
    expect(sol.get_by_role("region", name="The rule")).to_contain_text(MERGED)
    axe_check(sol)
    no_sideways_scroll(sol, "the conflict page")
    screenshot(sol, "edit-conflict")
    sol.get_by_role("link", name="Keep what is there now").click()
    expect(sol.get_by_role("main")).to_contain_text(MERGED)
    expect(sol.get_by_role("main")).to_contain_text(FAY_WHY)

    draft_rule["rule"].refresh_from_db()
    assert (draft_rule["rule"].text, draft_rule["rule"].why) == (MERGED, FAY_WHY)
    assert draft_rule["rule"].changed_by == draft_rule["fay"]


def test_a_coordinator_and_a_facilitator_edit_one_venue(
    live_server, new_context, circle, sign_in, axe_check
):
    """The same page for a record outside a group: the venue's own details."""
    cora = make_user("Cora", "cora@riverside.test", password=PASSWORD)
    Coordinator.objects.create(organisation=circle["group"].organisation, user=cora)
    edit_url = f"{live_server.url}/venues/{circle['venue'].uuid}/edit/"
    coordinator = sign_in(new_context(viewport=PHONE).new_page(), cora.email, check=False)
    coordinator.goto(edit_url)
    fay = sign_in(new_context(viewport=DESKTOP).new_page(), circle["fay"].email, check=False)
    fay.goto(edit_url)
    axe_check(fay)

    fay.get_by_label("Access notes").fill("Ramp at the back door; the side door sticks.")
    fay.get_by_role("button", name="Save").click()
    expect(fay.get_by_text("Your changes have been saved.")).to_be_visible()

    coordinator.get_by_label("Access notes").fill("Lift to the first floor.")
    coordinator.get_by_role("button", name="Save").click()
    expect(
        coordinator.get_by_role(
            "heading", level=1, name="Someone else changed this while you were editing"
        )
    ).to_be_visible()
    expect(coordinator.get_by_role("status")).to_contain_text("Fay changed it on")
    notes = coordinator.get_by_role("region", name="Access notes")
    expect(notes.locator(".conflict-now")).to_contain_text("Ramp at the back door")
    expect(coordinator.get_by_role("textbox", name="Access notes")).to_have_value(
        "Lift to the first floor."
    )
    axe_check(coordinator)
    no_sideways_scroll(coordinator, "the venue's conflict page")
    screenshot(coordinator, "venue-conflict")
    coordinator.get_by_role("textbox", name="Access notes").fill(
        "Ramp at the back door; lift to the first floor."
    )
    coordinator.get_by_role("button", name="Save what is in the form").click()
    expect(coordinator.get_by_text("Your changes have been saved.")).to_be_visible()
    circle["venue"].refresh_from_db()
    assert circle["venue"].access_notes == "Ramp at the back door; lift to the first floor."
