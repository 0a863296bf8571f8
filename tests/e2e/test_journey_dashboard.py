"""The coordinator's group safety dashboard in a real browser.

Nadia coordinates an organisation of seven groups in different states (built with the
dashboard tests' builders). She signs in and lands on the dashboard, sorts it by a column,
narrows it to the in-person groups that need attention, searches by name, opens a group's
safety page from its row and comes back, and downloads the same rows as CSV. On a phone,
the page does not scroll sideways: the table scrolls inside its own labelled region,
which she can reach and scroll with the keyboard.

Every page visited is checked with axe (WCAG 2.2 A/AA). With SCREENSHOTS=1 the dashboard
(desktop and phone), a safety page and the trends page are saved to
test-artifacts/screenshots/.
"""

import csv
import io
import re
from datetime import timedelta
from urllib.parse import parse_qs, urlparse

import pytest
from django.template.defaultfilters import floatformat
from django.utils import timezone
from playwright.sync_api import expect

from groups.dates import add_months
from groups.models import Group
from tests import builders as ss
from tests.builders import make_organisation, make_user

from .conftest import DESKTOP, PASSWORD, PHONE, no_sideways_scroll, screenshot

CAPTION = "Groups and their safety facts. Select a column heading to sort."
ALDER = "Alder Online Circle"
BIRCH = "Birch Recovery Café"
CEDAR = "Cedar Hybrid Recovery"
DAMSON = "Damson Wednesday Group"
ELM = "Elm Thursday Recovery"
FIR = "Fir Online Recovery"
JUNIPER = "Juniper Carers' Evening"
BY_NAME = [ALDER, BIRCH, CEDAR, DAMSON, ELM, FIR, JUNIPER]
# The dashboard's own order: the most urgent first (table.WEIGHTS), then by name.
BY_URGENCY = [ELM, ALDER, BIRCH, CEDAR, JUNIPER, FIR, DAMSON]
COLUMNS = [
    "group",
    "format",
    "members",
    "rules",
    "review",
    "being",
    "feeling",
    "peers",
    "actions",
    "breaches",
    "attention",
]
FORMATS = {"in_person": "In person", "online": "Online", "hybrid": "Hybrid"}


