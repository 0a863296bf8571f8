"""The coordinator's group safety dashboard: every figure, the reasons a group needs
attention, the summary, sorting, filtering, search, pagination, the drill-down safety
page, and who may see any of it."""

import itertools
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.urls import reverse

from groups.dates import add_months, quarter
from groups.models import Group, Organisation
from safespace.dashboard.table import REASONS
from tests import builders, pages
from tests.builders import add_member, built_once, fresh, make_organisation, make_user

# Northside and the four sortable groups are built once for the module and are there
# for every test in it, so that what a test sees does not depend on which ran before.
pytestmark = pytest.mark.usefixtures("north_world", "sortable_world")

ALL_REASONS = [
    "Critical venue flag",
    "Checklist and peers disagree",
    "Overdue actions",
    "Rules review overdue",
    "Members have not all agreed",
    "Venue check due",
]


def dashboard(client_for, n, query=""):
    client = client_for(n.coordinator)
    response = client.get(reverse("dashboard", args=[n.org.slug]) + query)
    assert response.status_code == 200
    return response


# Figures ---------------------------------------------------------------------------


def test_every_cell_of_every_row(ss, north, client_for):
    n = north
    today = n.today
    rows = ss.dashboard_rows(dashboard(client_for, n))

    elm_review = add_months(n.elm_adopted, 6)
    assert elm_review < today
    fir_review = add_months(n.fir_reviewed, 6)

    assert rows == {
        "Alder": [
            "Online",
            "1",
            "No rules yet",
            "–",
            "Not checked",
            "–",
            "Nothing released yet",
            "0 open",
            "0",
            "No adopted ground rules",
        ],
        "Birch": [
            "In person",
            "2",
            "Draft only, nothing adopted",
            "–",
            "Not checked",
            "–",
            "Nothing released yet",
            "0 open",
            "0",
            "No adopted ground rules",
        ],
        "Cedar": [
            "Hybrid",
            "3",
            "Round open (version 1): 1 agreed · 1 wants to talk · 1 not answered (of 3 members)",
            "–",
            "Not checked",
            "–",
            "Nothing released yet",
            "0 open",
            "0",
            "No adopted ground rules",
        ],
        "Damson": [
            "In person",
            "3",
            "Version 1: 3 agreed (of 3 members)",
            ss.short(add_months(today, 6)),
            f"95% {ss.short(today)}",
            "100%",
            "4.0 of 5 (3 answers)",
            "1 open",
            "1",
            "No",
        ],
        "Elm": [
            "In person",
            "3",
            "Version 1: 2 agreed · 1 not answered (of 3 members)",
            f"Overdue since {ss.short(elm_review)}",
            f"85% {ss.short(today)} Critical flag Check due",
            "80%",
            f"5.0 of 5 (3 answers) released in {quarter(add_months(today, -3))}",
            "2 open, 1 overdue",
            "2",
            " ".join(ALL_REASONS),
        ],
        "Fir": [
            "Online",
            "2",
            "Version 1: 2 agreed (of 2 members)",
            ss.short(fir_review),
            f"100% {ss.short(n.fir_checked)} Check due",
            "100%",
            "Nothing released yet",
            "0 open",
            "0",
            "Venue check due",
        ],
        "Gorse": [
            "In person",
            "2",
            "Round open (version 2): 1 agreed · 1 not answered (of 2 members) "
            "Current: version 1: 2 agreed (of 2 members)",
            ss.short(add_months(today, 6)),
            "Not checked",
            "–",
            "Nothing released yet",
            "0 open",
            "0",
            "No",
        ],
    }


def test_facilitators_are_named_under_each_group(ss, north, client_for):
    table = ss.tables(dashboard(client_for, north).content.decode())[0]
    heads = {row[0]["links"][0]["text"]: row[0] for row in table[1:]}
    assert heads["Alder"]["text"] == "Alder No facilitator"
    assert heads["Birch"]["text"] == "Birch Fern Facilitator"
    assert heads["Elm"]["text"] == "Elm Gus Facilitator"
    # Each name drills down to the group's safety page.
    assert heads["Elm"]["links"][0]["href"] == reverse("safety", args=[north.elm.slug])


