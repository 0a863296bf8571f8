"""The venue check journey on a phone, as a facilitator standing in the venue would do it.

Fay starts a check of the room her group meets in, answers part of "Being safe" by
tapping the answer chips, saves, goes home, comes back to carry on, finishes both
sections and submits; reads the scores and the answers that need attention, and turns
the critical No into an action. Then Priya, a peer, gives the anonymous "how safe do
you feel here" check and is told she has answered this quarter.

Every page visited is checked with axe (WCAG 2.2 A/AA) and must not scroll sideways at
375px. With SCREENSHOTS=1 the section, result, action form and feedback form pages are
saved to test-artifacts/screenshots/.
"""

import re
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.template.defaultfilters import floatformat
from django.utils import timezone
from playwright.sync_api import expect

from groups.dates import next_quarter
from venues import scoring, selectors
from venues.models import (
    Action,
    Answer,
    Assessment,
    FeedbackReceipt,
    PoolCount,
    PooledAnswer,
)

from .conftest import GROUP_NAME, PHONE, VENUE_NAME, main_nav, no_sideways_scroll, screenshot

# A physical venue, for a group with no specific needs: ten "being safe" questions (the
# fifth, "private", is critical) and six "feeling safe" ones. (answer, note) by number.
BEING_FIRST = {
    1: ("Yes", "Signposted from the bus stop."),
    2: ("Yes", ""),
    3: ("Partly", "The last bus back is at 9:40pm; we finish at 9."),
    4: ("Don't know", ""),
}
BEING_REST = {
    5: ("No", "The room has a glass door onto the corridor."),
    6: ("Yes", ""),
    7: ("Don't know", "Haven't seen the accessible toilet yet."),
    8: ("Partly", ""),
    9: ("Yes", ""),
    10: ("Not applicable", ""),
}
FEELING = {
    1: ("Yes", ""),
    2: ("Partly", "Strip lights, but we bring lamps."),  # too clinical? partly
    3: ("No", ""),  # individual problems with it? no: the safe answer
    4: ("Yes", ""),
    5: ("Yes", ""),
    6: ("Yes", "The small side room is free."),
}
VALUES = {
    "Yes": "yes",
    "Partly": "partly",
    "No": "no",
    "Not applicable": "na",
    "Don't know": "dont_know",
}
ACTION_WHAT = "Ask the centre for a room without a glass door, or cover the glass on our nights."
FEEDBACK = {
    "I feel welcome here": "5 – completely",
    "I feel physically safe getting there and being there": "4",
    "I feel safe to talk about difficult experiences": "3 – somewhat",
    "There is somewhere I can take a moment away if I need to": "2",
    "I feel comfortable with the other people around when we meet": "4",
}
FEEDBACK_COMMENT = "The corridor is busy at 8pm, which makes me nervous leaving."


# --- Helpers for the browser -------------------------------------------------------------


def h2(page):
    return page.get_by_role("heading", level=2)


def status(page):
    return page.get_by_role("status")


def visit(page, axe_check, where):
    """Every page of the journey: no sideways scroll on the phone, no axe violations.

    Checked scrolled to the foot of the page: a section's Save buttons stay in view over
    whatever scrolls beneath them, and axe's target-size rule would read an answer chip
    half under them as a target too small. At the foot they sit in their own place."""
    no_sideways_scroll(page, where)
    page.evaluate("window.scrollTo(0, document.documentElement.scrollHeight)")
    axe_check(page)


def question(page, number):
    """A question's radio group, found by its legend ("3. Is the meeting time safe…")."""
    return page.get_by_role("group", name=re.compile(rf"^{number}\. "))


def chip(page, number, answer):
    return question(page, number).get_by_role("radio", name=answer, exact=True)


def go_to(page, number):
    """On a phone a section shows four questions at a time: page to question `number`."""
    page.wait_for_load_state()  # its script (deferred) has shown the pager, or not
    pager = page.get_by_role("navigation", name="Questions in this section")
    if not pager.is_visible():
        return
    for _turn in range(10):
        first, last, _total = map(
            int, re.findall(r"\d+", pager.locator(".pager-range").inner_text())
        )
        if first <= number <= last:
            return
        step = "Next questions" if number > last else "Previous questions"
        pager.get_by_role("button", name=step).click()
    raise AssertionError(f"question {number} never shown")


