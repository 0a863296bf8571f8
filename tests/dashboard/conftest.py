"""The dashboard, trends, home and CSV tests' helpers, offered as one fixture: `ss`.

Builders go through the service layer (tests/builders.py), then back-date rows
with queryset `.update()` where a test needs a fact to lie in a given past month:
`ss.at(day)` is noon, local time, on that day.

`ss.table(html)` reads the rows of the first table of the page (or of a part
of it) as lists of cell texts; `ss.dashboard_rows(response)` maps each group's
name on the dashboard to its cells, so a test can assert every figure
(tests/pages.py).

`north` is Northside, an organisation with a group in each state the dashboard
tells apart: built once per test module, each test reads a fresh copy of it
(and what a test writes is rolled back after it).
"""

from datetime import timedelta
from types import SimpleNamespace

import pytest

from groups.dates import add_months, quarter
from groups.models import Group
from tests import builders, pages
from tests.builders import (
    action,
    adopt,
    answer,
    assess,
    at,
    breach,
    close,
    draft,
    feedback,
    group,
    leave,
    make_organisation,
    make_user,
    people,
    put_to_group,
    review,
    today,
    venue,
)


def build_north():
    """Northside: one group in each state the dashboard tells apart, and an archived one.

    Alder  no rules, no facilitator, online
    Birch  a draft only
    Cedar  version 1 with the group: 2 of 3 answered (one agrees, one wants to talk)
    Damson adopted day, agreed by everyone (one who agreed has since left); a venue
           checked day (95% / 100%), 3 peers' answers, 1 open action, a breach 90 days
           ago (counts) and one 91 days ago (does not): nothing needs attention
    Elm    adopted 7 months ago, 2 of 3 agreed, review overdue; a critical No (85% / 80%),
           2 open actions of which 1 overdue (and 1 done); 2 peers' answers waiting
           this quarter (3 released last quarter); 2 breaches
    Fir    adopted 7 months ago, reviewed 30 days ago; an online platform last checked
           13 months ago, so a check is due
    Gorse  version 1 adopted and agreed by both; version 2 with the group, 1 of 2 answered
    Hazel  archived
    """
    day = today()
    coordinator = make_user("Nadia Coordinator", "nadia@north.test")
    org = make_organisation("Northside", coordinators=[coordinator])
    fern, gus = people("Fern Facilitator", "Gus Facilitator")
    ann, ben, cal = people("Ann Peer", "Ben Peer", "Cal Peer")
    n = SimpleNamespace(org=org, coordinator=coordinator, fern=fern, gus=gus, today=day)

    n.alder = group(org, "Alder", peers=[ann], format=Group.Format.ONLINE)

    n.birch = group(org, "Birch", facilitators=[fern], peers=[ann])
    draft(n.birch, fern)

    n.cedar = group(org, "Cedar", facilitators=[gus], peers=[ann, ben], format="hybrid")
    cedar_round = put_to_group(n.cedar, gus)
    answer(cedar_round, gus)
    answer(cedar_round, ann, "talk")

    n.damson = group(org, "Damson", facilitators=[fern], peers=[ann, ben, cal])
    adopt(n.damson, fern, agreeing=[fern, ann, ben, cal])
    leave(n.damson, cal)
    n.damson_hall = venue(org, "Damson Hall", used_by=[n.damson])
    damson_check = assess(n.damson, n.damson_hall, fern, {"staffed": "partly"})
    action(damson_check, "staffed", fern, due_on=day + timedelta(days=30))
    feedback(n.damson, n.damson_hall, 3, score=4)
    breach(n.damson, fern, day - timedelta(days=90))
    breach(n.damson, fern, day - timedelta(days=91))

    n.elm = group(org, "Elm", facilitators=[gus], peers=[ann, ben])
    n.elm_adopted = add_months(day, -7)
    adopt(n.elm, gus, agreeing=[gus, ann], when=at(n.elm_adopted))
    n.elm_rooms = venue(org, "Elm Rooms", used_by=[n.elm])
    elm_check = assess(
        n.elm,
        n.elm_rooms,
        gus,
        {"private": "no", "staffed": "partly", "welcoming": "no", "refreshments": "na"},
    )
    action(elm_check, "private", gus, due_on=day - timedelta(days=1))
    action(elm_check, "staffed", gus, due_on=day + timedelta(days=10))
    close(action(elm_check, "welcoming", gus, due_on=day - timedelta(days=5)))
    feedback(n.elm, n.elm_rooms, 2, score=5)
    feedback(n.elm, n.elm_rooms, 3, score=5, period=quarter(add_months(day, -3)))
    breach(n.elm, gus, day)
    breach(n.elm, gus, day - timedelta(days=30))

    n.fir = group(org, "Fir", facilitators=[fern], peers=[ben], format="online")
    fir_v1 = adopt(n.fir, fern, agreeing=[fern, ben], when=at(add_months(day, -7)))
    n.fir_reviewed = day - timedelta(days=30)
    review(n.fir, fir_v1, n.fir_reviewed)
    n.fir_video = venue(org, "Fir Video", used_by=[n.fir], kind="online")
    n.fir_checked = add_months(day, -13)
    assess(n.fir, n.fir_video, fern, when=at(n.fir_checked))

    n.gorse = group(org, "Gorse", facilitators=[gus], peers=[cal])
    adopt(n.gorse, gus, agreeing=[gus, cal])
    gorse_round = put_to_group(n.gorse, gus, ["Keep what is said here in the room.", "New."])
    answer(gorse_round, cal)

    n.hazel = group(org, "Hazel", facilitators=[fern], peers=[ann])
    builders.archive(n.hazel, at(day))
    return n


@pytest.fixture(scope="module")
def north_world(django_db_setup, django_db_blocker):
    """Northside, built once per test module (the modules that use it name it in
    `pytestmark`, so that every test in them sees the same database)."""
    with builders.built_once(django_db_blocker):
        yield build_north()


@pytest.fixture
def north(north_world, db):
    return builders.fresh(north_world)


@pytest.fixture
def ss(db):
    return SimpleNamespace(
        LINK=builders.LINK,
        today=builders.today,
        at=builders.at,
        month_start=builders.month_start,
        in_month=builders.in_month,
        short=builders.short,
        long=builders.long,
        group=builders.group,
        people=builders.people,
        leave=builders.leave,
        joined=builders.joined,
        draft=builders.draft,
        put_to_group=builders.put_to_group,
        answer=builders.answer,
        adopt=builders.adopt,
        agreed_at=builders.agreed_at,
        review=builders.review,
        review_every=builders.review_every,
        breach=builders.breach,
        propose=builders.propose,
        venue=builders.venue,
        assess=builders.assess,
        action=builders.action,
        close=builders.close,
        feedback=builders.feedback,
        tables=pages.tables,
        table_texts=pages.table_texts,
        dashboard_rows=pages.dashboard_rows,
        row_order=pages.row_order,
        text=pages.text,
        section=pages.section,
        section_text=pages.section_text,
        url=builders.url,
    )
