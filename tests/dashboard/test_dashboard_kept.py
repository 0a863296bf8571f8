"""The dashboard shows what each group's summary row keeps: a change made through the
services shows at once (its rendered cells are never served stale), one made past them
only once the summaries are worked out again."""

from datetime import timedelta

from django.urls import reverse

from groundrules.models import Breach
from groups import services as group_services
from groups import summaries
from safespace.dashboard.table import REASONS, WEIGHTS
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