def saved_beside(page, number):
    """The words beside a question's answer: "Saved", or why not."""
    block = question(page, number).locator("xpath=ancestor::div[contains(@class, 'answer-block')]")
    return block.locator(".answer-status")


def tap_chip(page, number, answer):
    """Tap an answer chip near its right-hand edge, away from the radio and its words.

    The whole chip looks like a button, so a thumb landing anywhere on it must choose it.
    """
    go_to(page, number)
    radio = chip(page, number, answer)
    whole = radio.locator("xpath=..")
    whole.scroll_into_view_if_needed()
    box = whole.bounding_box()
    page.mouse.click(box["x"] + box["width"] - 4, box["y"] + box["height"] - 4)
    expect(radio).to_be_checked()


def answer_questions(page, answers):
    for number, (answer, note) in answers.items():
        tap_chip(page, number, answer)
        if note:
            page.get_by_label(f"Note for question {number} (optional)").fill(note)
        expect(saved_beside(page, number)).to_have_text("Saved")  # as it is given


def expect_answers(page, answers):
    for number, (answer, note) in answers.items():
        go_to(page, number)
        expect(chip(page, number, answer)).to_be_checked()
        expect(page.get_by_label(f"Note for question {number} (optional)")).to_have_value(note)


def below(page, heading):
    """The list that follows a heading (the page's "Answers that need attention", say)."""
    return page.get_by_role("heading", name=heading).locator("xpath=following-sibling::ul[1]")


def score_card(page, label):
    return page.get_by_role("region", name=label)


def percent(value) -> str:
    """How the result page writes a score: 71.4%, or 75% for 75.0."""
    return f"{floatformat(value, -1)}%"


# --- The journey --------------------------------------------------------------------------


