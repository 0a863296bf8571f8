"""The ground rules journey in a real browser: suggest → accept → put to the group →
answer → adopt → a newcomer is asked to agree before anything else.

Every page visited is checked with axe (WCAG 2.2 A/AA). People find things by role
and label, as a screen reader would; most of it is done with the mouse, some with
the keyboard (choosing a radio with the arrow keys, sending a form with Enter).

With SCREENSHOTS=1, the last test also saves the ground rules pages at phone and
desktop widths to test-artifacts/screenshots/ (as test_screenshots.py does).
"""

import os
import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from groundrules import services
from groundrules.models import Agreement, Category, Proposal, Review, ReviewItem, Version
from groups.models import Invitation, Membership
from tests.builders import (
    LINK,
    add_member,
    adopt,
    answer,
    fields,
    make_group,
    make_organisation,
    make_user,
)

from .conftest import PASSWORD

GROUP_NAME = "Thursday Recovery Circle"

RULES = [
    (
        "What is said in the group stays in the group.",
        Category.CONFIDENTIALITY,
        "So that everyone can speak freely.",
        "A facilitator has a quiet word after the meeting.",
    ),
    (
        "Everyone can choose to share or to stay quiet.",
        Category.SHARING,
        "",
        "",
    ),
]
NEW_RULE = "Phones on silent and out of sight while someone is sharing."
NEW_WHY = "A buzzing phone makes it harder to say something difficult."
NEW_REASON = "Last week two phones went off while Sam was talking about their relapse."
TALK_COMMENT = "Some of us are carers and need to be reachable. Can we talk about exceptions?"
OUTCOME = (
    "We talked it through: carers can keep a phone on silent, face down. Everyone else agreed."
)

NEWCOMER_EMAIL = "nia.newcomer@example.org"


# --- Set-up through the service layer ------------------------------------------------------


@pytest.fixture
def circle(transactional_db):
    """Group A: facilitator Fay, peers Priya, Sam and Jo; two rules everyone has agreed to."""
    organisation = make_organisation("Northside Peer Support")
    group = make_group(organisation, GROUP_NAME, purpose="Peer support for people in recovery.")
    people = {
        "fay": make_user("Fay", "fay@northside.test", password=PASSWORD),
        "priya": make_user("Priya", "priya@northside.test", password=PASSWORD),
        "sam": make_user("Sam", "sam@northside.test", password=PASSWORD),
        "jo": make_user("Jo", "jo@northside.test", password=PASSWORD),
    }
    add_member(group, people["fay"], Membership.Role.FACILITATOR)
    for name in ("priya", "sam", "jo"):
        add_member(group, people[name])
    current = adopt(group, people["fay"], RULES, agreeing=people.values(), outcome="")
    return {"organisation": organisation, "group": group, "current": current, **people}


# --- Helpers for the browser -------------------------------------------------------------


def h1(page):
    return page.get_by_role("heading", level=1)


def group_tab(page, name):
    return page.get_by_role("navigation", name="This group").get_by_role("link", name=name)


def rules_tab(page, name):
    return page.get_by_role("navigation", name="Ground rules").get_by_role("link", name=name)


def status(page):
    return page.get_by_role("status")


def no_sideways_scroll(page, where):
    sizes = page.evaluate(
        "() => ({scroll: document.documentElement.scrollWidth, inner: window.innerWidth})"
    )
    assert sizes["inner"] == 375
    assert sizes["scroll"] <= sizes["inner"], f"{where} scrolls sideways at 375px: {sizes}"


def open_group(page, axe_check):
    """From the home page, the way a member gets there: the group's card, then its rules."""
    page.get_by_role("link", name=GROUP_NAME).click()
    expect(h1(page)).to_have_text(GROUP_NAME)
    axe_check(page)
    group_tab(page, "Ground rules").click()
    expect(page.get_by_role("heading", level=2, name="Ground rules")).to_be_visible()
    expect(rules_tab(page, "Current rules")).to_have_attribute("aria-current", "page")
    axe_check(page)