@pytest.fixture
def northside(transactional_db):
    """Seven active groups in the states the dashboard tells apart, and an archived one.

    Alder    online; no rules, no facilitator                      needs attention
    Birch    a draft only                                          needs attention
    Cedar    hybrid; version 1 with the group, 2 of 3 answered     needs attention
    Damson   adopted and agreed; room checked today (95% / 100%),  fine
             3 peers' answers, 1 open action, a breach
    Elm      adopted 7 months ago, 2 of 3 agreed, review overdue;  needs attention
             a critical No (85% / 80%), an overdue action, 2 breaches
    Fir      online; platform last checked 13 months ago           needs attention
    Juniper  no rules yet                                          needs attention
    Hazel    archived: not on the dashboard
    """
    day = timezone.localdate()
    nadia = make_user("Nadia", "nadia@northside.test", password=PASSWORD)
    org = make_organisation("Northside Peer Support", coordinators=[nadia])
    fern, gus = ss.people("Fern", "Gus")
    ann, ben, cal = ss.people("Ann", "Ben", "Cal")

    ss.group(org, ALDER, peers=[ann], format=Group.Format.ONLINE)

    birch = ss.group(org, BIRCH, facilitators=[fern], peers=[ann])
    ss.draft(birch, fern)

    cedar = ss.group(org, CEDAR, facilitators=[gus], peers=[ann, ben], format="hybrid")
    cedar_round = ss.put_to_group(cedar, gus)
    ss.answer(cedar_round, gus)
    ss.answer(cedar_round, ann, "talk")

    damson = ss.group(org, DAMSON, facilitators=[fern], peers=[ann, ben, cal])
    ss.adopt(damson, fern, agreeing=[fern, ann, ben, cal])
    hall = ss.venue(org, "Damson Hall", used_by=[damson])
    damson_check = ss.assess(damson, hall, fern, {"staffed": "partly"})
    ss.action(damson_check, "staffed", fern)
    ss.feedback(damson, hall, 3, score=4)
    ss.breach(damson, fern, day - timedelta(days=10))

    elm = ss.group(org, ELM, facilitators=[gus], peers=[ann, ben])
    ss.adopt(elm, gus, agreeing=[gus, ann], when=ss.at(add_months(day, -7)))
    rooms = ss.venue(org, "Elm Rooms", used_by=[elm])
    elm_check = ss.assess(
        elm,
        rooms,
        gus,
        {"private": "no", "staffed": "partly", "welcoming": "no", "refreshments": "na"},
    )
    ss.action(elm_check, "private", gus, due_on=day - timedelta(days=1))
    ss.action(elm_check, "staffed", gus, due_on=day + timedelta(days=10))
    ss.breach(elm, gus, day)
    ss.breach(elm, gus, day - timedelta(days=30))

    fir = ss.group(org, FIR, facilitators=[fern], peers=[ben], format="online")
    fir_v1 = ss.adopt(fir, fern, agreeing=[fern, ben], when=ss.at(add_months(day, -7)))
    ss.review(fir, fir_v1, day - timedelta(days=30))
    video = ss.venue(org, "Fir Video", used_by=[fir], kind="online")
    ss.assess(fir, video, fern, when=ss.at(add_months(day, -13)))

    ss.group(org, JUNIPER, facilitators=[gus], peers=[cal])

    hazel = ss.group(org, "Hazel", facilitators=[fern], peers=[ann])
    ss.archive(hazel)
    return {"org": org, "nadia": nadia, "elm": elm}


# --- Helpers for the browser -------------------------------------------------------------


def region(page):
    """The table's own scrolling region, named by the table's caption."""
    return page.get_by_role("region", name=CAPTION)


def table(page):
    return region(page).get_by_role("table")


def names(page):
    """Group names in the order the table lists them."""
    return table(page).get_by_role("rowheader").get_by_role("link").all_inner_texts()


def cells(page):
    """Each body row's cells as texts: the group (with its facilitators), then the facts."""
    return (
        table(page)
        .locator("tbody > tr")
        .evaluate_all("rows => rows.map(r => [...r.cells].map(c => c.innerText.trim()))")
    )


def heading(page, label):
    return table(page).get_by_role("columnheader", name=label)


def sorted_by(page):
    """{column heading: aria-sort} for the headings that carry aria-sort."""
    return (
        table(page)
        .locator("thead th[aria-sort]")
        .evaluate_all(
            "ths => Object.fromEntries(ths.map(th => "
            "[th.querySelector('a').firstChild.textContent.trim(), th.getAttribute('aria-sort')]))"
        )
    )


def shown(page):
    return page.get_by_role("main").get_by_role("status")


def score_text(value):
    return "" if value == "" else f"{floatformat(value, -1)}%"


# --- The journey --------------------------------------------------------------------------