def test_overdue_is_said_in_words_not_only_colour(ss, north, client_for):
    html = dashboard(client_for, north).content.decode()
    elm_review = add_months(north.elm_adopted, 6)
    assert f"<strong>Overdue since {ss.short(elm_review)}</strong>" in html
    assert "<strong>1 overdue</strong>" in html
    assert '<strong class="d-block">Critical flag</strong>' in html


def test_summary_counts_at_the_top(ss, north, client_for):
    response = dashboard(client_for, north)
    summary = ss.section_text(response, "summary-heading")
    assert summary.startswith("5 of 7 groups need attention")
    assert response.context["summary"]["groups"] == 7
    assert response.context["summary"]["attention"] == 5
    # most urgent reason first, each with its groups (most urgent first, then by name)
    assert [
        (str(label), count, [g.name for g in groups], more)
        for label, count, _key, groups, more in response.context["summary"]["by_reason"]
    ] == [
        ("Critical venue flag", 1, ["Elm"], -7),
        ("Checklist and peers disagree", 1, ["Elm"], -7),
        ("Overdue actions", 1, ["Elm"], -7),
        ("No adopted ground rules", 3, ["Alder", "Birch", "Cedar"], -5),
        ("Rules review overdue", 1, ["Elm"], -7),
        ("Members have not all agreed", 1, ["Elm"], -7),
        ("Venue check due", 2, ["Elm", "Fir"], -6),
    ]
    for line in [
        "No adopted ground rules: 3",
        "Members have not all agreed: 1",
        "Rules review overdue: 1",
        "Critical venue flag: 1",
        "Overdue actions: 1",
        "Venue check due: 2",
    ]:
        assert line in summary
    assert "Showing 7 groups." in ss.text(response)


def test_summary_is_about_every_group_whatever_the_filter(ss, north, client_for):
    response = dashboard(client_for, north, "?format=online&sort=name")
    assert ss.row_order(response) == ["Alder", "Fir"]
    assert "Showing 2 groups." in ss.text(response)
    assert ss.section_text(response, "summary-heading").startswith("5 of 7 groups need attention")


def test_one_group_needing_attention_is_counted_in_the_singular(ss, client_for):
    coordinator = make_user("Solo Coordinator")
    org = make_organisation("Solo", coordinators=[coordinator])
    ss.group(org, "Only group")
    response = client_for(coordinator).get(reverse("dashboard", args=[org.slug]))
    assert ss.section_text(response, "summary-heading").startswith("1 of 1 groups needs attention")


def test_archived_groups_are_left_out(ss, north, client_for):
    response = dashboard(client_for, north)
    assert "Hazel" not in ss.row_order(response)
    assert "Hazel" not in response.content.decode()
    assert response.context["summary"]["groups"] == 7


def test_the_number_shown_is_the_number_of_rows_listed_for_every_filter(ss, north, client_for):
    """ "Showing N groups" is worked out from the counts by format (only a search asks the
    database again): it must be the rows the table lists, whatever the filters."""
    formats = ["", *Group.Format.values]
    for attention, reason, group_format in itertools.product(["", "on"], ["", *REASONS], formats):
        query = f"?attention={attention}&reason={reason}&format={group_format}"
        response = dashboard(client_for, north, query)
        listed = len(ss.row_order(response))
        assert response.context["shown"] == listed, query
        assert f"Showing {listed} group" in ss.text(response), query


def test_a_member_who_left_is_not_counted(ss, north, client_for):
    """Cal agreed to Damson's rules and left: 3 of 3, not 4 of 4."""
    rows = ss.dashboard_rows(dashboard(client_for, north))
    assert rows["Damson"][1] == "3"
    assert rows["Damson"][2] == "Version 1: 3 agreed (of 3 members)"
    assert rows["Damson"][-1] == "No"


