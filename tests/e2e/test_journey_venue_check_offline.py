"""A venue check on a phone with a patchy signal, and a submitted check reopened.

Fay answers "Being safe" four questions at a time; each answer is saved as she gives it
and says so beside it. The signal drops mid-section: what was saved stays saved, what
she answers meanwhile says it is not saved (and leaving the page asks first), and it is
saved once she is back online. A save that fails while the section's Save button still
works is saved by that button. Later she submits the check (after confirming),
notices a wrong answer, reopens it, corrects it and submits it again.

At 375 × 812; axe on every page visited. With SCREENSHOTS=1 the section and the
confirmation are saved at 375 and 1280 wide to test-artifacts/screenshots/.
"""

import re

import pytest
from playwright.sync_api import expect

from tests.builders import assess
from venues import selectors
from venues.models import Answer, Assessment

from .conftest import DESKTOP, PHONE, VENUE_NAME, main_nav, screenshot
from .test_journey_venues import (
    chip,
    go_to,
    h2,
    saved_beside,
    score_card,
    status,
    tap_chip,
    visit,
)

OFFLINE = "Not saved: no connection. It will be saved when you are back online, or press Save."


def stored(assessment):
    """{question number in "Being safe": (value, note)} as stored now."""
    being = [q.pk for q in selectors.questions_for(assessment) if q.section == "being_safe"]
    number = {pk: n for n, pk in enumerate(being, start=1)}
    answers = Answer.objects.filter(assessment=assessment, question_id__in=being)
    return {number[a.question_id]: (a.value, a.note) for a in answers}


def start_check(page, live_server, group):
    page.goto(f"{live_server.url}/groups/{group.slug}/venues/")
    place = page.get_by_role("region", name=re.compile(VENUE_NAME))
    place.get_by_role(
        "button", name=re.compile("Start a venue check|Carry on with the check")
    ).click()
    expect(h2(page)).to_have_text(f"Check of {VENUE_NAME}")


