"""The dashboard shows what each group's summary row keeps: a change made through the
services shows at once (its rendered cells are never served stale), one made past them
only once the summaries are worked out again."""

from datetime import timedelta

from django.urls import reverse

from groundrules.models import Breach
from groups import services as group_services
from groups import summaries
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