def test_a_newcomer_makes_agreed_rules_not_agreed(ss, north, client_for):
    add_member(north.damson, make_user("Newt Newcomer"))
    rows = ss.dashboard_rows(dashboard(client_for, north))
    assert rows["Damson"][1] == "4"
    assert rows["Damson"][2] == "Version 1: 3 agreed · 1 not answered (of 4 members)"
    assert rows["Damson"][-1] == "Members have not all agreed"


def test_peers_results_are_released_batches_only(ss, north, client_for):
    """Elm's 2 answers waiting this quarter are never shown: until this quarter has a
    release, the dashboard shows last quarter's, labelled; then this quarter's alone."""
    last_quarter = quarter(add_months(north.today, -3))
    rows = ss.dashboard_rows(dashboard(client_for, north))
    assert rows["Elm"][6] == f"5.0 of 5 (3 answers) released in {last_quarter}"
    ss.feedback(north.elm, north.elm_rooms, 3, score=2)
    rows = ss.dashboard_rows(dashboard(client_for, north))
    assert rows["Elm"][6] == "2.0 of 5 (3 answers)"


def test_the_latest_check_of_a_venue_is_the_one_shown(ss, north, client_for):
    """A later check of Elm Rooms, all Yes, replaces the critical one."""
    ss.assess(north.elm, north.elm_rooms, north.gus)
    rows = ss.dashboard_rows(dashboard(client_for, north))
    assert rows["Elm"][4] == f"100% {ss.short(north.today)}"
    assert rows["Elm"][5] == "100%"
    assert rows["Elm"][-1] == "Overdue actions Rules review overdue Members have not all agreed"


def test_breaches_count_for_90_days(ss, north, client_for):
    rows = ss.dashboard_rows(dashboard(client_for, north))
    assert rows["Damson"][8] == "1"  # 90 days ago counts, 91 days ago does not
    assert rows["Elm"][8] == "2"


def test_a_check_falls_due_on_the_day(ss, client_for):
    coordinator = make_user("Due Coordinator")
    org = make_organisation("Due", coordinators=[coordinator])
    Organisation.objects.filter(pk=org.pk).update(reassess_every_months=6)
    facilitator = make_user("Dee Facilitator")
    exactly = ss.group(org, "Exactly due", facilitators=[facilitator])
    not_yet = ss.group(org, "Not yet due", facilitators=[facilitator])
    today = ss.today()
    ss.assess(
        exactly,
        ss.venue(org, "Room one", used_by=[exactly]),
        facilitator,
        when=ss.at(add_months(today, -6)),
    )
    ss.assess(
        not_yet,
        ss.venue(org, "Room two", used_by=[not_yet]),
        facilitator,
        when=ss.at(add_months(today, -6) + timedelta(days=1)),
    )
    rows = ss.dashboard_rows(client_for(coordinator).get(reverse("dashboard", args=[org.slug])))
    assert rows["Exactly due"][4].endswith("Check due")
    assert "Venue check due" in rows["Exactly due"][-1]
    assert not rows["Not yet due"][4].endswith("Check due")
    assert "Venue check due" not in rows["Not yet due"][-1]


# Sorting ---------------------------------------------------------------------------


