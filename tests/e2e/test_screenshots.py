"""Screenshots of the main pages at phone and desktop widths, for people to look at.

Runs only with SCREENSHOTS=1:

    SCREENSHOTS=1 .venv/bin/python -m pytest tests/e2e/test_screenshots.py -q

PNGs go to test-artifacts/screenshots/ (gitignored), named `<page>-<width>.png`.
Each page is also checked with axe at both widths.
"""

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from groups import services
from groups.models import Group, GroupNeed, Invitation, Membership
from tests.builders import add_member, make_group, make_organisation, make_user

from .conftest import PASSWORD

pytestmark = pytest.mark.skipif(
    not os.environ.get("SCREENSHOTS"), reason="screenshots are taken only with SCREENSHOTS=1"
)

OUT = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
VIEWPORTS = {"phone": {"width": 375, "height": 812}, "desktop": {"width": 1280, "height": 800}}


@pytest.fixture
def scene(transactional_db):
    """A believable organisation: two groups, a facilitator, some peers, invitations waiting."""
    cora = make_user("Cora Coordinator", "cora@riverside.test", password=PASSWORD)
    organisation = make_organisation("Riverside Peer Support", coordinators=[cora])
    circle = make_group(
        organisation,
        "Tuesday Evening Circle",
        format=Group.Format.HYBRID,
        purpose="A space for adults living with anxiety to share what helps, at their own pace.",
        meeting_time="Tuesdays, 7pm to 8:30pm",
        meeting_place="Riverside Community Centre, Room 2, or the group's video call",
        upheld_by=Group.UpheldBy.EVERYONE,
    )
    for need in (GroupNeed.Need.STEP_FREE, GroupNeed.Need.QUIET_ROOM, GroupNeed.Need.CAPTIONS):
        GroupNeed.objects.create(group=circle, need=need)
    add_member(circle, make_user("Fay", "fay@riverside.test"), Membership.Role.FACILITATOR)
    for name in ("Pat", "Sam R.", "Alex"):
        add_member(circle, make_user(name))
    make_group(organisation, "Carers' Coffee Morning")

    links = {}
    for email, role in [
        ("jordan.taylor-whitfield@example.org", Invitation.Role.FACILITATOR),
        ("new.member@example.org", Invitation.Role.PEER),
    ]:
        services.invite(
            organisation=organisation,
            group=circle,
            role=role,
            email=email,
            invited_by=cora,
            accept_url=lambda token, email=email: links.setdefault(email, f"/invitations/{token}/"),
        )
    return {
        "cora": cora,
        "organisation": organisation,
        "circle": circle,
        "invitation": links["new.member@example.org"],
    }


@pytest.mark.parametrize("size", VIEWPORTS)
def test_screenshots(size, live_server, new_context, scene, sign_in, axe_check):
    OUT.mkdir(parents=True, exist_ok=True)
    org, circle = scene["organisation"].slug, scene["circle"].slug

    def shoot(page, name, path, heading):
        page.goto(f"{live_server.url}{path}")
        expect(page.get_by_role("heading", level=1)).to_contain_text(heading)
        axe_check(page)
        page.screenshot(path=OUT / f"{name}-{VIEWPORTS[size]['width']}.png", full_page=True)

    visitor = new_context(viewport=VIEWPORTS[size]).new_page()
    shoot(visitor, "sign-in", "/accounts/login/", "Sign in")
    shoot(visitor, "help", "/help/", "Get help now")
    shoot(visitor, "invitation-sign-up", scene["invitation"], "Join Tuesday Evening Circle")

    cora = sign_in(new_context(viewport=VIEWPORTS[size]).new_page(), scene["cora"].email)
    shoot(cora, "home", "/", "Group safety dashboard")
    shoot(cora, "organisation", f"/organisations/{org}/", "Riverside Peer Support")
    shoot(cora, "create-group", f"/organisations/{org}/groups/new/", "Create a group")
    shoot(cora, "group-detail", f"/groups/{circle}/", "Tuesday Evening Circle")
    shoot(cora, "members", f"/groups/{circle}/members/", "Tuesday Evening Circle")
    shoot(cora, "invitations", f"/groups/{circle}/invitations/", "Tuesday Evening Circle")

    # The create-group form after an empty submit: how errors look.
    cora.goto(f"{live_server.url}/organisations/{org}/groups/new/")
    cora.get_by_role("button", name="Create group").click()
    expect(cora.get_by_role("heading", level=1)).to_have_text("Create a group")
    axe_check(cora)
    cora.screenshot(
        path=OUT / f"create-group-errors-{VIEWPORTS[size]['width']}.png", full_page=True
    )
