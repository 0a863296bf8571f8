"""The invitation journey in a real browser: coordinator → facilitator → peer.

Every page visited is checked with axe (WCAG 2.2 A/AA). Part of the journey is
done with the keyboard only (skip link, submitting forms with Enter), the rest
with mouse clicks; everything is found by role or label, as a screen reader would.
"""

import re

import pytest
from playwright.sync_api import expect

from groups.models import Group, GroupNeed, Invitation, Membership
from tests.builders import add_member, make_group, make_organisation, make_user

from .conftest import PASSWORD

FACILITATOR_EMAIL = "fay.facilitator@riverside.test"
PEER_EMAIL = "pat.peer@riverside.test"


def skip_to_main(page):
    """On a freshly loaded page the first Tab reaches the skip link; Enter moves focus to main."""
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to main content")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()


def sign_up_from_invitation(page, link, display_name, role, axe_check):
    page.goto(link)
    skip_to_main(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Join Tuesday Evening Circle")
    expect(page.get_by_role("main")).to_contain_text(
        f"You have been invited to this Riverside Peer Support group as a {role}."
    )
    expect(page.get_by_role("heading", level=2, name="Create your account")).to_be_visible()
    axe_check(page)
    page.get_by_label("Display name").fill(display_name)
    page.get_by_label("Choose a password").fill(PASSWORD)
    page.get_by_label("Type the password again").fill(PASSWORD)
    page.get_by_role("button", name="Create account and join").click()


@pytest.fixture
def coordinator(transactional_db):
    user = make_user("Cora Coordinator", "cora@riverside.test", password=PASSWORD)
    organisation = make_organisation("Riverside Peer Support", coordinators=[user])
    return user, organisation


def test_coordinator_facilitator_peer_invitation_journey(
    live_server, page, new_context, coordinator, mailoutbox, axe_check, invitation_link
):
    cora, organisation = coordinator

    # --- The coordinator signs in, keyboard only. ---
    page.goto(f"{live_server.url}/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/$"))
    skip_to_main(page)
    axe_check(page)
    page.get_by_label("Email address").fill(cora.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_label("Password").press("Enter")
    # A coordinator's home is the organisation's safety dashboard.
    expect(page.get_by_role("heading", level=1)).to_have_text("Group safety dashboard")
    axe_check(page)

    # --- Creates a group, with the mouse. ---
    page.get_by_role("link", name="Riverside Peer Support").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Riverside Peer Support")
    expect(page.get_by_text("No groups yet.")).to_be_visible()
    axe_check(page)
    page.get_by_role("link", name="Create a group").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Create a group")
    axe_check(page)
    page.get_by_role("textbox", name=re.compile(r"^Name\b")).fill("Tuesday Evening Circle")
    page.get_by_label("Online", exact=True).check()
    page.get_by_label("Captions or transcripts online").check()
    page.get_by_label("Everyone in the group, together").check()
    page.get_by_role("button", name="Create group").click()

    # It lands on the group's invitations page, prompting for a facilitator.
    expect(page.get_by_role("heading", level=1)).to_have_text("Tuesday Evening Circle")
    expect(page.get_by_role("status")).to_contain_text("Next, invite a facilitator.")
    expect(page.get_by_role("link", name="Invitations")).to_have_attribute("aria-current", "page")
    axe_check(page)

    # --- Invites a facilitator: mouse for the radio, Enter to send. ---
    page.get_by_label("Facilitator", exact=True).check()
    page.get_by_label("Their email address").fill(FACILITATOR_EMAIL)
    page.get_by_label("Their email address").press("Enter")
    expect(page.get_by_role("status")).to_contain_text("Invitation sent.")
    waiting = page.get_by_role("listitem").filter(has_text=FACILITATOR_EMAIL)
    expect(waiting).to_contain_text("Facilitator")
    expect(
        waiting.get_by_role("button", name=f"Revoke the invitation to {FACILITATOR_EMAIL}")
    ).to_be_visible()
    axe_check(page)

    assert len(mailoutbox) == 1
    email = mailoutbox[0]
    assert email.to == [FACILITATOR_EMAIL]
    # The email may be read over someone's shoulder: it never names the group.
    assert "Tuesday" not in email.subject + email.body
    facilitator_link = invitation_link(email)

    # --- The facilitator opens the link in a fresh browser and signs up. ---
    fay_page = new_context().new_page()
    sign_up_from_invitation(fay_page, facilitator_link, "Fay", "facilitator", axe_check)
    expect(fay_page.get_by_role("heading", level=1)).to_have_text("Tuesday Evening Circle")
    expect(fay_page.get_by_role("status")).to_contain_text("Welcome. You have joined.")
    expect(
        fay_page.get_by_role("navigation", name="Main").get_by_text("Signed in as Fay")
    ).to_be_visible()
    facts = fay_page.locator("dl.facts")
    expect(facts).to_contain_text("Online")
    expect(facts).to_contain_text("Captions or transcripts online")
    expect(facts).to_contain_text("Everyone in the group, together")
    axe_check(fay_page)

    # --- The facilitator invites a peer (peers are the only choice they have). ---
    fay_page.get_by_role("link", name="Invitations").click()
    expect(fay_page.get_by_role("heading", level=2, name="Invite someone")).to_be_visible()
    expect(fay_page.get_by_label("Facilitator", exact=True)).to_have_count(0)
    axe_check(fay_page)
    fay_page.get_by_label("Their email address").fill(PEER_EMAIL)
    fay_page.get_by_role("button", name="Send invitation").click()
    expect(fay_page.get_by_role("status")).to_contain_text("Invitation sent.")
    expect(fay_page.get_by_role("listitem").filter(has_text=PEER_EMAIL)).to_contain_text("Peer")
    axe_check(fay_page)

    assert len(mailoutbox) == 2
    assert mailoutbox[1].to == [PEER_EMAIL]
    peer_link = invitation_link(mailoutbox[1])

    # --- The peer accepts in another fresh browser and sees the group and its members. ---
    pat_page = new_context().new_page()
    sign_up_from_invitation(pat_page, peer_link, "Pat", "peer", axe_check)
    expect(pat_page.get_by_role("heading", level=1)).to_have_text("Tuesday Evening Circle")
    expect(pat_page.get_by_role("status")).to_contain_text("Welcome. You have joined.")
    expect(pat_page.locator("dl.facts")).to_contain_text("Fay")
    # A peer cannot invite or edit.
    expect(pat_page.get_by_role("link", name="Invitations")).to_have_count(0)
    expect(pat_page.get_by_role("link", name="Edit details")).to_have_count(0)
    axe_check(pat_page)

    pat_page.get_by_role("link", name="Members").click()
    expect(pat_page.get_by_role("heading", level=2)).to_have_text("2 current members")
    members = pat_page.get_by_role("list").filter(has_text="joined").get_by_role("listitem")
    expect(members).to_have_count(2)
    expect(members.first).to_contain_text("Fay")  # facilitators first
    expect(members.filter(has_text="Fay")).to_contain_text("Facilitator")
    expect(members.filter(has_text="Pat")).to_contain_text("(you)")
    expect(members.filter(has_text="Pat")).to_contain_text("Peer")
    # Display names only: nobody's email address is on the page.
    body = pat_page.locator("body").inner_text()
    for address in (FACILITATOR_EMAIL, PEER_EMAIL, cora.email):
        assert address not in body
    assert "@" not in pat_page.get_by_role("main").inner_text()
    axe_check(pat_page)

    # --- What the journey left in the database. ---
    group = Group.objects.get(organisation=organisation)
    assert group.name == "Tuesday Evening Circle"
    assert group.format == Group.Format.ONLINE
    assert group.upheld_by == Group.UpheldBy.EVERYONE
    assert list(group.needs.values_list("need", flat=True)) == [GroupNeed.Need.CAPTIONS]
    memberships = {
        (m.user.email, m.user.display_name, m.role)
        for m in Membership.objects.filter(group=group, left_at__isnull=True).select_related("user")
    }
    assert memberships == {
        (FACILITATOR_EMAIL, "Fay", Membership.Role.FACILITATOR),
        (PEER_EMAIL, "Pat", Membership.Role.PEER),
    }
    assert not Invitation.objects.filter(group=group, accepted_at__isnull=True).exists()


def test_get_help_now_is_reachable_from_the_sign_in_page(live_server, page, axe_check):
    page.goto(f"{live_server.url}/accounts/login/")
    axe_check(page)
    help_link = page.get_by_role("link", name="Get help now", exact=True)
    # Straight after the skip link and the site name: the third Tab stop.
    for _ in range(3):
        page.keyboard.press("Tab")
    expect(help_link).to_be_focused()
    page.keyboard.press("Enter")

    expect(page).to_have_url(f"{live_server.url}/help/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Get help now")
    expect(page.get_by_role("main")).to_contain_text("SafeSpace is not a crisis service.")
    expect(page.get_by_role("main")).to_contain_text("999")
    expect(page.get_by_role("link", name="116 123")).to_have_attribute("href", "tel:116123")
    axe_check(page)


LONG_NAME = "Wednesday Afternoon Bereavement and Loss Peer Support Circle for Carers"
LONG_EMAIL = "a.very.long.address.for.someone.who.cares@an-equally-long-domain-name.example"


@pytest.mark.browser_context_args(viewport={"width": 375, "height": 812})
def test_phone_width_has_no_horizontal_scroll(live_server, page, sign_in, axe_check):
    cora = make_user("Cora Coordinator", "cora@riverside.test", password=PASSWORD)
    organisation = make_organisation("Riverside Peer Support", coordinators=[cora])
    group = make_group(
        organisation,
        LONG_NAME,
        purpose="For people caring for someone who has died or is dying.",
        meeting_place="https://meet.example/a-rather-long-online-meeting-room-address-0123456789",
    )
    add_member(group, make_user("Fay", "fay@riverside.test"), Membership.Role.FACILITATOR)
    Invitation.objects.create(
        organisation=organisation,
        group=group,
        role=Invitation.Role.PEER,
        email=LONG_EMAIL,
        token_hash="0" * 64,
        invited_by=cora,
        expires_at=group.created.replace(year=group.created.year + 1),
    )
    sign_in(page, cora.email)

    for path, heading in [
        (f"/organisations/{organisation.slug}/", "Riverside Peer Support"),
        (f"/groups/{group.slug}/", LONG_NAME),
        (f"/groups/{group.slug}/invitations/", LONG_NAME),
    ]:
        page.goto(f"{live_server.url}{path}")
        expect(page.get_by_role("heading", level=1)).to_have_text(heading)
        sizes = page.evaluate(
            "() => ({scroll: document.documentElement.scrollWidth, inner: window.innerWidth})"
        )
        assert sizes["inner"] == 375
        assert sizes["scroll"] <= sizes["inner"], f"{path} scrolls sideways at 375px: {sizes}"
        # Nor does anything inside it (the organisation's table of groups, for one), but
        # the row of a group's pages, which scrolls on its own on purpose (one line on a
        # phone: test_phone_layout.py).
        wide = page.evaluate(
            """() => [...document.querySelectorAll('main *')]
                .filter(e => e.scrollWidth > e.clientWidth + 1 && e.clientWidth > 1
                             && getComputedStyle(e).overflowX !== 'visible'
                             && !e.matches('.nav-underline'))
                .map(e => e.outerHTML.slice(0, 80))"""
        )
        assert wide == [], f"{path} has sideways-scrolling parts at 375px: {wide}"
        axe_check(page)
    # The last page was the invitations page: the long address is there, wrapped.
    expect(page.get_by_text(LONG_EMAIL, exact=True)).to_be_visible()