def build_sortable(ss):
    """Four groups whose every column differs (formats aside).

    column      Ash        Beech            Cherry          Dogwood
    format      online     in person        hybrid          in person
    members     1          2                3               4
    rules       none       adopted 1 of 2   draft           round (v1: 2 of 4)
    review      –          in 6 months      –               overdue (a month ago)
    being       –          85               100             –
    feeling     –          80               50              –
    peers       –          –                3.0             4.0
    actions     0          2 open, 1 late   3 open          0
    breaches    0          2                1               3
    reasons     1          4                2               3
    """
    today = ss.today()
    coordinator = make_user("Sol Coordinator")
    org = make_organisation("Sortside", coordinators=[coordinator])
    f1, p1, p2, p3 = ss.people("Sam Facilitator", "Pia Peer", "Quin Peer", "Ray Peer")

    ash = ss.group(org, "Ash", peers=[p1], format="online")
    ss.feedback(ash, ss.venue(org, "Ash Hall"), 3, score=5)  # released, but not a venue in use

    beech = ss.group(org, "Beech", facilitators=[f1], peers=[p1])
    ss.adopt(beech, f1, agreeing=[f1])
    hall = ss.venue(org, "Beech Hall", used_by=[beech])
    check = ss.assess(
        beech,
        hall,
        f1,
        {"private": "no", "staffed": "partly", "welcoming": "no", "refreshments": "na"},
    )
    ss.action(check, "private", f1, due_on=today - timedelta(days=1))
    ss.action(check, "staffed", f1, due_on=today + timedelta(days=10))
    ss.breach(beech, f1, today)
    ss.breach(beech, f1, today)

    cherry = ss.group(org, "Cherry", facilitators=[f1], peers=[p1, p2], format="hybrid")
    ss.draft(cherry, f1)
    cherry_hall = ss.venue(org, "Cherry Hall", used_by=[cherry])
    annexe = ss.venue(org, "Cherry Annexe", used_by=[cherry])
    ss.feedback(cherry, annexe, 3, score=3)
    check = ss.assess(
        cherry,
        cherry_hall,
        f1,
        {"welcoming": "no", "too-clinical": "yes", "refreshments": "no"},
    )
    for key in ("welcoming", "too-clinical", "refreshments"):
        ss.action(check, key, f1, due_on=today + timedelta(days=20))
    ss.breach(cherry, f1, today)

    dogwood = ss.group(org, "Dogwood", facilitators=[f1], peers=[p1, p2, p3])
    ss.adopt(dogwood, f1, agreeing=[f1, p1], when=ss.at(add_months(today, -7)))
    ss.put_to_group(dogwood, f1, ["A second version."])
    room = ss.venue(org, "Dogwood Room", used_by=[dogwood])
    ss.feedback(dogwood, room, 3, score=4)
    for _ in range(3):
        ss.breach(dogwood, f1, today)
    return SimpleNamespace(org=org, coordinator=coordinator)


@pytest.fixture(scope="module")
def sortable_world(django_db_setup, django_db_blocker):
    """The four groups (with tests/builders.py as `ss`), built once per module; each
    test reads a fresh copy."""
    with built_once(django_db_blocker):
        yield build_sortable(builders)


@pytest.fixture
def sortable(sortable_world, db):
    return fresh(sortable_world)


SORTED = {
    "name": (["Ash", "Beech", "Cherry", "Dogwood"], ["Dogwood", "Cherry", "Beech", "Ash"]),
    "format": (["Cherry", "Beech", "Dogwood", "Ash"], ["Ash", "Beech", "Dogwood", "Cherry"]),
    "members": (["Ash", "Beech", "Cherry", "Dogwood"], ["Dogwood", "Cherry", "Beech", "Ash"]),
    # least progress first: no rules, a draft, a round, adopted rules
    "rules": (["Ash", "Cherry", "Dogwood", "Beech"], ["Beech", "Dogwood", "Cherry", "Ash"]),
    # groups without the value come last, whichever the direction
    "review": (["Dogwood", "Beech", "Ash", "Cherry"], ["Beech", "Dogwood", "Ash", "Cherry"]),
    "being": (["Beech", "Cherry", "Ash", "Dogwood"], ["Cherry", "Beech", "Ash", "Dogwood"]),
    "feeling": (["Cherry", "Beech", "Ash", "Dogwood"], ["Beech", "Cherry", "Ash", "Dogwood"]),
    "peers": (["Cherry", "Dogwood", "Ash", "Beech"], ["Dogwood", "Cherry", "Ash", "Beech"]),
    # overdue first, then open
    "actions": (["Ash", "Dogwood", "Cherry", "Beech"], ["Beech", "Cherry", "Ash", "Dogwood"]),
    "breaches": (["Ash", "Cherry", "Beech", "Dogwood"], ["Dogwood", "Beech", "Cherry", "Ash"]),
    # most urgent first (the sum of each reason's weight): Beech 150, Dogwood 35,
    # Cherry 30, Ash 20
    "attention": (["Beech", "Dogwood", "Cherry", "Ash"], ["Ash", "Cherry", "Dogwood", "Beech"]),
}


