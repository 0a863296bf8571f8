"""The dashboard's CSV export: the same groups as the page, ISO dates, and cells that a
spreadsheet cannot run as formulas."""

import csv
import io
import re

import pytest
from django.urls import reverse

from groups.dates import add_months, quarter
from tests import pages
from tests.builders import make_organisation, make_user

# Northside (tests/dashboard/conftest.py) is built once for the module and is there
# for every test in it, so that what a test sees does not depend on which ran before.
pytestmark = pytest.mark.usefixtures("north_world")

HEADER = [
    "group",
    "format",
    "facilitators",
    "current_members",
    "rules_status",
    "current_version",
    "members_agreed",
    "round_answered",
    "next_review",
    "review_overdue",
    "being_safe_pct",
    "feeling_safe_pct",
    "last_assessed",
    "critical_flag",
    "critical_flag_at",
    "peers_feeling_safe_of_5",
    "peer_answers",
    "peer_answers_released_in",
    "open_actions",
    "overdue_actions",
    "breaches_90_days",
    "next_venue_check",
    "needs_attention",
]


def export(client, org, query=""):
    response = client.get(reverse("dashboard_csv", args=[org.slug]) + query)
    assert response.status_code == 200
    return response


def read(response):
    """The CSV as a header and a list of {column: value} rows."""
    lines = list(csv.reader(io.StringIO(pages.body(response).decode("utf-8"), newline="")))
    header, rows = lines[0], lines[1:]
    return header, [dict(zip(header, row, strict=True)) for row in rows]


def page_slugs(response):
    """Group slugs in the order the dashboard lists them."""
    html = pages.body(response).decode()
    body = html[html.index("<tbody>") : html.index("</tbody>")]
    return re.findall(r'href="/groups/([^/"]+)/safety/"', body)


def test_header_and_attachment(ss, north, client_for):
    response = export(client_for(north.coordinator), north.org)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        f'attachment; filename="safety-dashboard-{ss.today().isoformat()}.csv"'
    )
    header, rows = read(response)
    assert header == HEADER
    assert pages.body(response).decode().startswith(",".join(HEADER) + "\r\n")
    # in the dashboard's order: the most urgent first, then by name
    assert [r["group"] for r in rows] == [
        "Elm",
        "Alder",
        "Birch",
        "Cedar",
        "Fir",
        "Damson",
        "Gorse",
    ]


def test_every_figure_of_a_group_with_everything_wrong(ss, north, client_for):
    today = ss.today()
    _header, rows = read(export(client_for(north.coordinator), north.org))
    elm = next(r for r in rows if r["group"] == "Elm")
    assert elm == {
        "group": "Elm",
        "format": "in_person",
        "facilitators": "Gus Facilitator",
        "current_members": "3",
        "rules_status": "adopted",
        "current_version": "1",
        "members_agreed": "2",
        "round_answered": "0",
        "next_review": add_months(north.elm_adopted, 6).isoformat(),
        "review_overdue": "yes",
        "being_safe_pct": "85.0",
        "feeling_safe_pct": "80.0",
        "last_assessed": today.isoformat(),
        "critical_flag": "yes",
        "critical_flag_at": "Elm Rooms",
        # the 2 answers waiting this quarter are not shown: last quarter's release is
        "peers_feeling_safe_of_5": "5.0",
        "peer_answers": "3",
        "peer_answers_released_in": quarter(add_months(today, -3)),
        "open_actions": "2",
        "overdue_actions": "1",
        "breaches_90_days": "2",
        # a critical No makes the venue due again at once
        "next_venue_check": today.isoformat(),
        "needs_attention": (
            "Critical venue flag; Checklist and peers disagree; Overdue actions; "
            "Rules review overdue; Members have not all agreed; Venue check due"
        ),
    }


def test_figures_of_groups_in_other_states(ss, north, client_for):
    today = ss.today()
    _header, rows = read(export(client_for(north.coordinator), north.org))
    by_name = {r["group"]: r for r in rows}
    assert by_name["Alder"] == {
        "group": "Alder",
        "format": "online",
        "facilitators": "",
        "current_members": "1",
        "rules_status": "none",
        "current_version": "",
        "members_agreed": "0",
        "round_answered": "0",
        "next_review": "",
        "review_overdue": "no",
        "being_safe_pct": "",
        "feeling_safe_pct": "",
        "last_assessed": "",
        "critical_flag": "no",
        "critical_flag_at": "",
        "peers_feeling_safe_of_5": "",
        "peer_answers": "",
        "peer_answers_released_in": "",
        "open_actions": "0",
        "overdue_actions": "0",
        "breaches_90_days": "0",
        "next_venue_check": "",
        "needs_attention": "No adopted ground rules",
    }
    damson = by_name["Damson"]
    assert damson["current_members"] == "3"
    assert damson["members_agreed"] == "3"
    assert damson["next_review"] == add_months(today, 6).isoformat()
    assert damson["review_overdue"] == "no"
    assert (damson["being_safe_pct"], damson["feeling_safe_pct"]) == ("95.0", "100.0")
    assert (
        damson["peers_feeling_safe_of_5"],
        damson["peer_answers"],
        damson["peer_answers_released_in"],
    ) == ("4.0", "3", quarter(today))
    assert damson["next_venue_check"] == add_months(today, 12).isoformat()
    assert damson["breaches_90_days"] == "1"
    assert damson["needs_attention"] == ""
    assert by_name["Cedar"]["rules_status"] == "round"
    assert by_name["Cedar"]["round_answered"] == "2"
    assert by_name["Birch"]["rules_status"] == "draft"
    assert by_name["Gorse"]["rules_status"] == "round"
    assert by_name["Gorse"]["current_version"] == "1"
    assert by_name["Fir"]["last_assessed"] == north.fir_checked.isoformat()
    assert by_name["Fir"]["next_venue_check"] == add_months(north.fir_checked, 12).isoformat()
    # every date in the file is ISO 8601
    for row in rows:
        for column in ("next_review", "last_assessed", "next_venue_check"):
            assert row[column] == "" or re.fullmatch(r"\d{4}-\d\d-\d\d", row[column])


