"""The dashboard shows what each group's summary row keeps: a change made through the
services shows at once (its rendered cells are never served stale), one made past them
only once the summaries are worked out again."""

import importlib
import random
from datetime import timedelta

from django.urls import reverse

from groundrules.models import Breach
from groups import services as group_services
from groups import summaries
from groups.models import GroupSummary
from groups.selectors import summaries_of
from safespace.dashboard import listing
from safespace.dashboard.rows import REASON_BITS, derive
from safespace.dashboard.table import REASONS, WEIGHTS
from tests import builders
from tests.builders import make_organisation, make_user

BREACHES = 8  # the "Breaches (90 days)" cell


def _cells(ss, client, org, name):
    response = client.get(reverse("dashboard", args=[org.slug]))
    assert response.status_code == 200
    return ss.dashboard_rows(response)[name]


def test_a_change_through_the_services_shows_at_once(ss, client_for):
    coordinator = make_user("Kit Coordinator")
    org = make_organisation("Keptford", coordinators=[coordinator])
    fay, pat = ss.people("Kept Facilitator", "Kept Peer")
    group = ss.group(org, "Kept", facilitators=[fay], peers=[pat])
    client = client_for(coordinator)
    assert _cells(ss, client, org, "Kept")[BREACHES] == "0"

    ss.breach(group, fay, ss.today() - timedelta(days=3))
    assert _cells(ss, client, org, "Kept")[BREACHES] == "1"

    group_services.update_group(group=group, fields={"format": "online"}, needs=[])
    assert _cells(ss, client, org, "Kept")[0] == "Online"


def test_a_change_past_the_services_waits_for_the_refresh(ss, client_for):
    coordinator = make_user("Kit Coordinator")
    org = make_organisation("Keptford", coordinators=[coordinator])
    fay, pat = ss.people("Kept Facilitator", "Kept Peer")
    group = ss.group(org, "Kept", facilitators=[fay], peers=[pat])
    client = client_for(coordinator)
    Breach.objects.create(
        group=group, occurred_on=ss.today(), what_happened="x", response_taken="y"
    )
    assert _cells(ss, client, org, "Kept")[BREACHES] == "0"
    summaries.refresh_all()
    assert _cells(ss, client, org, "Kept")[BREACHES] == "1"


def test_rows_and_the_summary_are_kept_by_what_they_say_never_served_stale(ss, client_for):
    """A row's HTML and the summary's are kept by a digest of what they show: a new name
    for the group or its facilitator is a new digest, so the page says it at once."""
    coordinator = make_user("Kit Coordinator")
    org = make_organisation("Keptford", coordinators=[coordinator])
    fay, pat = ss.people("Kept Facilitator", "Kept Peer")
    group = ss.group(org, "Kept", facilitators=[fay], peers=[pat])
    client = client_for(coordinator)

    def page():
        response = client.get(reverse("dashboard", args=[org.slug]))
        assert response.status_code == 200
        return response

    first = page()
    assert list(ss.dashboard_rows(first)) == ["Kept"]
    assert "Kept Facilitator" in ss.text(first)
    assert "No adopted ground rules: 1 Kept" in ss.section_text(first, "summary-heading")

    # The facilitator's name is not on the summary row: the row's digest still covers it.
    type(fay).objects.filter(pk=fay.pk).update(display_name="Fay Newname")
    second = page()
    assert "Fay Newname" in ss.text(second)
    assert "Kept Facilitator" not in ss.text(second)

    group.refresh_from_db()
    group_services.update_group(group=group, fields={"name": "Renamed"}, needs=[])
    third = page()
    assert list(ss.dashboard_rows(third)) == ["Renamed"]
    assert "No adopted ground rules: 1 Renamed" in ss.section_text(third, "summary-heading")


def test_a_query_compiled_once_reads_each_organisations_own_rows(ss, client_for):
    """The summary's queries are compiled once per process (prepared.py) and run with the
    organisation's id: two organisations one after the other each see only their own."""
    pages = {}
    for name in ("Eastford", "Westford"):
        coordinator = make_user(f"{name} Coordinator")
        org = make_organisation(name, coordinators=[coordinator])
        ss.group(org, f"{name} Group", facilitators=ss.people(f"{name} Facilitator"))
        pages[name] = (coordinator, org)
    for _round in range(2):
        for name, (coordinator, org) in pages.items():
            response = client_for(coordinator).get(reverse("dashboard", args=[org.slug]))
            said = ss.section_text(response, "summary-heading")
            assert said == f"1 of 1 groups needs attention No adopted ground rules: 1 {name} Group"
            assert list(ss.dashboard_rows(response)) == [f"{name} Group"]