def test_the_sorting_data_is_as_described(ss, sortable, client_for):
    rows = ss.dashboard_rows(dashboard(client_for, sortable))
    assert rows["Ash"][6] == "Nothing released yet"  # its answers are about a venue not in use
    assert rows["Beech"][2:8] == [
        "Version 1: 1 agreed · 1 not answered (of 2 members)",
        ss.short(add_months(ss.today(), 6)),
        f"85% {ss.short(ss.today())} Critical flag Check due",
        "80%",
        "Nothing released yet",
        "2 open, 1 overdue",
    ]
    # a hybrid group: each place it meets, by name (the annexe was never checked)
    assert rows["Cherry"][4:8] == [
        f"Not checked Cherry Annexe Check due 100% Cherry Hall, {ss.short(ss.today())}",
        "– Cherry Annexe 50% Cherry Hall",
        "3.0 of 5 (3 answers)",
        "3 open",
    ]
    assert rows["Dogwood"][3].startswith("Overdue since")
    assert rows["Dogwood"][6] == "4.0 of 5 (3 answers)"
    assert [rows[name][8] for name in ("Ash", "Beech", "Cherry", "Dogwood")] == ["0", "2", "1", "3"]
    assert rows["Ash"][9] == "No adopted ground rules"
    assert rows["Cherry"][9] == "No adopted ground rules Venue check due"
    assert rows["Dogwood"][9] == "Rules review overdue Members have not all agreed Venue check due"
    assert rows["Beech"][9] == (
        "Critical venue flag Overdue actions Members have not all agreed Venue check due"
    )


def test_sort_by_each_column_both_ways(ss, sortable, client_for):
    for key, (ascending, descending) in SORTED.items():
        response = dashboard(client_for, sortable, f"?sort={key}&order=asc")
        assert ss.row_order(response) == ascending, key
        html = response.content.decode()
        assert html.count('aria-sort="ascending"') == 1, key
        response = dashboard(client_for, sortable, f"?sort={key}&order=desc")
        assert ss.row_order(response) == descending, key
        assert response.content.decode().count('aria-sort="descending"') == 1, key


def test_without_a_sort_the_most_urgent_group_comes_first(ss, sortable, client_for):
    assert ss.row_order(dashboard(client_for, sortable)) == SORTED["attention"][0]


def test_column_headings_link_to_the_other_direction_keeping_the_filters(ss, sortable, client_for):
    response = dashboard(client_for, sortable, "?attention=on&sort=members&order=asc")
    header = ss.tables(response.content.decode())[0][0]
    links = {cell["links"][0]["text"].rstrip(" ▲▼"): cell["links"][0]["href"] for cell in header}
    # the sorted column flips, the others start ascending; the filter stays, once
    assert links["Members"] == "?attention=on&sort=members&order=desc"
    assert links["Breaches (90 days)"] == "?attention=on&sort=breaches&order=asc"
    # following a heading link sorts by that column
    followed = dashboard(client_for, sortable, links["Breaches (90 days)"])
    assert ss.row_order(followed) == SORTED["breaches"][0]


# Filtering and search -------------------------------------------------------------


def test_filter_needs_attention(ss, north, client_for):
    response = dashboard(client_for, north, "?attention=on&sort=name")
    assert ss.row_order(response) == ["Alder", "Birch", "Cedar", "Elm", "Fir"]
    assert "Showing 5 groups." in ss.text(response)


