"""The quick exit, in a real browser: a member of a survivors' group clicks it (or presses
Esc twice) and lands on the neutral site at once, and Back does not bring the page back.
Without JavaScript it is still a link that leaves. The pages around it pass axe; the new
pages (telling someone privately, lists of help) are looked at on a phone and a desktop.
"""

import re

import pytest
from playwright.sync_api import expect

from groups.models import HelpService
from tests.builders import group, make_organisation, make_user

from .conftest import DESKTOP, PASSWORD, PHONE, no_sideways_scroll, screenshot

EXIT_URL = "https://www.bbc.co.uk/weather"


@pytest.fixture
def circle(transactional_db):
    organisation = make_organisation("Riverside Peer Support")
    cora = make_user("Cora", "cora@riverside.test", password=PASSWORD)
    organisation.coordinators.create(user=cora)
    fay = make_user("Fay", "fay@riverside.test", password=PASSWORD)
    sam = make_user("Sam", "sam@riverside.test", password=PASSWORD)
    pat = make_user("Pat", "pat@riverside.test", password=PASSWORD)
    survivors = group(
        organisation, "Thursday Circle", facilitators=[fay], peers=[sam], for_survivors=True
    )
    group(organisation, "Carers Group", peers=[pat])
    HelpService.objects.create(
        group=survivors,
        name="Women's Aid Live Chat",
        what_for="Someone to talk to about abuse, online.",
        phone="0808 2000 247",
        hours="Any time",
        website="https://chat.womensaid.org.uk/",
    )
    return {"survivors": survivors, "cora": cora, "fay": fay, "sam": sam, "pat": pat}


def _answer_for_the_neutral_site(context):
    """The neutral site, answered by the browser itself: no request leaves the machine."""
    context.route(
        re.compile(r"^https://www\.bbc\.co\.uk/.*"),
        lambda route: route.fulfill(
            content_type="text/html",
            body="<!doctype html><title>Weather</title><h1>Weather</h1>",
        ),
    )
    return context


@pytest.fixture
def neutral(context):
    return _answer_for_the_neutral_site(context)


@pytest.fixture
def person(browser):
    """`person(viewport)`: a new page in a browser context of its own (its own sign-in)."""
    contexts = []

    def new(viewport=DESKTOP):
        context = _answer_for_the_neutral_site(browser.new_context(viewport=viewport))
        contexts.append(context)
        return context.new_page()

    yield new
    for context in contexts:
        context.close()


def _group_page(page, live_server, circle):
    page.goto(f"{live_server.url}/groups/{circle['survivors'].slug}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Thursday Circle")


def test_clicking_quick_exit_leaves_and_back_does_not_return(
    live_server, circle, neutral, sign_in, axe_check
):
    page = sign_in(neutral.new_page(), "sam@riverside.test")
    _group_page(page, live_server, circle)
    here = page.url
    button = page.get_by_role("link", name=re.compile("^Quick exit"))
    expect(button).to_be_visible()
    box = button.bounding_box()
    assert box["height"] >= 44 and box["width"] >= 44, box
    expect(page.get_by_role("main")).to_contain_text("It takes you straight to a weather page")
    axe_check(page)

    button.click()
    page.wait_for_url(EXIT_URL)
    expect(page.get_by_role("heading", name="Weather")).to_be_visible()
    page.go_back()
    # Back goes to the page before (the home page), never to the one left.
    assert page.url != here
    assert page.url == f"{live_server.url}/"


def test_pressing_escape_twice_leaves(live_server, circle, neutral, sign_in):
    page = sign_in(neutral.new_page(), "sam@riverside.test", check=False)
    _group_page(page, live_server, circle)
    page.keyboard.press("Escape")
    page.wait_for_timeout(100)
    assert page.url.startswith(live_server.url)  # once is not enough
    page.keyboard.press("Escape")
    page.wait_for_url(EXIT_URL)


def test_it_is_reached_with_the_keyboard(live_server, circle, neutral, sign_in):
    page = sign_in(neutral.new_page(), "sam@riverside.test", check=False)
    page.keyboard.press("Tab")  # the skip link
    page.keyboard.press("Tab")
    focused = page.evaluate("() => document.activeElement.id")
    assert focused == "quick-exit"
    page.keyboard.press("Enter")
    page.wait_for_url(EXIT_URL)


def test_without_javascript_it_is_still_a_link_that_leaves(live_server, circle, browser, sign_in):
    context = browser.new_context(java_script_enabled=False)
    context.route(
        re.compile(r"^https://www\.bbc\.co\.uk/.*"),
        lambda route: route.fulfill(content_type="text/html", body="<h1>Weather</h1>"),
    )
    page = sign_in(context.new_page(), "sam@riverside.test", check=False)
    page.get_by_role("link", name=re.compile("^Quick exit")).click()
    page.wait_for_url(EXIT_URL)
    context.close()


def test_a_member_of_another_group_has_no_quick_exit(live_server, circle, page, sign_in):
    sign_in(page, "pat@riverside.test", check=False)
    expect(page.get_by_role("link", name=re.compile("^Quick exit"))).to_have_count(0)


def test_telling_someone_and_the_help_pages_look_right(
    live_server, circle, person, sign_in, axe_check
):
    """Sam writes to the coordinators; Cora reads it from her home page and follows it up.
    Each page on a phone and on a desktop: axe clean, no sideways scroll."""
    for size in (PHONE, DESKTOP):
        page = sign_in(person(size), "sam@riverside.test", check=False)
        _group_page(page, live_server, circle)
        page.get_by_role("link", name="Tell someone privately").click()
        expect(page.get_by_role("main")).to_contain_text("This message is not anonymous.")
        no_sideways_scroll(page, "tell someone")
        axe_check(page)
        screenshot(page, "concern-form")
        page.get_by_label(re.compile("if it is about a facilitator")).check()
        page.get_by_label("Your message").fill(
            f"Fay is often late and rushes us ({size['width']})."
        )
        page.get_by_role("button", name="Send with my name").click()
        expect(page.get_by_role("status")).to_contain_text("Your message has been sent")
        page.goto(f"{live_server.url}/help/")
        expect(page.get_by_role("link", name="Call 0808 2000 247").first).to_have_attribute(
            "href", "tel:08082000247"
        )
        no_sideways_scroll(page, "help")
        axe_check(page)
        screenshot(page, "get-help")

    cora = sign_in(person(PHONE), "cora@riverside.test", check=False)
    expect(cora.get_by_role("main")).to_contain_text("Private messages waiting for you")
    axe_check(cora)
    cora.get_by_role("link", name=re.compile("Thursday Circle: 2 messages")).click()
    no_sideways_scroll(cora, "messages")
    axe_check(cora)
    screenshot(cora, "concern-list")
    cora.get_by_role("link", name=re.compile("^From Sam")).first.click()
    axe_check(cora)
    screenshot(cora, "concern-detail")
    cora.get_by_label(re.compile("A note about what you did")).fill("Spoke to Sam on Friday.")
    cora.get_by_role("button", name="Mark as followed up").click()
    expect(cora.get_by_role("status")).to_contain_text("Marked as followed up")
    cora.goto(f"{live_server.url}/groups/{circle['survivors'].slug}/help/")
    axe_check(cora)
    screenshot(cora, "help-list")

    # Fay, the facilitator it was about, sees none of it.
    fay = sign_in(person(), "fay@riverside.test", check=False)
    expect(fay.get_by_role("main")).not_to_contain_text("Private messages waiting")
    fay.goto(f"{live_server.url}/groups/{circle['survivors'].slug}/messages/")
    expect(fay.get_by_role("main")).not_to_contain_text("rushes us")