@pytest.mark.browser_context_args(viewport=PHONE)
def test_a_facilitator_checks_the_venue_and_a_peer_says_how_safe_they_feel(
    live_server, page, new_context, circle, sign_in, axe_check
):
    group, venue = circle["group"], circle["venue"]
    fay = sign_in(page, circle["fay"].email)
    no_sideways_scroll(fay, "home")
    axe_check(fay)

    # --- From her home page to the group's venue. ---
    fay.get_by_role("link", name=GROUP_NAME).click()
    expect(fay.get_by_role("heading", level=1)).to_have_text(GROUP_NAME)
    visit(fay, axe_check, "group page")
    fay.get_by_role("navigation", name="This group").get_by_role(
        "link", name="Where we meet"
    ).click()
    expect(h2(fay).first).to_have_text("Where we meet")
    place = fay.get_by_role("region", name=re.compile(VENUE_NAME))
    expect(place).to_contain_text("Not checked yet.")
    expect(place).to_contain_text("A first check is due now.")
    visit(fay, axe_check, "where we meet")

    # --- She starts a check and answers the first four "being safe" questions. ---
    place.get_by_role("button", name="Start a venue check").click()
    expect(h2(fay)).to_have_text(f"Check of {VENUE_NAME}")
    expect(fay.get_by_role("main")).to_contain_text("In progress: your answers are saved as")
    expect(score_card(fay, "Being safe")).to_contain_text("0 of 10 answered")
    expect(score_card(fay, "Feeling safe")).to_contain_text("0 of 6 answered")
    visit(fay, axe_check, "new check")
    score_card(fay, "Being safe").get_by_role("link", name="Answer “Being safe”").click()

    expect(h2(fay)).to_have_text(f"Being safe: {VENUE_NAME}")
    # Ten questions, four at a time on her phone.
    pager = fay.get_by_role("navigation", name="Questions in this section")
    expect(pager).to_contain_text("Questions 1 to 4 of 10")
    expect(fay.get_by_role("group", name=re.compile(r"^\d+\. "))).to_have_count(4)
    expect(pager.get_by_role("button", name="Previous questions")).to_be_disabled()
    go_to(fay, 5)
    expect(pager).to_contain_text("Questions 5 to 8 of 10")
    expect(question(fay, 5)).to_contain_text("(critical)")
    go_to(fay, 1)
    visit(fay, axe_check, "being safe, empty")
    answer_questions(fay, {n: BEING_FIRST[n] for n in (1, 3, 4)})
    # Question 2 with the keyboard: Tab in from question 1, Space to choose.
    chip(fay, 1, "Yes").focus()
    fay.keyboard.press("Tab")  # from question 1's chips to its note
    fay.keyboard.press("Tab")  # to question 2's first chip
    expect(chip(fay, 2, "Yes")).to_be_focused()
    fay.keyboard.press("Space")
    expect(chip(fay, 2, "Yes")).to_be_checked()
    # Changing her mind on 3 with the arrow keys: Partly → No → back to Partly.
    chip(fay, 3, "Partly").focus()
    fay.keyboard.press("ArrowRight")
    expect(chip(fay, 3, "No")).to_be_checked()
    fay.keyboard.press("ArrowLeft")
    expect(chip(fay, 3, "Partly")).to_be_checked()
    expect(chip(fay, 3, "No")).not_to_be_checked()
    screenshot(fay, "venue-section")
    fay.get_by_role("button", name="Save and see the summary").click()

    expect(status(fay)).to_contain_text("Saved. You can stop here and come back later.")
    expect(score_card(fay, "Being safe")).to_contain_text("4 of 10 answered")
    expect(score_card(fay, "Being safe")).to_contain_text("1 “don't know” (a gap)")
    visit(fay, axe_check, "check summary, part done")
    assessment = Assessment.objects.get(group=group, venue=venue)
    # Numbered as the page numbers them: the section's applicable questions, in order.
    being_questions = [q for q in selectors.questions_for(assessment) if q.section == "being_safe"]
    number_of = {q.pk: n for n, q in enumerate(being_questions, start=1)}
    saved = {number_of[a.question_id]: (a.value, a.note) for a in assessment.answers.all()}
    assert saved == {n: (VALUES[v], note) for n, (v, note) in BEING_FIRST.items()}

    # --- She goes home, and later comes back to carry on. ---
    main_nav(fay).get_by_role("link", name="Home").click()
    expect(fay.get_by_role("heading", level=1)).to_have_text("Hello, Fay")
    todos = fay.get_by_role("region", name=re.compile(GROUP_NAME))
    expect(todos).to_contain_text(f"Due now: check {VENUE_NAME}.")
    visit(fay, axe_check, "home, check in progress")
    todos.get_by_role("link", name="Where we meet").click()
    place = fay.get_by_role("region", name=re.compile(VENUE_NAME))
    visit(fay, axe_check, "where we meet, check in progress")
    place.get_by_role("button", name="Carry on with the check").click()
    expect(fay).to_have_url(re.compile(rf"/assessments/{assessment.uuid}/$"))
    score_card(fay, "Being safe").get_by_role("link", name="Carry on with “Being safe”").click()
    expect(h2(fay)).to_have_text(f"Being safe: {VENUE_NAME}")
    expect_answers(fay, BEING_FIRST)
    for number in BEING_REST:
        go_to(fay, number)
        expect(question(fay, number).get_by_role("radio", checked=True)).to_have_count(0)
    visit(fay, axe_check, "being safe, part done")

    # --- She finishes both sections. ---
    answer_questions(fay, BEING_REST)
    fay.get_by_role("button", name="Save and go to “Feeling safe”").click()
    expect(status(fay)).to_contain_text("Saved.")
    expect(h2(fay)).to_have_text(f"Feeling safe: {VENUE_NAME}")
    expect(fay.get_by_role("navigation", name="Questions in this section")).to_contain_text(
        "Questions 1 to 4 of 6"
    )
    visit(fay, axe_check, "feeling safe")
    answer_questions(fay, FEELING)
    fay.get_by_role("button", name="Save and see the summary").click()
    expect(score_card(fay, "Being safe")).to_contain_text("10 of 10 answered")
    expect(score_card(fay, "Feeling safe")).to_contain_text("6 of 6 answered")
    expect(fay.get_by_role("main")).to_contain_text("Every question has an answer.")
    visit(fay, axe_check, "check summary, complete")
    fay.get_by_role("link", name="Submit the check").click()

    # --- She is asked to confirm, with what the check will say. ---
    expect(h2(fay)).to_have_text(f"Submit the check of {VENUE_NAME}?")
    expect(fay.get_by_role("main")).to_contain_text("Flag: a critical question was answered No.")
    visit(fay, axe_check, "confirm submitting")
    fay.get_by_role("button", name="Yes, submit the check").click()

    # --- The result: scores from the stored answers, and what needs attention. ---
    expect(status(fay)).to_contain_text("The assessment has been submitted.")
    expect(fay.get_by_role("main")).to_contain_text("Submitted on")
    assessment.refresh_from_db()
    questions = selectors.questions_for(assessment)
    stored = dict(assessment.answers.values_list("question_id", "value"))
    result = scoring.score(questions, stored)
    being = result.sections["being_safe"].score
    feeling = result.sections["feeling_safe"].score
    assert (being, feeling) == (assessment.being_safe_score, assessment.feeling_safe_score)
    # 4 yes + 2 partly + 1 no over 7 scored; 5 yes + 1 partly over 6.
    assert (str(being), str(feeling)) == ("71.4", "91.7")
    expect(score_card(fay, "Being safe").locator(".score-big")).to_have_text(percent(being))
    expect(score_card(fay, "Feeling safe").locator(".score-big")).to_have_text(percent(feeling))
    expect(score_card(fay, "Being safe")).to_contain_text("2 “don't know” (gaps)")
    expect(score_card(fay, "Being safe")).to_contain_text("1 not applicable")
    expect(fay.get_by_role("main")).to_contain_text(
        "Flag: a critical question has an unsafe answer."
    )
    expect(fay.get_by_role("link", name=re.compile("^Carry on with"))).to_have_count(0)
    expect(fay.get_by_role("link", name="Submit the check")).to_have_count(0)
    expect(fay.get_by_role("button", name="Reopen to correct it")).to_be_visible()
    items = below(fay, "Answers that need attention").get_by_role("listitem")
    expect(items).to_have_count(4)  # three Partly and one No
    private = items.filter(has_text="cannot be overheard or seen")
    expect(private).to_contain_text("critical")
    expect(private).to_contain_text("No – The room has a glass door onto the corridor.")
    visit(fay, axe_check, "check result")
    screenshot(fay, "venue-result")

    # --- She turns the No into an action. ---
    private.get_by_role("link", name=re.compile("^Make this an action")).click()
    expect(h2(fay)).to_have_text("Turn this answer into an action")
    expect(fay.get_by_role("main")).to_contain_text("The room has a glass door onto the corridor.")
    expect(fay.get_by_label("Who will do it")).to_have_value(str(circle["fay"].pk))
    visit(fay, axe_check, "action form")
    due = timezone.localdate() + timedelta(days=14)
    fay.get_by_label("What needs doing").fill(ACTION_WHAT)
    fay.get_by_label("Who will do it").select_option(label="Fay")
    fay.get_by_label("Due by").fill(due.isoformat())
    screenshot(fay, "venue-action-form")
    fay.get_by_role("button", name="Add action").click()

    expect(status(fay)).to_contain_text("The action has been added.")
    expect(h2(fay)).to_have_text("Action Open")
    expect(fay.get_by_role("main")).to_contain_text(ACTION_WHAT)
    expect(fay.get_by_role("definition").filter(has_text=f"{due:%-d %B %Y}")).to_have_count(1)
    visit(fay, axe_check, "action")
    fay.get_by_role("link", name="Back to where we meet").click()
    open_actions = below(fay, "Open actions")
    expect(open_actions.get_by_role("listitem")).to_have_count(1)
    expect(open_actions).to_contain_text(ACTION_WHAT)
    expect(open_actions).to_contain_text(f"Critical · Fay · due {due:%-d %b %Y}")
    place = fay.get_by_role("region", name=re.compile(VENUE_NAME))
    expect(place).to_contain_text(f"being safe {percent(being)}, feeling safe {percent(feeling)}")
    # A critical No makes the next check due straight away, once it is put right.
    expect(place).to_contain_text(
        "A critical question has an unsafe answer: check again once it is put right."
    )
    expect(place.get_by_role("button", name="Start a venue check")).to_be_visible()
    visit(fay, axe_check, "where we meet, after the check")

    action = Action.objects.get(group=group)
    assert (action.what, action.owner, action.due_on, action.status, action.venue) == (
        ACTION_WHAT,
        circle["fay"],
        due,
        Action.Status.OPEN,
        venue,
    )
    assert (action.answer.question.key, action.answer.value) == ("private", Answer.Value.NO)

    # --- Priya, a peer, says how safe she feels there. ---
    priya = sign_in(new_context().new_page(), circle["priya"].email, check=False)
    asks = priya.get_by_role("region", name=re.compile(GROUP_NAME))
    ask = f"How safe do you feel at {VENUE_NAME}? (anonymous, once a quarter)"
    expect(asks.get_by_role("link", name=ask)).to_be_visible()
    visit(priya, axe_check, "peer's home")
    priya.get_by_role("link", name=GROUP_NAME).click()
    priya.get_by_role("navigation", name="This group").get_by_role(
        "link", name="Where we meet"
    ).click()
    place = priya.get_by_role("region", name=re.compile(VENUE_NAME))
    # A peer sees neither the facilitators' check nor its actions.
    expect(place).not_to_contain_text("being safe")
    expect(priya.get_by_role("heading", name="Open actions")).to_have_count(0)
    visit(priya, axe_check, "where we meet, peer")
    place.get_by_role("link", name="How safe do you feel here? (anonymous)").click()

    expect(h2(priya)).to_have_text(f"How safe do you feel at {VENUE_NAME}?")
    expect(priya.get_by_role("main")).to_contain_text("Your answers are anonymous")
    # She joined this quarter: told her answer is kept and counts from the next.
    expect(priya.get_by_role("main")).to_contain_text("You joined the group this quarter")
    visit(priya, axe_check, "feedback form")
    for statement, choice in FEEDBACK.items():
        group_of = priya.get_by_role("group", name=re.compile("^" + re.escape(statement)))
        group_of.get_by_label(choice, exact=True).check()
    priya.get_by_label("Anything else?").fill(FEEDBACK_COMMENT)
    screenshot(priya, "venue-feedback-form")
    form_url = priya.url
    priya.get_by_role("button", name="Send anonymously").click()

    # The thank-you page, straight from the POST. One answer was a 2 (low): it offers to
    # tell someone privately, and where to get help.
    expect(h2(priya)).to_have_text("Thank you for telling us how you feel")
    expect(priya.get_by_role("main")).to_contain_text("Your answers are anonymous.")
    expect(priya.get_by_role("link", name="Tell someone privately")).to_be_visible()
    expect(priya.get_by_role("link", name="Call 116 123")).to_have_attribute("href", "tel:116123")
    visit(priya, axe_check, "thank-you page, a low answer")
    screenshot(priya, "venue-feedback-thanks")
    priya.get_by_role("link", name="Back to where we meet").click()
    place = priya.get_by_role("region", name=re.compile(VENUE_NAME))
    expect(place).to_contain_text(
        "You have answered the “how safe do you feel here” check for this quarter."
    )
    expect(place.get_by_role("link", name=re.compile("How safe do you feel"))).to_have_count(0)
    visit(priya, axe_check, "where we meet, peer answered")
    # Coming back to the form is answered kindly, not with a second form.
    priya.goto(form_url)
    expect(h2(priya)).to_have_text("You have already answered this quarter")
    visit(priya, axe_check, "feedback, already answered")

    # One anonymous answer waiting, with nothing that points back to Priya; one receipt.
    response = PooledAnswer.objects.get()
    assert [
        (response.welcome, response.physically_safe, response.safe_to_talk),
        (response.time_out, response.comfortable_with_others, response.comment),
    ] == [(5, 4, 3), (2, 4, FEEDBACK_COMMENT)]
    assert (response.group, response.venue) == (group, venue)
    user_model = get_user_model()
    assert not [f.name for f in PooledAnswer._meta.get_fields() if f.related_model is user_model]
    receipt = FeedbackReceipt.objects.get()
    assert (receipt.user, receipt.group, receipt.venue, receipt.period) == (
        circle["priya"],
        group,
        venue,
        selectors.current_period(),
    )
    assert list(PoolCount.objects.values_list("counts_from", flat=True)) == [
        next_quarter(timezone.localdate())
    ]

    # --- Fay looks for the peers' answers: nothing is shown until a batch is released. ---
    fay.goto(f"{live_server.url}/groups/{group.slug}/venues/")
    fay.get_by_role("region", name=re.compile(VENUE_NAME)).get_by_role(
        "link", name="Peers' answers"
    ).click()
    expect(h2(fay)).to_have_text(f"How safe peers feel at {VENUE_NAME}")
    expect(fay.get_by_role("main")).to_contain_text(
        "Results appear when at least 3 members who were in the group before this quarter "
        "have answered."
    )
    expect(fay.get_by_role("main")).not_to_contain_text(FEEDBACK_COMMENT)
    visit(fay, axe_check, "peers' answers, nothing released")