@pytest.mark.browser_context_args(viewport=PHONE)
def test_answers_survive_the_signal_dropping_mid_section(
    live_server,
    page,
    context,
    circle,
    sign_in,
    axe_check,
):
    group = circle["group"]
    refused = []  # anything the Content Security Policy stops (inline script, eval, style)
    page.on("console", lambda m: refused.append(m.text) if "Security Policy" in m.text else None)
    fay = sign_in(page, circle["fay"].email, check=False)
    start_check(fay, live_server, group)
    score_card(fay, "Being safe").get_by_role("link", name="Answer “Being safe”").click()
    expect(h2(fay)).to_have_text(f"Being safe: {VENUE_NAME}")
    assessment = Assessment.objects.get(group=group)

    # --- With a signal: each answer is saved as she gives it, and says so. ---
    tap_chip(fay, 1, "Yes")
    expect(saved_beside(fay, 1)).to_have_text("Saved")
    fay.get_by_label("Note for question 1 (optional)").fill("Signposted from the bus stop.")
    expect(saved_beside(fay, 1)).to_have_text("Saved")
    tap_chip(fay, 2, "Partly")
    expect(saved_beside(fay, 2)).to_have_text("Saved")
    assert stored(assessment) == {1: ("yes", "Signposted from the bus stop."), 2: ("partly", "")}
    visit(fay, axe_check, "section, answers saved")
    screenshot(fay, "venue-section-saved")

    # --- The signal drops. What she answers now says it is not saved. ---
    fay.context.set_offline(True)
    tap_chip(fay, 3, "No")
    expect(saved_beside(fay, 3)).to_have_text(OFFLINE)
    fay.get_by_label("Note for question 2 (optional)").fill("Only till 9pm.")
    expect(saved_beside(fay, 2)).to_have_text(OFFLINE)
    tap_chip(fay, 5, "No")  # on the next four
    expect(fay.get_by_role("navigation", name="Questions in this section")).to_contain_text(
        "Questions 5 to 8 of 10"
    )
    expect(saved_beside(fay, 5)).to_have_text(OFFLINE)
    # What was saved before is still saved, and nothing else was stored.
    assert stored(assessment) == {1: ("yes", "Signposted from the bus stop."), 2: ("partly", "")}
    visit(fay, axe_check, "section, offline")
    screenshot(fay, "venue-section-offline")

    # Leaving now would lose them: the page asks first (and she stays).
    asked = []
    fay.once("dialog", lambda dialog: (asked.append(dialog.type), dialog.dismiss()))
    main_nav(fay).get_by_role("link", name="Home").click()
    expect(saved_beside(fay, 5)).to_have_text(OFFLINE)
    assert asked == ["beforeunload"]
    fay.locator("details.site-menu > summary").click()  # closes the menu again

    # --- Back online: everything not yet saved is saved, and says so. ---
    fay.context.set_offline(False)
    for number in (5, 3, 2):
        go_to(fay, number)
        expect(saved_beside(fay, number)).to_have_text("Saved")
    assert stored(assessment) == {
        1: ("yes", "Signposted from the bus stop."),
        2: ("partly", "Only till 9pm."),
        3: ("no", ""),
        5: ("no", ""),
    }

    # --- A save that fails (the answer's request is lost) is saved by the Save button. ---
    fay.route("**/answer/", lambda route: route.abort())
    tap_chip(fay, 4, "Don't know")
    expect(saved_beside(fay, 4)).to_have_text(OFFLINE)
    assert 4 not in stored(assessment)
    fay.unroute("**/answer/")
    fay.get_by_role("button", name="Save and see the summary").click()
    expect(status(fay)).to_contain_text("Saved. You can stop here and come back later.")
    expect(score_card(fay, "Being safe")).to_contain_text("5 of 10 answered")
    assert stored(assessment)[4] == ("dont_know", "")
    visit(fay, axe_check, "summary")

    # --- Coming back, she carries on where she left off, every saved answer in place. ---
    score_card(fay, "Being safe").get_by_role("link", name="Carry on with “Being safe”").click()
    pager = fay.get_by_role("navigation", name="Questions in this section")
    expect(pager).to_contain_text("Questions 5 to 8 of 10")  # question 6 is the first unanswered
    expect(chip(fay, 5, "No")).to_be_checked()
    expect(saved_beside(fay, 5)).to_have_text("Saved")
    go_to(fay, 2)
    expect(chip(fay, 2, "Partly")).to_be_checked()
    expect(fay.get_by_label("Note for question 2 (optional)")).to_have_value("Only till 9pm.")
    visit(fay, axe_check, "section, carrying on")
    assert refused == []