def answer_round(page, axe_check, choice, comment=None):
    """On the rules page while a round is open: read the version and answer it."""
    page.get_by_role("link", name="Read and answer").click()
    expect(page.get_by_role("heading", level=2)).to_have_text(
        "Please read version 2 of the ground rules"
    )
    expect(
        page.get_by_role("main").get_by_role("listitem").filter(has_text=NEW_RULE)
    ).to_have_count(1)
    axe_check(page)
    page.get_by_label(choice).check()
    if comment is not None:
        page.get_by_label("What would you like to talk about?").fill(comment)
        expect(page.get_by_label("Facilitators only")).to_be_checked()
    page.get_by_role("button", name="Send my answer").click()
    expect(status(page)).to_contain_text("Thank you. Your answer has been saved.")
    expect(
        page.get_by_role("region", name="Version 2 is with the group for agreement")
    ).to_contain_text(f"Your answer: “{choice}”.")
    axe_check(page)


def test_suggest_agree_adopt_and_welcome_a_newcomer(
    live_server, page, new_context, circle, sign_in, axe_check, mailoutbox, invitation_link
):
    group = circle["group"]
    mailoutbox.clear()  # the set-up's own round and adoption emails

    # --- 2. Priya suggests a new rule. ---
    priya = sign_in(page, circle["priya"].email)
    open_group(priya, axe_check)
    current_rules = priya.get_by_role("main").get_by_role("list").filter(has_text=RULES[0][0])
    expect(current_rules.get_by_role("listitem")).to_have_count(2)
    priya.get_by_role("link", name="Suggest a change", exact=True).click()
    expect(priya.get_by_role("heading", level=2)).to_have_text(
        "Suggest a change to the ground rules"
    )
    axe_check(priya)
    priya.get_by_label("Add a rule").check()
    priya.get_by_label("The rule, in your words").fill(NEW_RULE)
    priya.get_by_label("Why we would have it").fill(NEW_WHY)
    priya.get_by_label("Category").select_option(label="Phones")
    priya.get_by_label("Your reason").fill(NEW_REASON)
    priya.get_by_role("button", name="Send suggestion").click()

    expect(status(priya)).to_contain_text("Thank you. Your suggestion is now open for comments.")
    expect(priya.get_by_role("heading", level=2)).to_have_text("Suggestion: Add a rule Open")
    expect(priya.get_by_role("main")).to_contain_text("Suggested by Priya on")
    expect(priya.get_by_role("main")).to_contain_text(NEW_RULE)
    expect(priya.get_by_role("main")).to_contain_text(NEW_REASON)
    # A peer cannot decide on it.
    expect(priya.get_by_role("button", name="Save decision")).to_have_count(0)
    axe_check(priya)

    # --- 3. Fay accepts it into the draft and puts the draft to the group. ---
    fay = sign_in(new_context().new_page(), circle["fay"].email)
    open_group(fay, axe_check)
    fay.get_by_role("link", name="1 open suggestion").click()
    expect(rules_tab(fay, "Suggestions")).to_have_attribute("aria-current", "page")
    axe_check(fay)
    fay.get_by_role("link", name=f"Add a rule: {NEW_RULE}").click()
    expect(fay.get_by_role("heading", level=2)).to_have_text("Suggestion: Add a rule Open")
    axe_check(fay)
    decide = fay.get_by_role("region", name="Decide")
    decide.get_by_label("Accept it into the draft").check()
    decide.get_by_role("button", name="Save decision").click()
    expect(status(fay)).to_contain_text("The suggestion is now in the draft.")
    expect(fay.get_by_role("heading", level=2)).to_have_text(
        "Suggestion: Add a rule Accepted into the draft"
    )
    expect(fay.get_by_role("main")).to_contain_text("Accepted into the draft by Fay on")
    expect(fay.get_by_role("region", name="Decide")).to_have_count(0)
    axe_check(fay)

    # The suggestion page has the ground rules tabs: straight on to the draft.
    rules_tab(fay, "Draft").click()
    expect(fay.get_by_role("heading", level=3, name="Draft (version 2)")).to_be_visible()
    expect(fay.get_by_role("main")).to_contain_text("Changes are shown against version 1.")
    draft_rules = fay.locator("ol.diff-list > li")
    expect(draft_rules).to_have_count(3)
    expect(draft_rules.nth(0)).to_contain_text("Unchanged")
    expect(draft_rules.nth(2)).to_contain_text("New rule")
    expect(draft_rules.nth(2)).to_contain_text(NEW_RULE)
    # Marked in words, not by colour alone; the words themselves are inserted text.
    expect(draft_rules.nth(2).locator("ins")).to_have_text(NEW_RULE)
    axe_check(fay)
    fay.get_by_role("button", name="Put this draft to the group").click()

    expect(status(fay)).to_contain_text(
        "The draft is now with the group. Everyone has been emailed."
    )
    expect(fay.get_by_role("heading", level=2)).to_have_text(
        "Agreement to version 2 Put to the group"
    )
    expect(fay.get_by_role("main")).to_contain_text("0 of 4 current members agree.")
    axe_check(fay)
    # One email each (nobody sees anyone else's address), none naming the group.
    round_emails = [m for m in mailoutbox if "/rules/versions/2/answer/" in m.body]
    assert sorted(m.to[0] for m in round_emails) == sorted(
        circle[name].email for name in ("fay", "priya", "sam", "jo")
    )
    assert all(len(m.to) == 1 and GROUP_NAME not in m.subject + m.body for m in round_emails)

    # --- 4. Priya and Sam agree; Jo would like to talk, for facilitators only. ---
    priya.goto(f"{live_server.url}/")
    open_group(priya, axe_check)
    answer_round(priya, axe_check, "I agree")

    sam = sign_in(new_context().new_page(), circle["sam"].email)
    open_group(sam, axe_check)
    answer_round(sam, axe_check, "I agree")

    jo = sign_in(new_context().new_page(), circle["jo"].email)
    open_group(jo, axe_check)
    # Jo picks the answer with the keyboard: focus "I agree", arrow down to the other one.
    jo.get_by_role("link", name="Read and answer").click()
    axe_check(jo)
    jo.get_by_label("I agree").focus()
    jo.keyboard.press("ArrowDown")
    expect(jo.get_by_label("I'd like to talk about this")).to_be_checked()
    jo.get_by_label("What would you like to talk about?").fill(TALK_COMMENT)
    expect(jo.get_by_label("Facilitators only")).to_be_checked()
    jo.get_by_role("button", name="Send my answer").press("Enter")
    expect(status(jo)).to_contain_text("Thank you. Your answer has been saved.")
    expect(jo.get_by_role("main")).to_contain_text("Your answer: “I'd like to talk about this”.")
    axe_check(jo)

    # The peers' tracker: how many, never who said what.
    jo.get_by_role("link", name="See who has answered").click()
    expect(jo.get_by_role("heading", level=2)).to_have_text(
        "Agreement to version 2 Put to the group"
    )
    expect(jo.locator("p.lead")).to_have_text(
        "2 of 4 current members agree. 1 would like to talk. 1 has not answered yet."
    )
    expect(jo.get_by_role("table")).to_have_count(0)
    main_text = jo.get_by_role("main").inner_text()
    for name in ("Fay", "Priya", "Sam", "Jo"):
        assert not re.search(rf"\b{name}\b", main_text), f"{name} named on a peer's tracker"
    # Only Jo's own request is there, as Jo's.
    expect(jo.get_by_role("region", name="What members would like to talk about")).to_contain_text(
        f"You · about the rules as a whole · Waiting to be talked about {TALK_COMMENT}"
    )
    expect(jo.get_by_role("button", name="Adopt this version")).to_have_count(0)
    axe_check(jo)

    # --- 5. Fay answers too, reads every answer and adopts with a recorded outcome. ---
    fay.reload()
    expect(fay.locator("p.lead")).to_have_text(
        "2 of 4 current members agree. 1 would like to talk. 1 has not answered yet."
    )
    answers = fay.get_by_role("table", name="Who has answered")
    expect(answers.get_by_role("row", name=re.compile(r"^Fay"))).to_contain_text("Not answered yet")
    axe_check(fay)
    fay.get_by_role("link", name="Read and answer").click()
    axe_check(fay)
    fay.get_by_label("I agree").check()
    fay.get_by_role("button", name="Send my answer").click()
    expect(status(fay)).to_contain_text("Thank you. Your answer has been saved.")
    axe_check(fay)
    fay.get_by_role("link", name="See who has answered").click()
    expect(fay.locator("p.lead")).to_have_text(
        "3 of 4 current members agree. 1 would like to talk. 0 have not answered yet."
    )
    answers = fay.get_by_role("table", name="Who has answered")
    expect(answers.get_by_role("row")).to_have_count(5)  # a header row and four members
    for name in ("Fay", "Priya", "Sam"):
        expect(answers.get_by_role("row", name=re.compile(rf"^{name}\b"))).to_contain_text("Agrees")
    jo_row = answers.get_by_role("row", name=re.compile(r"^Jo\b"))
    expect(jo_row).to_contain_text("Would like to talk")
    talks = fay.get_by_role("region", name="What members would like to talk about")
    expect(talks).to_contain_text("Jo · about the rules as a whole · Waiting to be talked about")
    expect(talks).to_contain_text(TALK_COMMENT)
    expect(talks).to_contain_text("(for facilitators only)")
    closing = fay.get_by_role("region", name="Closing the round")
    expect(closing).to_contain_text("Not everyone has agreed.")
    # Nobody is left to remind.
    expect(closing.get_by_role("button", name=re.compile("Email a reminder"))).to_have_count(0)
    axe_check(fay)
    closing.get_by_label("What came of Jo's request?").fill("Carers may keep a phone face down.")
    closing.get_by_label("Outcome").fill(OUTCOME)
    closing.get_by_role("button", name="Adopt this version").click()

    expect(status(fay)).to_contain_text("These are now the group's ground rules.")
    expect(rules_tab(fay, "Current rules")).to_have_attribute("aria-current", "page")
    expect(fay.get_by_role("main")).to_contain_text(
        "Version 2. Adopted by the facilitators after discussion on"
    )
    expect(fay.get_by_role("main")).to_contain_text("agreed by 3 of 4 members.")
    adopted = fay.get_by_role("main").locator("ol.rule-list > li")
    expect(adopted).to_have_count(3)
    expect(adopted.nth(2)).to_contain_text(NEW_RULE)
    expect(adopted.nth(2)).to_contain_text("Phones")
    expect(adopted.nth(2)).to_contain_text(f"Why: {NEW_WHY}")
    expect(
        fay.get_by_role("region", name=re.compile("with the group for agreement"))
    ).to_have_count(0)
    axe_check(fay)

    # --- 6. Fay invites Nia, who is asked to agree to the rules before anything else. ---
    group_tab(fay, "Invitations").click()
    expect(fay.get_by_role("heading", level=2, name="Invite someone")).to_be_visible()
    axe_check(fay)
    fay.get_by_label("Their email address").fill(NEWCOMER_EMAIL)
    fay.get_by_role("button", name="Send invitation").click()
    expect(status(fay)).to_contain_text("Invitation sent.")
    axe_check(fay)
    invitations = [m for m in mailoutbox if m.to == [NEWCOMER_EMAIL]]
    assert len(invitations) == 1

    nia = new_context().new_page()
    nia.goto(invitation_link(invitations[0]))
    expect(h1(nia)).to_have_text(f"Join {GROUP_NAME}")
    axe_check(nia)
    nia.get_by_label("Display name").fill("Nia")
    nia.get_by_label("Choose a password").fill(PASSWORD)
    nia.get_by_label("Type the password again").fill(PASSWORD)
    nia.get_by_role("button", name="Create account and join").click()

    # Taken to the group, but first asked to read and answer its current rules.
    expect(nia).to_have_url(re.compile(rf"/groups/{group.slug}/rules/versions/2/answer/$"))
    expect(status(nia)).to_contain_text("Welcome. You have joined.")
    expect(h1(nia)).to_have_text(GROUP_NAME)
    expect(nia.get_by_role("heading", level=2)).to_have_text("Please read the group's ground rules")
    expect(nia.get_by_role("main").locator("ol.rule-list > li")).to_have_count(3)
    axe_check(nia)
    # Any other page of the group brings her back here until she has answered.
    nia.goto(f"{live_server.url}/groups/{group.slug}/members/")
    expect(nia).to_have_url(re.compile(r"/rules/versions/2/answer/$"))
    axe_check(nia)
    nia.get_by_label("I agree").check()
    nia.get_by_role("button", name="Send my answer").click()
    expect(status(nia)).to_contain_text("Thank you. Your answer has been saved.")
    expect(nia.get_by_role("main")).to_contain_text("agreed by 3 of 4 members.")
    axe_check(nia)
    group_tab(nia, "About").click()
    expect(nia).to_have_url(f"{live_server.url}/groups/{group.slug}/")
    expect(h1(nia)).to_have_text(GROUP_NAME)
    expect(group_tab(nia, "About")).to_have_attribute("aria-current", "page")
    axe_check(nia)

    # --- What the journey left in the database. ---
    versions = {v.number: v for v in Version.objects.filter(group=group)}
    assert {n: v.status for n, v in versions.items()} == {
        1: Version.Status.SUPERSEDED,
        2: Version.Status.ADOPTED,
    }
    adopted_version = versions[2]
    assert adopted_version.outcome == OUTCOME
    assert adopted_version.closed_by == circle["fay"]
    assert [
        (r.text, r.category, r.why) for r in adopted_version.rules.order_by("position", "id")
    ] == [(text, category, why) for text, category, why, _ in RULES] + [
        (NEW_RULE, Category.PHONES, NEW_WHY)
    ]
    proposal = Proposal.objects.get(group=group)
    assert (proposal.kind, proposal.status, proposal.proposed_by, proposal.decided_by) == (
        Proposal.Kind.ADD,
        Proposal.Status.ACCEPTED,
        circle["priya"],
        circle["fay"],
    )
    nia_user = Membership.objects.get(group=group, user__email=NEWCOMER_EMAIL).user
    agreements = {
        a.user.display_name: (a.answer, a.visibility, a.comment)
        for a in Agreement.objects.filter(version=adopted_version).select_related("user")
    }
    assert agreements == {
        "Fay": ("agree", "facilitators", ""),
        "Priya": ("agree", "facilitators", ""),
        "Sam": ("agree", "facilitators", ""),
        "Jo": ("talk", "facilitators", TALK_COMMENT),
        "Nia": ("agree", "facilitators", ""),
    }
    # Every answer is bound to the exact words of version 2, not to version 1's.
    assert set(
        Agreement.objects.filter(version=adopted_version).values_list("content_hash", flat=True)
    ) == {adopted_version.content_hash}
    assert adopted_version.content_hash != versions[1].content_hash
    assert Agreement.objects.filter(version=adopted_version, user=nia_user, answer="agree").exists()
    assert not Invitation.objects.filter(group=group, accepted_at__isnull=True).exists()