def test_every_reason_makes_a_group_need_attention():
    """The count shown for a reason with "needs attention" ticked is the reason's own
    (listing._shown_count): that holds only while every reason weighs something."""
    assert set(WEIGHTS) == set(REASONS)
    assert all(weight > 0 for weight in WEIGHTS.values())


def _reasons_at_random(org, count, seed):
    """`count` groups of `org` whose summary rows hold the reasons' columns drawn at
    random, kept as the summaries keep them (with what `rows.derive` works out)."""
    draw = random.Random(seed)  # noqa: S311 (test data)
    for number in range(count):
        made = builders.group(org, f"Group {number:02d}")
        values = {
            "critical_flag": draw.random() < 0.3,
            "concerns_to_coordinators": draw.choice([0, 0, 1, 4]),
            "concerns_to_facilitators": draw.choice([0, 2]),
            "peers_low": draw.random() < 0.3,
            "disagreement": draw.random() < 0.3,
            "overdue_actions": draw.choice([0, 0, 1, 3]),
            "current_version": draw.choice([None, 1, 3]),
            "review_overdue": draw.random() < 0.3,
            "all_agreed": draw.random() < 0.5,
            "check_due": draw.random() < 0.3,
        }
        GroupSummary.objects.filter(group=made).update(**values, **derive(values))


def test_the_counts_by_reason_say_what_each_reasons_condition_says(db):
    """The summary above the table counts groups by their rows' reason bits (from an
    index): each count is that of the groups the reason's condition finds, which the
    table's filter by reason shows."""
    org = make_organisation("Bitton")
    _reasons_at_random(org, 40, seed=3)
    _reasons_at_random(make_organisation("Elsewhere"), 15, seed=4)  # counted for nobody here
    rows = summaries_of(org)
    said = listing.summary(org)
    counts = {key: count for _label, count, key, _named, _more in said["by_reason"]}
    for key, condition in listing.reason_conditions().items():
        found = rows.filter(condition)
        assert counts.get(key, 0) == found.count(), key
        with_bit = {r.group_id for r in rows if r.reasons & REASON_BITS[key]}
        assert with_bit == set(found.values_list("group_id", flat=True)), key
    assert said["attention"] == rows.filter(urgency__gt=0).count()
    assert said["groups"] == 40
    assert 0 < said["attention"] < 40  # the draw gave groups with and without reasons
    assert set(counts) == set(REASONS)  # and every reason to some


def test_each_reason_has_its_own_bit_and_the_migration_knew_them():
    """A row's bits say its reasons (rows.REASON_BITS); rows kept before the column
    existed took their bits from the migration, which said the same."""
    assert set(REASON_BITS) == set(REASONS)
    bits = list(REASON_BITS.values())
    assert len(set(bits)) == len(bits)
    assert all(bit > 0 and bit & (bit - 1) == 0 for bit in bits)  # one bit each
    assert sum(bits) < 2**15  # within the column (a small integer)
    migration = importlib.import_module("groups.migrations.0012_summary_reasons")
    conditions = listing.reason_conditions()
    assert [(REASON_BITS[key], conditions[key]) for key in REASONS] == migration.BITS


def test_each_page_read_by_its_prepared_query_is_the_one_the_orm_reads(db):
    """The table's page is a prepared query for each set of filters, order and page
    (listing.page_of): for every order, both ways, with and without each kind of filter,
    on each page, it reads the rows the ORM reads, in the same order."""
    org = make_organisation("Pageton")
    _reasons_at_random(org, 13, seed=5)
    formats = ["in_person", "online", "hybrid"]
    for number, summary in enumerate(GroupSummary.objects.filter(organisation=org)):
        summary.format = formats[number % 3]
        summary.members = number % 4
        summary.save(update_fields=["format", "members"])
    elsewhere = make_organisation("Elsewhere")
    _reasons_at_random(elsewhere, 13, seed=6)  # the same names, formats and reasons
    theirs = set(summaries_of(elsewhere).values_list("group_id", flat=True))
    filter_sets = [
        {},
        {"attention": True},
        {"reason": "no_rules"},
        {"group_format": "online"},
        {"attention": True, "reason": "critical", "group_format": "hybrid"},
        {"search": "group 1"},
    ]
    for filters in filter_sets:
        wanted = summaries_of(org).filter(listing.matching(**filters))
        for sort in listing.SORTS:
            for descending in (False, True):
                everything = list(listing.ordered(wanted, sort, descending).values())
                for start in (0, 5, 10):
                    page = listing.page_of(org, filters, sort, descending, start, 5)
                    assert page == everything[start : start + 5], (filters, sort, descending)
                    assert not {row["group_id"] for row in page} & theirs
    assert everything  # the last filters left some rows