def test_filter_by_format(ss, north, client_for):
    for fmt, expected in [
        ("online", ["Alder", "Fir"]),
        ("hybrid", ["Cedar"]),
        ("in_person", ["Birch", "Damson", "Elm", "Gorse"]),
    ]:
        response = dashboard(client_for, north, f"?format={fmt}&sort=name")
        assert ss.row_order(response) == expected, fmt


def test_filter_by_facilitator(ss, north, client_for):
    response = dashboard(client_for, north, "?facilitator=gus&sort=name")
    assert ss.row_order(response) == ["Cedar", "Elm", "Gorse"]
    response = dashboard(client_for, north, "?facilitator=Fern+Fac&sort=name")
    assert ss.row_order(response) == ["Birch", "Damson", "Fir"]
    # part of a display name, in any case; someone who facilitates nothing matches nothing
    assert ss.row_order(dashboard(client_for, north, "?facilitator=FACILITATOR&sort=name")) == [
        "Birch",
        "Cedar",
        "Damson",
        "Elm",
        "Fir",
        "Gorse",
    ]
    assert ss.row_order(dashboard(client_for, north, "?facilitator=nobody")) == []


def test_filters_combine(ss, north, client_for):
    query = "?attention=on&facilitator=gus&sort=name&order=desc"
    assert ss.row_order(dashboard(client_for, north, query)) == ["Elm", "Cedar"]


def test_search_by_name(ss, north, client_for):
    assert ss.row_order(dashboard(client_for, north, "?q=DAM")) == ["Damson"]
    assert ss.row_order(dashboard(client_for, north, "?q=r")) == [
        "Alder",
        "Birch",
        "Cedar",
        "Fir",
        "Gorse",
    ]
    # an archived group is not found by its name either
    response = dashboard(client_for, north, "?q=Hazel")
    assert ss.row_order(response) == []
    assert "No groups match." in ss.text(response)


def test_search_cannot_reach_another_organisations_groups(ss, north, cast, client_for):
    assert ss.row_order(dashboard(client_for, north, "?q=Group")) == []


# Pagination ------------------------------------------------------------------------


def test_fifty_groups_a_page(ss, client_for):
    coordinator = make_user("Page Coordinator")
    org = make_organisation("Paged", coordinators=[coordinator])
    for i in range(1, 52):
        ss.group(org, f"Group {i:02}", format="online")
    ss.group(org, "Zz in person")
    client = client_for(coordinator)
    base = reverse("dashboard", args=[org.slug])

    first = client.get(base + "?format=online")
    assert ss.row_order(first) == [f"Group {i:02}" for i in range(1, 51)]
    html = first.content.decode()
    assert "Page 1 of 2" in ss.text(first)
    assert "Showing 51 groups." in ss.text(first)
    assert 'href="?format=online&amp;page=2">Next' in html
    assert "Previous" not in ss.text(first)

    second = client.get(base + "?format=online&page=2")
    assert ss.row_order(second) == ["Group 51"]
    assert "Page 2 of 2" in ss.text(second)
    assert 'href="?format=online&amp;page=1">Previous' in second.content.decode()

    # an out-of-range page shows the last one
    assert ss.row_order(client.get(base + "?format=online&page=9")) == ["Group 51"]


def test_one_page_has_no_pagination(ss, north, client_for):
    assert "Page 1 of" not in ss.text(dashboard(client_for, north))


# The print view --------------------------------------------------------------------


def test_print_view_has_the_same_rows_and_filters(ss, north, client_for):
    client = client_for(north.coordinator)
    page = client.get(reverse("dashboard", args=[north.org.slug]) + "?attention=on&sort=members")
    printed = client.get(
        reverse("dashboard_print", args=[north.org.slug]) + "?attention=on&sort=members"
    )
    assert printed.status_code == 200
    rows = ss.table_texts(printed.content.decode())[1:]
    assert [r[0] for r in rows] == ss.row_order(page)
    page_rows = ss.dashboard_rows(page)
    for row in rows:
        assert row[1:] == page_rows[row[0]]
    assert "5 of 7 groups need attention" in ss.text(printed)