@pytest.mark.browser_context_args(viewport=PHONE)
def test_a_submitted_check_is_reopened_and_corrected(
    live_server,
    page,
    circle,
    sign_in,
    axe_check,
):
    group, fay_user = circle["group"], circle["fay"]

    # Fay has answered every question; she got question 5 ("private", critical) wrong.
    check = assess(group, circle["venue"], fay_user, values={"private": "no"}, submit=False)
    fay = sign_in(page, fay_user.email, check=False)
    start_check(fay, live_server, group)
    fay.get_by_role("link", name="Submit the check").click()

    expect(h2(fay)).to_have_text(f"Submit the check of {VENUE_NAME}?")
    expect(fay.get_by_role("main")).to_contain_text("a critical question was answered No.")
    visit(fay, axe_check, "confirm submitting")
    screenshot(fay, "venue-submit-confirm")
    fay.get_by_role("button", name="Yes, submit the check").click()
    expect(status(fay)).to_contain_text("The assessment has been submitted.")
    check.refresh_from_db()
    first = check.first_submitted_at
    assert check.critical_flag is True and check.submitted_by == fay_user

    # --- She reopens it to correct it. ---
    fay.get_by_role("button", name="Reopen to correct it").click()
    expect(status(fay)).to_contain_text("The check is open again.")
    expect(fay.get_by_role("main")).to_contain_text("Reopened by Fay on")
    visit(fay, axe_check, "reopened check")
    check.refresh_from_db()
    assert (check.submitted_at, check.reopened_by, check.critical_flag) == (None, fay_user, False)
    # Meanwhile the venue has no submitted check: it shows as not checked, with hers open.
    fay.get_by_role("link", name="Back to where we meet").click()
    place = fay.get_by_role("region", name=re.compile(VENUE_NAME))
    expect(place).to_contain_text("Not checked yet.")
    visit(fay, axe_check, "where we meet, check reopened")
    place.get_by_role("button", name="Carry on with the check").click()

    # Every question has an answer: the section offers to change them.
    score_card(fay, "Being safe").get_by_role("link", name="Change answers in “Being safe”").click()
    go_to(fay, 5)
    tap_chip(fay, 5, "Yes")
    expect(saved_beside(fay, 5)).to_have_text("Saved")
    visit(fay, axe_check, "section of a reopened check")
    fay.get_by_role("button", name="Save and see the summary").click()
    fay.get_by_role("link", name="Submit the check").click()
    expect(fay.get_by_role("main")).not_to_contain_text("a critical question was answered No.")
    fay.get_by_role("button", name="Yes, submit the check").click()

    expect(status(fay)).to_contain_text("The assessment has been submitted.")
    expect(score_card(fay, "Being safe").locator(".score-big")).to_have_text("100%")
    expect(fay.get_by_role("main")).not_to_contain_text("Flag:")
    visit(fay, axe_check, "corrected check")
    check.refresh_from_db()
    assert (check.being_safe_score, check.critical_flag) == (100, False)
    assert check.first_submitted_at == first and check.submitted_at > first


@pytest.mark.browser_context_args(viewport=DESKTOP)
def test_on_a_wide_screen_a_section_shows_every_question_and_no_pager(
    live_server,
    page,
    circle,
    sign_in,
    axe_check,
):
    fay = sign_in(page, circle["fay"].email, check=False)
    start_check(fay, live_server, circle["group"])
    score_card(fay, "Being safe").get_by_role("link", name="Answer “Being safe”").click()
    expect(fay.get_by_role("group", name=re.compile(r"^\d+\. "))).to_have_count(10)
    expect(fay.get_by_role("navigation", name="Questions in this section")).to_be_hidden()
    tap_chip(fay, 10, "Not applicable")
    expect(saved_beside(fay, 10)).to_have_text("Saved")
    visit(fay, axe_check, "section, desktop")
    screenshot(fay, "venue-section-saved")


@pytest.mark.browser_context_args(viewport=PHONE, java_script_enabled=False)
def test_without_javascript_the_save_button_saves_the_whole_section(
    live_server, page, circle, sign_in
):
    """(No axe here: it runs as a script in the page. These pages are checked above.)"""
    fay = sign_in(page, circle["fay"].email, check=False)
    start_check(fay, live_server, circle["group"])
    score_card(fay, "Being safe").get_by_role("link", name="Answer “Being safe”").click()
    # Every question on the page, and no "Saved" until the Save button is pressed.
    expect(fay.get_by_role("group", name=re.compile(r"^\d+\. "))).to_have_count(10)
    expect(fay.get_by_role("navigation", name="Questions in this section")).to_be_hidden()
    tap_chip(fay, 1, "Yes")
    tap_chip(fay, 10, "Partly")
    fay.get_by_label("Note for question 10 (optional)").fill("No hearing loop.")
    expect(saved_beside(fay, 10)).to_have_text("")
    assert stored(Assessment.objects.get(group=circle["group"])) == {}
    fay.get_by_role("button", name="Save and see the summary").click()

    expect(status(fay)).to_contain_text("Saved. You can stop here and come back later.")
    expect(score_card(fay, "Being safe")).to_contain_text("2 of 10 answered")
    assert stored(Assessment.objects.get(group=circle["group"])) == {
        1: ("yes", ""),
        10: ("partly", "No hearing loop."),
    }