@pytest.mark.browser_context_args(viewport=DESKTOP)
def test_a_coordinator_sorts_filters_drills_down_and_downloads(
    live_server, page, northside, sign_in, axe_check
):
    org = northside["org"]
    dashboard = f"{live_server.url}/organisations/{org.slug}/dashboard/"

    # --- Signing in lands on the dashboard: a coordinator's home. ---
    sign_in(page, northside["nadia"].email)
    expect(page).to_have_url(dashboard)
    expect(page.get_by_role("heading", level=1)).to_have_text("Group safety dashboard")
    expect(page.get_by_role("heading", level=2)).to_have_text("6 of 7 groups need attention")
    expect(shown(page)).to_have_text("Showing 7 groups.")
    assert names(page) == BY_URGENCY  # Hazel is archived
    assert sorted_by(page) == {"Needs attention": "ascending"}
    by_group = {
        name: dict(zip(COLUMNS, row, strict=True))
        for name, row in zip(BY_URGENCY, cells(page), strict=True)
    }
    assert by_group[ELM]["being"].startswith("85%")
    assert "Critical flag" in by_group[ELM]["being"]
    assert by_group[ELM]["breaches"] == "2"
    assert by_group[DAMSON]["being"].startswith("95%")
    assert by_group[DAMSON]["peers"] == "4.0 of 5 (3 answers)"
    assert by_group[DAMSON]["attention"] == "No"
    # On a desktop every column is in sight, without scrolling the table sideways.
    assert region(page).evaluate("el => el.scrollWidth <= el.clientWidth")
    axe_check(page)
    screenshot(page, "dashboard")

    # --- Sorting: a click on "Being safe", then Enter on it again for the other way. ---
    heading(page, "Being safe").get_by_role("link").click()
    expect(heading(page, "Being safe")).to_have_attribute("aria-sort", "ascending")
    expect(heading(page, "Needs attention")).not_to_have_attribute("aria-sort", re.compile(".*"))
    assert sorted_by(page) == {"Being safe": "ascending"}
    # Lowest score first; groups never checked come last, by name.
    assert names(page) == [ELM, DAMSON, FIR, ALDER, BIRCH, CEDAR, JUNIPER]
    axe_check(page)
    heading(page, "Being safe").get_by_role("link").focus()
    page.keyboard.press("Enter")
    expect(heading(page, "Being safe")).to_have_attribute("aria-sort", "descending")
    assert names(page) == [FIR, DAMSON, ELM, ALDER, BIRCH, CEDAR, JUNIPER]
    axe_check(page)

    # --- Filtering: only in-person groups that need attention. The sort stays. ---
    filters = page.get_by_role("form", name="Filter the groups")
    filters.get_by_label("Only groups that need attention").check()
    filters.get_by_label("Format").select_option(label="In person")
    filters.get_by_role("button", name="Show groups").click()
    expect(shown(page)).to_have_text("Showing 3 groups.")
    assert names(page) == [ELM, BIRCH, JUNIPER]
    expect(heading(page, "Being safe")).to_have_attribute("aria-sort", "descending")
    # The summary still counts every group.
    expect(page.get_by_role("heading", level=2)).to_have_text("6 of 7 groups need attention")
    axe_check(page)

    # --- Searching by name, sent with the Enter key. ---
    search = filters.get_by_label("Search by group name")
    search.fill("recovery")
    search.press("Enter")
    expect(shown(page)).to_have_text("Showing 2 groups.")
    assert names(page) == [ELM, BIRCH]
    query = parse_qs(urlparse(page.url).query)
    assert {k: query[k] for k in ("q", "attention", "format", "sort", "order")} == {
        "q": ["recovery"],
        "attention": ["on"],
        "format": ["in_person"],
        "sort": ["being"],
        "order": ["desc"],
    }
    axe_check(page)
    filtered_url, filtered = page.url, cells(page)

    # --- Drilling down to a group's safety page, and back. ---
    table(page).get_by_role("link", name=ELM).click()
    expect(page).to_have_url(f"{live_server.url}/groups/{northside['elm'].slug}/safety/")
    expect(page.get_by_role("heading", level=1)).to_have_text(ELM)
    expect(page.get_by_role("heading", level=2)).to_have_text("Safety at a glance")
    tabs = page.get_by_role("navigation", name="This group")
    expect(tabs.get_by_role("link", name="Safety")).to_have_attribute("aria-current", "page")
    attention = (
        page.get_by_role("heading", level=3, name="Needs attention")
        .locator("xpath=following-sibling::ul[1]")
        .get_by_role("listitem")
    )
    expect(attention).to_have_text(
        [
            "Critical venue flag",
            "Overdue actions",
            "Rules review overdue",
            "Members have not all agreed",
            "Venue check due",  # a critical No makes the next check due at once
        ]
    )
    expect(page.get_by_role("main")).to_contain_text(
        "A critical question has an unsafe answer: check again once it is put right."
    )
    axe_check(page)
    screenshot(page, "safety")
    page.go_back()
    expect(page).to_have_url(filtered_url)
    expect(filters.get_by_label("Search by group name")).to_have_value("recovery")
    expect(filters.get_by_label("Only groups that need attention")).to_be_checked()
    assert names(page) == [ELM, BIRCH]
    axe_check(page)

    # --- The CSV holds exactly the rows of the filtered table, in the same order. ---
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download these groups as CSV").click()
    download = download_info.value
    assert download.suggested_filename == f"safety-dashboard-{timezone.localdate()}.csv"
    with open(download.path(), encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(io.StringIO(handle.read())))
    assert [r["group"] for r in rows] == [ELM, BIRCH]
    for row, shown_cells in zip(rows, filtered, strict=True):
        cell = dict(zip(COLUMNS, shown_cells, strict=True))
        assert cell["group"].split("\n") == [row["group"], row["facilitators"]]
        assert cell["format"] == FORMATS[row["format"]]
        assert cell["members"] == row["current_members"]
        assert cell["being"].startswith(score_text(row["being_safe_pct"]) or "Not checked")
        assert cell["feeling"] == (score_text(row["feeling_safe_pct"]) or "–")
        assert cell["breaches"] == row["breaches_90_days"]
        assert cell["attention"].split("\n") == row["needs_attention"].split("; ")
    assert (rows[0]["being_safe_pct"], rows[0]["critical_flag"]) == ("85.0", "yes")
    assert (rows[1]["rules_status"], rows[1]["being_safe_pct"]) == ("draft", "")

    # --- Trends, from the dashboard. The groups began two months ago, and the daily job
    # has not kept any month yet: the months that have ended since say so. ---
    Group.objects.filter(organisation=org).update(created=timezone.now() - timedelta(days=62))
    page.get_by_role("link", name="Trends over 12 months").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Trends over the last 12 months")
    expect(page.get_by_text("Figures not worked out yet for:")).to_be_visible()
    expect(page.get_by_role("cell", name="Not worked out yet").first).to_be_visible()
    chart = page.get_by_role("img", name=re.compile("^Average venue scores by month"))
    expect(chart).to_be_visible()
    axe_check(page)
    screenshot(page, "trends")

    # --- On a phone: the page stays put, the table scrolls in its own region. ---
    page.set_viewport_size(PHONE)
    page.goto(dashboard)
    expect(shown(page)).to_have_text("Showing 7 groups.")
    no_sideways_scroll(page, "dashboard at 375px")
    scroller = region(page)
    expect(scroller).to_have_attribute("aria-labelledby", "dash-caption")
    expect(scroller).to_have_attribute("tabindex", "0")
    sizes = scroller.evaluate(
        "el => ({scroll: el.scrollWidth, client: el.clientWidth, left: el.scrollLeft})"
    )
    assert sizes["client"] <= PHONE["width"] < sizes["scroll"], sizes
    assert sizes["left"] == 0
    # From the last link before it, Tab reaches the table's region; arrows scroll it.
    page.get_by_role("link", name="Trends over 12 months").focus()
    page.keyboard.press("Tab")
    expect(scroller).to_be_focused()
    for _ in range(5):
        page.keyboard.press("ArrowRight")
    page.wait_for_function("el => el.scrollLeft > 0", arg=scroller.element_handle())
    # The caption that names the region stays in sight, whole, while the table scrolls.
    caption = scroller.locator("caption").bounding_box()
    assert caption["x"] >= 0 and caption["x"] + caption["width"] <= PHONE["width"], caption
    no_sideways_scroll(page, "dashboard at 375px, table scrolled")
    axe_check(page)
    page.evaluate("() => document.activeElement.blur()")
    scroller.evaluate("el => { el.scrollLeft = 0; }")
    screenshot(page, "dashboard")