# The group's safety page -----------------------------------------------------------


def test_safety_page_tells_the_same_facts_in_full(ss, north, client_for):
    n = north
    response = client_for(n.gus).get(reverse("safety", args=[n.elm.slug]))
    assert response.status_code == 200
    page = ss.text(response)
    for reason in ALL_REASONS:
        assert reason in page
    assert "Version 1 adopted." in page
    assert "Answers to version 1 2 agreed · 1 not answered (of 3 members)" in page
    assert f"Overdue since {ss.long(add_months(n.elm_adopted, 6))}" in page
    assert "Breaches in the last 90 days 2" in page
    assert (
        f"Elm Rooms Checked {ss.short(n.today)}: being safe 85%, feeling safe 80% "
        "A critical question has an unsafe answer: check again once it is put right." in page
    )
    assert (
        f"Peers feel safe 5.0 out of 5, from 3 answers released in "
        f"{quarter(add_months(n.today, -3))} (none yet this quarter)" in page
    )
    assert "Actions 2 open, 1 overdue" in page


def test_safety_page_of_a_group_in_good_order(ss, north, client_for):
    n = north
    response = client_for(n.fern).get(reverse("safety", args=[n.damson.slug]))
    page = ss.text(response)
    assert "Nothing needs attention right now." in page
    assert "Answers to version 1 3 agreed (of 3 members) Next review" in page
    assert f"Next review {ss.long(add_months(n.today, 6))}" in page
    assert f"Next check due by {ss.short(add_months(n.today, 12))}." in page
    assert "Peers feel safe 4.0 out of 5, from 3 answers released this quarter" in page
    assert "Breaches in the last 90 days 1" in page


def test_safety_page_of_a_group_with_a_round_open(ss, north, client_for):
    page = ss.text(client_for(north.gus).get(reverse("safety", args=[north.cedar.slug])))
    assert "Version 1 is with the group: 2 of 3 have answered." in page
    assert "No venue recorded." in page
    assert "No adopted ground rules" in page


# Permissions -----------------------------------------------------------------------

ORG_PAGES = ["dashboard", "dashboard_csv", "dashboard_print", "trends"]


def test_coordinators_see_their_organisations_pages(ss, cast, client_for):
    client = client_for(cast.coordinator)
    page = client.get(reverse("dashboard", args=[cast.org_a.slug]))
    assert ss.row_order(page) == ["Group A"]
    exported = client.get(reverse("dashboard_csv", args=[cast.org_a.slug]))
    assert (
        pages.body(exported)
        .decode()
        .splitlines()[1]
        .startswith("Group A,in_person,Fay Facilitator,2,")
    )
    printed = client.get(reverse("dashboard_print", args=[cast.org_a.slug]))
    assert "Riverside: group safety" in ss.text(printed)
    assert [row[0] for row in ss.table_texts(printed.content.decode())[1:]] == ["Group A"]
    trends = client.get(reverse("trends", args=[cast.org_a.slug]))
    assert "Trends over the last 12 months" in ss.text(trends)
    assert trends.context["share"][-1]["groups"] == 1
    for response in (page, exported, printed, trends):
        assert response.status_code == 200
        assert b"Group B" not in pages.body(response)


@pytest.mark.parametrize("name", ORG_PAGES)
@pytest.mark.parametrize("who", ["other_coordinator", "facilitator", "peer", "other_peer"])
def test_everyone_else_gets_404_for_an_organisations_pages(cast, client_for, name, who):
    response = client_for(getattr(cast, who)).get(reverse(name, args=[cast.org_a.slug]))
    assert response.status_code == 404
    assert b"Riverside" not in response.content
    assert b"Group A" not in response.content


@pytest.mark.parametrize("name", ORG_PAGES)
def test_anonymous_visitors_are_sent_to_sign_in(cast, client_for, name):
    target = reverse(name, args=[cast.org_a.slug])
    response = client_for(None).get(target)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={target}"


