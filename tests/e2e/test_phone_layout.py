"""The phone layout at 375 × 812: navigation on one line, taps of 44px, the scale on a row.

The site's navigation is a "Menu" (a <details>, no script) on the header's one line,
beside "Get help now"; it opens and is used with the keyboard. A group's pages are one
row that scrolls sideways on its own. Every button, chip, tab and menu link is at least
44px each way. Peers' 1–5 feeling scale is one row of five. At 1280 wide the full
navigation shows and the menu does not. axe on every page visited.
"""

import re

import pytest
from playwright.sync_api import expect

from .conftest import DESKTOP, GROUP_NAME, PHONE, VENUE_NAME, no_sideways_scroll, screenshot
from .test_journey_venues import h2

TARGETS = (
    ".btn, summary, .nav-link, .site-menu-panel .nav-item-link, .site-nav .nav-item-link, "
    ".answer-chips .form-check"
)


def small_targets(page):
    """[(text, width, height)] of the visible tap targets smaller than 44px either way."""
    return page.evaluate(
        """(selector) => Array.from(document.querySelectorAll(selector))
            .filter((el) => el.getClientRects().length)
            .map((el) => [el.textContent.trim().slice(0, 40), el.getBoundingClientRect()])
            .filter(([, box]) => box.width < 44 || box.height < 43.5)
            .map(([text, box]) => [text, Math.round(box.width), Math.round(box.height)])""",
        TARGETS,
    )


def look(page, axe_check, where):
    no_sideways_scroll(page, where)
    assert small_targets(page) == [], where
    axe_check(page)


def tops(locator):
    return {round(box["y"]) for box in (e.bounding_box() for e in locator.all())}


@pytest.mark.browser_context_args(viewport=PHONE)
def test_on_a_phone_the_navigation_is_one_line_and_works_from_the_keyboard(
    live_server, page, circle, sign_in, axe_check
):
    fay = sign_in(page, circle["fay"].email, check=False)
    fay.goto(f"{live_server.url}/groups/{circle['group'].slug}/venues/")
    expect(h2(fay).first).to_have_text("Where we meet")

    header = fay.locator(".site-header")
    menu = fay.locator("summary", has_text="Menu")
    help_now = fay.get_by_role("link", name="Get help now", exact=True)
    brand = fay.get_by_role("link", name="SafeSpace")
    # One line: the brand, "Get help now" and the menu side by side.
    centres = {
        round(b["y"] + b["height"] / 2) for b in (x.bounding_box() for x in (brand, help_now, menu))
    }
    assert max(centres) - min(centres) <= 4, centres
    assert header.bounding_box()["height"] <= 64
    expect(fay.get_by_role("navigation", name="Main")).to_be_hidden()
    # The group's pages: one row, scrolling sideways inside itself, not the page.
    tabs = fay.get_by_role("navigation", name="This group").get_by_role("link")
    assert len(tops(tabs)) == 1
    assert fay.get_by_role("navigation", name="This group").bounding_box()["height"] <= 52
    # Where the page's own content starts: the group's name under the header.
    assert fay.get_by_role("heading", level=2).first.bounding_box()["y"] < 260
    look(fay, axe_check, "where we meet, menu closed")
    screenshot(fay, "phone-menu-closed")

    # The menu, with the keyboard: focus it, open it, go to "Your groups".
    menu.focus()
    fay.keyboard.press("Enter")
    main = fay.get_by_role("navigation", name="Main")
    expect(main).to_be_visible()
    expect(main).to_contain_text("Signed in as Fay")
    look(fay, axe_check, "where we meet, menu open")
    screenshot(fay, "phone-menu-open")
    fay.keyboard.press("Tab")
    expect(main.get_by_role("link", name="Home")).to_be_focused()
    fay.keyboard.press("Tab")
    expect(main.get_by_role("link", name="Your groups")).to_be_focused()
    fay.keyboard.press("Enter")
    expect(fay).to_have_url(re.compile(r"/groups/$"))
    expect(fay.get_by_role("navigation", name="Main")).to_be_hidden()  # closed again
    look(fay, axe_check, "your groups")

    # Signing out from the menu.
    fay.locator("summary", has_text="Menu").click()
    fay.get_by_role("navigation", name="Main").get_by_role("button", name="Sign out").click()
    expect(fay.get_by_role("heading", level=1)).to_have_text("Sign in")


@pytest.mark.browser_context_args(viewport=PHONE)
def test_on_a_phone_the_feeling_scale_is_one_row_of_five(
    live_server, page, circle, sign_in, axe_check
):
    priya = sign_in(page, circle["priya"].email, check=False)
    priya.goto(f"{live_server.url}/groups/{circle['group'].slug}/venues/")
    priya.get_by_role("link", name="How safe do you feel here? (anonymous)").click()
    expect(h2(priya)).to_have_text(f"How safe do you feel at {VENUE_NAME}?")

    scales = priya.get_by_role("group", name=re.compile(r"^I feel|^There is"))
    expect(scales).to_have_count(5)
    for scale in scales.all():
        chips = scale.locator(".form-check")
        expect(chips).to_have_count(5)
        assert len(tops(chips)) == 1, scale.inner_text()
    screenshot(priya, "feeling-safe-form")
    # A tap anywhere on a chip chooses it: here on "3 – somewhat", near its foot.
    three = scales.first.locator(".form-check").nth(2)
    three.scroll_into_view_if_needed()
    box = three.bounding_box()
    priya.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] - 6)
    expect(scales.first.get_by_label("3 – somewhat")).to_be_checked()
    look(priya, axe_check, "feeling safe form")


@pytest.mark.browser_context_args(viewport=DESKTOP)
def test_on_a_wide_screen_the_full_navigation_shows(live_server, page, circle, sign_in, axe_check):
    fay = sign_in(page, circle["fay"].email, check=False)
    fay.goto(f"{live_server.url}/groups/{circle['group'].slug}/")
    expect(fay.get_by_role("heading", level=1)).to_have_text(GROUP_NAME)
    main = fay.get_by_role("navigation", name="Main")
    expect(main).to_have_count(1)
    expect(main.get_by_role("link", name="Your groups")).to_be_visible()
    expect(fay.locator("summary", has_text="Menu")).to_be_hidden()
    look(fay, axe_check, "group page, desktop")
    screenshot(fay, "desktop-navigation")
