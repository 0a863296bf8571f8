"""Browser tests: Playwright driving Debian's Chromium against pytest-django's live_server.

Chromium is found on PATH (`shutil.which("chromium")`); Playwright's own browser
download is never used. Without Chromium every test here is skipped with a reason,
unless the CI environment variable is set, in which case they fail: CI must run them.
"""

import os
import re
import shutil
from pathlib import Path

import pytest
from pytest_playwright_axe.axe import MIN_AXE_PATH

from groups.models import Membership
from tests.builders import add_member, make_group, make_organisation, make_user
from venues.models import Venue, VenueUse

# Playwright's sync API runs an event loop in the main thread; the test code touches
# the database from that thread, which Django would otherwise refuse.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

E2E_DIR = Path(__file__).parent
CHROMIUM = shutil.which("chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
NO_CHROMIUM = (
    "Browser tests need Debian's Chromium: no `chromium` executable on PATH "
    "(install it with `apt-get install -y chromium`; Playwright's browser download is not used)."
)

WCAG_22_AA_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
PASSWORD = "lantern-harbour-violet-42"


def _in_e2e(item) -> bool:
    return E2E_DIR in Path(item.path).parents


def pytest_collection_modifyitems(config, items):
    for item in items:
        if not _in_e2e(item):
            continue
        item.add_marker(pytest.mark.browser)
        if CHROMIUM is None and not os.environ.get("CI"):
            item.add_marker(pytest.mark.skip(reason=NO_CHROMIUM))


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if CHROMIUM is None:
        # Only reached with CI set: elsewhere the tests were skipped at collection.
        pytest.fail("CI is set but " + NO_CHROMIUM, pytrace=False)
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "headless": True,
        "args": CHROMIUM_ARGS,
    }


@pytest.fixture(scope="session")
def live_server(django_db_setup, live_server):
    """pytest-django's live_server, started only once the test database exists.

    Started earlier (its default when a test asks for it directly), it would see the
    file database's settings, not share the in-memory SQLite test connection with its
    threads, and each request thread would open its own in-memory connection that is
    never closed (a ResourceWarning, which filterwarnings=error turns into a failure).
    """
    return live_server


class AxeCore:
    """axe-core (the copy pytest-playwright-axe ships), run inside the page under test.

    pytest-playwright-axe's Axe.run injects the full axe-core source and then, to merge
    the results of every frame, opens a fresh browser context, injects axe-core again
    and closes it: about 1.4 s a scan, most of a journey's time. Our pages have no
    frames, so axe.run() in the page itself gives the same violations for the same
    rules, in about 0.3 s. test_axe_check_finds_violations shows it still finds them.
    """

    def __init__(self):
        self.source = MIN_AXE_PATH.read_text(encoding="utf-8")

    def run(self, page, options):
        assert not page.frames[1:], f"{page.url} has frames: scan them too"
        # A click that follows a link returns once the new document has committed, before
        # it is parsed: scan the page the person will see, not an empty one.
        page.wait_for_load_state("load")
        if not page.evaluate("() => typeof window.axe === 'object'"):
            page.evaluate(self.source)
        return page.evaluate("(options) => axe.run(document, options)", options)


@pytest.fixture(scope="session")
def axe():
    return AxeCore()


def _describe(violation) -> str:
    lines = [f"- {violation['id']} ({violation.get('impact')}): {violation['help']}"]
    for node in violation.get("nodes", []):
        lines.append(f"    at {' '.join(map(str, node.get('target', [])))}")
        lines += [f"      {line}" for line in node.get("failureSummary", "").splitlines() if line]
    return "\n".join(lines)


@pytest.fixture
def axe_check(axe):
    """`axe_check(page)` runs axe-core's WCAG 2.2 A/AA rules and asserts zero violations."""

    def check(page):
        results = axe.run(
            page,
            {"runOnly": {"type": "tag", "values": WCAG_22_AA_TAGS}, "resultTypes": ["violations"]},
        )
        violations = results["violations"]
        assert not violations, f"axe found WCAG 2.2 A/AA violations on {page.url}:\n" + "\n".join(
            _describe(v) for v in violations
        )
        return results

    return check


@pytest.fixture
def sign_in(live_server, axe_check):
    """Sign a page in through the real sign-in form. Returns the page, on the home page."""

    def do_sign_in(page, email, password=PASSWORD, check=True):
        page.goto(f"{live_server.url}/accounts/login/")
        if check:
            axe_check(page)
        page.get_by_label("Email address").fill(email)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url(re.compile(r"/$"))
        return page

    return do_sign_in


@pytest.fixture
def invitation_link():
    """`invitation_link(message)`: the accept link in an invitation email."""

    def find(message) -> str:
        found = re.search(r"https?://\S+/invitations/\S+/", message.body)
        assert found, f"no invitation link in:\n{message.body}"
        return found.group(0)

    return find


# --- The venue journeys' group (test_journey_venues.py and the phone's journeys) --------

GROUP_NAME = "Wednesday Recovery Circle"
VENUE_NAME = "Riverside Community Centre"


@pytest.fixture
def circle(transactional_db):
    """An in-person group with a facilitator and two peers, meeting at a community centre."""
    organisation = make_organisation("Riverside Peer Support")
    group = make_group(organisation, GROUP_NAME, purpose="Peer support for people in recovery.")
    fay = make_user("Fay", "fay@riverside.test", password=PASSWORD)
    priya = make_user("Priya", "priya@riverside.test", password=PASSWORD)
    add_member(group, fay, Membership.Role.FACILITATOR)
    add_member(group, priya)
    add_member(group, make_user("Sam"))
    venue = Venue.objects.create(
        organisation=organisation,
        kind=Venue.Kind.PHYSICAL,
        name=VENUE_NAME,
        address="12 Mill Lane, Riverside",
        postcode="RV1 2AB",
        directions="Bus 12 to the library stop, then two minutes on foot.",
        access_notes="Level access at the side door.",
    )
    VenueUse.objects.create(venue=venue, group=group)
    return {"group": group, "venue": venue, "fay": fay, "priya": priya}


# --- Small helpers shared by the journeys --------------------------------------------------

PHONE = {"width": 375, "height": 812}
DESKTOP = {"width": 1280, "height": 800}
SCREENSHOTS_DIR = E2E_DIR.parents[1] / "test-artifacts" / "screenshots"


def main_nav(page):
    """The site's navigation; on a phone it is behind the header's Menu, opened first."""
    menu = page.locator("details.site-menu")
    if menu.is_visible() and menu.get_attribute("open") is None:
        menu.locator("summary").click()
    return page.get_by_role("navigation", name="Main")


def no_sideways_scroll(page, where):
    """The page itself must not scroll sideways (a table may scroll inside its own region)."""
    sizes = page.evaluate(
        "() => ({scroll: document.documentElement.scrollWidth, inner: window.innerWidth})"
    )
    assert sizes["scroll"] <= sizes["inner"], f"{where} scrolls sideways: {sizes}"


def screenshot(page, name):
    """With SCREENSHOTS=1, save the whole page as `<name>-<viewport width>.png`."""
    if not os.environ.get("SCREENSHOTS"):
        return
    SCREENSHOTS_DIR.mkdir(parents=True, exist_ok=True)
    width = page.viewport_size["width"]
    page.screenshot(path=SCREENSHOTS_DIR / f"{name}-{width}.png", full_page=True)