# --- On a phone --------------------------------------------------------------------------


def open_round_with_a_new_draft(circle):
    """Version 2 (three rules) is with the group; version 3 is being drafted from it."""
    group, fay = circle["group"], circle["fay"]
    version = services.start_draft(group=group, by=fay)
    services.add_rule(
        version=version,
        fields=fields(
            NEW_RULE,
            Category.PHONES,
            NEW_WHY,
            "A facilitator reminds everyone at the break, without naming anyone.",
        ),
    )
    version = services.open_round(version=version, by=fay, link=LINK)
    draft = services.start_draft(group=group, by=fay)
    first, second, _third = draft.rules.order_by("position", "id")
    services.update_rule(
        rule=first,
        fields={"text": "What is said in the group stays in the group, unless someone is at risk."},
    )
    services.delete_rule(rule=second)
    services.add_rule(
        version=draft,
        fields=fields(
            "We talk about self-harm in general terms, without describing methods.",
            Category.TOPICS,
            "Details can be distressing for others in the room.",
        ),
    )
    return version, draft


@pytest.mark.browser_context_args(viewport={"width": 375, "height": 812})
def test_a_peer_reads_and_answers_on_a_phone(
    live_server, page, new_context, circle, sign_in, axe_check
):
    version, _draft = open_round_with_a_new_draft(circle)
    group = circle["group"]
    priya = sign_in(page, circle["priya"].email)

    open_group(priya, axe_check)
    expect(
        priya.get_by_role("region", name="Version 2 is with the group for agreement")
    ).to_be_visible()
    # The rules in force meanwhile: version 1's two, read on the same page.
    expect(priya.get_by_role("main")).to_contain_text("Version 1. Agreed by all 4 members on")
    current_rules = priya.get_by_role("main").locator("ol.rule-list > li")
    expect(current_rules).to_have_count(2)
    expect(current_rules.first).to_contain_text(RULES[0][0])
    expect(current_rules.first).to_contain_text(f"If it is broken: {RULES[0][3]}")
    no_sideways_scroll(priya, "rules home")

    priya.get_by_role("link", name="Read and answer").click()
    expect(priya.get_by_role("heading", level=2)).to_have_text(
        "Please read version 2 of the ground rules"
    )
    # Priya agreed to version 1: what changed comes first (one new rule), then the
    # whole version, folded away.
    changes = priya.get_by_role("region", name="What has changed since version 1")
    expect(changes.locator("ol.diff-list > li")).to_have_count(1)
    expect(changes.locator("ol.diff-list > li")).to_contain_text(NEW_RULE)
    expect(priya.locator("details ol.rule-list > li")).to_have_count(3)
    no_sideways_scroll(priya, "answer page")
    axe_check(priya)
    send = priya.get_by_role("button", name="Send my answer")
    send.scroll_into_view_if_needed()
    expect(send).to_be_in_viewport()
    priya.get_by_label("I agree").check()
    send.click()
    expect(status(priya)).to_contain_text("Thank you. Your answer has been saved.")
    expect(priya.get_by_role("main")).to_contain_text("Your answer: “I agree”.")
    no_sideways_scroll(priya, "rules home after answering")
    axe_check(priya)

    priya.get_by_role("link", name="See who has answered").click()
    expect(priya.locator("p.lead")).to_have_text(
        "1 of 4 current members agree. 0 would like to talk. 3 have not answered yet."
    )
    expect(priya.get_by_role("link", name="Review your answer")).to_be_visible()
    no_sideways_scroll(priya, "tracker")
    axe_check(priya)

    rules_tab(priya, "Draft").click()
    expect(priya.get_by_role("heading", level=3, name="Draft (version 3)")).to_be_visible()
    labels = priya.locator("ol.diff-list p.diff-label")
    expect(labels).to_have_text(["Changed", "Unchanged", "New rule", "Removed"])
    # A peer reads the draft; only facilitators edit it.
    expect(priya.get_by_role("link", name="Edit this rule")).to_have_count(0)
    no_sideways_scroll(priya, "draft")
    axe_check(priya)

    saved = Agreement.objects.get(version=version, user=circle["priya"])
    assert (saved.answer, saved.content_hash) == ("agree", version.content_hash)
    assert Version.objects.get(group=group, number=3).status == Version.Status.DRAFT

    # Fay, on her phone, cannot put version 3 to the group while version 2 is with it,
    # and is told why before she tries, with the way to version 2's answers.
    fay = new_context().new_page()  # the same phone-sized viewport
    sign_in(fay, circle["fay"].email, check=False)
    fay.goto(f"{live_server.url}/groups/{group.slug}/rules/draft/")
    expect(fay.get_by_role("heading", level=3, name="Draft (version 3)")).to_be_visible()
    put = fay.get_by_role("button", name="Put this draft to the group")
    expect(put).to_be_disabled()
    expect(put).to_have_accessible_description(re.compile(r"^Version 2 is still with the group\."))
    ready = fay.get_by_role("region", name="Ready to agree?")
    ready.get_by_role("link", name="Answers to version 2").click()
    expect(fay).to_have_url(re.compile(r"/rules/versions/2/round/$"))
    expect(fay.get_by_role("heading", level=2)).to_have_text(
        "Agreement to version 2 Put to the group"
    )
    no_sideways_scroll(fay, "tracker (facilitator)")
    axe_check(fay)
    fay.go_back()
    no_sideways_scroll(fay, "draft (facilitator)")
    axe_check(fay)


