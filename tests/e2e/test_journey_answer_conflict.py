"""Two facilitators at the same venue answering the same question of one check.

Fay and Sol each have "Being safe" open. Sol answers question 1 first. Fay's answer,
saved as she gives it, is not saved over Sol's: Sol's answer appears beside hers with
a one-tap choice. She takes Sol's; then, on question 2, Sol's answer comes after hers
and Sol keeps his own. Nothing either typed is lost. axe on every page visited.
"""

import pytest
from playwright.sync_api import expect

from groups.models import Membership
from tests.builders import add_member, make_user
from venues.models import Answer, Assessment

from .conftest import DESKTOP, PASSWORD, PHONE, VENUE_NAME, screenshot
from .test_journey_venue_check_offline import start_check
from .test_journey_venues import h2, saved_beside, score_card, tap_chip


def open_being_safe(page, live_server, group):
    start_check(page, live_server, group)
    score_card(page, "Being safe").get_by_role("link", name="Answer “Being safe”").click()
    expect(h2(page)).to_have_text(f"Being safe: {VENUE_NAME}")


def conflict_of(page, number):
    block = page.locator(".answer-block").nth(number - 1)
    return block.locator(".answer-conflict")


def note(page, number):
    return page.get_by_label(f"Note for question {number} (optional)")


@pytest.mark.usefixtures("transactional_db")
def test_a_newer_answer_is_shown_beside_mine_with_a_one_tap_choice(
    live_server, new_context, circle, sign_in, axe_check
):
    group = circle["group"]
    sol_user = make_user("Sol", "sol@riverside.test", password=PASSWORD)
    add_member(group, sol_user, Membership.Role.FACILITATOR)
    fay = sign_in(new_context(viewport=DESKTOP).new_page(), circle["fay"].email, check=False)
    open_being_safe(fay, live_server, group)
    axe_check(fay)
    sol = sign_in(new_context(viewport=PHONE).new_page(), sol_user.email, check=False)
    open_being_safe(sol, live_server, group)
    check = Assessment.objects.get(group=group)

    # --- Question 1: Sol answers first; Fay's answer is not saved over his. ---
    tap_chip(sol, 1, "No")
    note(sol, 1).fill("No sign at the gate.")
    expect(saved_beside(sol, 1)).to_have_text("Saved")
    tap_chip(fay, 1, "Yes")
    expect(saved_beside(fay, 1)).to_have_text(
        "Not saved yet: someone else answered this question. Choose below."
    )
    box = conflict_of(fay, 1)
    expect(box).to_contain_text("Sol answered this question on")
    expect(box.locator(".conflict-now")).to_contain_text("No sign at the gate.")
    expect(box.locator(".conflict-yours")).to_contain_text("Yes")
    axe_check(fay)
    screenshot(fay, "answer-conflict")
    box.get_by_role("button", name="Use Sol’s answer").click()
    expect(
        fay.locator(".answer-block").nth(0).get_by_role("radio", name="No", exact=True)
    ).to_be_checked()
    expect(note(fay, 1)).to_have_value("No sign at the gate.")
    expect(saved_beside(fay, 1)).to_have_text("The other answer is kept: it was already saved.")
    expect(box).to_be_empty()

    # --- Question 2: Fay answers first; Sol, later, keeps his own. ---
    tap_chip(fay, 2, "Partly")
    expect(saved_beside(fay, 2)).to_have_text("Saved")
    tap_chip(sol, 2, "Yes")
    box = conflict_of(sol, 2)
    expect(box).to_contain_text("Fay answered this question on")
    axe_check(sol)
    screenshot(sol, "answer-conflict")
    box.get_by_role("button", name="Keep my answer").click()
    expect(saved_beside(sol, 2)).to_have_text("Saved")

    answers = {
        a.question.key: (a.value, a.note, a.changed_by.display_name)
        for a in Answer.objects.filter(assessment=check).select_related("question", "changed_by")
    }
    assert sorted(answers.values()) == [("no", "No sign at the gate.", "Sol"), ("yes", "", "Sol")]