@pytest.mark.parametrize(
    "query",
    [
        "",
        "?attention=on",
        "?attention=on&sort=members&order=desc",
        "?format=in_person&sort=review&order=asc",
        "?q=e&sort=attention&order=desc",
        "?sort=being&order=desc",
    ],
)
def test_the_export_is_the_filtered_table(ss, north, client_for, query):
    client = client_for(north.coordinator)
    page = client.get(reverse("dashboard", args=[north.org.slug]) + query)
    names = dict(north.org.groups.values_list("slug", "name"))
    on_page = [names[slug] for slug in page_slugs(page)]
    assert on_page == ss.row_order(page)
    assert on_page  # every query shows some groups
    _header, rows = read(export(client, north.org, query))
    assert [r["group"] for r in rows] == on_page


def test_the_export_has_every_page(ss, client_for):
    coordinator = make_user("Many Coordinator")
    org = make_organisation("Many", coordinators=[coordinator])
    for i in range(1, 53):
        ss.group(org, f"Group {i:02}")
    client = client_for(coordinator)
    query = "?sort=name&order=desc"
    first = client.get(reverse("dashboard", args=[org.slug]) + query)
    second = client.get(reverse("dashboard", args=[org.slug]) + query + "&page=2")
    _header, rows = read(export(client, org, query))
    assert [r["group"] for r in rows] == ss.row_order(first) + ss.row_order(second)
    assert len(rows) == 52


def test_the_page_links_to_the_export_with_its_filters(ss, north, client_for):
    client = client_for(north.coordinator)
    page = client.get(reverse("dashboard", args=[north.org.slug]) + "?attention=on&page=1")
    csv_url = reverse("dashboard_csv", args=[north.org.slug])
    assert f'href="{csv_url}?attention=on"' in page.content.decode()


DANGEROUS = [
    '=HYPERLINK("https://evil.test","Click")',
    "+44 group",
    "-1+2",
    "@SUM(A1:A2)",
    "\tTabbed group",
    "\rCarriage group",
]


def test_formula_injection_is_defused(ss, client_for):
    coordinator = make_user("Careful Coordinator")
    org = make_organisation("Careful", coordinators=[coordinator])
    sly = make_user("=cmd|' /C calc'!A0")
    for name in DANGEROUS:
        ss.group(org, name, facilitators=[sly])
    ss.group(org, "Plain = group", facilitators=[make_user("Plain Facilitator")])
    response = export(client_for(coordinator), org)
    _header, rows = read(response)
    exported = sorted(r["group"] for r in rows)
    assert exported == sorted(["'" + name for name in DANGEROUS] + ["Plain = group"])
    for row in rows:
        if row["group"] == "Plain = group":
            assert row["facilitators"] == "Plain Facilitator"
        else:
            assert row["facilitators"] == "'=cmd|' /C calc'!A0"
    # no cell of the file starts with a formula character
    for line in csv.reader(io.StringIO(pages.body(response).decode(), newline="")):
        for cell in line:
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell


def test_unicode_commas_quotes_and_newlines_survive(ss, client_for):
    coordinator = make_user("Zoë Coordinator")
    org = make_organisation("Unicode", coordinators=[coordinator])
    names = [
        "Zoë & Chloé’s “Café” group ☂",
        'Carers, partners and "friends"',
        "Line one\nline two",
        "Semi; colon",
        "Ελληνικά / 日本語 / العربية",
    ]
    facilitator = make_user("Łukasz, the “facilitator”")
    for name in names:
        ss.group(org, name, facilitators=[facilitator])
    response = export(client_for(coordinator), org)
    assert pages.body(response).decode("utf-8")  # valid UTF-8
    _header, rows = read(response)
    assert sorted(r["group"] for r in rows) == sorted(names)
    assert {r["facilitators"] for r in rows} == {"Łukasz, the “facilitator”"}
    assert all(len(r) == len(HEADER) for r in rows)


@pytest.mark.parametrize("who", ["other_coordinator", "facilitator", "peer"])
def test_no_export_for_anyone_else(cast, client_for, who):
    response = client_for(getattr(cast, who)).get(reverse("dashboard_csv", args=[cast.org_a.slug]))
    assert response.status_code == 404
    assert "Content-Disposition" not in response
    assert b"Group A" not in pages.body(response)