# --- Screenshots (SCREENSHOTS=1 only) ----------------------------------------------------

OUT = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
VIEWPORTS = {"phone": {"width": 375, "height": 812}, "desktop": {"width": 1280, "height": 800}}


@pytest.mark.skipif(
    not os.environ.get("SCREENSHOTS"), reason="screenshots are taken only with SCREENSHOTS=1"
)
@pytest.mark.parametrize("size", VIEWPORTS)
def test_ground_rules_screenshots(size, live_server, new_context, circle, sign_in, axe_check):
    OUT.mkdir(parents=True, exist_ok=True)
    group, fay = circle["group"], circle["fay"]
    version, _draft = open_round_with_a_new_draft(circle)
    answer(version, circle["priya"])
    answer(version, circle["jo"], "talk", TALK_COMMENT)
    answer(version, circle["sam"], "talk", "Could we add something about lateness?", "group")
    proposal = services.propose(
        group=group,
        by=circle["sam"],
        kind=Proposal.Kind.ADD,
        fields=fields(
            "We start and finish on time, and say if we need to leave early.",
            Category.RESPECT,
            "People plan their evening around the group.",
        ),
        reason="Meetings have been running late and some of us miss the last bus.",
    )
    services.add_comment(proposal=proposal, by=circle["jo"], text="Yes please, the bus is a worry.")
    current = circle["current"]
    rules = list(current.rules.all())
    services.record_review(
        group=group,
        by=fay,
        held_on=timezone.localdate() - timedelta(days=30),
        participants=4,
        outcome=Review.Outcome.NO_CHANGE,
        notes="Everyone felt the rules were working.",
        items={rule: (ReviewItem.Working.YES, "") for rule in rules},
    )
    services.record_breach(
        group=group,
        by=fay,
        occurred_on=timezone.localdate() - timedelta(days=3),
        rules=rules[:1],
        what_happened="Someone mentioned another member's story outside the group.",
        response_taken="A facilitator had a quiet word after the meeting.",
        follow_up="Remind everyone about confidentiality at the start of the next meeting.",
        not_working=False,
    )
    width = VIEWPORTS[size]["width"]
    base = f"/groups/{group.slug}/rules/"

    def shoot(page, name, path, heading):
        page.goto(f"{live_server.url}{path}")
        expect(h1(page)).to_have_text(GROUP_NAME)
        expect(page.get_by_role("heading", level=2)).to_contain_text(heading)
        axe_check(page)
        page.screenshot(path=OUT / f"rules-{name}-{width}.png", full_page=True)

    fay_page = sign_in(new_context(viewport=VIEWPORTS[size]).new_page(), fay.email, check=False)
    shoot(fay_page, "home", base, "Ground rules")
    shoot(fay_page, "draft", f"{base}draft/", "Ground rules")
    shoot(fay_page, "tracker", f"{base}versions/2/round/", "Agreement to version 2")
    shoot(fay_page, "answer", f"{base}versions/2/answer/", "Please read version 2")
    shoot(fay_page, "proposal", f"{base}proposals/{proposal.uuid}/", "Suggestion: Add a rule")
    shoot(fay_page, "compare", f"{base}compare/?older=1&newer=3", "Compare two versions")
    shoot(fay_page, "reviews", f"{base}reviews/", "Ground rules")
    shoot(fay_page, "breaches", f"{base}breaches/", "Ground rules")

    peer = new_context(viewport=VIEWPORTS[size]).new_page()
    sign_in(peer, circle["priya"].email, check=False)
    shoot(peer, "tracker-peer", f"{base}versions/2/round/", "Agreement to version 2")