def test_an_unknown_organisation_is_404(cast, client_for):
    response = client_for(cast.coordinator).get(reverse("dashboard", args=["no-such-org"]))
    assert response.status_code == 404


@pytest.mark.parametrize(
    "who, group, status",
    [
        ("coordinator", "group_a", 200),
        ("facilitator", "group_a", 200),
        ("peer", "group_a", 403),
        ("other_coordinator", "group_a", 404),
        ("other_peer", "group_a", 404),
        ("facilitator", "group_b", 404),
        ("coordinator", "group_b", 404),
    ],
)
def test_safety_page_permissions(cast, client_for, who, group, status):
    target = getattr(cast, group)
    response = client_for(getattr(cast, who)).get(reverse("safety", args=[target.slug]))
    assert response.status_code == status
    if status == 200:
        assert b"Safety at a glance" in response.content
        assert target.name.encode() in response.content
    else:
        assert b"Safety at a glance" not in response.content
        assert b"No adopted ground rules" not in response.content
    if status == 404:
        assert target.name.encode() not in response.content


def test_a_facilitator_of_another_group_gets_404(ss, cast, client_for):
    other = ss.group(cast.org_a, "Other group in A", peers=ss.people("Someone"))
    response = client_for(cast.facilitator).get(reverse("safety", args=[other.slug]))
    assert response.status_code == 404
    assert b"Other group in A" not in response.content


def test_a_facilitator_who_left_gets_404(ss, cast, client_for):
    ss.leave(cast.group_a, cast.facilitator)
    response = client_for(cast.facilitator).get(reverse("safety", args=[cast.group_a.slug]))
    assert response.status_code == 404


def test_anonymous_safety_page_redirects_to_sign_in(cast, client_for):
    target = reverse("safety", args=[cast.group_a.slug])
    response = client_for(None).get(target)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={target}"


def test_a_coordinator_sees_only_their_own_groups(ss, cast, client_for):
    response = client_for(cast.other_coordinator).get(reverse("dashboard", args=[cast.org_b.slug]))
    assert ss.row_order(response) == ["Group B"]
    assert b"Group A" not in response.content


def test_each_reason_names_its_most_urgent_groups_when_more_have_it(db):
    """Above the table, each reason names its first NAMED groups, most urgent first, even
    when more groups have it and the reasons overlap (PostgreSQL reads their ids as one
    UNION, SQLite as a list for each reason: both must say the same)."""
    from groups.models import GroupSummary
    from safespace.dashboard import listing
    from safespace.dashboard.rows import REASON_BITS
    from safespace.dashboard.table import NAMED

    org = make_organisation("Wide")
    made = [builders.make_group(org, f"Group {i:02d}") for i in range(14)]
    for i, each in enumerate(made):
        # An urgency of its own, to be ordered by (none of the groups has rules yet).
        reasons = ["no_rules"] + ["critical"] * (i < 11) + ["reassessment"] * (i >= 3)
        GroupSummary.objects.filter(group=each).update(
            critical_flag=i < 11,
            check_due=i >= 3,
            urgency=(i * 7) % 13 + 1,
            reasons=sum(REASON_BITS[key] for key in reasons),
        )
    rows = {r.group_id: r for r in GroupSummary.objects.filter(organisation=org)}

    def most_urgent(ids):
        ranked = sorted(ids, key=lambda pk: (-rows[pk].urgency, rows[pk].name_key, pk))
        return [rows[pk].name for pk in ranked[:NAMED]]

    by_reason = listing.summary(org)["by_reason"]
    named = {key: [g.name for g in groups] for _label, _count, key, groups, _more in by_reason}
    assert named.keys() == {"critical", "reassessment", "no_rules"}
    assert named["critical"] == most_urgent([g.pk for g in made[:11]])
    assert named["reassessment"] == most_urgent([g.pk for g in made[3:]])
    assert named["no_rules"] == most_urgent([g.pk for g in made])
    assert len(named["critical"]) == NAMED
